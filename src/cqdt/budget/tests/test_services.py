"""Estimates by governance model and date; execution within the line (issue 16 acceptance)."""

from __future__ import annotations

import datetime as dt

import pytest

from cqdt.budget import services
from cqdt.budget.models import Adjustment, Estimate, EstimateLine, EstimateStatus, Spending
from cqdt.budget.tests.conftest import (
    COMMUNE,
    DISTRICT,
    LINES,
    WARD,
    approve,
    approved_pilot_estimate,
    record,
)
from cqdt.core.errors import Conflict, InvalidInput, PermissionDenied, RuleViolation
from cqdt.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_structure_of_a_pilot_ward_in_2022_is_the_districts(pilot):
    structure, model, parent = services.structure_for(WARD, 2022)
    assert model == "hanoi-urban-pilot-2021" and parent == DISTRICT
    assert structure.budget_status == "estimate_unit_of_parent"
    assert (structure.decider.unit_code, structure.decider.body) == (DISTRICT, "council")
    assert (structure.allocator.unit_code, structure.allocator.body) == (DISTRICT, "committee")
    assert structure.supervisor.unit_code == DISTRICT
    assert "97/2019/QH14" in structure.sources["pilot"]
    assert not structure.own_council_decides


def test_structure_of_a_commune_in_2026_is_its_own_council(history_reference_data):
    structure, model, _ = services.structure_for(COMMUNE, 2026)
    assert model == "two-tier-2025"
    assert structure.own_council_decides
    assert (structure.decider.unit_code, structure.decider.body) == (COMMUNE, "council")
    assert "89/2025/QH15" in structure.sources["law"]


def test_pilot_ward_2022_estimate_is_allocated_by_district_and_not_approvable_by_ward(pilot):
    e = services.estimate_create(
        actor=pilot.accountant, unit_code=WARD, year=2022, lines=LINES, on=dt.date(2021, 7, 15)
    )
    e = services.estimate_submit(
        actor=pilot.accountant, public_id=e.public_id, version=e.version, on=dt.date(2021, 7, 20)
    )
    events = AuditEvent.objects.count()
    for ward_actor, number in ((pilot.ward_chair, "5/QĐ-UBND"), (pilot.accountant, "5/QĐ-UBND")):
        with pytest.raises(PermissionDenied) as err:
            approve(ward_actor, e, number, dt.date(2021, 12, 20))
        assert err.value.code == "not_approver"
        assert "đơn vị dự toán" in err.value.vi and "budget-estimate unit" in err.value.en
    e.refresh_from_db()
    assert e.status == EstimateStatus.SUBMITTED and e.version == 2 and not e.decision_number
    assert AuditEvent.objects.count() == events
    e = approve(pilot.district_chair, e, "12/QĐ-UBND", dt.date(2021, 12, 20))
    assert e.status == EstimateStatus.APPROVED
    assert (e.approver_unit_code, e.approver_body) == (DISTRICT, "committee")
    assert (e.decider_unit_code, e.decider_body) == (DISTRICT, "council")
    assert AuditEvent.objects.filter(action="budget.estimate.approve").count() == 1


def test_commune_2026_estimate_is_decided_by_its_own_council(commune_chair):
    e = services.estimate_create(
        actor=commune_chair, unit_code=COMMUNE, year=2026, lines=LINES, on=dt.date(2025, 11, 1)
    )
    assert (e.decider_unit_code, e.decider_body) == (COMMUNE, "council")
    assert (e.approver_unit_code, e.approver_body) == (COMMUNE, "council")
    e = services.estimate_submit(
        actor=commune_chair, public_id=e.public_id, version=e.version, on=dt.date(2025, 11, 2)
    )
    with pytest.raises(RuleViolation) as err:  # a committee's decision is not the council's act
        approve(commune_chair, e, "7/QĐ-UBND", dt.date(2025, 12, 15))
    assert err.value.code == "wrong_act"
    e = approve(commune_chair, e, "15/NQ-HĐND", dt.date(2025, 12, 15))
    assert e.status == EstimateStatus.APPROVED and e.decision_number == "15/NQ-HĐND"


