"""The standard dashboards' rollup reads stored at refresh time (issue 15, item 5): the same
figures as the live computation (before and after 1 July 2025, a district and the city), replaced
by every refresh, and any other period still computed from the rollups."""

import datetime as dt
import json

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from cqdt.dossiers.models import Dossier
from cqdt.monitoring import dashboards, formulas, rollups, selectors, stored_reads
from cqdt.monitoring.dashboards import periods as dashboard_periods
from cqdt.monitoring.models import StoredRead
from cqdt.monitoring.tests.conftest import DISTRICT, JULY, NOW, WARD, at, day, give_back, process
from cqdt.testing import reference

CITY = "01"
PILOT_YEAR = (dt.date(2021, 7, 1), dt.date(2022, 6, 30))
ROLLUP_TABLES = (
    "monitoring_dossierrollup",
    "monitoring_processingrollup",
    "monitoring_signerrollup",
    "monitoring_feedbackrollup",
    "monitoring_groupdossierrollup",
    "monitoring_groupprocessingrollup",
)


@pytest.fixture(autouse=True)
def _storing(settings):
    """The test settings leave storing off (config/settings/test.py); these tests are about it."""
    settings.MONITORING_STORED_READS = True


@pytest.fixture(scope="module")
def _refreshed(history, django_db_blocker):
    """The July world (``history``) refreshed once with storing on, at ``NOW``: the refresh
    whose stored reads the tests below compare with the live ones. A refresh of this world
    computes every standard dashboard (seconds); the tests used to make the same one each.
    In a savepoint rolled back at the module's end; each test in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(MONITORING_STORED_READS=True):
            rollups.refresh(now=NOW)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def refreshed(_refreshed, folded):
    """``folded`` after ``rollups.refresh(now=NOW)`` with storing on."""
    return folded


def _seen(dash: dashboards.Dashboard) -> tuple:
    """Everything a dashboard shows."""
    return (
        dash.main.figures,
        dash.main.totals,
        dash.main.histogram,
        dash.main.feedback,
        dash.main.signers,
        [(r.unit.code, r.figures, r.totals, r.histogram, r.signers) for r in dash.rows],
        dash.months,
        dash.flags,
        dash.gaps,
    )


def _stored_and_live(code: str, start: dt.date, end: dt.date, now: dt.datetime) -> tuple:
    """The dashboard from the stored reads (nothing kept by the process), then computed live
    from the rollups (the stored reads gone): with the tables each read."""
    return _stored_then_live((code,), start, end, now)[code]


def _stored_then_live(
    codes: tuple[str, ...], start: dt.date, end: dt.date, now: dt.datetime
) -> dict[str, tuple]:
    """:func:`_stored_and_live` for several units: each one's dashboard from the stored reads,
    then (the stored reads gone) each one's computed live, nothing kept between any two."""
    stored = {}
    for code in codes:
        caches["local"].clear()
        with CaptureQueriesContext(connection) as stored_queries:
            stored[code] = (dashboards.dashboard(code, start, end, now=now), stored_queries)
    StoredRead.objects.all().delete()
    out = {}
    for code in codes:
        caches["local"].clear()
        with CaptureQueriesContext(connection) as live_queries:
            live = dashboards.dashboard(code, start, end, now=now)
        dash, stored_queries = stored[code]
        out[code] = (dash, live, _tables(stored_queries), _tables(live_queries))
    return out


def _tables(captured) -> set[str]:
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    return {t for t in (*ROLLUP_TABLES, "monitoring_storedread") if f'"{t}"' in sql}


def test_standard_periods_the_default_twelve_months_the_pilot_years_and_the_five_years():
    assert stored_reads.standard_periods(dt.date(2026, 12, 5)) == [
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        (dt.date(2026, 7, 1), dt.date(2027, 6, 30)),
        (dt.date(2025, 7, 1), dt.date(2026, 6, 30)),
        (dt.date(2024, 7, 1), dt.date(2025, 6, 30)),
        (dt.date(2023, 7, 1), dt.date(2024, 6, 30)),
        (dt.date(2022, 7, 1), dt.date(2023, 6, 30)),
        (dt.date(2021, 7, 1), dt.date(2022, 6, 30)),
        (dt.date(2021, 7, 1), dt.date(2026, 6, 30)),
    ]
    # In the pilot's first month: the year before it started is no period of its dashboards.
    assert stored_reads.standard_periods(dt.date(2021, 8, 2)) == [
        (dt.date(2020, 9, 1), dt.date(2021, 8, 31)),
        (dt.date(2021, 7, 1), dt.date(2022, 6, 30)),
        (dt.date(2021, 7, 1), dt.date(2026, 6, 30)),
    ]


