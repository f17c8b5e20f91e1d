"""A citizen report received: placed in its ward (chosen, from the address, or from the
coordinates), routed to the responsible unit by category, its SLA clock started, photos checked
(feedback.photos).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from cqdt.core import file_store, lookup
from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import DomainError, error_for, refuse
from cqdt.core.refusals import Refusal
from cqdt.feedback import photos as photo_rules
from cqdt.feedback import rules
from cqdt.feedback.models import Category, Report, ReportPhoto, ReportSequence
from cqdt.feedback.services._base import (
    _dues,
    _event,
    snapshot,
)
from cqdt.units import naming
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL, DISTRICT_LEVEL, Unit


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    return " ".join(text.replace(",", " ").split())


def _names(unit: Unit, folded: str) -> bool:
    """Whether the address ``folded`` names ``unit``, as a whole phrase: by its Vietnamese name
    ("phường ba đình", "quận ba đình"), or in the English order the English form asks for, the
    proper name before the level's English noun ("ba đình ward", "sóc sơn commune", "ba đình
    district"; ``units.naming.in_english``)."""
    for phrase in (_fold(unit.name), _fold(naming.in_english(unit.name))):
        if phrase and phrase in folded and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded):
            return True
    return False


def resolve_ward(address: str, on: dt.date) -> Unit | None:
    """The ward or commune in force on ``on`` named in an address ("… phường Phúc Xá, quận Ba
    Đình", "…, Ba Đình ward"), only when exactly one is: a name that several units bear (Phường
    Quang Trung of Đống Đa, of Hà Đông and of Sơn Tây until 30 June 2025) needs the unit above
    it named too, else the citizen is asked to choose (``rules.WARD_NOT_IN_ADDRESS``)."""
    folded = _fold(address)
    wards = list(unit_selectors.units_on(on).filter(division_type__in=COMMUNE_LEVEL))
    found = [w for w in wards if _names(w, folded)]
    if len(found) > 1:
        parents = {
            u.code: u
            for u in unit_selectors.units_on(on).filter(code__in={w.parent_code for w in found})
        }
        found = [
            w for w in found if w.parent_code in parents and _names(parents[w.parent_code], folded)
        ]
    return found[0] if len(found) == 1 else None


def _responsible(category: Category, ward: Unit, on: dt.date) -> str:
    """The unit that handles a new report: the ward's district for a category the district
    handles (Resolution 97/2019/QH14: the pilot ward is an agency of its district) while the
    ward has one on ``on``; from 1 July 2025 there is no district level and the commune-level
    government carries out what the district level did (Law 72/2025/QH15) [C: the 2025 decrees
    dividing the district's tasks between commune and province not checked per category], so
    the ward or commune handles it — not the City above it."""
    above = unit_selectors.division_types_on([ward.parent_code], on) if ward.parent_code else {}
    return (
        ward.parent_code
        if category.responsible_level == "district"
        and above.get(ward.parent_code) in DISTRICT_LEVEL
        else ward.code
    )


def _next_code(day: dt.date) -> str:
    value = lookup.next_in_day(ReportSequence._meta.db_table, {}, day)
    return f"PA-{day:%y%m%d}-{value:05d}"


@dataclass(frozen=True)
class Submitted:
    report: Report
    secret: str


def _pin(lat: Any, lon: Any) -> rules.Pin:
    """The pin's coordinates, both or neither (``feedback.rules.pin``), or its refusal raised."""
    found = rules.pin(lat, lon)
    if isinstance(found, Refusal):
        raise error_for(found)
    return found


def pin_against_ward(ward: Unit, lat: Decimal, lon: Decimal) -> tuple[DomainError | None, str]:
    """(the refusal, or None; the note for the report's timeline) for a pin placed on the map
    together with a ward chosen or named in the address. The ward's outline is its bounding box
    when the units data has one (units before 1 July 2025); for a unit without one only a
    plausibility check against its centroid is possible, and the note says so. Source: the
    platform's rule (issue 13 item 8), on the shipped geodata (units/data/README.md)."""
    check = unit_selectors.pin_check(ward, float(lat), float(lon))
    refusal, note = rules.pin_verdict(check.verdict, ward.name, check.distance_km)
    return (error_for(refusal) if refusal is not None else None), note