def test_stale_version_is_refused(pilot):
    e = services.estimate_create(
        actor=pilot.accountant, unit_code=WARD, year=2023, lines=LINES, on=dt.date(2022, 7, 1)
    )
    with pytest.raises(Conflict):
        services.estimate_submit(
            actor=pilot.accountant, public_id=e.public_id, version=9, on=dt.date(2022, 7, 2)
        )


def test_unknown_item_is_refused_and_nothing_written(pilot):
    with pytest.raises(InvalidInput) as err:
        services.estimate_create(
            actor=pilot.accountant,
            unit_code=WARD,
            year=2022,
            on=dt.date(2021, 7, 1),
            lines=[services.LineInput("805", "9999", 1000)],
        )
    assert err.value.field == "lines[0].item_code"
    assert not Estimate.objects.exists()


def test_payment_above_remaining_is_refused_and_changes_nothing(pilot):
    e = approved_pilot_estimate(pilot)
    line = e.lines.get(item_code="6501")  # 10,000,000 đồng
    record(pilot.accountant, line, 6_000_000, dt.date(2022, 3, 5), reference="UNC-1")
    events = AuditEvent.objects.count()
    with pytest.raises(RuleViolation) as err:
        record(pilot.accountant, line, 4_000_001, dt.date(2022, 3, 6), reference="UNC-2")
    assert err.value.code == "over_allocation" and err.value.details["remaining"] == 4_000_000
    assert "vượt số còn lại" in err.value.vi and "nothing was recorded" in err.value.en
    line.refresh_from_db()
    assert (line.paid, line.committed, line.version) == (6_000_000, 0, 2)
    assert Spending.objects.count() == 1 and AuditEvent.objects.count() == events


def test_commitment_reserves_and_payment_settles_it(pilot):
    e = approved_pilot_estimate(pilot)
    line = e.lines.get(item_code="6551")  # 5,000,000
    c = record(pilot.accountant, line, 4_000_000, dt.date(2022, 2, 1), kind="commitment")
    with pytest.raises(RuleViolation):  # 1,000,000 left beside the open commitment
        record(pilot.accountant, line, 1_500_000, dt.date(2022, 2, 2))
    record(pilot.accountant, line, 3_000_000, dt.date(2022, 2, 3), commitment_id=c.public_id)
    line.refresh_from_db()
    c.refresh_from_db()
    assert (line.committed, line.paid, c.open_amount) == (1_000_000, 3_000_000, 1_000_000)


def test_ward_chairman_may_not_pay_before_approval_nor_outside_year(pilot):
    e = services.estimate_create(
        actor=pilot.accountant, unit_code=WARD, year=2022, lines=LINES, on=dt.date(2021, 7, 15)
    )
    line = e.lines.first()
    with pytest.raises(RuleViolation) as err:
        record(pilot.accountant, line, 1, dt.date(2022, 1, 5))
    assert err.value.code == "estimate_not_approved"


def _adjust(actor, line, delta, number, *, decided, effective=None, reason=""):
    """``actor`` adjusts ``line`` by ``delta`` under decision ``number`` of ``decided``, counted
    from ``effective`` (the decision's day by default)."""
    return services.line_adjust(
        actor=actor,
        public_id=line.public_id,
        version=None,
        delta=delta,
        decision_number=number,
        decision_date=decided,
        effective_on=effective or decided,
        reason=reason,
    )


