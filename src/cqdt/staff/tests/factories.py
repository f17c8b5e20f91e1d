"""Build officials and a ward's leadership through the services, as a district would.

Everything goes through ``official_create`` and ``appointment_create`` so the governance rules
run on the test data too. Dates sit inside the pilot (from 1 July 2021, Resolution 97/2019/QH14)
unless a test says otherwise; ``at()`` gives the timezone-aware moments ``authority_check`` takes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from cqdt.core.audit import Actor
from cqdt.core.models import AuditEvent
from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind, Official
from cqdt.staff.services import appointment_create, official_create

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
ACTOR = Actor.system("test")

BA_DINH = "001"
PHUC_XA = "00001"  # Phường Phúc Xá, Quận Ba Đình
TRUC_BACH = "00004"  # Phường Trúc Bạch, Quận Ba Đình
HOAN_KIEM = "002"
HOAN_KIEM_WARD = "00037"  # a ward of Quận Hoàn Kiếm
PILOT_START = dt.date(2021, 7, 1)
CHECK_DAY = dt.date(2022, 3, 15)

_codes = itertools.count(1)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment on ``day`` in Hanoi time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def official(employer: str = BA_DINH, name: str | None = None) -> Official:
    n = next(_codes)
    return official_create(
        actor=ACTOR,
        full_name=name or f"Cán bộ thử nghiệm {n}",
        civil_service_code=f"TEST{n:06d}",
        employer_unit_code=employer,
    )


def elect_chairman(
    unit_code: str,
    *,
    term_start: dt.date = PILOT_START,
    term_end: dt.date | None = None,
    person: Official | None = None,
) -> Appointment:
    """A chairman elected by the unit's own council (standard-2015 model: no deciding official)."""
    return appointment_create(
        actor=ACTOR,
        official=person or official(unit_code),
        unit_code=unit_code,
        post=posts.CHAIRMAN,
        kind=AppointmentKind.ELECTION,
        decision_number=f"{next(_codes)}/NQ-HĐND",
        decision_date=term_start,
        term_start=term_start,
        term_end=term_end,
        deciding_official=None,
        deciding_unit_code=unit_code,
    )


def appoint(
    person: Official,
    unit_code: str,
    post: str,
    *,
    by: Official | None,
    by_unit: str = BA_DINH,
    term_start: dt.date = PILOT_START,
    term_end: dt.date | None = None,
    decision_date: dt.date | None = None,
    kind: str = AppointmentKind.APPOINTMENT,
    fields: list[str] | None = None,
) -> Appointment:
    """An appointment decided by ``by`` (the chairman of ``by_unit``)."""
    return appointment_create(
        actor=ACTOR,
        official=person,
        unit_code=unit_code,
        post=post,
        kind=kind,
        decision_number=f"{next(_codes)}/QĐ-UBND",
        decision_date=decision_date or term_start,
        term_start=term_start,
        term_end=term_end,
        deciding_official=by,
        deciding_unit_code=by_unit,
        fields=fields,
    )


@dataclass
class WardLeadership:
    ward: str
    district_chairman: Official
    district_chair: Appointment
    chairman: Official
    chair: Appointment
    vice_chairmen: list[Official]
    justice: Official
    justice_post: Appointment


def ward_leadership(
    ward: str = PHUC_XA,
    district: str = BA_DINH,
    *,
    vice_chairmen: int = 2,
    term_start: dt.date = PILOT_START,
    district_chair: Appointment | None = None,
) -> WardLeadership:
    """The district chairman (elected), the ward chairman he appoints, vice-chairmen, and the
    Justice–Civil status civil servant (a district employee assigned to the ward)."""
    if district_chair is None:
        district_chair = elect_chairman(district, term_start=term_start)
    boss = district_chair.official
    chairman = official(district)
    chair = appoint(
        chairman, ward, posts.CHAIRMAN, by=boss, by_unit=district, term_start=term_start
    )
    vices = []
    for _ in range(vice_chairmen):
        vice = official(district)
        appoint(vice, ward, posts.VICE_CHAIRMAN, by=boss, by_unit=district, term_start=term_start)
        vices.append(vice)
    justice = official(district)
    justice_post = appoint(
        justice,
        ward,
        posts.JUSTICE_CIVIL_STATUS,
        by=boss,
        by_unit=district,
        term_start=term_start,
        kind=AppointmentKind.ASSIGNMENT,
        fields=["civil_status", "certification"],
    )
    return WardLeadership(ward, boss, district_chair, chairman, chair, vices, justice, justice_post)


def _state() -> dict[str, Any]:
    from cqdt.authority.models import Delegation, FieldAssignment

    state: dict[str, Any] = {
        "audit": (AuditEvent.objects.count(), AuditEvent.objects.aggregate(m=Max("id"))["m"])
    }
    for model in (Official, Appointment, FieldAssignment, Delegation):
        agg = model.objects.aggregate(m=Max("updated_at"))
        state[model.__name__] = (model.objects.count(), agg["m"])
    return state


@contextlib.contextmanager
def unchanged() -> Iterator[None]:
    """Assert that the block wrote nothing: same rows, no update, no audit event."""
    before = _state()
    yield
    assert _state() == before
