"""Mẫu 04 comes at least one working day before the due date (DOMAIN §3 [C]:
``rules.APOLOGY_LEAD_WORKING_DAYS``), counted on the unit's working-day calendar as the at-risk
warning counts (``deadlines.working_days_left``): in time while the due day is at least that
many working days after the day of issue, so with one any day before the due day — the working
day before it, or a weekend or holiday between —, never on the due day itself, even before the
due hour. The service, the page's offer and the API's ``apology_too_late`` agree at each moment;
over real HTTP a too-late apology is refused (422 ``apology_too_late``) and nothing is written.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cqdt.config.tests.test_api_auth_http import Http
from cqdt.core.errors import RuleViolation
from cqdt.dossiers import rules, services
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import SYSTEM, at, counts, drive, submit
from cqdt.dossiers.tests.test_apology_limit_http import _bearer, _state, post_apology

D = dt.date
API = "/api/v1/dossiers"
TOO_LATE_EN = "less than one working day before the due date"


def _processing(ward, day: dt.date) -> Dossier:
    return drive(ward, submit(ward, now=at(day)).dossier.code, to="processing", now=at(day))


def apologise(ward, d: Dossier, now: dt.datetime, new_due_at: dt.datetime | None = None) -> Dossier:
    """The justice officer's Mẫu 04 at ``now``, to ``new_due_at`` (a week after the due date)."""
    return services.dossier_apologise(
        actor=SYSTEM,
        official=ward["justice"],
        code=d.code,
        version=Dossier.objects.get(pk=d.pk).version,
        reason="Chờ xác minh",
        new_due_at=new_due_at or d.due_at + dt.timedelta(days=7),
        now=now,
    )


def _offered(ward, d: Dossier, now: dt.datetime) -> bool:
    moves = services.offered_moves(d, ward["justice"], may_sign=False, now=now)
    return any(m.action == "apologise" for m in moves)


def _in_time(ward, d: Dossier, now: dt.datetime) -> None:
    d = Dossier.objects.get(pk=d.pk)
    assert not services.apology_closed(d, now) and _offered(ward, d, now)
    assert apologise(ward, d, now).apology_count == 1


def _too_late(ward, d: Dossier, now: dt.datetime) -> None:
    d = Dossier.objects.get(pk=d.pk)
    assert services.apology_closed(d, now) and not _offered(ward, d, now)
    before = counts()
    with pytest.raises(RuleViolation) as refused:
        apologise(ward, d, now)
    assert refused.value.code == "apology_too_late" and TOO_LATE_EN in str(refused.value)
    assert counts() == before and Dossier.objects.get(pk=d.pk).apology_count == 0


# The due day's start is the boundary, wherever the working days before it fall. Received Monday
# 2 March 2026, due Thursday 5 March, 17:00 (three working days); received Wednesday 4 March, due
# Monday 9 March, 17:00 (three working days: Thu, Fri, Mon), the weekend between.
MARCH_2, DUE_MARCH_5 = D(2026, 3, 2), D(2026, 3, 5)
MARCH_4, DUE_MARCH_9 = D(2026, 3, 4), D(2026, 3, 9)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "received, due, moment, in_time",
    [
        pytest.param(
            MARCH_2, DUE_MARCH_5, at(D(2026, 3, 4), 16, 59), True, id="the-working-day-before"
        ),
        pytest.param(
            MARCH_2, DUE_MARCH_5, at(D(2026, 3, 4), 23, 59), True, id="its-last-minute-hanoi"
        ),
        pytest.param(
            MARCH_2, DUE_MARCH_5, at(D(2026, 3, 5), 0, 0), False, id="the-due-day-s-first-minute"
        ),
        pytest.param(
            MARCH_2,
            DUE_MARCH_5,
            at(D(2026, 3, 5), 8),
            False,
            id="the-due-day-nine-hours-before-the-due-hour",
        ),
        pytest.param(MARCH_2, DUE_MARCH_5, at(D(2026, 3, 6), 10), False, id="past-the-due-date"),
        pytest.param(
            MARCH_4, DUE_MARCH_9, at(D(2026, 3, 6), 16), True, id="weekend-friday-the-day-before"
        ),
        # Saturday and Sunday: Monday is still one working day ahead.
        pytest.param(MARCH_4, DUE_MARCH_9, at(D(2026, 3, 7), 10), True, id="weekend-saturday"),
        pytest.param(MARCH_4, DUE_MARCH_9, at(D(2026, 3, 8), 10), True, id="weekend-sunday"),
        pytest.param(
            MARCH_4, DUE_MARCH_9, at(D(2026, 3, 9), 8), False, id="weekend-monday-the-due-day"
        ),
    ],
)
def test_the_boundary_is_the_start_of_the_due_day(ward, frozen, received, due, moment, in_time):
    d = _processing(ward, received)
    assert d.due_at == at(due, 17)
    frozen.move_to(moment)
    (_in_time if in_time else _too_late)(ward, d, moment)