def test_adjustment_by_district_decision_and_no_cut_below_used(pilot):
    e = approved_pilot_estimate(pilot)
    line = e.lines.get(item_code="6501")
    record(pilot.accountant, line, 8_000_000, dt.date(2022, 5, 1))
    chair, first, second = pilot.district_chair, dt.date(2022, 6, 1), dt.date(2022, 6, 2)
    with pytest.raises(RuleViolation) as err:
        _adjust(chair, line, -3_000_000, "40/QĐ-UBND", decided=first)
    assert err.value.code == "below_used"
    with pytest.raises(PermissionDenied):
        _adjust(pilot.ward_chair, line, 2_000_000, "41/QĐ-UBND", decided=first)
    reason = "Bổ sung tiền điện"
    _adjust(chair, line, 2_000_000, "42/QĐ-UBND", decided=first, effective=second, reason=reason)
    line = EstimateLine.objects.get(pk=line.pk)
    assert (line.amount, line.original_amount) == (12_000_000, 10_000_000)
    assert Adjustment.objects.get(line=line).delta == 2_000_000


def test_an_estimates_moves_are_audited_under_the_estimate_and_its_public_id(pilot):
    e = approved_pilot_estimate(pilot)
    moved = AuditEvent.objects.filter(
        action__in=["budget.estimate.submit", "budget.estimate.approve"]
    )
    assert sorted(moved.values_list("action", "object_type", "object_id")) == [
        ("budget.estimate.approve", "budget.estimate", str(e.public_id)),
        ("budget.estimate.submit", "budget.estimate", str(e.public_id)),
    ]


def test_an_adjustment_counts_from_its_effective_date_in_payments_and_reports(pilot):
    from cqdt.budget import selectors

    e = approved_pilot_estimate(pilot)
    line = e.lines.get(item_code="6501")  # 10,000,000
    decided, effective = dt.date(2022, 5, 20), dt.date(2022, 6, 1)
    _adjust(
        pilot.district_chair, line, 5_000_000, "50/QĐ-UBND", decided=decided, effective=effective
    )
    with pytest.raises(RuleViolation) as err:  # in May the line still holds 10,000,000
        record(pilot.accountant, line, 12_000_000, dt.date(2022, 5, 25))
    assert err.value.details["remaining"] == 10_000_000
    record(pilot.accountant, line, 12_000_000, dt.date(2022, 6, 2))
    may = {r.row.item_code: r.row for r in selectors.report_rows(2022, None, through_month=5)}
    june = {r.row.item_code: r.row for r in selectors.report_rows(2022, None, through_month=6)}
    assert (may["6501"].estimate, may["6501"].paid) == (10_000_000, 0)
    assert (june["6501"].estimate, june["6501"].paid) == (15_000_000, 12_000_000)


def test_only_the_units_leaders_or_its_accountant_prepare_and_spend(pilot):
    """Decree 32/2021/NĐ-CP: the ward's committee prepares its estimate and spends its
    allocation, through its leaders or its Finance–Accounting civil servant. Another civil
    servant of the same ward is refused, by the refusal's own code, and nothing is written
    (the merged check was guarded by one status-only assertion: found by hreview in 7d4ce66)."""
    from cqdt.budget.tests.conftest import _actor
    from cqdt.staff import posts
    from cqdt.testing import appoint, official

    clerk = official(employer=DISTRICT)
    appoint(
        clerk,
        WARD,
        posts.JUSTICE_CIVIL_STATUS,
        by=pilot.district_chair.user.official,
        term_start=dt.date(2021, 7, 1),
    )
    other = _actor(clerk, "p_tp")
    before = (Estimate.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied) as refused:
        services.estimate_create(
            actor=other, unit_code=WARD, year=2022, lines=LINES, on=dt.date(2021, 7, 15)
        )
    assert refused.value.code == "not_preparer"
    assert (Estimate.objects.count(), AuditEvent.objects.count()) == before

    line = approved_pilot_estimate(pilot).lines.get(item_code="6501")
    before = (Spending.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied) as refused:
        record(other, line, 1_000_000, dt.date(2022, 3, 1))
    assert refused.value.code == "not_spender"
    assert (Spending.objects.count(), AuditEvent.objects.count()) == before
    record(pilot.accountant, line, 1_000_000, dt.date(2022, 3, 1))  # the accountant may
    assert Spending.objects.count() == before[0] + 1