def _ward_at(lat: Decimal, lon: Decimal, on: dt.date) -> tuple[Any, str]:
    """The commune-level unit a point falls in, from the units' shipped geodata (GeoReport v2
    lets a request give only ``lat``/``long``). Without boundary polygons the placement is an
    approximation (``units.selectors.locate_point``); the timeline says so, so that the ward
    can forward a report that is not theirs."""
    located = unit_selectors.locate_point(float(lat), float(lon), on)
    if located is None:
        return None, ""
    note = (
        f" Phường/xã xác định theo tọa độ (gần đúng, {located.method}, "
        f"cách tâm {located.distance_km:.1f} km)."
    )
    return located.unit, note


def report_problems(
    *,
    category_code: str,
    address: str = "",
    ward_code: str = "",
    lat: Any = None,
    lon: Any = None,
    reporter_phone: str = "",
    now: dt.datetime | None = None,
) -> list[DomainError]:
    """What ``report_submit`` would refuse beyond a form's own checks — the category, the phone
    number, the ward (chosen, named in the address, or at the point) — all at once and nothing
    written (issue 13: a refused form shows every error in one answer). The ward is placed as
    ``report_submit`` places it (``_placement``)."""
    today = timezone.localdate(now or timezone.now())
    found: list[Refusal | None] = []
    if category_code and _category(category_code) is None:
        found.append(rules.UNKNOWN_CATEGORY)
    found.append(rules.phone_refusal(reporter_phone))
    problems = [error_for(r) for r in found if r is not None]
    try:
        lat_d, lon_d = _pin(lat, lon)
    except DomainError as exc:
        return [*problems, exc]
    if ward_code or address or (lat_d is not None and lon_d is not None):
        placed = _placement(ward_code, address, lat_d, lon_d, today)
        if placed.refusal is not None:
            problems.append(placed.refusal)
        elif placed.ward is None:
            # The form names the address even for a pin alone (``_place`` names the pin then).
            problems.append(error_for(rules.WARD_NOT_IN_ADDRESS))
    return problems


