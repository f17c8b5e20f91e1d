"""Reads of feedback reports: the unit's inbox, one report, the public list, the follow-up.

Visibility is the staff policy's (``staff.access.policy``): a report belongs to the unit that is
responsible for it now (``unit_code``), so a ward sees the reports it holds, its district sees
its wards' and its own, and the city those of its own province (an administrator, all). After forwarding, the report leaves the first
ward's view. A missing report and one out of scope give the same 404.

What a caller sees of the reporter's contact is decided here too (``PersonalSight``, the one rule
of ``staff.personal_sight``): in full for whom the policy allows ``view_personal_data`` on the
report's unit, never on a predecessor's report read only, masked for other staff
(``reporter_contact``); the public list and the follow-up never carry it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from cqdt.core import refcache
from cqdt.core.db import PreparedObjects
from cqdt.core.errors import NotFound
from cqdt.core.personal_data import Masks, mask_email, mask_name, mask_phone, personal_items
from cqdt.core.records import on_record, one_within_scope, where_flag, where_given, within_scope
from cqdt.core.text import vi_sort_key
from cqdt.feedback import workflow
from cqdt.feedback.models import Category, Report, ReportEvent
from cqdt.staff import access, personal_sight
from cqdt.units import geo
from cqdt.units import selectors as unit_selectors
from cqdt.units.governance_rules import COMMUNE_LEVEL_TYPES, DISTRICT_LEVEL_TYPES
from cqdt.units.models import COMMUNE_LEVEL, DISTRICT_LEVEL, Unit

REPORT = "feedback.report"  # the audit events' object type (``feedback.reorganisation``)


def report_not_found() -> NotFound:
    return NotFound("Không tìm thấy phản ánh.", "No such report.", code="report_not_found")


def visible_reports(
    visible_units: set[str] | None,
    read_predecessors: Sequence[unit_selectors.Predecessor] = (),
    held: Mapping[str, unit_selectors.Holding] | None = None,
) -> QuerySet[Report]:
    """The reports of ``visible_units`` (None: every unit) and, for a read only, those that
    ``read_predecessors`` closed while they held their codes (``staff.access.ReadScope``,
    docs/decisions/0025): a report is closed when it has left the open states, at its
    resolution (``resolved_at``; it is closed only once resolved). At a code of ``held`` (a
    ward's own code that an earlier unit held: ``staff.access.held_codes``), only the reports
    that came to it while the caller's unit held it (submitted, or moved to it, since)."""
    closed = unit_selectors.closed_by_q(read_predecessors, "resolved_at")
    return within_scope(
        Report,
        visible_units,
        None if closed is None else closed & ~Q(status__in=workflow.OPEN),
        held,
        lambda codes: (
            unit_selectors.came_within_held_q(REPORT, codes, "submitted_at")
            | _forwarded_within_held_q(codes)
        ),
    )


def _forwarded_within_held_q(held: Mapping[str, unit_selectors.Holding]) -> Q:
    """Reports forwarded to a code of ``held`` on a day of its holding ("not competent",
    ``feedback.services.report_forward``: the report is the receiving unit's from then on,
    Decree 61/2018/NĐ-CP on forwarding what is not one's to handle) came to it then, whenever
    they were first submitted: the holding rule hides an earlier holder's leftovers at a reused
    code, not work handed to the unit today (reviewer W17). One subquery."""
    cond = Q(pk__in=[])
    for code, holding in held.items():
        if holding.valid_from is None:
            continue  # every report at the code is the holding's already
        window = Q(at__gte=unit_selectors.local_midnight(holding.valid_from))
        if holding.valid_to is not None:
            window &= Q(at__lt=unit_selectors.local_midnight(holding.valid_to))
        forwarded = ReportEvent.objects.filter(window, action="forward", unit_code=code)
        cond |= Q(unit_code=code, pk__in=forwarded.values("report_id"))
    return cond


def _forwarded_within_held(report: Report, holding: unit_selectors.Holding) -> bool:
    """:func:`_forwarded_within_held_q` for one report now at ``holding``'s code."""
    return (
        Report.objects.filter(pk=report.pk)
        .filter(_forwarded_within_held_q({report.unit_code: holding}))
        .exists()
    )


def _closed_by(r: Report, read_predecessors: Sequence[unit_selectors.Predecessor]) -> bool:
    return r.status not in workflow.OPEN and any(
        p.closed_in_time(r.unit_code, r.resolved_at) for p in read_predecessors
    )


# Compiled once per connection, as dossiers' dossier_for; report codes are unique.
_BY_CODE = PreparedObjects(
    Report,
    lambda code: Report.objects.select_related("category", "assigned_to").filter(code=code),
    "\x00code",
    limit=1,
)


def report_for(
    code: str,
    visible_units: set[str] | None,
    read_predecessors: Sequence[unit_selectors.Predecessor] = (),
    held: Mapping[str, unit_selectors.Holding] | None = None,
) -> Report:
    """A report the caller may see; a missing and a forbidden one give the same 404. At a code
    of ``held``, only one that came to it while the caller's unit held the code; with
    ``read_predecessors`` (a read only: :func:`visible_reports`), also one they closed."""
    report = one_within_scope(
        _BY_CODE.first(code[:30]),
        visible_units,
        held,
        report_not_found,
        closed=lambda r: _closed_by(r, read_predecessors),
        came_within=lambda r, holding: (
            unit_selectors.came_within_held(REPORT, r.code, r.submitted_at, holding)
            or _forwarded_within_held(r, holding)
        ),
    )
    prefetch_related_objects([report], "photos")
    return report


def overdue_q(now: dt.datetime) -> Q:
    """Overdue is derived, never stored: open, and past the resolution SLA or, while nobody has
    acknowledged it, past the acknowledgement SLA (categories' SLAs are data, [C]) — never a
    report held outside the platform (:func:`held_outside_q`), whose handling the platform
    cannot see: neither overdue nor on time, and said so (docs/decisions/0026)."""
    return (
        Q(status__in=workflow.OPEN)
        & (Q(resolve_due_at__lt=now) | Q(acknowledged_at__isnull=True, ack_due_at__lt=now))
        & ~held_outside_q(timezone.localdate(now))
    )


def is_overdue(r: Report, now: dt.datetime | None = None) -> bool:
    """:func:`overdue_q` for one report."""
    now = now or timezone.now()
    if r.status not in workflow.OPEN:
        return False
    late = r.resolve_due_at < now or (r.acknowledged_at is None and r.ack_due_at < now)
    return late and not is_held_outside(r, timezone.localdate(now))


# --- held outside the platform (docs/decisions/0026) ----------------------------------------------

_LEVELS: dict[str, Q] = {
    "commune_level": Q(division_type__in=COMMUNE_LEVEL_TYPES),
    "district_level": Q(division_type__in=DISTRICT_LEVEL_TYPES),
    "city": ~Q(division_type__in=COMMUNE_LEVEL_TYPES | DISTRICT_LEVEL_TYPES),
}


def _outside_levels() -> list[str]:
    """The levels at which no post the platform knows may handle a report
    (``staff.access.level_has_actor``): the city's, whose every post is its monitor's or a
    deputy's — the platform holds no post of the City People's Committee's own staff."""
    return [lvl for lvl in _LEVELS if not access.level_has_actor(lvl, access.HANDLE_REPORTS)]


def outside_codes(on: dt.date) -> frozenset[str]:
    """The codes of the units in force on ``on`` that the platform has no handler for
    (:func:`_outside_levels`): a report one of them holds — one forwarded to the City — is
    handled by that unit's committee in its own system (Decree 20/2008/NĐ-CP, as amended: the
    competent body handles and answers what was forwarded to it), outside the platform, which
    records when it went there and tracks no due date for it. A few dozen provinces' codes,
    read in one statement and kept a moment per process (``core.refcache``), so a page's rows
    are looked up in a set."""
    outside = _outside_levels()
    if not outside:
        return frozenset()
    wanted = Q()
    for level in outside:
        wanted |= _LEVELS[level]
    return refcache.get(
        ("feedback-held-outside", on, tuple(outside)),
        lambda: frozenset(
            unit_selectors.units_on(on).filter(wanted).values_list("code", flat=True)
        ),
    )


def held_outside(codes: Iterable[str], on: dt.date) -> set[str]:
    """The codes among ``codes`` held on ``on`` by a unit outside the platform
    (:func:`outside_codes`)."""
    return set(codes) & outside_codes(on)


def is_held_outside(r: Report, on: dt.date) -> bool:
    """Whether ``r`` is open and held, on ``on``, by a unit outside the platform
    (:func:`outside_codes`): what the pages and the API say of it instead of a due date."""
    return r.status in workflow.OPEN and r.unit_code in outside_codes(on)


def held_outside_q(on: dt.date) -> Q:
    """The reports held on ``on`` by a unit outside the platform (:func:`outside_codes`), as a
    filter."""
    return Q(unit_code__in=sorted(outside_codes(on)))


def forwarded_at(r: Report, events: Sequence[ReportEvent]) -> dt.datetime | None:
    """When ``r`` was last forwarded to the unit holding it now, from its timeline ``events``
    (a forward's event is filed under the receiving unit); None if it was never forwarded."""
    moments = [e.at for e in events if e.action == "forward" and e.unit_code == r.unit_code]
    return max(moments) if moments else None


def inbox(
    visible_units: set[str] | None,
    *,
    unit: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    escalated: bool | None = None,
    open_only: bool = False,
    now: dt.datetime | None = None,
    read_predecessors: Sequence[unit_selectors.Predecessor] = (),
    scope_held: Mapping[str, unit_selectors.Holding] | None = None,
) -> QuerySet[Report]:
    """The reports a unit handles, the oldest resolution due date first, then by code
    (``read_predecessors``, ``scope_held``: :func:`visible_reports`)."""
    now = now or timezone.now()
    qs = visible_reports(visible_units, read_predecessors, scope_held).select_related(
        "category", "assigned_to"
    )
    qs = where_given(qs, unit_code=unit, status=status)
    if not status and open_only:
        qs = qs.filter(status__in=workflow.OPEN)
    qs = where_flag(qs, overdue, overdue_q(now))
    qs = where_flag(qs, escalated, Q(escalated_at__isnull=False))
    return qs.order_by("resolve_due_at", "code")


def public_reports(
    *, ward: str | None = None, category: str | None = None, status: str | None = None
) -> QuerySet[Report]:
    """Every report, newest first, for the public list (whose output carries no contact)."""
    qs = Report.objects.select_related("category")
    qs = where_given(qs, ward_code=ward, category__code=category, status=status)
    return qs.order_by("-submitted_at", "-id")


def timeline(r: Report) -> list[ReportEvent]:
    return list(r.events.select_related("actor_official").order_by("at", "id"))


def timeline_named(r: Report) -> tuple[list[tuple[ReportEvent, str]], ReportNames]:
    """The report's timeline, each event with the name of its unit on the event's day, and the
    names of the units the report names (``report_names``), read together (three queries)."""
    events = timeline(r)
    wanted = _named_days(r, unit_selectors.today())
    found = unit_selectors.names_by_day(
        [p for p in wanted.values() if p[0]] + [_event_day(e) for e in events if e.unit_code]
    )
    return [(e, _name(found, _event_day(e))) for e in events], _names_of(wanted, found)


@dataclass(frozen=True)
class ReportNames:
    """The names of the units one report names — its ward, the unit responsible, the first unit
    and the level escalated to — each that of the unit holding the code on the day that names it
    (``report_names``); empty where the report names no unit."""

    ward: str = ""
    unit: str = ""
    original_unit: str = ""
    escalated_to: str = ""


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def responsible_day(r: Report, today: dt.date) -> dt.date:
    """The day that names the unit responsible: today for an open report (it is that unit's to
    handle now); for one no longer open, the day of its latest event — resolved or closed, the
    only moves out of the open states — when the unit that handled it held the code."""
    if r.status in workflow.OPEN:
        return today
    last = max((m for m in (r.resolved_at, r.closed_at) if m is not None), default=None)
    return _day(last or r.updated_at)


def _event_day(e: ReportEvent) -> tuple[str, dt.date]:
    return e.unit_code, _day(e.at)


def _named_days(
    r: Report, today: dt.date, fields: tuple[str, ...] = ()
) -> dict[str, tuple[str, dt.date]]:
    """``(code, day)`` of each unit the report names (``fields`` of ``ReportNames``; all when
    empty): the ward and the first unit on the day it was submitted, the unit responsible on
    ``responsible_day``, the level escalated to on the day of the escalation."""
    days = {
        "ward": lambda: (r.ward_code, _day(r.submitted_at)),
        "unit": lambda: (r.unit_code, responsible_day(r, today)),
        "original_unit": lambda: (r.original_unit_code, _day(r.submitted_at)),
        "escalated_to": lambda: (
            r.escalated_to_unit_code,
            _day(r.escalated_at or r.submitted_at),
        ),
    }
    return {field: days[field]() for field in fields or days}


def _name(found: dict[tuple[str, dt.date], str], pair: tuple[str, dt.date]) -> str:
    return found.get(pair, pair[0])


def _names_of(
    wanted: dict[str, tuple[str, dt.date]], found: dict[tuple[str, dt.date], str]
) -> ReportNames:
    return ReportNames(**{field: _name(found, pair) for field, pair in wanted.items()})


def report_names(
    reports: Iterable[Report], *fields: str, today: dt.date | None = None
) -> dict[int, ReportNames]:
    """The names of the units each report names (by its ``pk``; ``fields`` of ``ReportNames``,
    all when none are given), each by the unit that held the code on the day that names it.

    Official codes are reused: 00004 was Phường Trúc Bạch's until 30 June 2025 and is Phường
    Ba Đình's since 1 July 2025 (Resolution 1656/NQ-UBTVQH15), so a code's latest holder is not
    the unit a 2024 report of Trúc Bạch was about or handled by — old records keep their old
    names (DOMAIN §2). One report may name the same code on two days with two holders (filed at
    Trúc Bạch, handed over by the arrangement and still open at Ba Đình), hence one name per
    field. Two queries for all the reports (``units.selectors.names_by_day``)."""
    today = today or unit_selectors.today()
    wanted = {r.pk: _named_days(r, today, fields) for r in reports}
    found = unit_selectors.names_by_day(
        [pair for days in wanted.values() for pair in days.values() if pair[0]]
    )
    return {pk: _names_of(days, found) for pk, days in wanted.items()}


def unit_names_on(codes: Iterable[str], on: dt.date | None = None) -> dict[str, str]:
    """Names of units by code for choosers (not for records, ``report_names``): each code's
    version in force on ``on`` (today when None), else its last version begun by then — a code
    since ended keeps its last name (one query)."""
    found = unit_selectors.latest_versions({c for c in codes if c}, on or unit_selectors.today())
    return {code: unit.name for code, unit in found.items()}


def categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("group", "name")


def wards_by_district(
    on: dt.date | None = None, *, pilot: bool = True
) -> list[tuple[str, list[Unit]]]:
    """Wards in force (the pilot's by default), grouped under their district's name."""
    on = on or unit_selectors.today()
    wards = list(
        unit_selectors.units_on(on, pilot=pilot or None).filter(division_type__in=COMMUNE_LEVEL)
    )
    if not wards and pilot:  # no governance data loaded: offer every ward
        wards = list(unit_selectors.units_on(on).filter(division_type__in=COMMUNE_LEVEL))
    names = unit_names_on({w.parent_code for w in wards}, on)
    groups: dict[str, list[Unit]] = {}
    for w in sorted(wards, key=lambda u: (u.parent_code, vi_sort_key(u.name))):
        groups.setdefault(w.parent_code, []).append(w)
    return [(names.get(code, code), units) for code, units in groups.items()]


def under_districts(groups: list[tuple[str, list[Unit]]], on: dt.date | None = None) -> bool:
    """Whether any of the offered wards sits under a district on ``on`` — until 30 June 2025 a
    ward's address names its district; from 1 July 2025 Hanoi has none (Law 72/2025/QH15)."""
    parents = {w.parent_code for _district, wards in groups for w in wards if w.parent_code}
    kinds = unit_selectors.division_types_on(parents, on or unit_selectors.today())
    return any(kind in DISTRICT_LEVEL for kind in kinds.values())


def forward_targets(on: dt.date | None = None) -> list[tuple[str, list[Unit]]]:
    """Units a report may be forwarded to: each district, then its wards."""
    on = on or unit_selectors.today()
    units = list(
        unit_selectors.units_on(on).filter(division_type__in=(*DISTRICT_LEVEL, *COMMUNE_LEVEL))
    )
    districts = {u.code: u for u in units if u.division_type in DISTRICT_LEVEL}
    groups: list[tuple[str, list[Unit]]] = []
    for code, district in sorted(districts.items(), key=lambda item: item[0]):
        wards = sorted(
            (u for u in units if u.parent_code == code and u.division_type in COMMUNE_LEVEL),
            key=lambda u: u.name,
        )
        groups.append((district.name, [district, *wards]))
    return groups


# --- personal data -------------------------------------------------------------------------------


# Each item of the reporter's personal data: the report's field, and how it is masked to a caller
# who may not see it in full (``core.personal_data``).
_REPORTER: Masks = {
    "name": ("reporter_name", mask_name),  # initials
    "phone": ("reporter_phone", mask_phone),
    "email": ("reporter_email", mask_email),  # the first letter and the domain
}


class PersonalSight(personal_sight.PersonalSight):
    """Who sees a reporter's contact — name, phone, e-mail — in full, on the API, the inbox's
    report page and the answer to a move: the rule of ``staff.personal_sight`` (Decree
    13/2023/NĐ-CP), the dossiers' too, over a report — which its read scope counts closed at
    ``resolved_at`` (:func:`visible_reports`) — masked as ``_REPORTER`` says
    (:func:`reporter_contact`)."""

    closed_field = "resolved_at"
    masks = _REPORTER


def reporter_contact(r: Report, *, personal: bool) -> dict[str, str | None]:
    """The reporter's contact in full for a caller allowed to see it (:class:`PersonalSight`),
    else masked (``_REPORTER``); an item the reporter did not give is null."""
    return {item: value or None for item, value in personal_items(r, _REPORTER, personal).items()}


def period_summary(
    ward: str,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    *,
    since: dt.datetime | None = None,
) -> dict[str, Any]:
    """For the ward's report to the district council (oversight): reports received by the
    ward (also those it forwarded), resolved on time or late, and open ones past due.

    Missing data is not zero: until the ward has a report on record (``core.records.on_record``:
    submitted before the period's end; with ``since``, the first moment it held its code, one
    sent to it or resolved by it since) the counts are null with ``recorded`` false."""
    qs = Report.objects.filter(Q(unit_code=ward) | Q(original_unit_code=ward))
    resolved_since = Q(unit_code=ward, resolved_at__gte=since, resolved_at__lt=end)
    if not on_record(qs, end, since=since, handled_since=resolved_since):
        counts = ("received", "resolved", "resolved_on_time", "resolved_late", "open_overdue")
        return {"available": True, "recorded": False} | dict.fromkeys(counts)
    resolved = Report.objects.filter(unit_code=ward, resolved_at__gte=start, resolved_at__lt=end)
    resolved_late = resolved.filter(resolved_at__gt=F("resolve_due_at")).count()
    resolved_count = resolved.count()
    return {
        "available": True,
        "recorded": True,
        "received": qs.filter(submitted_at__gte=start, submitted_at__lt=end).count(),
        "resolved": resolved_count,
        "resolved_on_time": resolved_count - resolved_late,
        "resolved_late": resolved_late,
        "open_overdue": Report.objects.filter(
            unit_code=ward,
            resolved_at__isnull=True,
            resolve_due_at__gte=start,
            resolve_due_at__lt=min(end, now),
        ).count(),
    }


# --- nearby duplicates (issue 13, item 8) ----------------------------------------------------------

NEARBY_METRES = 100
NEARBY_DAYS = 7
EARTH_RADIUS_M = geo.EARTH_RADIUS_KM * 1000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (``units.geo.distance_km``, the haversine formula)."""
    return geo.distance_km(lat1, lon1, lat2, lon2) * 1000


def nearby_open_reports(
    *,
    category_id: int,
    lat: float,
    lon: float,
    at: dt.datetime,
    exclude_code: str = "",
) -> list[Report]:
    """Open reports of the same category within ``NEARBY_METRES`` and sent in the
    ``NEARBY_DAYS`` before ``at``: a hint that this may be a duplicate ("Có thể đã có phản ánh
    này"), never a refusal. Source: the thresholds are the platform's choice (issue 13 item 8,
    after FixMyStreet's nearby-report prompt), not a legal rule. One query: a bounding box
    narrows the rows in the database, the haversine distance decides."""
    import math

    dlat = NEARBY_METRES / 111_000 * 1.1
    dlon = dlat / max(math.cos(math.radians(lat)), 0.1)
    rows = (
        Report.objects.filter(
            category_id=category_id,
            status__in=workflow.OPEN,
            submitted_at__gte=at - dt.timedelta(days=NEARBY_DAYS),
            submitted_at__lte=at,
            lat__gte=lat - dlat,
            lat__lte=lat + dlat,
            lon__gte=lon - dlon,
            lon__lte=lon + dlon,
        )
        .exclude(code=exclude_code)
        .order_by("-submitted_at")[:20]
    )
    return [
        r
        for r in rows
        if distance_m(lat, lon, float(r.lat), float(r.lon)) <= NEARBY_METRES  # type: ignore[arg-type]
    ]


# --- the map and "near you" (issue 13 item 8) ------------------------------------------------------

NEAR_METRES = 1000
NEAR_LIMIT = 50


def map_wards(groups: list[tuple[str, list[Unit]]]) -> list[dict[str, Any]]:
    """The offered wards' shipped geodata for the form's map: the centre, and the outline (its
    bounding box) where the units data has one, else the radius of a disc of the unit's area
    (drawn dashed, as an approximation). Units without a centroid are left out, never guessed."""
    out: list[dict[str, Any]] = []
    for _district, units in groups:
        for u in units:
            candidate = unit_selectors.geo_candidate(u)
            if candidate is None:
                continue
            box = [u.bbox_south, u.bbox_west, u.bbox_north, u.bbox_east]
            has_box = None not in box
            radius = None if has_box else geo.equivalent_radius_km(candidate)
            out.append(
                {
                    "code": u.code,
                    "name": u.name,
                    "lat": u.centroid_lat,
                    "lon": u.centroid_lon,
                    "box": box if has_box else None,
                    "radius_km": round(radius, 3) if radius is not None else None,
                }
            )
    return out


def parse_point(value: str) -> tuple[float, float] | None:
    """ "lat,lon" in decimal degrees within Vietnam's extent, or None."""
    import math

    parts = (value or "").split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)) or not geo.in_vietnam_extent(lat, lon):
        return None
    return lat, lon


