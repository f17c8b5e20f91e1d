"""The pure rules: notice, yearly minimum, petition deadlines and moves, weekly reception."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqdt.oversight import rules


def test_a_conference_six_days_after_its_announcement_is_refused_with_the_earliest_date():
    problem = rules.notice_problem(dt.date(2024, 3, 4), dt.date(2024, 3, 10), 7)
    assert problem is not None
    vi, en = problem
    assert "ít nhất 7 ngày" in vi and "11/03/2024" in vi
    assert "only 6 days" in en and "2024-03-11" in en


def test_a_conference_seven_days_after_its_announcement_is_allowed():
    assert rules.notice_problem(dt.date(2024, 3, 4), dt.date(2024, 3, 11), 7) is None


@given(
    announced=st.dates(dt.date(2021, 1, 1), dt.date(2030, 12, 31)),
    gap=st.integers(-30, 60),
    minimum=st.integers(0, 30),
)
def test_notice_is_refused_exactly_when_the_gap_is_below_the_minimum(announced, gap, minimum):
    scheduled = announced + dt.timedelta(days=gap)
    assert (rules.notice_problem(announced, scheduled, minimum) is None) == (gap >= minimum)


def test_a_ward_with_one_conference_in_a_year_is_short_with_its_evidence():
    short = rules.conference_shortfall(
        "00001", 2023, [dt.date(2023, 11, 2)], 2, [dt.date(2023, 12, 20)]
    )
    assert short is not None
    assert (short.held, short.minimum, short.missing) == (1, 2, 1)
    assert short.held_dates == (dt.date(2023, 11, 2),)
    assert short.announced_dates == (dt.date(2023, 12, 20),)
    assert rules.conference_shortfall("00001", 2023, [dt.date(2023, 5, 1)] * 2, 2) is None


def test_the_answer_is_due_thirty_days_after_the_meeting_and_overdue_the_day_after():
    due = rules.petition_answer_due(dt.date(2024, 1, 10), 30)
    assert due == dt.date(2024, 2, 9)
    assert not rules.petition_overdue(rules.RECEIVED, due, due)
    assert rules.petition_overdue(rules.RECEIVED, due, due + dt.timedelta(days=1))
    assert rules.petition_overdue(rules.ESCALATED, due, due + dt.timedelta(days=1))
    assert not rules.petition_overdue(rules.ANSWERED, due, due + dt.timedelta(days=40))
    assert rules.petition_answered_late(due, due + dt.timedelta(days=1))
    assert not rules.petition_answered_late(due, due)


def test_the_petition_moves_table():
    assert rules.petition_can(rules.RECEIVED, "answer")
    assert rules.petition_can(rules.ESCALATED, "answer")
    assert not rules.petition_can(rules.ANSWERED, "answer")
    assert rules.petition_can(rules.RECEIVED, "escalate")
    assert not rules.petition_can(rules.ESCALATED, "escalate")
    assert rules.petition_can(rules.ANSWERED, "close")
    assert not rules.petition_can(rules.RECEIVED, "close")
    assert not rules.petition_can(rules.CLOSED, "follow_up")
    assert not rules.petition_can(rules.RECEIVED, "fly")


def test_a_commitment_is_overdue_only_while_open_and_past_its_day():
    assert rules.commitment_overdue("open", dt.date(2024, 1, 1), dt.date(2024, 1, 2))
    assert not rules.commitment_overdue("open", dt.date(2024, 1, 1), dt.date(2024, 1, 1))
    assert not rules.commitment_overdue("done", dt.date(2024, 1, 1), dt.date(2024, 2, 1))


def test_weeks_without_a_reception_are_listed_and_a_week_without_working_days_asks_nothing():
    start, end = dt.date(2024, 1, 1), dt.date(2024, 1, 28)  # four whole weeks, Monday to Sunday
    days = [dt.date(2024, 1, 4), dt.date(2024, 1, 25)]
    assert rules.weeks_short_of_reception(days, start, end, 1) == [
        dt.date(2024, 1, 8),
        dt.date(2024, 1, 15),
    ]
    closed_week = {dt.date(2024, 1, 8) + dt.timedelta(days=i) for i in range(7)}

    def working(day):
        return day.weekday() < 5 and day not in closed_week

    assert rules.weeks_short_of_reception(days, start, end, 1, working) == [dt.date(2024, 1, 15)]
    assert rules.weeks_short_of_reception(days, start, end, 0) == []
    # A partial week at either end is not judged.
    assert rules.weeks_short_of_reception([], dt.date(2024, 1, 3), dt.date(2024, 1, 12), 1) == []


def test_rules_from_rows_fall_back_to_the_default_for_a_missing_or_invalid_value():
    on = dt.date(2024, 1, 1)
    got = rules.rules_from(
        on,
        {
            rules.CONFERENCES_PER_YEAR: (3, "test source"),
            rules.CONFERENCE_NOTICE_DAYS: ("seven", "broken"),
            rules.CONFERENCE_REQUIRED_CHANNELS: (["pigeon"], "broken"),
        },
    )
    assert got.conferences_per_year == 3
    assert got.sources[rules.CONFERENCES_PER_YEAR] == "test source"
    assert got.notice_days == 7
    assert got.required_channels == ("residential_group_heads",)
    assert got.petition_answer_days == 30
    assert got.as_dict()["conference_notice_days"] == 7


def test_value_problems_name_what_is_wrong():
    assert rules.value_problem("nope", 1) == "unknown rule “nope”"
    assert rules.value_problem(rules.CONFERENCES_PER_YEAR, True) is not None
    assert rules.value_problem(rules.CONFERENCES_PER_YEAR, -1) is not None
    assert rules.value_problem(rules.CONFERENCE_REQUIRED_CHANNELS, ["website"]) is None
    assert "pigeon" in rules.value_problem(rules.CONFERENCE_REQUIRED_CHANNELS, ["pigeon"])


@pytest.mark.parametrize(
    ("whole_year", "owed_first", "owed_last", "recorded", "reason"),
    [
        (True, True, True, True, None),
        (False, True, True, True, rules.UNIT_CHANGED),
        (True, True, None, True, rules.MODEL_NOT_RECORDED),
        (True, True, False, True, rules.MODEL_CHANGED),  # pilot ward, then its own council
        (True, False, True, True, rules.MODEL_CHANGED),  # 00001 in 2021
        (True, None, True, True, rules.MODEL_CHANGED),
        (True, False, False, True, rules.NOT_OWED),  # a commune with its own council
        (True, None, False, False, rules.NOT_OWED),
        (True, True, True, False, rules.NOT_RECORDED),
    ],
)
def test_a_year_is_judged_only_when_the_unit_owed_the_conferences_all_year(
    whole_year, owed_first, owed_last, recorded, reason
):
    assert (
        rules.conference_year_unjudged(
            whole_year=whole_year, owed_first=owed_first, owed_last=owed_last, recorded=recorded
        )
        == reason
    )
