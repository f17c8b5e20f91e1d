"""A petition answered late is one rule (``oversight.rules.petition_answered_late``) read two
ways — per petition (``is_petition_answered_late``) and in SQL for the ward summary
(``petition_answered_late_q``) — and both take the day of the answer in Hanoi's time zone."""

import datetime as dt

import pytest

from cqdt.oversight import selectors
from cqdt.oversight.models import Petition
from cqdt.oversight.tests.conftest import TZ, WARD, answer, at, petition

# Ba Đình is built once for the module and its database asks for no test by name: say so, or a
# run of this file alone finds no test database (pytest-django sets one up for marked tests only).
pytestmark = pytest.mark.django_db

DUE = dt.date(2024, 2, 9)  # 30 days [C] after the voter meeting of 10 January


def _answered_at(world, moment: dt.datetime) -> Petition:
    p = petition(world)
    assert p.answer_due == DUE
    return answer(world, p, text="Đã đưa vào kế hoạch duy tu.", now=moment)


def test_the_sql_and_the_rule_agree_at_midnight_in_hanoi(ba_dinh):
    on_time = [
        _answered_at(ba_dinh, at(DUE, 15)),
        # 23:30 in Hanoi on the last day is 16:30 UTC the same day
        _answered_at(ba_dinh, dt.datetime(2024, 2, 9, 23, 30, tzinfo=TZ)),
    ]
    late = [
        # 00:30 in Hanoi the next day is still 9 February in UTC (17:30): late all the same
        _answered_at(ba_dinh, dt.datetime(2024, 2, 10, 0, 30, tzinfo=TZ)),
        _answered_at(ba_dinh, at(dt.date(2024, 3, 1), 9)),
    ]
    unanswered = petition(ba_dinh)
    by_rule = {p.pk for p in Petition.objects.all() if selectors.is_petition_answered_late(p)}
    by_sql = set(
        Petition.objects.filter(selectors.petition_answered_late_q()).values_list("pk", flat=True)
    )
    assert by_rule == by_sql == {p.pk for p in late}
    assert not {p.pk for p in on_time} & by_sql and unanswered.pk not in by_sql
    [summary] = [s for s in selectors.petition_summary_by_ward(None, on=DUE) if s.ward_code == WARD]
    assert (summary.total, summary.answered, summary.answered_late) == (5, 4, 2)
