"""The pure calendar: holidays, make-up days, the receipt and cut-off rules, working hours."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cqdt.workdays.calendar import (
    TZ,
    Calendar,
    CalendarRangeError,
    OfficeHours,
    Override,
    to_local,
)

D = dt.date


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


# --- Tết 2026, the 2025 make-up Saturday --------------------------------------


def test_tet_2026_civil_servants_are_off_from_saturday_14_to_sunday_22_february(calendar):
    days = [D(2026, 2, 14) + dt.timedelta(days=i) for i in range(9)]
    assert not any(calendar.is_working_day(d) for d in days)
    assert calendar.is_working_day(D(2026, 2, 13))
    assert calendar.is_working_day(D(2026, 2, 23))


def test_one_working_day_from_friday_before_tet_2026_is_due_monday_23_february(calendar):
    due = calendar.due_for_working_days(at(2026, 2, 13, 10), 1)
    assert due.due_at == at(2026, 2, 23, 17)
    assert due.due_at.isoformat() == "2026-02-23T17:00:00+07:00"
    assert [s.date for s in due.skipped] == [
        D(2026, 2, 14) + dt.timedelta(days=i) for i in range(9)
    ]
    kinds = {s.date: s.kind for s in due.skipped}
    assert kinds[D(2026, 2, 14)] == "weekend"
    assert kinds[D(2026, 2, 17)] == "holiday"
    reasons = {s.date: s.reason for s in due.skipped}
    assert reasons[D(2026, 2, 17)] == "Tết Nguyên Đán"
    assert "Chủ nhật" in reasons[D(2026, 2, 22)]
    assert all(s.reason_en and s.source for s in due.skipped)


def test_make_up_saturday_26_april_2025_is_counted_as_a_working_day(calendar):
    assert calendar.is_working_day(D(2025, 4, 26))
    assert calendar.makeup_day(D(2025, 4, 26)) is not None
    due = calendar.due_for_working_days(at(2025, 4, 25, 9), 1)
    assert due.due_at == at(2025, 4, 26, 17)
    assert due.skipped == []


def test_the_2025_reunification_break_skips_30_april_to_4_may(calendar):
    due = calendar.due_for_working_days(at(2025, 4, 29, 9), 1)
    assert due.due_at == at(2025, 5, 5, 17)
    skipped = {s.date: s for s in due.skipped}
    assert set(skipped) == {
        D(2025, 4, 30),
        D(2025, 5, 1),
        D(2025, 5, 2),
        D(2025, 5, 3),
        D(2025, 5, 4),
    }
    assert skipped[D(2025, 5, 2)].category == "compensatory"
    assert skipped[D(2025, 5, 2)].kind == "holiday"


def test_receipt_day_is_not_counted(calendar):
    # Civil Code 2015 Art. 147: Monday's receipt starts the count on Tuesday.
    assert calendar.due_for_working_days(at(2026, 3, 2, 9), 1).due_at == at(2026, 3, 3, 17)
    assert calendar.due_for_working_days(at(2026, 3, 2, 9), 5).due_at == at(2026, 3, 9, 17)


def test_zero_working_days_is_due_at_closing_time_of_the_receipt_day(calendar):
    assert calendar.due_for_working_days(at(2026, 3, 2, 9), 0).due_at == at(2026, 3, 2, 17)


# --- receipt rule and same-day cut-off ----------------------------------------


def test_receipt_after_closing_time_counts_from_the_next_working_day(calendar):
    before_close = calendar.due_for_working_days(at(2026, 3, 2, 16, 59), 1)
    after_close = calendar.due_for_working_days(at(2026, 3, 2, 17, 0), 1)
    assert before_close.due_at == at(2026, 3, 3, 17)
    assert after_close.due_at == at(2026, 3, 4, 17)
    assert after_close.counted_from == D(2026, 3, 3)
    assert "ngoài giờ" in after_close.rule


def test_receipt_on_saturday_counts_as_receipt_on_monday(calendar):
    due = calendar.due_for_working_days(at(2026, 3, 7, 9), 1)
    assert due.counted_from == D(2026, 3, 9)
    assert due.due_at == at(2026, 3, 10, 17)
    assert [s.date for s in due.skipped] == [D(2026, 3, 7), D(2026, 3, 8)]


def test_without_the_roll_rule_saturday_receipt_counts_monday_as_day_one(calendar):
    hours = OfficeHours(roll_after_hours_receipt=False)
    assert calendar.due_for_working_days(at(2026, 3, 7, 9), 1, hours).due_at == at(2026, 3, 9, 17)
    assert calendar.due_for_working_days(at(2026, 3, 2, 18), 1, hours).due_at == at(2026, 3, 3, 17)


def test_same_day_procedure_received_at_14_59_is_due_that_day(calendar):
    due = calendar.due_for_same_day(at(2026, 3, 2, 14, 59))
    assert due.due_at == at(2026, 3, 2, 17)
    assert due.skipped == []


def test_same_day_procedure_received_at_15_00_is_due_the_next_working_day(calendar):
    assert calendar.due_for_same_day(at(2026, 3, 2, 15, 0)).due_at == at(2026, 3, 3, 17)


def test_same_day_procedure_received_friday_afternoon_before_tet_is_due_after_tet(calendar):
    due = calendar.due_for_same_day(at(2026, 2, 13, 15, 30))
    assert due.due_at == at(2026, 2, 23, 17)
    assert len(due.skipped) == 9


def test_same_day_on_a_make_up_saturday_morning_is_due_that_saturday(calendar):
    assert calendar.due_for_same_day(at(2025, 4, 26, 9)).due_at == at(2025, 4, 26, 17)


def test_aware_times_in_other_zones_are_converted_to_hanoi_time(calendar):
    utc = dt.datetime(2026, 3, 2, 7, 59, tzinfo=dt.UTC)  # 14:59 in Hanoi
    assert calendar.due_for_same_day(utc).due_at == at(2026, 3, 2, 17)
    utc_late = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # 15:00 in Hanoi
    assert calendar.due_for_same_day(utc_late).due_at == at(2026, 3, 3, 17)


def test_naive_times_are_taken_as_hanoi_time(calendar):
    # Naive on purpose: what this test is about.
    assert to_local(dt.datetime(2026, 3, 2, 9)) == at(2026, 3, 2, 9)  # noqa: DTZ001
    assert calendar.due_day(dt.datetime(2026, 3, 2, 17), 1) == D(2026, 3, 4)  # noqa: DTZ001


# --- working hours ------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "hours", "due"),
    [
        (at(2026, 3, 2, 10), 2, at(2026, 3, 2, 12)),  # ends exactly at noon
        (at(2026, 3, 2, 10), 3, at(2026, 3, 2, 14)),  # crosses lunch
        (at(2026, 3, 2, 10), 6, at(2026, 3, 2, 17)),  # ends exactly at closing
        (at(2026, 3, 2, 10), 8, at(2026, 3, 3, 10)),  # crosses the night
        (at(2026, 3, 2, 12, 30), 1, at(2026, 3, 2, 14)),  # received during lunch
        (at(2026, 3, 2, 7), 8, at(2026, 3, 2, 17)),  # received before opening
        (at(2026, 3, 2, 18), 1, at(2026, 3, 3, 9)),  # received after closing
        (at(2026, 3, 6, 16), 3, at(2026, 3, 9, 10)),  # crosses a weekend
        (at(2026, 3, 2, 10), 16, at(2026, 3, 4, 10)),  # whole days
        (at(2026, 3, 2, 8), 16, at(2026, 3, 3, 17)),  # whole days ending at closing
        (at(2026, 2, 13, 16), 2, at(2026, 2, 23, 9)),  # crosses Tết 2026
    ],
)
def test_working_hours_count_office_hours_only(calendar, received, hours, due):
    assert calendar.due_for_working_hours(received, hours).due_at == due


def test_working_hours_explain_the_days_skipped(calendar):
    due = calendar.due_for_working_hours(at(2026, 2, 13, 16), 2)
    assert due.skipped[0].date == D(2026, 2, 14)
    assert len(due.skipped) == 9


# --- overrides ----------------------------------------------------------------


def test_an_extra_closure_is_skipped_with_its_notice():
    cal = Calendar.build(
        2026,
        2026,
        [Override(D(2026, 3, 3), "closed", "Nghỉ đột xuất", "Unscheduled closure", "01/TB")],
    )
    due = cal.due_for_working_days(at(2026, 3, 2, 9), 1)
    assert due.due_at == at(2026, 3, 4, 17)
    (skipped,) = due.skipped
    assert skipped.kind == "closure"
    assert skipped.reason == "Nghỉ đột xuất"
    assert skipped.source == "01/TB"


def test_a_working_override_makes_a_saturday_a_working_day():
    cal = Calendar.build(2026, 2026, [Override(D(2026, 3, 7), "working", "Làm bù", notice="02/TB")])
    assert cal.is_working_day(D(2026, 3, 7))
    assert cal.due_for_working_days(at(2026, 3, 6, 9), 1).due_at == at(2026, 3, 7, 17)
    assert {m.date: m.source for m in cal.makeup_days_in(2026)}[D(2026, 3, 7)] == "02/TB"


def test_a_correction_can_reopen_a_statutory_holiday():
    cal = Calendar.build(2026, 2026, [Override(D(2026, 11, 24), "working", "Chưa áp dụng")])
    assert cal.is_working_day(D(2026, 11, 24))
    assert all(d.date != D(2026, 11, 24) for d in cal.days_off_in(2026))


def test_a_closure_on_a_make_up_saturday_removes_the_make_up_day():
    cal = Calendar.build(2025, 2025, [Override(D(2025, 4, 26), "closed", "Hủy làm bù")])
    assert not cal.is_working_day(D(2025, 4, 26))
    assert cal.makeup_days_in(2025) == []


def test_later_overrides_win_so_a_units_own_row_beats_the_citys():
    city = Override(D(2026, 3, 3), "closed", "Cả thành phố nghỉ")
    unit = Override(D(2026, 3, 3), "working", "Phường vẫn làm việc")
    assert not Calendar.build(2026, 2026, [unit, city]).is_working_day(D(2026, 3, 3))
    assert Calendar.build(2026, 2026, [city, unit]).is_working_day(D(2026, 3, 3))


# --- holidays list, counting, range -------------------------------------------


def test_year_lists_holidays_compensatory_days_and_make_up_days(calendar):
    days = {d.date: d for d in calendar.days_off_in(2025)}
    assert days[D(2025, 1, 29)].kind == "holiday"
    assert days[D(2025, 1, 29)].name_en == "Lunar New Year"
    assert days[D(2025, 5, 2)].kind == "compensatory"
    assert days[D(2025, 1, 27)].kind == "compensatory"  # Tết day 4 fell on a Saturday
    assert "Điều 112" in days[D(2025, 1, 29)].source
    (makeup,) = calendar.makeup_days_in(2025)
    assert makeup.date == D(2025, 4, 26)
    assert "02/05/2025" in makeup.reason


def test_a_holiday_outside_the_labour_codes_list_names_its_own_basis():
    """24 November (Vietnam Cultural Day, from 2026) is not among the days Labour Code 2019
    Art. 112 lists: it was cited as Art. 112, which a citizen checking the calendar would not
    find there; the library's reference is the Politburo's Resolution 80-NQ/TW."""
    days_off = {d.date: d for d in Calendar.build(2026, 2026).days_off_in(2026)}
    culture = days_off[D(2026, 11, 24)]
    assert culture.name_en == "Vietnam Cultural Day"
    assert "Điều 112" not in culture.source and "80-NQ/TW" in culture.source
    assert "chưa được đối chiếu" in culture.source
    assert "Điều 112" in days_off[D(2026, 9, 2)].source


def test_working_days_between_excludes_start_and_includes_end(calendar):
    assert calendar.working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert calendar.working_days_between(D(2026, 3, 2), D(2026, 3, 3)) == 1
    assert calendar.working_days_between(D(2026, 3, 6), D(2026, 3, 9)) == 1
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert calendar.working_days_between(D(2026, 3, 9), D(2026, 3, 6)) == -1
    assert calendar.working_days_between(D(2025, 4, 25), D(2025, 4, 28)) == 2


def test_dates_outside_the_calendar_raise_a_range_error(calendar):
    with pytest.raises(CalendarRangeError):
        calendar.due_for_working_days(at(2014, 12, 31), 1)
    with pytest.raises(CalendarRangeError):
        calendar.due_for_working_days(at(2031, 12, 30), 5)
    with pytest.raises(CalendarRangeError):
        calendar.days_off_in(2040)


def test_negative_periods_are_refused(calendar):
    with pytest.raises(ValueError):
        calendar.due_day(at(2026, 3, 2), -1)
    with pytest.raises(ValueError):
        calendar.due_for_working_hours(at(2026, 3, 2), -1)


def test_a_date_is_not_a_receipt_time(calendar):
    with pytest.raises(TypeError):
        calendar.due_day(D(2026, 3, 2), 1)


def test_office_hours_must_be_in_order():
    with pytest.raises(ValueError):
        OfficeHours(morning_start=dt.time(13), morning_end=dt.time(12))
    with pytest.raises(ValueError):
        OfficeHours(same_day_cutoff=dt.time(18))


# --- properties ---------------------------------------------------------------

moments = st.datetimes(  # hypothesis bounds are naive
    min_value=dt.datetime(2016, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2030, 12, 31, 23, 59),  # noqa: DTZ001
)
periods = st.integers(min_value=0, max_value=200)  # stays inside the 2031 horizon


@settings(max_examples=300, deadline=None)
@given(received=moments, n=periods)
def test_due_day_is_a_working_day_exactly_n_working_days_after_the_effective_receipt(
    calendar, received, n
):
    due = calendar.due_for_working_days(received, n)
    assert calendar.is_working_day(due.due_at.date())
    assert due.due_at.time() == dt.time(17)
    assert calendar.working_days_between(due.counted_from, due.due_at.date()) == n
    assert due.due_at.date() >= received.date()
    assert all(not calendar.is_working_day(s.date) for s in due.skipped)
    assert all(received.date() <= s.date < due.due_at.date() for s in due.skipped)


@settings(max_examples=300, deadline=None)
@given(
    received=moments,
    n=periods,
    later=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=40)),
)
def test_due_day_grows_with_the_period_and_the_receipt_time(calendar, received, n, later):
    assert calendar.due_day(received, n) <= calendar.due_day(received, n + 1)
    assert calendar.due_day(received, n) <= calendar.due_day(received + later, n)


@settings(max_examples=300, deadline=None)
@given(
    a=st.dates(D(2016, 1, 1), D(2030, 12, 31)),
    b=st.dates(D(2016, 1, 1), D(2030, 12, 31)),
    c=st.dates(D(2016, 1, 1), D(2030, 12, 31)),
)
def test_working_days_between_adds_up(calendar, a, b, c):
    between = calendar.working_days_between
    assert between(a, b) + between(b, c) == between(a, c)
    assert between(a, b) == -between(b, a)


@settings(max_examples=300, deadline=None)
@given(received=moments, n=st.integers(0, 200), m=st.integers(1, 200))
def test_working_hours_compose(calendar, received, n, m):
    first = calendar.due_for_working_hours(received, n).due_at
    assert calendar.due_for_working_hours(received, n + m).due_at == (
        calendar.due_for_working_hours(first, m).due_at
    )


@settings(max_examples=300, deadline=None)
@given(received=moments, n=st.integers(1, 200))
def test_working_hours_end_inside_office_hours_on_a_working_day(calendar, received, n):
    due = calendar.due_for_working_hours(received, n).due_at
    assert calendar.is_working_day(due.date())
    t = due.time()
    assert dt.time(8) < t <= dt.time(12) or dt.time(13) < t <= dt.time(17)
    assert due > to_local(received)


@settings(max_examples=300, deadline=None)
@given(received=moments)
def test_same_day_is_the_receipt_day_or_the_next_working_day(calendar, received):
    due = calendar.due_for_same_day(received).due_at
    if calendar.is_working_day(received.date()) and received.time() < dt.time(15):
        assert due.date() == received.date()
    else:
        assert due.date() == calendar.next_working_day(received.date())
    assert due.time() == dt.time(17)
