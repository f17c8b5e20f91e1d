"""The budget tests' people and estimates, built through the kit and the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from cqdt.budget import services
from cqdt.budget.models import Estimate, EstimateLine, Spending
from cqdt.core.audit import Actor
from cqdt.staff import posts
from cqdt.testing import appoint, elect_chairman, login_for, official

WARD = "00001"  # Phường Phúc Xá, a pilot ward of Quận Ba Đình (001)
DISTRICT = "001"
COMMUNE = "00097"  # Phường Hồng Hà, a commune-level unit of the two-tier model from 1 July 2025
LINES = [
    services.LineInput("805", "6001", 600_000_000, "Lương"),
    services.LineInput("805", "6501", 10_000_000, "Tiền điện"),
    services.LineInput("805", "6551", 5_000_000, "Văn phòng phẩm", earmarked=False),
]


@dataclass
class People:
    district_chair: Actor
    ward_chair: Actor
    accountant: Actor


def _actor(person: Any, name: str) -> Actor:
    return Actor.of(login_for(person, username=name))


@pytest.fixture
def pilot(history_reference_data) -> People:
    chair = elect_chairman(DISTRICT, term_start=dt.date(2021, 7, 1))
    boss = chair.official
    ward_chair = official(employer=DISTRICT)
    appoint(ward_chair, WARD, posts.CHAIRMAN, by=boss, term_start=dt.date(2021, 7, 1))
    accountant = official(employer=DISTRICT)
    appoint(accountant, WARD, posts.FINANCE_ACCOUNTING, by=boss, term_start=dt.date(2021, 7, 1))
    return People(
        _actor(boss, "q_chair"), _actor(ward_chair, "p_chair"), _actor(accountant, "p_kt")
    )


@pytest.fixture
def commune_chair(history_reference_data) -> Actor:
    chair = elect_chairman(COMMUNE, term_start=dt.date(2025, 7, 1), term_end=dt.date(2030, 7, 1))
    return _actor(chair.official, "x_chair")


def approved_pilot_estimate(people: People, year: int = 2022) -> Estimate:
    e = services.estimate_create(
        actor=people.accountant, unit_code=WARD, year=year, lines=LINES, on=dt.date(year - 1, 7, 15)
    )
    e = services.estimate_submit(
        actor=people.accountant,
        public_id=e.public_id,
        version=e.version,
        on=dt.date(year - 1, 7, 20),
    )
    return approve(people.district_chair, e, "12/QĐ-UBND", dt.date(year - 1, 12, 20))


def approve(actor: Actor, e: Estimate, number: str, decided: dt.date) -> Estimate:
    """``actor`` approves the submitted estimate ``e`` by decision ``number`` of ``decided``."""
    return services.estimate_approve(
        actor=actor,
        public_id=e.public_id,
        version=e.version,
        decision_number=number,
        decision_date=decided,
    )


def record(
    actor: Actor,
    line: EstimateLine,
    amount: int,
    day: dt.date,
    *,
    kind: str = "payment",
    **more: Any,
) -> Spending:
    """A voucher of ``amount`` on ``line`` dated ``day``: a payment unless ``kind`` says
    otherwise; ``more``: its reference, or the commitment a payment settles."""
    return services.spending_record(
        actor=actor, line_id=line.public_id, kind=kind, amount=amount, occurred_on=day, **more
    )


def pay(actor: Actor, estimate: Estimate, item: str, amount: int, day: dt.date) -> None:
    """A payment of ``amount`` on the estimate's line of ``item`` (Tiểu mục), on ``day``."""
    record(actor, estimate.lines.get(item_code=item), amount, day)


def spent_pilot_estimate(people: People, second_salary: dt.date) -> Estimate:
    """The approved 2022 estimate with four payments: salaries (6001) of 50,000,000 on
    25 January and on ``second_salary``, 1,200,000 for electricity (6501) on 10 February and
    700,000 of office supplies (6551) on 3 March."""
    e = approved_pilot_estimate(people)
    pay(people.accountant, e, "6001", 50_000_000, dt.date(2022, 1, 25))
    pay(people.accountant, e, "6001", 50_000_000, second_salary)
    pay(people.accountant, e, "6501", 1_200_000, dt.date(2022, 2, 10))
    pay(people.accountant, e, "6551", 700_000, dt.date(2022, 3, 3))
    return e