def test_the_periods_stored_after_the_pilot_are_the_periods_the_requests_read(monkeypatch):
    """After 30 June 2025 a request's period is cut at the pilot's last day
    (``dashboards.within_pilot``): the refresh stores those periods, not the ones asked."""
    monkeypatch.setattr(dashboard_periods, "pilot_last_day", lambda: dt.date(2025, 6, 30))
    periods = stored_reads.periods_to_store(dt.date(2026, 12, 5))
    assert periods == [
        (dt.date(2024, 7, 1), dt.date(2025, 6, 30)),  # the default twelve months, and 2025–26
        (dt.date(2023, 7, 1), dt.date(2024, 6, 30)),
        (dt.date(2022, 7, 1), dt.date(2023, 6, 30)),
        (dt.date(2021, 7, 1), dt.date(2022, 6, 30)),
        (dt.date(2021, 7, 1), dt.date(2025, 6, 30)),  # the five years, cut
    ]
    for asked in [
        (dt.date(2025, 12, 1), dt.date(2026, 11, 30)),
        (dt.date(2021, 7, 1), dt.date(2026, 6, 30)),
    ]:
        assert dashboards.within_pilot(*asked) in periods
    # The model still in force:
    monkeypatch.setattr(dashboard_periods, "pilot_last_day", lambda: None)
    assert stored_reads.periods_to_store(dt.date(2024, 3, 1)) == stored_reads.standard_periods(
        dt.date(2024, 3, 1)
    )


def test_the_encoding_gives_back_equal_values():
    totals = formulas.DossierTotals(received=5, resolved=4, late=2, processing_days_sum=10)
    value = (
        {"00001": totals, "00004": formulas.DossierTotals()},
        {"001": {0: 1, 4: 2}},
        {"00001": {(17, "delegation"): 3}},
        {dt.date(2021, 7, 1): formulas.FeedbackTotals(received=2, resolved=1)},
        {"00001": dt.date(2021, 7, 1)},
        ["a", None, 1.5, True],
        {},
    )
    again = stored_reads.decode(stored_reads.encode(value))
    assert again == value
    assert type(again[0]["00001"]) is formulas.DossierTotals
    assert type(next(iter(again[2]["00001"]))) is tuple
    with pytest.raises(TypeError):
        stored_reads.encode({"moment": NOW})  # not a shape any read answers: refused


@pytest.mark.parametrize("code", [CITY, DISTRICT])
def test_the_stored_reads_give_the_live_figures_of_the_pilot(refreshed, code):
    assert StoredRead.objects.filter(unit_code=code, start=PILOT_YEAR[0], end=PILOT_YEAR[1])
    stored, live, stored_tables, live_tables = _stored_and_live(code, *PILOT_YEAR, NOW)
    assert stored_tables == {"monitoring_storedread"}  # no rollup row aggregated
    assert live_tables & set(ROLLUP_TABLES)
    assert _seen(stored) == _seen(live)
    assert stored.main.figures["received"] == 5
    assert stored.main.figures["processing_days_p95"] == 4


def _bundles() -> dict[tuple[str, dt.date, dt.date], dict[str, object]]:
    """Every stored row, decoded: (unit, start, end) -> {read digest: value}."""
    out = {}
    for row in StoredRead.objects.all():
        reads = json.loads(row.value)
        out[(row.unit_code, row.start, row.end)] = {
            d: stored_reads.decode(value) for d, _name, value in reads
        }
    return out


def _live_reads(code: str, start: dt.date, end: dt.date) -> dict[str, object]:
    """The same reads computed from the rollups now (nothing kept, nothing stored)."""
    caches["local"].clear()
    scope = selectors.scope_on(start)
    with stored_reads.recording() as reads:
        dashboards.prepare_reads(scope, code, start, end, selectors.rollup_stamp())
    return {d: value for d, (_name, value) in reads.items()}


