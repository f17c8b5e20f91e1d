"""The bulk path (numpy.busday_offset) gives exactly the scalar due dates."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cqdt.workdays.calendar import Calendar, CalendarRangeError, OfficeHours, Override

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
FIRST = np.datetime64("2016-01-01T00:00", "m").astype(np.int64)
END = np.datetime64("2031-01-01T00:00", "m").astype(np.int64)  # exclusive: up to 2030-12-31 23:59


def random_cases(size, seed):
    rng = np.random.default_rng(seed)
    received = rng.integers(FIRST, END, size).astype("datetime64[m]")
    periods = rng.integers(0, 200, size)
    return received, periods


def scalar_ordinals(calendar, received, periods, hours=None):
    due_day = calendar.due_day
    args = () if hours is None else (hours,)
    return np.fromiter(
        (
            due_day(r, n, *args).toordinal()
            for r, n in zip(received.astype(object), periods.tolist(), strict=True)
        ),
        dtype=np.int64,
        count=len(received),
    )


def bulk_ordinals(result):
    return result.astype(np.int64) + EPOCH_ORDINAL


def test_bulk_equals_scalar_on_a_million_random_cases(calendar):
    received, periods = random_cases(1_000_000, seed=20260217)
    # Boundary times in every random day's neighbourhood: closing time and a minute before.
    received[::97] = received[::97].astype("datetime64[D]") + np.timedelta64(17 * 60, "m")
    received[1::97] = received[1::97].astype("datetime64[D]") + np.timedelta64(17 * 60 - 1, "m")
    bulk = calendar.due_for_working_days_bulk(received, periods)
    assert bulk.dtype == np.dtype("datetime64[D]")
    scalar = scalar_ordinals(calendar, received, periods)
    mismatches = np.flatnonzero(bulk_ordinals(bulk) != scalar)
    assert mismatches.size == 0, (received[mismatches[:5]], periods[mismatches[:5]])


def test_bulk_equals_scalar_without_the_roll_rule(calendar):
    hours = OfficeHours(roll_after_hours_receipt=False)
    received, periods = random_cases(100_000, seed=7)
    bulk = calendar.due_for_working_days_bulk(received, periods, hours)
    assert (bulk_ordinals(bulk) == scalar_ordinals(calendar, received, periods, hours)).all()


def test_bulk_equals_scalar_with_overrides_and_other_closing_time():
    cal = Calendar.build(
        2024,
        2027,
        [
            Override(dt.date(2026, 3, 3), "closed", "Nghỉ"),
            Override(dt.date(2026, 3, 7), "working", "Làm bù"),
            Override(dt.date(2025, 4, 26), "closed", "Hủy làm bù"),
        ],
    )
    hours = OfficeHours(afternoon_end=dt.time(16, 30), same_day_cutoff=dt.time(15))
    rng = np.random.default_rng(3)
    lo = np.datetime64("2024-01-01T00:00", "m").astype(np.int64)
    hi = np.datetime64("2026-12-31T00:00", "m").astype(np.int64)
    received = rng.integers(lo, hi, 50_000).astype("datetime64[m]")
    periods = rng.integers(0, 150, 50_000)
    bulk = cal.due_for_working_days_bulk(received, periods, hours)
    assert (bulk_ordinals(bulk) == scalar_ordinals(cal, received, periods, hours)).all()


def test_bulk_counts_the_make_up_saturday_and_skips_tet(calendar):
    received = np.array(
        ["2025-04-25T09:00", "2026-02-13T10:00", "2026-02-13T17:00"], "datetime64[m]"
    )
    due = calendar.due_for_working_days_bulk(received, np.array([1, 1, 1]))
    assert due.tolist() == [dt.date(2025, 4, 26), dt.date(2026, 2, 23), dt.date(2026, 2, 24)]


def test_bulk_broadcasts_a_single_period(calendar):
    received = np.array(["2026-03-02T09:00", "2026-03-06T09:00"], "datetime64[m]")
    assert calendar.due_for_working_days_bulk(received, 1).tolist() == [
        dt.date(2026, 3, 3),
        dt.date(2026, 3, 9),
    ]


def test_bulk_refuses_bad_input(calendar):
    good = np.array(["2026-03-02T09:00"], "datetime64[m]")
    with pytest.raises(ValueError):
        calendar.due_for_working_days_bulk(good, np.array([-1]))
    with pytest.raises(CalendarRangeError):
        calendar.due_for_working_days_bulk(np.array(["2014-06-01T09:00"], "datetime64[m]"), 1)
    with pytest.raises(CalendarRangeError):
        calendar.due_for_working_days_bulk(np.array(["2031-12-01T09:00"], "datetime64[m]"), 200)
    with pytest.raises(ValueError):
        calendar.due_for_working_days_bulk(np.array(["NaT"], "datetime64[m]"), 1)
    with pytest.raises(TypeError):
        calendar.due_for_working_days_bulk(np.array([1, 2]), 1)


@settings(max_examples=200, deadline=None)
@given(
    cases=st.lists(
        st.tuples(
            st.datetimes(
                # hypothesis takes naive bounds only
                min_value=dt.datetime(2016, 1, 1),  # noqa: DTZ001
                max_value=dt.datetime(2030, 12, 31, 23, 59),  # noqa: DTZ001
            ),
            st.integers(min_value=0, max_value=200),
        ),
        min_size=1,
        max_size=50,
    ),
    roll=st.booleans(),
)
def test_bulk_equals_scalar_property(calendar, cases, roll):
    hours = OfficeHours(roll_after_hours_receipt=roll)
    received = np.array([r.replace(second=0, microsecond=0) for r, _ in cases], "datetime64[m]")
    periods = np.array([n for _, n in cases])
    bulk = calendar.due_for_working_days_bulk(received, periods, hours)
    expected = [calendar.due_day(r.replace(second=0, microsecond=0), n, hours) for r, n in cases]
    assert bulk.tolist() == expected
