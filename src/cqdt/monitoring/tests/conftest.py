"""A pilot ward (Phúc Xá, Quận Ba Đình) whose July 2021 is known dossier by dossier.

Everything goes through the services with explicit moments (``now=``); the teams come from
``cqdt.testing`` (appointments 1 July 2021 – 30 June 2026). ``july`` builds this history:

====  ============  ========  ===================  ===============  ===============  =====
name  procedure     channel   accepted             due              returned         rated
====  ============  ========  ===================  ===============  ===============  =====
d1    marital (3)   counter   Mon 5/7 09:00        Thu 8/7 17:00    Wed 7/7 10:00    5
d2    copy (0)      counter   Mon 5/7 10:00        Mon 5/7 17:00    Mon 5/7 16:00    —
d3    marital       counter   Mon 5/7 09:30        8/7 → 12/7 (04)  Fri 9/7 10:00    2
d4    marital       online    Tue 6/7 10:00        Fri 9/7 17:00    Mon 12/7 10:00   —
d5    marital       counter   Tue 20/7 09:00       Fri 23/7 17:00   (open)           —
d6    marital       online    (submitted only, 26/7)
d7    copy          counter   (refused, 27/7)
====  ============  ========  ===================  ===============  ===============  =====

d1 early (2 working days), d2 on time (0; signed by the justice officer under a delegation), d3
late with an apology (4), d4 late without one (4); d5 is overdue from 23 July on. Feedback: one
sidewalk report resolved within its 5 working days, one after.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.cache import caches
from django.db import transaction

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.dossiers import services, workflow
from cqdt.dossiers.models import Dossier
from cqdt.feedback import services as feedback_services
from cqdt.monitoring import rollups
from cqdt.testing import ProcedureFactory, at, reference

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
WARD = "00001"  # Phường Phúc Xá
WARD_B = "00004"  # Phường Trúc Bạch
DISTRICT = "001"  # Quận Ba Đình
SYSTEM = Actor.system("test")
MARITAL = "xac-nhan-tinh-trang-hon-nhan"
COPY = "chung-thuc-ban-sao"
JULY = (dt.date(2021, 7, 1), dt.date(2021, 7, 31))
NOW = dt.datetime(2021, 8, 2, 9, 0, tzinfo=TZ)  # Monday after July


def day(n: int, month: int = 7) -> dt.date:
    return dt.date(2021, month, n)


@pytest.fixture(autouse=True)
def _fresh_cache():
    caches["local"].clear()
    yield
    caches["local"].clear()


def make_procedures() -> None:
    ProcedureFactory(marital=True)
    ProcedureFactory(copy=True)


@pytest.fixture
def procedures(one_stop_reference):
    make_procedures()


@pytest.fixture
def team(procedures):
    return make_team()


def make_team() -> dict:
    chair = testing.district_chairman(DISTRICT)
    people = testing.ward_team(WARD, DISTRICT, chair, "M-A")
    testing.delegate(
        people, testing.TERM, number="01/QĐ-UBND", valid_to=dt.date(2022, 6, 30), seal_allowed=True
    )
    people["district_chair"] = chair
    return people


APPLICANT = services.ApplicantIn(kind="person", name="Trần Thị Bích", id_number="001190012345")


def submit(team, when, procedure=MARITAL, channel="counter", accept=True) -> Dossier:
    """Intake at the desk (counter) or from the portal (online, then accepted by the desk)."""
    counter = channel == "counter"
    at_desk = accept and counter
    result = testing.submit(
        team, now=when, procedure=procedure, channel=channel, accept=at_desk, applicant=APPLICANT
    )
    d = result.dossier
    if accept and not counter:
        d = testing.drive(team, d.code, to=workflow.ACCEPTED, now=when)
    d.secret = result.secret  # type: ignore[attr-defined]
    return d


MAIN_PATH = (workflow.ASSIGNED, workflow.PROCESSING, workflow.AWAITING_SIGNATURE, workflow.SIGNED)


def process(team, d: Dossier, when: dt.datetime, signer: str = "chair") -> Dossier:
    """Assign, start, submit for signature and sign at ``when`` (minutes apart)."""
    for minutes, status in enumerate(MAIN_PATH):
        d = testing.drive(
            team, d.code, to=status, now=when + dt.timedelta(minutes=minutes), signer=signer
        )
    return d


def give_back(team, d: Dossier, when: dt.datetime) -> Dossier:
    return testing.drive(team, d.code, to=workflow.RETURNED, now=when)


@pytest.fixture
def july(team):
    """The seven dossiers and two feedback reports of the module docstring."""
    return make_july(team)


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """``july``, folded into the rollups, built once per test module inside a transaction that
    is rolled back at the module's end (each test still runs in its own savepoint: use it with
    ``folded``)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # The units, the catalog and the desks: the real loaders' rows, copied after the
            # process's first world (cqdt.testing.reference).
            reference.units()
            reference.one_stop()
            make_procedures()
            team = make_team()
            codes = make_july(team)
            rollups.refresh(now=NOW)
            yield {"team": team, **codes}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def folded(history, db):
    caches["local"].clear()
    return history


