"""A unit that took over its predecessors' open work at the reorganisation of 1 July 2025
(Resolution 1656/NQ-UBTVQH15) has recorded dossiers and reports from its first return or
resolution, though none was submitted to it since: its report counts what it returned, not
'not recorded' with null counts that hide its returns (found by hreview in 492006f)."""

import datetime as dt

import pytest
import time_machine

from cqdt.testing import at

pytestmark = pytest.mark.django_db

CODE = "00097"  # Phường Tứ Liên until 30 June 2025, Phường Hồng Hà from 1 July 2025
NOW = at(dt.date(2025, 12, 15), 10)


def _dossiers(client):
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            f"/api/v1/oversight/wards/{CODE}/report", {"from": "2025-07-01", "to": "2025-12-15"}
        )
    assert response.status_code == 200, response.content
    return response.json()


def _dossier(**fields):
    from cqdt.dossiers.models import Dossier
    from cqdt.testing.factories import ProcedureFactory

    return Dossier.objects.create(
        code="H26.003.00097-250610-0001",
        unit_code=CODE,
        procedure=ProcedureFactory(),
        channel="counter",
        applicant_kind="person",
        applicant_name="Nguyễn Văn A",
        submitted_at=at(dt.date(2025, 6, 10), 9),
        valid_receipt_at=at(dt.date(2025, 6, 10), 9),
        lookup_secret_hash="0" * 64,
        **fields,
    )


def test_a_moved_dossier_returned_by_the_successor_is_its_record(
    history_reference_data, admin_client
):
    _dossier(
        status="returned",
        due_at=at(dt.date(2025, 7, 20), 17),
        returned_at=at(dt.date(2025, 8, 1), 10),
        closed_at=at(dt.date(2025, 8, 1), 10),
    )
    dossiers = _dossiers(admin_client)["dossiers"]
    assert dossiers["recorded"] is True
    assert (dossiers["returned"], dossiers["returned_late"]) == (1, 1)
    assert dossiers["submitted"] == 0


def test_a_dossier_still_open_from_before_is_no_record_of_the_successor(
    history_reference_data, admin_client
):
    _dossier(status="submitted")
    assert _dossiers(admin_client)["dossiers"]["recorded"] is False


def test_a_moved_report_resolved_by_the_successor_is_its_record(
    history_reference_data, admin_client
):
    from cqdt.feedback import services
    from cqdt.feedback.models import Category, Report

    services.categories_load()
    Report.objects.create(
        code="PA-250612-00001",
        category=Category.objects.order_by("code").first(),
        description="Đèn đường hỏng",
        ward_code=CODE,
        unit_code=CODE,
        original_unit_code=CODE,
        status="resolved",
        channel="web",
        follow_up_secret_hash="0" * 64,
        submitted_at=at(dt.date(2025, 6, 12), 9),
        ack_due_at=at(dt.date(2025, 6, 13), 9),
        resolve_due_at=at(dt.date(2025, 7, 10), 17),
        resolved_at=at(dt.date(2025, 7, 8), 10),
    )
    feedback = _dossiers(admin_client)["feedback"]
    assert feedback["recorded"] is True
    assert (feedback["resolved"], feedback["resolved_on_time"]) == (1, 1)
