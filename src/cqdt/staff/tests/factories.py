"""The staff and authority tests' names for the kit's builders (``cqdt.testing``), Ba Đình's
codes, ``at()`` (the timezone-aware moments ``authority_check`` takes) and ``unchanged()``.

Officials and appointments go through ``official_create`` and ``appointment_create`` (the kit's
factories), so the governance rules run on the test data too. Dates sit inside the pilot (from
1 July 2021, Resolution 97/2019/QH14) unless a test says otherwise.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Max

from cqdt.core.errors import RuleViolation
from cqdt.core.models import AuditEvent
from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind, Official
from cqdt.staff.services import appointment_end
from cqdt.testing import SYSTEM as ACTOR
from cqdt.testing import TERM as PILOT_START
from cqdt.testing import OfficialFactory, WardLeadership, appoint, elect_chairman, ward_leadership
from cqdt.testing.factories import TZ

__all__ = ["ACTOR", "PILOT_START", "WardLeadership", "appoint", "elect_chairman", "ward_leadership"]

BA_DINH = "001"
PHUC_XA = "00001"  # Phường Phúc Xá, Quận Ba Đình
TRUC_BACH = "00004"  # Phường Trúc Bạch, Quận Ba Đình
HOAN_KIEM = "002"
HOAN_KIEM_WARD = "00037"  # a ward of Quận Hoàn Kiếm
CHECK_DAY = dt.date(2022, 3, 15)
GRANT_DAY = dt.date(2022, 1, 10)
ONE_DAY = dt.timedelta(days=1)
SOC_SON = "016"  # Huyện Sóc Sơn, a rural district
BAC_SON = "00379"  # Xã Bắc Sơn, a commune of Sóc Sơn: standard model throughout
# The marks of a module whose tests use ward 00001's leadership (the ``leadership`` fixture).
WITH_LEADERSHIP = [pytest.mark.django_db, pytest.mark.usefixtures("leadership")]


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment on ``day`` in Hanoi time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def official(employer: str = BA_DINH, name: str | None = None) -> Official:
    """A new official employed by ``employer`` (a district unless a test says otherwise)."""
    return OfficialFactory(employer_unit_code=employer, **({"full_name": name} if name else {}))


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


def vacate_chair(
    leadership: WardLeadership, on: dt.date, reason: str, number: str = "20/QĐ-UBND"
) -> Appointment:
    """The ward chairman's appointment ends on ``on`` (decision ``number``)."""
    return end_post(leadership.chair, on, reason, number)


def end_post(appointment: Appointment, on: dt.date, reason: str, number: str) -> Appointment:
    """``appointment`` ends on ``on`` for ``reason`` (decision ``number``)."""
    return appointment_end(
        actor=ACTOR, appointment=appointment, ended_on=on, reason=reason, decision_number=number
    )


def acting_chairman(leadership: WardLeadership, person: Official, start: dt.date) -> Appointment:
    """``person`` is given the ward chairman's authority (giao quyền) from ``start``."""
    return appoint(
        person,
        leadership.ward,
        posts.CHAIRMAN,
        by=leadership.district_chairman,
        kind=AppointmentKind.ACTING,
        term_start=start,
    )


def refused(call: Any, *args: Any, error: type[Exception] = RuleViolation, **kwargs: Any) -> Any:
    """``call(*args, **kwargs)`` raises ``error`` and writes nothing; the error, for its code."""
    with unchanged(), pytest.raises(error) as exc:
        call(*args, **kwargs)
    return exc.value


def revoke(
    leadership: WardLeadership,
    delegation: Any,
    number: str,
    on: dt.date = CHECK_DAY,
    **changes: Any,
) -> Any:
    """The chairman revokes ``delegation`` from ``on`` by decision ``number`` (``changes``
    override the other arguments of ``delegation_revoke``)."""
    from cqdt.authority.services import delegation_revoke

    args = {
        "actor": ACTOR,
        "delegation": delegation,
        "revoked_by": leadership.chairman,
        "revoked_on": on,
        "revocation_number": number,
    } | changes
    return delegation_revoke(**args)
