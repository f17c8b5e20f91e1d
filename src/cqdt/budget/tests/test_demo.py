"""Demo budgets are labelled demo everywhere they are shown, and follow the same rules."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cqdt.budget import selectors
from cqdt.budget.models import Estimate, Spending
from cqdt.budget.tests.conftest import COMMUNE, WARD

pytestmark = pytest.mark.django_db


def test_demo_command_builds_labelled_estimates_for_pilot_ward_and_commune(
    history_reference_data, capsys
):
    call_command("budget_demo", WARD, "--year", "2023")
    call_command("budget_demo", COMMUNE, "--year", "2026", "--through-month", "6")
    assert "demo payments" in capsys.readouterr().out
    assert Estimate.objects.filter(is_demo=True).count() == 2
    assert not Spending.objects.filter(is_demo=False).exists()
    pilot = Estimate.objects.get(unit_code=WARD)
    commune = Estimate.objects.get(unit_code=COMMUNE)
    assert pilot.approver_body == "committee" and pilot.decision_number.endswith("QĐ-UBND")
    assert commune.approver_body == "council" and commune.decision_number.endswith("NQ-HĐND")
    rep23 = selectors.report(selectors.report_rows(2023, None))
    rep26 = selectors.report(selectors.report_rows(2026, None))
    assert rep23.is_demo and rep26.is_demo
    assert rep23.city.autonomy_share == 0  # the district decided every line of the pilot ward
    assert rep26.city.autonomy_share is not None and 0.8 < rep26.city.autonomy_share < 0.9
    assert rep23.city.paid <= rep23.city.estimate
