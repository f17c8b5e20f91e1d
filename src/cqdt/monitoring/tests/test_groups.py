"""District and city rows (issue 15, item 5): equal to the wards' rows grouped with the mapping
in force on each day — in the pilot and after 1 July 2025, when districts no longer exist — and
read by a district or city dashboard instead of grouping its wards' rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqdt.monitoring import dashboards, groups, rollups
from cqdt.monitoring.models import (
    DossierRollup,
    GroupDossierRollup,
    GroupProcessingRollup,
    Watermark,
)
from cqdt.monitoring.tests.conftest import DISTRICT, JULY, NOW, WARD, at, day, give_back, process
from cqdt.testing import reference

CITY = "01"


def _group_rows() -> dict:
    return {k: v for k, v in rollups.stored().items() if k[0] in groups.GROUPED.values()}


def _ward_rows() -> dict:
    return {k: v for k, v in rollups.stored().items() if k[0] in groups.GROUPED}


def _recomputed() -> dict:
    return groups.from_ward_rows(_ward_rows().items(), groups.current())


def test_district_and_city_rows_equal_the_wards_rows_grouped_in_the_pilot(folded):
    stored = _group_rows()
    assert stored  # the refresh wrote them
    assert stored == _recomputed()
    month = dt.date(2021, 7, 1)
    ward = DossierRollup.objects.get(grain="month", unit_code=WARD, day=month)
    for code in (DISTRICT, CITY):
        row = GroupDossierRollup.objects.get(grain="month", unit_code=code, day=month)
        assert (row.received, row.resolved, row.late) == (ward.received, ward.resolved, ward.late)
        assert (row.received, row.resolved, row.late) == (5, 4, 2)
        year = GroupDossierRollup.objects.get(grain="year", unit_code=code, day=dt.date(2021, 1, 1))
        assert year.received == 5
    histogram = dict(
        GroupProcessingRollup.objects.filter(grain="month", unit_code=CITY, day=month).values_list(
            "working_days", "resolved"
        )
    )
    assert histogram == {0: 1, 2: 1, 4: 2}  # d2, d1, d3 and d4 (conftest)
    # And both equal a recomputation from the dossier rows themselves.
    assert rollups.differences() == []


def test_changes_after_a_refresh_reach_the_district_and_city_rows(folded):
    d5 = folded["d5"]
    from cqdt.dossiers.models import Dossier

    team = folded["team"]
    process(team, Dossier.objects.get(code=d5), at(day(2, 8), 10))
    give_back(team, Dossier.objects.get(code=d5), at(day(2, 8), 11))
    rollups.refresh(now=NOW)
    assert _group_rows() == _recomputed()
    august = GroupDossierRollup.objects.get(grain="month", unit_code=CITY, day=dt.date(2021, 8, 1))
    assert (august.resolved, august.late) == (1, 1)
    assert rollups.differences() == []


def test_a_mapping_change_regroups_the_stored_rows(folded):
    GroupDossierRollup.objects.all().delete()
    Watermark.objects.filter(source=groups.WATERMARK).update(version="")
    report = rollups.refresh(now=NOW)
    assert report.rollup_rows_changed > 0
    assert _group_rows() == _recomputed()
    assert Watermark.objects.get(source=groups.WATERMARK).version == groups.current().digest


@pytest.mark.django_db
def test_after_1_july_2025_a_wards_events_count_for_no_district():
    """Hà Nội's history (the 2025 arrangements, the two-tier model): Phúc Xá's events up to 30
    June 2025 count for Ba Đình and the city; from 1 July 2025 there is no district, and Phường
    Hồng Hà (00097, with its own council) is not a pilot ward: its rows count for no group."""
    reference.units(history=True)
    mapping = groups.current()
    last, first = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    assert mapping(WARD, last) == (DISTRICT, CITY)
    assert mapping(WARD, first) == ()
    assert mapping("00097", first) == ()
    assert mapping(WARD, dt.date(2021, 7, 1)) == (DISTRICT, CITY)
    rollups.apply(
        {
            ("dossier", "day", WARD, last): {"received": 3, "resolved": 2, "late": 1},
            ("processing", "day", WARD, last, 5): {"resolved": 2},
            ("dossier", "day", "00097", first): {"received": 4},
            ("processing", "day", "00097", first, 1): {"resolved": 1},
        }
    )
    rollups.refresh(now=dt.datetime(2025, 7, 2, 9, tzinfo=dt.UTC))  # a new mapping: regroups
    assert _group_rows() == _recomputed()
    for code in (DISTRICT, CITY):
        for grain, when in (("day", last), ("month", dt.date(2025, 6, 1))):
            row = GroupDossierRollup.objects.get(grain=grain, unit_code=code, day=when)
            assert (row.received, row.resolved, row.late) == (3, 2, 1)
    year = GroupDossierRollup.objects.get(grain="year", unit_code=CITY, day=dt.date(2025, 1, 1))
    assert year.received == 3  # not 7: Hồng Hà's July row is no district's or pilot city's
    assert not GroupDossierRollup.objects.filter(day__gte=first, grain="day").exists()
    assert not GroupProcessingRollup.objects.filter(grain="month", day=first).exists()


def _tables_read(captured) -> set[str]:
    out = set()
    for q in captured.captured_queries:
        sql = q["sql"]
        for table in (
            "monitoring_dossierrollup",
            "monitoring_processingrollup",
            "monitoring_groupdossierrollup",
            "monitoring_groupprocessingrollup",
        ):
            if f'"{table}"' in sql:
                out.add(table)
    return out


def test_a_city_dashboard_reads_its_own_rows_not_its_wards_histograms(folded):
    """Right after a refresh (nothing kept): the city's and districts' figures come from their
    own rows in a fixed number of queries, and no ward's processing rows are read."""
    dashboards.dashboard(CITY, *JULY, now=NOW)  # the scope and staffing (kept minutes) read
    dashboards.dashboard(DISTRICT, *JULY, now=NOW)
    rollups.refresh(now=NOW + dt.timedelta(minutes=1))  # new watermarks: nothing read is kept
    with CaptureQueriesContext(connection) as city:
        dash = dashboards.dashboard(CITY, *JULY, now=NOW)
    assert dash.main.figures["received"] == 5
    assert dash.main.figures["processing_days_p95"] == 4
    assert [r.figures["received"] for r in dash.rows if r.unit.code == DISTRICT] == [5]
    read = _tables_read(city)
    assert "monitoring_processingrollup" not in read
    assert {"monitoring_groupdossierrollup", "monitoring_groupprocessingrollup"} <= read
    group_queries = [q for q in city.captured_queries if "monitoring_group" in q["sql"]]
    # The city's and its districts' rows: one read of the counts, one per grain of the
    # histograms (July 2021: the month grain), one of the months for the index.
    assert len(group_queries) == 3
    rollups.refresh(now=NOW + dt.timedelta(minutes=2))
    with CaptureQueriesContext(connection) as district:
        dashboards.dashboard(DISTRICT, *JULY, now=NOW)
    # A district's rows are wards: it reads their histograms too, one query more than the city.
    assert "monitoring_processingrollup" in _tables_read(district)
    assert len(district.captured_queries) == len(city.captured_queries) + 1


def test_before_the_first_grouping_the_wards_are_added_up_not_read_as_zeros(folded):
    """Right after the migration that adds the rows (none written, no "groups" watermark), a
    district or city dashboard adds up its wards as before, never showing 0 for no rows."""
    GroupDossierRollup.objects.all().delete()
    GroupProcessingRollup.objects.all().delete()
    Watermark.objects.filter(source=groups.WATERMARK).delete()
    for code in (CITY, DISTRICT):
        dash = dashboards.dashboard(code, *JULY, now=NOW)
        assert dash.main.figures["received"] == 5
        assert dash.main.figures["processing_days_p95"] == 4
        assert sum(m.totals.received for m in dash.months) == 5
