"""The dossier counts of a ward's report to its council (oversight): missing data is not zero."""

import datetime as dt

import pytest

from cqdt.dossiers import selectors
from cqdt.testing import at, submit

pytestmark = pytest.mark.django_db

WARD = "00001"


def test_a_ward_with_no_dossier_recorded_has_no_counts_not_zeros(ward):
    begin, end = at(dt.date(2026, 1, 1), 0), at(dt.date(2026, 4, 1), 0)
    summary = selectors.period_summary(WARD, begin, end, at(dt.date(2026, 4, 1)))
    assert summary["recorded"] is False
    assert {summary[k] for k in selectors.SUMMARY_COUNTS} == {None}
    assert set(summary) == {"recorded", *selectors.SUMMARY_COUNTS}


def test_once_the_ward_records_dossiers_an_empty_period_counts_zero(ward):
    submit(ward, now=at(dt.date(2026, 3, 2)))
    begin, end = at(dt.date(2026, 3, 1), 0), at(dt.date(2026, 4, 1), 0)
    march = selectors.period_summary(WARD, begin, end, at(dt.date(2026, 4, 1)))
    assert march["recorded"] is True and (march["submitted"], march["received"]) == (1, 1)
    # A period before the first dossier: nothing was recorded yet, so no count.
    january = selectors.period_summary(
        WARD, at(dt.date(2026, 1, 1), 0), at(dt.date(2026, 2, 1), 0), at(dt.date(2026, 4, 1))
    )
    assert january["recorded"] is False and january["received"] is None
    # After it, an empty period is a real 0.
    april = selectors.period_summary(
        WARD, at(dt.date(2026, 4, 1), 0), at(dt.date(2026, 5, 1), 0), at(dt.date(2026, 5, 1))
    )
    assert april["recorded"] is True and april["received"] == 0