@pytest.fixture
def frozen():
    """The clock at ``NOW`` (the Monday after July)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def monitor_client(client, folded, django_user_model, frozen):
    user = testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "monitor")
    client.force_login(user)
    return client


def make_july(team) -> dict:
    out = {}
    d1 = submit(team, at(day(5)))
    secret1 = d1.secret
    process(team, d1, at(day(6), 14))
    d1 = give_back(team, Dossier.objects.get(code=d1.code), at(day(7), 10))
    services.dossier_rate(code=d1.code, secret=secret1, rating=5, now=at(day(8)))
    out["d1"] = d1.code

    d2 = submit(team, at(day(5), 10), procedure=COPY)
    process(team, d2, at(day(5), 11), signer="justice")
    give_back(team, Dossier.objects.get(code=d2.code), at(day(5), 16))
    out["d2"] = d2.code

    d3 = submit(team, at(day(5), 9, 30))
    secret3 = d3.secret
    d3 = testing.drive(team, d3.code, to=workflow.ASSIGNED, now=at(day(5), 10))
    apology = {"reason": "Cần xác minh thêm.", "new_due_at": at(day(12), 17)}
    d3 = testing.move(
        services.dossier_apologise, team["justice"], d3, now=at(day(7), 10), **apology
    )
    for status, when in zip(
        MAIN_PATH[1:], (at(day(8), 11), at(day(9), 8), at(day(9), 9)), strict=True
    ):
        d3 = testing.drive(team, d3.code, to=status, now=when)
    give_back(team, d3, at(day(9), 10))
    services.dossier_rate(code=d3.code, secret=secret3, rating=2, now=at(day(9), 15))
    out["d3"] = d3.code

    d4 = submit(team, at(day(6), 10), channel="online")
    process(team, d4, at(day(12), 8))
    give_back(team, Dossier.objects.get(code=d4.code), at(day(12), 10))
    out["d4"] = d4.code

    d5 = submit(team, at(day(20)))
    out["d5"] = d5.code
    d6 = submit(team, at(day(26)), channel="online", accept=False)
    out["d6"] = d6.code
    d7 = submit(team, at(day(27)), procedure=COPY, accept=False)
    refusal = "Không thuộc thẩm quyền."
    testing.move(services.dossier_refuse, team["desk"], d7, now=at(day(27), 10), reason=refusal)
    out["d7"] = d7.code

    feedback_services.categories_load()
    for when, resolved in ((at(day(12)), at(day(14))), (at(day(13)), at(day(26)))):
        r = feedback_services.report_submit(
            actor=SYSTEM,
            category_code="trat-tu-do-thi",
            description="Lấn chiếm vỉa hè.",
            ward_code=WARD,
            now=when,
        ).report
        r = feedback_services.report_acknowledge(
            actor=SYSTEM, official=team["desk"], code=r.code, version=r.version, now=when
        )
        feedback_services.report_resolve(
            actor=SYSTEM,
            official=team["desk"],
            code=r.code,
            version=r.version,
            resolution="Đã xử lý.",
            now=resolved,
        )
    return out
