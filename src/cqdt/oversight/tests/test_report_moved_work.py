"""A unit that took over its predecessors' open work at the reorganisation of 1 July 2025
(Resolution 1656/NQ-UBTVQH15) has recorded dossiers and reports from its first return or
resolution, though none was submitted to it since: its report counts what it returned, not
'not recorded' with null counts that hide its returns (found by hreview in 492006f)."""

import datetime as dt

import pytest
import time_machine

from cqdt.testing import at, dossier_row, report_row

pytestmark = pytest.mark.django_db

CODE = "00097"  # Phường Tứ Liên until 30 June 2025, Phường Hồng Hà from 1 July 2025
NOW = at(dt.date(2025, 12, 15), 10)


def _moved(**which):
    """The arrangement of 1 July 2025 moves the open petitions ``which`` names to Hồng Hà's
    desk, as ``oversight.reorganisation`` does: the routed unit and the move's audit event."""
    from django.db import transaction

    from cqdt.core.audit import Actor, audit_record
    from cqdt.oversight.models import Petition
    from cqdt.oversight.reorganisation import OBJECT_TYPE
    from cqdt.units.selectors import REORGANISATION_MOVE

    with transaction.atomic():
        for p in Petition.objects.filter(**which):
            audit_record(
                actor=Actor.system("reorganise"),
                action=REORGANISATION_MOVE,
                object_type=OBJECT_TYPE,
                object_id=str(p.public_id),
                before={"routed_unit_code": p.routed_unit_code},
                after={"routed_unit_code": CODE, "effective_on": "2025-07-01"},
            )
        Petition.objects.filter(**which).update(routed_unit_code=CODE)


def _dossiers(client):
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            f"/api/v1/oversight/wards/{CODE}/report", {"from": "2025-07-01", "to": "2025-12-15"}
        )
    assert response.status_code == 200, response.content
    return response.json()


def _dossier(**fields):
    """Tứ Liên's dossier received on 10 June 2025, moved with the code to Hồng Hà."""
    received = at(dt.date(2025, 6, 10), 9)
    return dossier_row(
        "H26.003.00097-250610-0001",
        CODE,
        submitted_at=received,
        valid_receipt_at=received,
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

    services.categories_load()
    report_row(
        "PA-250612-00001",
        CODE,
        status="resolved",
        submitted_at=at(dt.date(2025, 6, 12), 9),
        ack_due_at=at(dt.date(2025, 6, 13), 9),
        resolve_due_at=at(dt.date(2025, 7, 10), 17),
        resolved_at=at(dt.date(2025, 7, 8), 10),
    )
    feedback = _dossiers(admin_client)["feedback"]
    assert feedback["recorded"] is True
    assert (feedback["resolved"], feedback["resolved_on_time"]) == (1, 1)


def test_petitions_the_successor_owes_are_counted_in_its_answers(
    history_reference_data, admin_client
):
    """Tứ Liên's petition of June 2025, routed to the ward and still open on 1 July, is Hồng Hà's
    to answer (the arrangement moved it): answered in July, it was in neither unit's report
    (found by hreview in 82a31d2). Phúc Xá's, moved to Hồng Hà and left unanswered past its day,
    is Hồng Hà's overdue. Their receipt stays their own units'."""
    from cqdt.oversight.models import Petition
    from cqdt.oversight.tests.test_reused_codes import _petitions

    # Tứ Liên's of 10 June; Hồng Hà's own of 12 September (its petitions are recorded).
    _petitions(
        CODE, "003", "HĐND quận Tây Hồ", "TL-DB", (dt.date(2025, 6, 10), dt.date(2025, 9, 12))
    )
    _petitions("00001", "001", "HĐND quận Ba Đình", "PX-DB", (dt.date(2025, 6, 20),))
    _moved(ward_code=CODE, received_on=dt.date(2025, 6, 10))  # Tứ Liên's, open on 1 July
    Petition.objects.filter(ward_code=CODE, received_on=dt.date(2025, 6, 10)).update(
        status="answered", answered_at=at(dt.date(2025, 7, 8), 9)
    )
    _moved(ward_code="00001")
    petitions = _dossiers(admin_client)["petitions"]
    assert petitions["received"] == 1  # its own, of September
    assert petitions["answered"] == 1 and petitions["answered_on_time"] == 1
    assert petitions["unanswered_overdue"] == 2  # Phúc Xá's, due 20 July; its own, due 12 Oct


def test_a_successor_whose_only_petitions_were_handed_to_it_reports_them(
    history_reference_data, admin_client
):
    """Hồng Hà's council read 'Chưa ghi nhận kiến nghị cử tri nào của phường' for July –
    December 2025 although 1 July 2025 handed it three open petitions (Resolution
    1656/NQ-UBTVQH15, Art. 2): Phúc Xá's of May, already past its day (31 May), and of June,
    due 20 July, both still unanswered; Tứ Liên's of June, which Hồng Hà answered on 8 July.
    They are its records from its first day: handed over 3, answered 1, overdue and unanswered
    2 — the one late on arrival included —, received 0 (none raised in its own days)."""
    from cqdt.oversight.models import Petition
    from cqdt.oversight.tests.test_reused_codes import _petitions

    _petitions(CODE, "003", "HĐND quận Tây Hồ", "TL-DB", (dt.date(2025, 6, 10),))
    days = (dt.date(2025, 5, 1), dt.date(2025, 6, 20))
    _petitions("00001", "001", "HĐND quận Ba Đình", "PX-DB", days)
    _moved(ward_code="00001")
    _moved(ward_code=CODE)
    Petition.objects.filter(ward_code=CODE).update(
        status="answered", answered_at=at(dt.date(2025, 7, 8), 9)
    )
    petitions = _dossiers(admin_client)["petitions"]
    assert petitions["recorded"] is True
    assert (petitions["received"], petitions["handed_over"]) == (0, 3)
    assert (petitions["answered"], petitions["answered_on_time"]) == (1, 1)
    assert petitions["unanswered_overdue"] == 2
    with time_machine.travel(NOW, tick=False):
        page = admin_client.get(
            f"/staff/oversight/wards/{CODE}/report/", {"start": "2025-07-01", "end": "2025-12-15"}
        ).content.decode()
    assert "Nhận bàn giao khi sắp xếp đơn vị hành chính" in page
    assert "Chưa ghi nhận kiến nghị cử tri nào của phường" not in page


def test_a_predecessor_s_petition_never_moved_stays_its_own_under_the_reused_code(
    history_reference_data, admin_client
):
    """Codes are reused: a petition of Phường Tứ Liên (00097) received in May 2025, open, that
    the arrangement did not move (left at its desk) is not Phường Hồng Hà's — neither handed
    over nor its overdue work — as the monitoring's live count has it (hreview V9)."""
    from cqdt.oversight.tests.test_reused_codes import _petitions

    _petitions(CODE, "003", "HĐND quận Tây Hồ", "TL-DB", (dt.date(2025, 5, 5),))
    petitions = _dossiers(admin_client)["petitions"]
    assert petitions["recorded"] is False  # nothing of Hồng Hà's own, nothing handed to it
    assert petitions["handed_over"] is None and petitions["unanswered_overdue"] is None
