"""The two demo loads: the pilot wards with their districts and the city's monitor, and the
leaders of the units from 1 July 2025."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from django.db import transaction

from cqdt.authority.demo.loader import DemoReport, _Loader
from cqdt.authority.demo.plan import PILOT_START, _People, plan_ward
from cqdt.staff import posts
from cqdt.staff.models import AppointmentKind, Official
from cqdt.units import selectors as unit_selectors


def pilot_wards(wards: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(ward, district) for the pilot wards on 1 July 2021, or for the given codes among them."""
    rows = list(unit_selectors.units_on(PILOT_START, pilot=True).values_list("code", "parent_code"))
    if wards is None:
        return rows
    wanted = list(dict.fromkeys(wards))
    known = {code for code, _ in rows}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise ValueError(f"Not pilot wards on {PILOT_START}: {', '.join(unknown)}")
    return [r for r in rows if r[0] in set(wanted)]


def load(
    *,
    seed: int = 1,
    wards: Sequence[str] | None = None,
    today: dt.date | None = None,
    random_passwords: bool = False,
    progress: Callable[[str], None] | None = None,
) -> DemoReport:
    """Load the demo officials, posts, field assignments, delegations and logins.

    Idempotent: a unit whose demo officials exist is skipped, a login that exists is kept.
    ``wards`` limits the load to some pilot wards (their districts come along).
    ``random_passwords``: each new login gets its own random password (reported once, in
    ``DemoReport.logins``) instead of the shared :data:`DEMO_PASSWORD`.
    """
    loader = _Loader(seed, today or unit_selectors.today(), random_passwords)
    selected = pilot_wards(wards)
    all_rows = pilot_wards()
    districts = sorted({d for _, d in selected})
    for district in districts:
        loader.ensure_district(district)
    loader.ensure_city_monitor()
    # A ward's place in its district numbers its decisions, whichever wards are loaded.
    positions: dict[str, int] = {}
    seen: dict[str, int] = {}
    for ward, district in all_rows:
        seen[district] = seen.get(district, 0) + 1
        positions[ward] = seen[district]
    for n, (ward, district) in enumerate(selected, 1):
        loader.load_ward(plan_ward(seed, ward, district, loader.faker), positions[ward])
        if progress is not None and (n % 25 == 0 or n == len(selected)):
            progress(f"officials: {n}/{len(selected)} wards")
    loader.ensure_logins()
    return loader.report


# -- the units from 1 July 2025 --------------------------------------------------------------
TWO_TIER_START = dt.date(2025, 7, 1)


SHOWCASE_SUCCESSOR = "00097"  # Phường Hồng Hà, which took Phúc Xá whole on 1 July 2025


SUCCESSOR_LOGINS: tuple[tuple[str, str, str, str, int], ...] = (
    (
        "chutich.hongha",
        "Chủ tịch UBND phường (từ 01/7/2025)",
        SHOWCASE_SUCCESSOR,
        posts.CHAIRMAN,
        0,
    ),
    (
        "motcua.hongha",
        "Công chức Bộ phận một cửa (từ 01/7/2025)",
        SHOWCASE_SUCCESSOR,
        posts.ONE_STOP_DESK,
        0,
    ),
    (
        "daibieu.hongha",
        "Đại biểu HĐND phường (từ 01/7/2025)",
        SHOWCASE_SUCCESSOR,
        posts.COUNCIL_DEPUTY,
        0,
    ),
)


def load_successors(
    *,
    seed: int = 1,
    codes: Sequence[str],
    today: dt.date | None = None,
    random_passwords: bool = False,
) -> DemoReport:
    """Leaders of the new units from 1 July 2025: a chairman and a vice-chairman, elected by
    the unit's own People's Council (two-tier model, Law 72/2025/QH15 on Local Government).

    Their civil servants come from the units they replace (``units.reorganisation`` moves the
    posts); the old wards' chairmen and vice-chairmen left office with their wards. The showcase
    unit (Hồng Hà) also gets a deputy of its own People's Council from 1 July 2025 (the login
    ``daibieu.hongha``; the council and the seat are ``oversight.demo.load_ward_council``'s).
    Idempotent: a unit whose demo chairman exists is skipped, and so is a deputy who exists.
    Nothing is dated after ``today``.
    """
    loader = _Loader(seed, today or unit_selectors.today(), random_passwords)
    if loader.today < TWO_TIER_START:
        return loader.report
    for unit in unit_selectors.units_on(TWO_TIER_START).filter(code__in=list(codes)):
        people = _People(seed, f"{unit.code}-2025", loader.faker)
        chairman = people.person(posts.CHAIRMAN, (1968, 1982))
        vice = people.person(posts.VICE_CHAIRMAN, (1972, 1988))
        if unit.code == SHOWCASE_SUCCESSOR:
            with transaction.atomic():
                loader.appoint_new(
                    people.person(posts.COUNCIL_DEPUTY, (1972, 1988)),
                    unit.code,
                    kind=AppointmentKind.ELECTION,
                    number="01/NQ-HĐND",
                    on=TWO_TIER_START,
                )
        if Official.objects.filter(civil_service_code=chairman.code).exists():
            loader.report.wards_skipped.append(unit.code)
            continue
        with transaction.atomic():
            for k, person in enumerate((chairman, vice), start=1):
                loader.appoint_by_unit(
                    loader.official(person, unit.code),
                    unit.code,
                    person.post,
                    kind=AppointmentKind.ELECTION,
                    number=f"{k:02d}/NQ-HĐND",
                    on=TWO_TIER_START,
                )
        loader.report.wards_loaded.append(unit.code)
    loader.link_logins(SUCCESSOR_LOGINS, since=TWO_TIER_START)
    return loader.report
