"""The dashboards' budget panel (issue 16): budget figures beside the service figures, equal to a
recomputation from the budget rows; "chưa có dữ liệu" where there are none; cost per dossier
only where both sides exist; the autonomy measure compared across kinds of unit."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cqdt.budget import demo, services
from cqdt.budget.models import EstimateLine
from cqdt.monitoring import budget_panel, dashboards
from cqdt.monitoring.tests.conftest import DISTRICT, JULY, NOW, WARD, WARD_B

PERIOD = "from=2021-07&to=2021-07"


@pytest.fixture
def ward_budget(folded):
    """WARD's 2021 estimate (demo), paid in June and July, one line raised from August."""
    e = demo.estimate(WARD, 2021, day=dt.date(2021, 1, 5))
    lines = list(e.lines.order_by("item_code"))
    for line, day, amount in [
        (lines[0], dt.date(2021, 6, 25), 70_000_000),  # before the period
        (lines[0], dt.date(2021, 7, 12), 80_000_000),
        (lines[1], dt.date(2021, 7, 20), 3_000_000),
        (lines[7], dt.date(2021, 7, 21), 11_000_000),  # 6907: earmarked
    ]:
        services.spending_record(
            actor=demo.DEMO,
            line_id=line.public_id,
            kind="payment",
            amount=amount,
            occurred_on=day,
            is_demo=True,
        )
    line = EstimateLine.objects.get(pk=lines[1].pk)
    services.line_adjust(
        actor=demo.DEMO,
        public_id=line.public_id,
        version=line.version,
        delta=5_000_000,
        decision_number="DEMO-2/QĐ-UBND" if e.approver_body == "committee" else "DEMO-2/NQ-HĐND",
        decision_date=dt.date(2021, 8, 10),
        effective_on=dt.date(2021, 8, 10),
    )
    return e


def _recomputed(codes: set[str]) -> dict[str, int | float | None]:
    """From the rows themselves: estimate lines, their adjustments and the July payments."""
    lines = EstimateLine.objects.filter(estimate__unit_code__in=codes, estimate__year=2021)
    estimate = sum(x.original_amount for x in lines)
    allocated = sum(
        x.amount - sum(a.delta for a in x.adjustments.all() if a.effective_on > JULY[1])
        for x in lines
    )
    paid = own = 0
    for x in lines.select_related("estimate"):
        for s in x.spendings.filter(kind="payment", occurred_on__range=JULY):
            paid += s.amount
            e = x.estimate
            if e.decider_body == "council" and e.decider_unit_code == e.unit_code:
                own += 0 if x.earmarked else s.amount
    return {"estimate": estimate, "allocated": allocated, "paid": paid, "own": own}


def test_the_ward_panel_equals_a_recomputation_from_the_rows(ward_budget, frozen):
    want = _recomputed({WARD})
    assert want["paid"] == 94_000_000  # June's payment is outside the period
    dash = dashboards.dashboard(WARD, *JULY, now=NOW, with_flags=False)
    [u] = budget_panel.panel(dash).units
    resolved = dash.main.figures["resolved"]
    assert resolved == 4
    assert (u.estimate, u.allocated, u.paid) == (want["estimate"], want["allocated"], want["paid"])
    assert u.allocated == u.estimate  # the August raise is not in force at July's end
    assert u.execution_rate == round(want["paid"] / want["allocated"], 4)
    assert u.cost_per_dossier == round(want["paid"] / resolved)
    assert u.autonomy_share == round(want["own"] / want["paid"], 4)
    assert u.is_demo and u.wards_recorded == u.wards == 1


def test_no_budget_rows_say_no_data_and_no_cost_per_dossier(folded, frozen):
    dash = dashboards.dashboard(WARD, *JULY, now=NOW, with_flags=False)
    [u] = budget_panel.panel(dash).units
    assert u.resolved == 4  # the service side exists ...
    assert (u.estimate, u.allocated, u.paid, u.execution_rate) == (None, None, None, None)
    assert u.cost_per_dossier is None and u.autonomy_share is None  # ... the budget side not
    assert not budget_panel.panel(dash).is_demo


def test_no_resolved_dossiers_means_no_cost_per_dossier(ward_budget, frozen):
    # WARD_B has no dossier records; WARD's budget alone does not cover the district.
    dash = dashboards.dashboard(DISTRICT, *JULY, now=NOW, with_flags=False)
    p = budget_panel.panel(dash)
    district = p.units[0]
    assert district.paid == 94_000_000 and district.wards_recorded == 1 < district.wards
    assert district.cost_per_dossier is None
    b = next(u for u in p.units if u.code == WARD_B)
    assert b.resolved is None and b.paid is None and b.cost_per_dossier is None
    # Budget rows with payments but not one dossier resolved: no cost per dossier either.
    figures = dashboards.figures_for(WARD, *JULY, now=NOW)
    figures.figures["resolved"] = 0
    lines = budget_panel.budget_selectors.period_lines(*JULY, [WARD])
    u = budget_panel.unit_budget(figures, [WARD], lines)
    assert u.paid == 94_000_000 and u.resolved == 0 and u.cost_per_dossier is None


def test_the_dashboard_shows_the_panel_with_demo_label_and_no_data(ward_budget, monitor_client):
    html = monitor_client.get(f"/staff/monitoring/{DISTRICT}/?{PERIOD}").content.decode()
    panel = html.split('id="budget"', 1)[1].split("</section>", 1)[0]
    assert "DỮ LIỆU MÔ PHỎNG" in panel and "(mô phỏng)" in panel
    row = panel.split(f'data-unit="{WARD}"', 1)[1].split("</tr>", 1)[0]
    values = re.findall(r'<data value="([^"]*)">', row)
    want = _recomputed({WARD})
    assert values[:3] == [str(want["estimate"]), str(want["allocated"]), str(want["paid"])]
    assert values[5] == str(round(want["paid"] / 4))
    empty = panel.split(f'data-unit="{WARD_B}"', 1)[1].split("</tr>", 1)[0]
    assert empty.count("chưa có dữ liệu") == 7 and '<data value="0"' not in empty
    assert "Tỷ trọng tự quyết: số đã thanh toán" in panel  # the definition beside the measure
