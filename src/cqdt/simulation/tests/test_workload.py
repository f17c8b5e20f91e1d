"""The generator: deterministic for a seed, resumable, through the services; the bulk mode."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import transaction

from cqdt.core.models import AuditEvent
from cqdt.dossiers.models import Dossier, DossierEvent
from cqdt.monitoring import dashboards, rollups
from cqdt.simulation import bulk, model, workload
from cqdt.simulation.models import RunStatus, SimulationRun
from cqdt.workdays.selectors import calendar_for

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
WARDS = ["00001", "00004"]
START, END = dt.date(2021, 7, 5), dt.date(2021, 7, 9)  # Monday to Friday
NOW = dt.datetime(2021, 7, 31, 12, tzinfo=TZ)
CODE = re.compile(r"^H26\.\d{3}\.\d{5}-\d{6}-\d{4}$")


class Rollback(Exception):
    pass


def _run(stop_after_days=None):
    return workload.simulate(
        start=START,
        end=END,
        seed=7,
        scale=0.12,
        wards=WARDS,
        now=NOW,
        stop_after_days=stop_after_days,
    )


def _outcome() -> tuple[list[tuple], dict]:
    rows = sorted(
        Dossier.objects.values_list("code", "status", "due_at", "returned_at", "rating", "channel")
    )
    rollups.refresh(now=NOW)
    cache.clear()
    figures = dashboards.figures_for("001", START, END, now=NOW).figures
    return rows, figures


def test_same_seed_same_indicators_whether_run_at_once_or_resumed(one_stop_reference):
    try:
        with transaction.atomic():
            summary = _run()
            assert summary.days == 5 and summary.dossiers > 0
            once = _outcome()
            raise Rollback
    except Rollback:
        pass
    assert not Dossier.objects.exists()
    # The same seed again, interrupted after two days and resumed.
    first = _run(stop_after_days=2)
    assert first.days == 2
    run = SimulationRun.objects.get()
    assert run.status == RunStatus.RUNNING and run.last_day_done == dt.date(2021, 7, 6)
    resumed = _run()
    assert resumed.resumed_from == dt.date(2021, 7, 7) and resumed.days == 3
    assert SimulationRun.objects.get().status == RunStatus.DONE
    again = _outcome()
    assert again[0] == once[0]  # the same dossiers, codes, states and times
    assert again[1] == once[1]  # the same indicators
    assert once[1]["received"] > 0 and once[1]["resolved"] > 0
    # Through the services: valid codes, a timeline and audit events for every dossier.
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert all(CODE.match(c) for c in codes)
    audited = set(
        AuditEvent.objects.filter(action="dossier.submit").values_list("object_id", flat=True)
    )
    assert set(codes) <= audited
    assert DossierEvent.objects.filter(action="submit").count() == len(codes)
    assert rollups.differences() == []


def test_seasons_and_online_share(db):
    calendar = calendar_for()
    assert model.season(dt.date(2022, 1, 24), calendar) > 1.3  # a week before Tết 2022
    assert model.season(dt.date(2022, 2, 14), calendar) < 1  # the week after
    assert model.season(dt.date(2021, 7, 29), calendar) == 1.25  # month end
    assert model.online_share(dt.date(2021, 7, 1)) == pytest.approx(0.30)
    assert model.online_share(dt.date(2030, 1, 1)) == 0.6


def test_bulk_mode_writes_benchmark_dossiers_the_rollups_fold(one_stop_reference):
    report = bulk.load(n=400, start=dt.date(2021, 8, 2), end=dt.date(2021, 8, 31), wards=WARDS)
    assert report.dossiers == Dossier.objects.count() > 300
    assert all(CODE.match(c) for c in Dossier.objects.values_list("code", flat=True)[:50])
    assert Dossier.objects.filter(is_demo=False).count() == 0
    rollups.refresh(now=NOW)
    assert rollups.differences() == []
    fig = dashboards.figures_for("001", dt.date(2021, 8, 1), dt.date(2021, 8, 31), now=NOW).figures
    assert fig["received"] > 0 and 0 < fig["online_share"] < 1


def test_bulk_mode_counts_a_period_in_days_by_the_calendar_not_working_days(one_stop_reference):
    """Land mediation: 30 days (Land Law 2024 Art. 235), counted as the services count it."""
    from cqdt.procedures.models import Procedure

    in_days = list(Procedure.objects.filter(time_kind="calendar_days"))
    assert in_days, "the catalog has a procedure whose period is in days"
    # The Land Law 2024 procedure is in force from 1 August 2024.
    bulk.load(n=3000, start=dt.date(2024, 9, 3), end=dt.date(2024, 9, 30), wards=WARDS, seed=3)
    calendar = calendar_for()
    checked = 0
    for d in Dossier.objects.filter(
        procedure__in=in_days, valid_receipt_at__isnull=False, original_due_at__isnull=False
    ).select_related("procedure"):
        expected = calendar.due_for_calendar_days(d.valid_receipt_at, d.procedure.time_value)
        assert d.original_due_at == expected.due_at, d.code
        checked += 1
    assert checked > 0