@transaction.atomic
def report_submit(
    *,
    actor: Actor,
    category_code: str,
    description: str,
    address: str = "",
    ward_code: str = "",
    lat: Any = None,
    lon: Any = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    photos: list[bytes] | None = None,
    channel: str = "web",
    is_demo: bool = False,
    now: dt.datetime | None = None,
    within: frozenset[str] | None = None,
    recorded: Callable[[Submitted], None] | None = None,
) -> Submitted:
    """Receive a report; the ward is the one chosen, or the one the address names.

    ``within``: the units an integrator's API key is limited to (its unit's subtree); a ward
    outside them is refused, naming the field the ward was taken from, and nothing is written.
    ``recorded``: called in the report's transaction once the report is written (before its
    photos are stored): what the caller records with it — the web form's claim of its send
    (``core.idempotency.web_act``) — committed or rolled back with it; a refusal it raises
    writes nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    category = _category(category_code)
    description = description.strip()
    refuse(
        None if category is not None else rules.UNKNOWN_CATEGORY,
        rules.text_refusal(description=description, address=address, reporter_name=reporter_name),
        rules.contact_refusal(reporter_phone=reporter_phone, reporter_email=reporter_email),
    )
    assert category is not None
    lat_d, lon_d = _pin(lat, lon)
    ward, placed_note, pin_note = _place(ward_code, address, lat_d, lon_d, today, within)
    cleaned = photo_rules.clean_photos(photos or [])
    unit_code = _responsible(category, ward, today)
    ack_due_at, resolve_due_at = _dues(category, unit_code, now)
    secret = lookup.new_secret()
    report = Report.objects.create(
        code=_next_code(today),
        category=category,
        description=description,
        lat=lat_d,
        lon=lon_d,
        address=address.strip(),
        ward_code=ward.code,
        unit_code=unit_code,
        original_unit_code=unit_code,
        channel=channel,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.replace(" ", ""),
        reporter_email=reporter_email.strip(),
        follow_up_secret_hash=lookup.secret_hash(secret),
        submitted_at=now,
        ack_due_at=ack_due_at,
        resolve_due_at=resolve_due_at,
        is_demo=is_demo,
    )
    if recorded is not None:
        recorded(Submitted(report, secret))
    # A photo not stored, or anything after it failing, removes the photos already stored.
    with file_store.removed_if_failed("photo_remove") as stored:
        for photo in cleaned:
            _store_photo(report, photo, stored)
        _event(report, "submit", "", None, "Đã tiếp nhận phản ánh." + placed_note + pin_note, now)
        audit_record(
            actor=actor,
            action="report.submit",
            object_type="feedback.report",
            object_id=report.code,
            after=snapshot(report),
        )
    return Submitted(report, secret)


def _ward_on(ward_code: str, today: dt.date) -> Unit | None:
    """The ward or commune ``ward_code`` in force ``today`` (the level that takes reports)."""
    return (
        unit_selectors.units_on(today)
        .filter(code=ward_code, division_type__in=COMMUNE_LEVEL)
        .first()
    )


def _category(category_code: str) -> Category | None:
    """The active category ``category_code`` names (cut to the column's 60 characters)."""
    return Category.objects.filter(code=category_code[:60], active=True).first()


def _place(
    ward_code: str,
    address: str,
    lat: Decimal | None,
    lon: Decimal | None,
    today: dt.date,
    within: frozenset[str] | None,
) -> tuple[Unit, str, str]:
    """(the report's ward; the timeline's note when it was found at the pin; the note on the pin
    against the ward), placed by ``_placement``, or the refusal raised; the ward must lie within
    an API key's units (``feedback.rules.key_scope_refusal``)."""
    placed = _placement(ward_code, address, lat, lon, today)
    if placed.refusal is not None:
        raise placed.refusal
    ward = placed.ward
    if ward is None:
        pinned = lat is not None and lon is not None
        raise error_for(rules.unplaced_refusal(address=address, pinned=pinned))
    by_point = bool(placed.placed_note)
    field = rules.placed_from(ward_code=ward_code, address=address, by_point=by_point)
    refuse(rules.key_scope_refusal(ward.code, ward.name, within, field))
    return ward, placed.placed_note, placed.pin_note


@dataclass(frozen=True)
class _Placement:
    ward: Unit | None
    refusal: DomainError | None = None
    placed_note: str = ""  # the timeline's note when the ward was found at the pin
    pin_note: str = ""  # the note on the pin against the ward chosen or named


def _placement(
    ward_code: str, address: str, lat: Decimal | None, lon: Decimal | None, today: dt.date
) -> _Placement:
    """The ward chosen, else the one the address names, else the one at the pin; a pin must
    lie in a ward chosen or named (``pin_against_ward``). The first refusal, or the ward (None
    when none was found: each caller says so in its own words)."""
    if ward_code:
        ward = _ward_on(ward_code, today)
        if ward is None:
            return _Placement(None, error_for(rules.UNKNOWN_WARD))
    else:
        ward = resolve_ward(address, today) if address else None
    if lat is None or lon is None:
        return _Placement(ward)
    if ward is None:
        ward, placed_note = _ward_at(lat, lon, today)
        return _Placement(ward, placed_note=placed_note)
    refusal, pin_note = pin_against_ward(ward, lat, lon)
    return _Placement(ward, refusal, pin_note=pin_note)


def _store_photo(report: Report, photo: photo_rules.CleanPhoto, stored: list[FieldFile]) -> None:
    """Store ``photo`` and its row; the file joins ``stored`` as soon as it is written (removed
    by the caller if the report does not go through, its row's own save included)."""
    item = ReportPhoto(report=report, width=photo.width, height=photo.height, size=len(photo.data))
    with file_store.reaching("photo_store"):  # the store down: 503, the report rolls back
        item.image.save("photo.jpg", ContentFile(photo.data), save=False)
    stored.append(item.image)
    item.save()