# Due Monday 4 May 2026, 17:00: three working days from Friday 24 April are Tue 28, Wed 29 April
# and Mon 4 May (27 April: Hùng Kings' day moved off the Sunday; 30 April and 1 May: holidays).
@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment, lead, in_time",
    [
        (at(D(2026, 4, 29), 16), 1, True),  # Wednesday, the last working day before
        (at(D(2026, 4, 30), 10), 1, True),  # the holiday itself
        (at(D(2026, 5, 4), 8), 1, False),  # the due day
        # Two working days ahead: on Wednesday only one is left (Mon 4 May) although the due
        # date is five calendar days away — working days count, not calendar days.
        (at(D(2026, 4, 28), 16), 2, True),
        (at(D(2026, 4, 29), 16), 2, False),
    ],
)
def test_across_a_holiday(ward, frozen, monkeypatch, moment, lead, in_time):
    d = _processing(ward, D(2026, 4, 24))
    assert d.due_at == at(D(2026, 5, 4), 17)
    monkeypatch.setattr(rules, "APOLOGY_LEAD_WORKING_DAYS", lead)
    frozen.move_to(moment)
    if in_time:
        _in_time(ward, d, moment)
        return
    d = Dossier.objects.get(pk=d.pk)
    assert services.apology_closed(d, moment) and not _offered(ward, d, moment)
    before = counts()
    with pytest.raises(RuleViolation) as refused:
        apologise(ward, d, moment)
    assert refused.value.code == "apology_too_late"
    assert counts() == before


# --- over real HTTP: a bearer token for the API, a browser session with CSRF for the page ------


@pytest.fixture
def due_today(ward, frozen, live_server):
    """A dossier in processing due Thursday 5 March 17:00; now that Thursday, 08:00."""
    d = _processing(ward, D(2026, 3, 2))
    frozen.move_to(at(D(2026, 3, 5), 8))
    return Dossier.objects.get(pk=d.pk), live_server.url


@pytest.mark.django_db(transaction=True)
def test_on_the_due_day_the_api_refuses_the_apology_and_writes_nothing(ward, due_today):
    d, base = due_today
    token = _bearer(ward["user_justice"])  # issuing it is audited: before the count
    status, read, _ = Http(base).send("GET", f"{API}/{d.code}", headers=token)
    assert status == 200
    assert read["apology_too_late"] is True and read["overdue"] is False
    before = _state(d)
    status, body, _ = Http(base).json(
        "POST",
        f"{API}/{d.code}/actions/apologise",
        {"version": d.version, "reason": "Chờ xác minh", "new_due_at": "2026-03-10T17:00:00+07:00"},
        **token,
    )
    assert status == 422, body
    assert (body["code"], body["field"]) == ("apology_too_late", "now")
    assert "chưa đến 1 ngày làm việc trước hạn" in body["messages"]["vi"]
    assert TOO_LATE_EN in body["messages"]["en"]
    assert _state(d) == before


@pytest.mark.django_db(transaction=True)
def test_on_the_due_day_the_page_says_so_and_refuses_a_posted_apology(ward, due_today):
    d, base = due_today
    browser = Http(base)
    browser.login(ward["user_justice"].username, "x")
    status, _, html = browser.send("GET", f"/staff/dossiers/{d.code}/")
    assert status == 200
    assert 'value="apologise"' not in html and 'id="apology-too-late"' in html
    assert "còn chưa đến một ngày làm việc trước hạn giải quyết" in html
    before = _state(d)
    # Posted all the same (a form kept open since the day before), with the CSRF token.
    status, html = post_apology(browser, base, d, "Chờ xác minh", "2026-03-10T17:00")
    assert status == 422, html[:500]
    assert "chưa đến 1 ngày làm việc trước hạn" in html
    assert _state(d) == before