@pytest.mark.django_db
def test_the_stored_reads_give_the_live_figures_before_and_after_1_july_2025():
    """Hà Nội's history: Phúc Xá's events of 30 June 2025 count for Ba Đình and the city, those
    of 1 July 2025 for no district; a refresh on 5 August 2025 stores the reads of the pilot year
    before it, and of the default twelve months as the requests read them: cut at 30 June 2025."""
    reference.units(history=True)
    last, first = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    june, july = last.replace(day=1), first
    rollups.apply(
        {
            ("dossier", "day", WARD, last): {"received": 3, "resolved": 2, "late": 1},
            ("dossier", "month", WARD, june): {"received": 3, "resolved": 2, "late": 1},
            ("dossier", "year", WARD, dt.date(2025, 1, 1)): {"received": 7, "resolved": 2},
            ("processing", "day", WARD, last, 5): {"resolved": 2},
            ("processing", "month", WARD, june, 5): {"resolved": 2},
            ("dossier", "day", WARD, first): {"received": 4},
            ("dossier", "month", WARD, july): {"received": 4},
        }
    )
    now = dt.datetime(2025, 8, 5, 9, tzinfo=dt.UTC)
    rollups.refresh(now=now)  # groups the rows with the new mapping, stores the reads
    before = (dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    asked = (dt.date(2024, 9, 1), dt.date(2025, 8, 31))  # the default twelve months
    assert {before, asked} <= set(stored_reads.standard_periods(now.date()))
    across = dashboards.within_pilot(*asked)
    assert across == (dt.date(2024, 9, 1), last)
    assert {before, across} <= set(stored_reads.periods_to_store(now.date()))
    bundles = _bundles()
    for period in (before, across):
        for code in (CITY, DISTRICT):
            assert bundles[(code, *period)] == _live_reads(code, *period)
    # No pilot ward from 1 July 2025: that pilot year has nothing to prepare.
    assert not [k for k in bundles if k[1] == first]
    compared = _stored_then_live((CITY, DISTRICT), *before, now)
    for stored, live, stored_tables, _ in compared.values():
        assert stored_tables == {"monitoring_storedread"}
        assert _seen(stored) == _seen(live)
        assert stored.main.figures["received"] == 3
        assert stored.main.figures["processing_days_p95"] == 5


def test_a_refresh_replaces_the_stored_reads(refreshed, monkeypatch):
    """The refresh stores the reads anew; each stored period's dashboards (the city's and each
    district's) are prepared from one read of the units holding the scope's codes (codes are
    reused; each dashboard read them twice: 28 reads a period of the pilot's scope)."""
    from cqdt.units.selectors import holders as unit_reads

    before = set(StoredRead.objects.values_list("digest", flat=True))
    assert before
    team = refreshed["team"]
    d5 = refreshed["d5"]
    process(team, Dossier.objects.get(code=d5), at(day(2, 8), 10))
    give_back(team, Dossier.objects.get(code=d5), at(day(2, 8), 11))
    holdings_read = []
    read = unit_reads._same_unit_groups
    monkeypatch.setattr(
        unit_reads, "_same_unit_groups", lambda codes: holdings_read.append(codes) or read(codes)
    )
    report = rollups.refresh(now=NOW + dt.timedelta(minutes=1))
    monkeypatch.undo()
    after = set(StoredRead.objects.values_list("digest", flat=True))
    assert report.stored_reads == len(after) > 0
    assert not before & after  # the earlier version's reads are gone
    periods = set(StoredRead.objects.values_list("start", "end"))
    assert len(holdings_read) == len(periods) > 0
    stored, live, stored_tables, _ = _stored_and_live(CITY, *PILOT_YEAR, NOW)
    assert stored_tables == {"monitoring_storedread"}
    assert _seen(stored) == _seen(live)
    assert stored.main.figures["resolved"] == 5  # d5, given back on 2 August, counts


def test_a_period_that_is_not_standard_reads_the_rollups(refreshed):
    assert not StoredRead.objects.filter(start=JULY[0], end=JULY[1]).exists()
    caches["local"].clear()
    with CaptureQueriesContext(connection) as captured:
        dash = dashboards.dashboard(CITY, *JULY, now=NOW)
    assert "monitoring_groupdossierrollup" in _tables(captured)
    assert dash.main.figures["received"] == 5
    # Asked again in the same rollups' version: neither the rollups nor the stored rows read.
    with CaptureQueriesContext(connection) as again:
        assert _seen(dashboards.dashboard(CITY, *JULY, now=NOW)) == _seen(dash)
    assert not _tables(again)
