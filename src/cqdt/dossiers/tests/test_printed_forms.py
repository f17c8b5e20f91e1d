"""The one-stop forms printed (Circular 01/2018/TT-VPCP, Mẫu 01–04): each dated the day it was
issued, with the place and date line of Decree 30/2020/NĐ-CP, Appendix I.

Found by printing them as the desk does: every form carried the day it was printed ("Phường Phúc
Xá, ngày 04 tháng 03 năm 2026" on a receipt issued on 2 March and printed again on the 4th),
with the ward's name prefixed and a leading 0 on March.
"""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt.dossiers import services
from cqdt.testing import at, submit
from cqdt.testing.factories import WARD

pytestmark = pytest.mark.django_db


def _page(ward, code, form):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ward["user_desk"])
    response = browser.get(f"/staff/dossiers/{code}/form/{form}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_receipt_printed_again_keeps_the_day_of_receipt(ward):
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
    with time_machine.travel(at(dt.date(2026, 3, 4), 10), tick=False):
        html = _page(ward, d.code, "01")
    assert "Phúc Xá, ngày 02 tháng 3 năm 2026" in html
    assert "Phường Phúc Xá, ngày" not in html and "04 tháng 03" not in html


def test_the_supplement_and_refusal_forms_carry_their_own_days(ward):
    from cqdt.core.audit import Actor

    desk = Actor.of(ward["user_desk"])
    with time_machine.travel(at(dt.date(2026, 1, 5)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 1, 5)), accept=False).dossier
        d = services.dossier_request_supplement(
            actor=desk,
            official=ward["desk"],
            code=d.code,
            version=d.version,
            reason="Bổ sung tờ khai",
        )
    with time_machine.travel(at(dt.date(2026, 1, 7)), tick=False):
        d = services.dossier_refuse(
            actor=desk, official=ward["desk"], code=d.code, version=d.version, reason="Không đủ"
        )
    with time_machine.travel(at(dt.date(2026, 3, 9)), tick=False):
        assert "Phúc Xá, ngày 05 tháng 01 năm 2026" in _page(ward, d.code, "02")
        assert "Phúc Xá, ngày 07 tháng 01 năm 2026" in _page(ward, d.code, "03")
    assert WARD == "00001"


def _signers(html):
    return html.split('class="sign"', 1)[1]


def test_only_the_receipt_is_signed_by_the_applicant_and_the_apology_by_the_head(ward):
    """Circular 01/2018/TT-VPCP: Mẫu 01 is signed by the applicant and the receiving officer;
    Mẫu 02 by the officer who guides the applicant, Mẫu 03 by the receiving officer; Mẫu 04 is
    the processing body's letter, signed by its head under its seal — the applicant signs none of
    them (the Mẫu 04 printed a "NGƯỜI NỘP HỒ SƠ" box and came from the one-stop desk)."""
    from cqdt.core.audit import Actor
    from cqdt.testing import drive

    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
        d = drive(ward, d.code, to="processing", now=at(dt.date(2026, 3, 2), 10))
        d = services.dossier_request_supplement(
            actor=Actor.of(ward["user_justice"]),
            official=ward["justice"],
            code=d.code,
            version=d.version,
            reason="Bổ sung tờ khai",
        )
        d = services.dossier_resubmit(
            actor=Actor.of(ward["user_desk"]), official=ward["desk"], code=d.code, version=d.version
        )
    with time_machine.travel(at(dt.date(2026, 3, 3)), tick=False):
        services.dossier_apologise(
            actor=Actor.of(ward["user_justice"]),
            official=ward["justice"],
            code=d.code,
            version=d.version,
            reason="Chờ xác minh",
            new_due_at=at(dt.date(2026, 3, 10), 17),
        )
        receipt, supplement, apology = (_page(ward, d.code, f) for f in ("01", "02", "04"))
    assert "NGƯỜI NỘP HỒ SƠ" in _signers(receipt) and "NGƯỜI TIẾP NHẬN HỒ SƠ" in receipt
    assert "NGƯỜI NỘP HỒ SƠ" not in _signers(supplement)
    assert "NGƯỜI HƯỚNG DẪN" in _signers(supplement)
    assert "NGƯỜI NỘP HỒ SƠ" not in _signers(apology)
    assert "THỦ TRƯỞNG CƠ QUAN" in _signers(apology) and "đóng dấu" in _signers(apology)
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" not in apology
    assert "UBND Phường Phúc Xá xin lỗi" in apology


def test_the_receipt_lists_the_papers_in_the_procedures_order(ward):
    """Mẫu 01 listed the papers in the order of their codes (the dossier keeps them sorted):
    the signature procedure's ID paper came after the paper to be signed, against the
    procedure's own list, which the applicant's checklist follows."""
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        papers = ["giay_to_tuy_than", "giay_to_se_ky"]
        d = submit(
            ward, procedure="tthc-2-000884", documents=papers, now=at(dt.date(2026, 3, 2))
        ).dossier
        html = _page(ward, d.code, "01")
    assert d.documents == ["giay_to_se_ky", "giay_to_tuy_than"]
    identity = html.index("<td>1</td><td>Bản chính hoặc bản sao có chứng thực CMND/CCCD")
    assert identity < html.index("<td>2</td><td>Giấy tờ, văn bản mà mình sẽ ký")


def test_the_record_slip_of_a_dossier_received_since_leads_to_its_receipt(ward):
    """The slip for a dossier recorded but not received said "Hồ sơ chưa được tiếp nhận chính
    thức" to whoever opened its address after the dossier was received."""
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2)), accept=False).dossier
        assert "chưa được tiếp nhận chính thức" in _page(ward, d.code, "receipt")
        received = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(ward["user_desk"])
        response = browser.get(f"/staff/dossiers/{received.code}/form/receipt/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/dossiers/{received.code}/form/01/"