def reports_near(
    lat: float, lon: float, *, metres: int = NEAR_METRES, limit: int = NEAR_LIMIT
) -> list[tuple[Report, float]]:
    """Reports pinned within ``metres`` of (lat, lon), nearest first, with their distance in
    metres, for the public "near you" list (whose output carries no contact).

    One query on SQLite and PostgreSQL alike, without spatial extensions or SQL trigonometry:
    a bounding box narrows the rows, an equirectangular squared distance (plain arithmetic, the
    longitude scaled by cos(lat) computed here) orders them, and the haversine distance decides.
    Over 1 km the two orderings differ by far less than a metre."""
    import math

    from django.db.models import ExpressionWrapper, FloatField, Value
    from django.db.models.functions import Cast

    dlat = math.degrees(metres / EARTH_RADIUS_M) * 1.01
    scale = max(math.cos(math.radians(lat)), 0.01)
    dlon = dlat / scale
    north = Cast("lat", FloatField()) - Value(lat)
    east = (Cast("lon", FloatField()) - Value(lon)) * Value(scale)
    rows = (
        Report.objects.select_related("category")
        .filter(
            lat__gte=lat - dlat,
            lat__lte=lat + dlat,
            lon__gte=lon - dlon,
            lon__lte=lon + dlon,
        )
        .annotate(near_d2=ExpressionWrapper(north * north + east * east, output_field=FloatField()))
        .order_by("near_d2", "-submitted_at", "-id")[: limit * 2]
    )
    found: list[tuple[Report, float]] = [
        (r, distance_m(lat, lon, float(r.lat), float(r.lon)))  # type: ignore[arg-type]
        for r in rows
    ]
    return [(r, d) for r, d in found if d <= metres][:limit]
