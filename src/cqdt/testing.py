"""Test support: a pilot ward's team built through the services (used by fixtures only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cqdt.core.audit import Actor
from cqdt.staff import posts
from cqdt.staff.models import Official
from cqdt.staff.services import appointment_create, official_create

SYSTEM = Actor.system("test")
TERM = dt.date(2021, 7, 1)


def official(code: str, employer: str, name: str = "Nguyễn Văn A") -> Official:
    return official_create(
        actor=SYSTEM, full_name=name, civil_service_code=code, employer_unit_code=employer
    )


def district_chairman(district: str, code: str) -> Official:
    chair = official(code, district)
    appointment_create(
        actor=SYSTEM,
        official=chair,
        unit_code=district,
        post=posts.CHAIRMAN,
        kind="election",
        decision_number=f"{code}/NQ-HĐND",
        decision_date=TERM,
        term_start=TERM,
        deciding_official=None,
        deciding_unit_code=district,
    )
    return chair


def ward_team(
    ward: str, district: str, chair_of_district: Official, prefix: str
) -> dict[str, Official]:
    """Chairman, a vice-chairman, a desk officer (office–statistics + one-stop desk), a justice officer."""
    team: dict[str, Official] = {}
    for key, post in [
        ("chair", posts.CHAIRMAN),
        ("vice", posts.VICE_CHAIRMAN),
        ("desk", posts.OFFICE_STATISTICS),
        ("justice", posts.JUSTICE_CIVIL_STATUS),
    ]:
        person = official(f"{prefix}-{key}", district)
        appointment_create(
            actor=SYSTEM,
            official=person,
            unit_code=ward,
            post=post,
            decision_number=f"{prefix}-{key}/QĐ",
            decision_date=TERM,
            term_start=TERM,
            deciding_official=chair_of_district,
            deciding_unit_code=district,
        )
        team[key] = person
    appointment_create(
        actor=SYSTEM,
        official=team["desk"],
        unit_code=ward,
        post=posts.ONE_STOP_DESK,
        kind="assignment",
        decision_number=f"{prefix}-mc/QĐ",
        decision_date=TERM,
        term_start=TERM,
        deciding_official=chair_of_district,
        deciding_unit_code=district,
    )
    return team


def city_monitor(code: str = "T-CITY") -> Official:
    person = official(code, "01")
    appointment_create(
        actor=SYSTEM,
        official=person,
        unit_code="01",
        post=posts.CITY_MONITOR,
        kind="assignment",
        decision_number=f"{code}/QĐ",
        decision_date=TERM,
        term_start=TERM,
        deciding_official=None,
        deciding_unit_code="01",
    )
    return person


def login_for(official_: Official, django_user_model: Any, username: str) -> Any:
    user = django_user_model.objects.create_user(username=username, password="x")  # noqa: S106
    official_.user = user
    official_.save(update_fields=["user"])
    return user
