"""Pure arithmetic: periods, percentiles, outcomes (no database)."""

import datetime as dt

from cqdt.monitoring import formulas as f

D = dt.date


def test_a_period_is_covered_by_whole_years_months_and_leftover_days():
    years, months, ranges = f.split_period(D(2021, 7, 1), D(2023, 3, 15))
    assert years == [D(2022, 1, 1)]
    assert months == [D(2021, m, 1) for m in range(7, 13)] + [D(2023, 1, 1), D(2023, 2, 1)]
    assert ranges == [(D(2023, 3, 1), D(2023, 3, 15))]
    assert f.split_period(D(2021, 7, 10), D(2021, 7, 20)) == (
        [],
        [],
        [(D(2021, 7, 10), D(2021, 7, 20))],
    )


def test_nearest_rank_percentile_from_a_histogram():
    assert f.percentile_nearest_rank({}, 0.95) is None
    assert f.percentile_nearest_rank({0: 1, 2: 1, 4: 2}, 0.95) == 4
    assert f.percentile_nearest_rank({1: 95, 9: 5}, 0.95) == 1
    assert f.percentile_nearest_rank({1: 94, 9: 6}, 0.95) == 9


def test_an_apology_makes_a_dossier_late_even_when_returned_by_the_new_date():
    tz = dt.timezone(dt.timedelta(hours=7))
    due = dt.datetime(2021, 7, 8, 17, tzinfo=tz)
    early = dt.datetime(2021, 7, 7, 10, tzinfo=tz)
    assert (
        f.outcome(returned_at=early, due_at=due, apologised=False, returned_day=early.date())
        == f.EARLY
    )
    assert (
        f.outcome(returned_at=early, due_at=due, apologised=True, returned_day=early.date())
        == f.LATE
    )
    same = dt.datetime(2021, 7, 8, 16, tzinfo=tz)
    assert (
        f.outcome(returned_at=same, due_at=due, apologised=False, returned_day=same.date())
        == f.ON_TIME
    )
    assert f.ratio(1, 0) is None
