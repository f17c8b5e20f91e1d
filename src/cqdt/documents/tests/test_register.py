"""The outgoing register: numbers per unit, year and type; withdrawal keeps the number."""

import datetime as dt

import pytest
import time_machine

from cqdt.core.audit import Actor, audit_verify
from cqdt.core.errors import Conflict, InvalidInput
from cqdt.core.models import AuditEvent
from cqdt.documents import services
from cqdt.documents.models import Document, DocumentStatus, RegisterCounter
from cqdt.dossiers.tests.conftest import WARD, WARD_B, at

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


def issue(kind="decision", unit=WARD, now=None, title="Về việc thử nghiệm"):
    return services.document_issue(
        actor=SYSTEM,
        unit_code=unit,
        doc=services.DocumentIn(kind=kind, title=title, body="Nội dung."),
        now=now or at(dt.date(2026, 3, 2)),
    )


def test_numbers_run_per_unit_year_and_type(one_stop_reference):
    assert [issue().number for _ in range(3)] == [1, 2, 3]
    assert issue(kind="confirmation").number == 1
    assert issue(unit=WARD_B).number == 1
    d = issue()
    assert (d.number, d.symbol, d.year) == (4, "QĐ-UBND", 2026)
    assert d.issuing_body == ["UBND QUẬN BA ĐÌNH", "ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ"]
    assert d.place == "Phúc Xá"
    assert d.recipients == ["Lưu: VT."]


def test_numbering_restarts_on_the_first_of_january(one_stop_reference):
    with time_machine.travel(at(dt.date(2025, 12, 31), 16), tick=False):
        last = [issue(now=at(dt.date(2025, 12, 31), 16)) for _ in range(2)][-1]
    first = issue(now=at(dt.date(2026, 1, 1), 8))
    assert (last.year, last.number) == (2025, 2)
    assert (first.year, first.number) == (2026, 1)


def test_a_withdrawn_number_is_kept_and_never_given_again(one_stop_reference):
    d1, d2 = issue(), issue()
    withdrawn = services.document_withdraw(
        actor=SYSTEM, document_id=str(d2.public_id), reason="Sai sót"
    )
    assert withdrawn.status == DocumentStatus.WITHDRAWN
    assert issue().number == 3
    assert sorted(Document.objects.values_list("number", flat=True)) == [1, 2, 3]
    with pytest.raises(Conflict):
        services.document_withdraw(actor=SYSTEM, document_id=str(d2.public_id), reason="lại")
    assert d1.number == 1
    assert AuditEvent.objects.filter(action="document.withdraw").count() == 1
    assert audit_verify().ok


def test_withdrawal_needs_a_reason_and_changes_nothing_without(one_stop_reference):
    d = issue()
    with pytest.raises(InvalidInput) as err:
        services.document_withdraw(actor=SYSTEM, document_id=str(d.public_id), reason="  ")
    assert err.value.field == "reason"
    d.refresh_from_db()
    assert d.status == DocumentStatus.ISSUED


def test_a_refused_issue_takes_no_number(one_stop_reference):
    issue()
    with pytest.raises(InvalidInput) as err:
        issue(title="")
    assert err.value.field == "title"
    with pytest.raises(InvalidInput) as err:
        issue(kind="poem")
    assert err.value.field == "kind"
    assert issue().number == 2
    assert RegisterCounter.objects.get(kind="decision").last_value == 2


def test_every_issue_is_audited_in_its_transaction(one_stop_reference):
    d = issue()
    event = AuditEvent.objects.get(action="document.issue")
    assert event.object_id == str(d.public_id)
    assert event.after["number"] == 1


def test_the_heading_has_a_governing_body_only_where_the_committee_has_no_council(
    history_reference_data,
):
    """Decree 30/2020/NĐ-CP, Appendix I: the governing body's line stands above the issuing
    body's where there is one. A pilot ward's committee (no ward council, Resolution
    97/2019/QH14) is headed under its district's; a ward with its own council — before the pilot,
    and from 1 July 2025 (Law 72/2025/QH15) — heads its papers alone: Phường Hồng Hà's were
    headed "UBND THÀNH PHỐ HÀ NỘI" above its own name."""
    assert services.heading_for("00097", dt.date(2025, 7, 1)) == (
        ["ỦY BAN NHÂN DÂN PHƯỜNG HỒNG HÀ"],
        "Hồng Hà",
    )
    assert services.heading_for("00097", dt.date(2025, 6, 30)) == (
        ["UBND QUẬN TÂY HỒ", "ỦY BAN NHÂN DÂN PHƯỜNG TỨ LIÊN"],
        "Tứ Liên",
    )
    assert services.heading_for("00001", dt.date(2021, 6, 30)) == (
        ["ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ"],
        "Phúc Xá",
    )


def test_a_result_names_its_ward_as_on_the_day_it_is_issued(history_reference_data):
    """The result's words named the committee as it is today, its heading as on the day of
    issue: a result of 00097 issued in June 2025 would say "Ủy ban nhân dân Phường Hồng Hà
    xác nhận" under the heading of Phường Tứ Liên, which held the code until 30 June 2025."""
    from cqdt.dossiers.models import Dossier
    from cqdt.testing import ProcedureFactory

    received = at(dt.date(2025, 6, 20))
    dossier = Dossier(
        code="H26.003.00097-250620-0001",
        unit_code="00097",
        procedure=ProcedureFactory(marital=True),
        applicant_name="Trần Thị Bích",
        submitted_at=received,
        valid_receipt_at=received,
    )
    text = services.result_document_in(
        dossier, official=None, signature_block="", basis=None, issued_on=dt.date(2025, 6, 23)
    )
    assert "Ủy ban nhân dân phường Tứ Liên xác nhận" in text.body  # Appendix II
    assert "Hồng Hà" not in text.body
