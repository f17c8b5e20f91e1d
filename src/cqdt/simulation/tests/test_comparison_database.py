"""Acceptance through the database (issue 15, item 2): ``cqdt simulate --comparison`` writes the
panel on the real units — Quận Ba Đình's pilot wards against non-pilot communes — as simulated
records, and the evaluation read back from the tables recovers the injected 10% within its 95%
interval, and covers zero when nothing was injected. The simulated data is never mixed with the
recorded data, and a second run adds nothing. Seeded, so deterministic."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from cqdt.core.audit import Actor
from cqdt.core.models import AuditEvent
from cqdt.monitoring import comparison as mc
from cqdt.monitoring import selectors
from cqdt.monitoring.definitions import PILOT_START
from cqdt.monitoring.models import ImportedDossier, RecordImport
from cqdt.simulation import comparison as sim

START, END = dt.date(2020, 7, 1), dt.date(2022, 6, 30)


def _write(seed: int, effect: float, cost_effect: float = 0.0) -> list[str]:
    pilot = [w.code for w in selectors.scope_on(PILOT_START).wards_of("001")]
    others = mc.comparison_codes()[:20]
    sim.simulate_into_database(
        actor=Actor.system("test"),
        seed=seed,
        start=START,
        end=END,
        effect=effect,
        cost_effect=cost_effect,
        per_month=30,
        pilot_codes=pilot,
        comparison_codes=others,
    )
    return pilot


def test_injected_ten_percent_is_recovered_from_the_database(reference_data, monkeypatch):
    pilot = _write(seed=20, effect=-0.10, cost_effect=0.05)
    assert len(pilot) == 14
    assert ImportedDossier.objects.filter(simulated=False).count() == 0
    batch = RecordImport.objects.get()
    assert batch.simulated and batch.rows_added == ImportedDossier.objects.count() > 10_000
    assert AuditEvent.objects.filter(action="monitoring.simulated_records_write").count() == 1
    e = mc.evaluate("001", "processing_time", START, END, source="simulated")
    low, high = e.effect_ci
    assert low <= -0.10 <= high and high < 0, (e.effect, e.effect_ci)
    assert (e.n_pilot_units, e.n_comparison_units, e.excluded_units) == (14, 19, 1)
    cost = mc.evaluate("001", "cost", START, END, source="simulated")
    assert cost.effect_ci[0] <= 0.05 <= cost.effect_ci[1], (cost.effect, cost.effect_ci)
    # Recorded data: none — no estimate, never the simulated one, never zero.
    recorded = mc.evaluate("001", "processing_time", START, END, source="recorded")
    assert recorded.estimate is None and recorded.reason

    # The same run again adds nothing; another run is refused rather than mixed in — neither
    # draws its records.
    def not_drawn(spec):
        raise AssertionError(f"records drawn for seed {spec.seed}")

    monkeypatch.setattr(sim, "panel", not_drawn)
    _write(seed=20, effect=-0.10, cost_effect=0.05)
    assert RecordImport.objects.count() == 1
    with pytest.raises(Exception, match="Another simulated data set"):
        _write(seed=21, effect=0.0)


def test_no_effect_covers_zero_from_the_database(reference_data):
    _write(seed=20, effect=0.0)
    for indicator in ("processing_time", "on_time", "satisfaction", "cost"):
        e = mc.evaluate("001", indicator, START, END, source="simulated")
        assert e.ci[0] <= 0 <= e.ci[1], (indicator, e.effect_ci)


def test_simulate_command_comparison_option(reference_data):
    out = io.StringIO()
    call_command(
        "simulate",
        "--comparison",
        "--seed",
        "3",
        "--per-month",
        "1",
        "--effect",
        "-0.1",
        stdout=out,
    )
    text = out.getvalue()
    assert "simulated records written" in text and "data=simulated" in text
    units = set(ImportedDossier.objects.values_list("unit_code", flat=True))
    assert len(units & selectors.scope_on(PILOT_START).all_wards) > 150
    assert len(units & set(mc.comparison_codes())) > 300
    with pytest.raises(CommandError, match="required"):
        call_command("simulate", "--seed", "1")
