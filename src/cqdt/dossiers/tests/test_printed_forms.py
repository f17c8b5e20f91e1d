"""The one-stop forms printed (Circular 01/2018/TT-VPCP, Mẫu 01–04): each dated the day it was
issued, with the place and date line of Decree 30/2020/NĐ-CP, Appendix I.

Found by printing them as the desk does: every form carried the day it was printed ("Phường Phúc
Xá, ngày 04 tháng 03 năm 2026" on a receipt issued on 2 March and printed again on the 4th),
with the ward's name prefixed and a leading 0 on March.
"""

import datetime as dt

import pytest
import time_machine

from cqdt.core.audit import Actor
from cqdt.dossiers import services
from cqdt.testing import at, logged_in, submit
from cqdt.testing.factories import WARD

pytestmark = pytest.mark.django_db


def _page(ward, code, form):
    browser = logged_in(ward["user_desk"])
    response = browser.get(f"/staff/dossiers/{code}/form/{form}/")
    assert response.status_code == 200
    return response.content.decode()


def _printed_by_the_district(ward, code, form, day):
    """Form ``form`` of dossier ``code`` printed on ``day`` by the district's chairman, who sees
    the dossier at whichever of the district's desks an arrangement moved it to."""
    browser = logged_in(ward["user_district_chair"])
    with time_machine.travel(at(day), tick=False):
        return browser.get(f"/staff/dossiers/{code}/form/{form}/").content.decode()


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
    _d, _refused, pages = _forms_of_one_dossier(ward)
    receipt, supplement, apology = pages["01"], pages["02"], pages["04"]
    assert "NGƯỜI NỘP HỒ SƠ" in _signers(receipt) and "NGƯỜI TIẾP NHẬN HỒ SƠ" in receipt
    assert "NGƯỜI NỘP HỒ SƠ" not in _signers(supplement)
    assert "NGƯỜI HƯỚNG DẪN" in _signers(supplement)
    assert "NGƯỜI NỘP HỒ SƠ" not in _signers(apology)
    assert "THỦ TRƯỞNG CƠ QUAN" in _signers(apology) and "đóng dấu" in _signers(apology)
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" not in apology
    assert "Ủy ban nhân dân phường Phúc Xá xin lỗi" in apology  # Decree 30, Appendix II


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
        browser = logged_in(ward["user_desk"])
        response = browser.get(f"/staff/dossiers/{received.code}/form/receipt/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/dossiers/{received.code}/form/01/"


def _heading(html):
    return html.split('class="head"', 1)[1].split("<h1>", 1)[0]


def _forms_of_one_dossier(ward):
    """A dossier received on 2 March 2026, asked to supplement and apologised for on the 3rd,
    and another refused at intake on the 3rd: its Mẫu 01, 02, 04 and the other's 03."""
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
        refused = submit(ward, now=at(dt.date(2026, 3, 3)), accept=False).dossier
        refused = services.dossier_refuse(
            actor=Actor.of(ward["user_desk"]),
            official=ward["desk"],
            code=refused.code,
            version=refused.version,
            reason="Không đủ điều kiện",
        )
        pages = {f: _page(ward, d.code, f) for f in ("01", "02", "04")}
        pages["03"] = _page(ward, refused.code, "03")
    return d, refused, pages


def test_no_form_gives_the_dossier_code_as_its_number(ward):
    """Decree 30/2020/NĐ-CP, Appendix I: "Số" is a paper's number in its body's register. The
    forms printed "Số: H26.001.00001-260302-0001", the dossier code. The receipt's number is the
    dossier code, under its own label ("Mã hồ sơ", Circular 01/2018/TT-VPCP, Mẫu 01) and under
    the title only; the others, which the platform does not number, leave the line to fill."""
    d, refused, pages = _forms_of_one_dossier(ward)
    assert "Số:" not in pages["01"]
    assert f'<p class="sub">Mã hồ sơ: {d.code}</p>' in pages["01"]
    for form, code in (("02", d.code), ("03", refused.code), ("04", d.code)):
        heading = _heading(pages[form])
        assert "Số: ………/………" in heading, form
        assert code not in heading, form
        assert f"Mã hồ sơ: {code}" in pages[form]


def test_the_heading_names_the_committee_in_full_under_its_district(ward):
    """Decree 30/2020/NĐ-CP, Appendix I: the issuing body's name is written in full — the forms
    printed "UBND PHƯỜNG PHÚC XÁ". A pilot ward's committee (Resolution 97/2019/QH14) stands
    under its district's; the desk's forms under the committee, the apology (04) is the
    committee's own."""
    _d, _refused, pages = _forms_of_one_dossier(ward)
    for form in ("01", "02", "03"):
        heading = _heading(pages[form])
        lines = [
            "UBND QUẬN BA ĐÌNH",
            "ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ",
            "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        ]
        assert [heading.index(line) for line in lines] == sorted(
            heading.index(line) for line in lines
        ), form
        assert "UBND PHƯỜNG" not in heading.upper().replace("ỦY BAN NHÂN DÂN PHƯỜNG", ""), form
    apology = _heading(pages["04"])
    assert '<p class="up issuer">ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ</p>' in apology
    assert "BỘ PHẬN TIẾP NHẬN" not in apology


def test_the_form_number_stands_at_the_top_right_before_the_heading(ward):
    """Circular 01/2018/TT-VPCP prints "Mẫu số 0x" at the top right of each form, above its
    heading; the forms printed it under the heading, before the title."""
    _d, _refused, pages = _forms_of_one_dossier(ward)
    for form, html in pages.items():
        number = html.index(f'<p class="form-number">Mẫu số {form}</p>')
        assert number < html.index('class="head"'), form


def test_each_form_names_the_officer_who_signs_it_as_on_record(ward):
    """Circular 01/2018/TT-VPCP: the receiving officer signs Mẫu 01 with their name; Mẫu 01
    named nobody. The receipt names the officer who received the dossier, Mẫu 02 the officer
    who asked for the supplement, Mẫu 03 the officer who refused; the apology is signed by the
    head of the body, who is not on its record, and names no one."""
    _d, _refused, pages = _forms_of_one_dossier(ward)
    desk, justice = ward["desk"].full_name, ward["justice"].full_name
    assert f'<p class="signer">{desk}</p>' in _signers(pages["01"])
    assert f'<p class="signer">{justice}</p>' in _signers(pages["02"])
    assert f'<p class="signer">{desk}</p>' in _signers(pages["03"])
    assert 'class="signer"' not in _signers(pages["04"])


def test_a_receipt_printed_after_its_dossier_moved_is_headed_by_the_ward_that_issued_it(ward):
    """A paper is the body's that held the dossier the day it was issued: after an arrangement
    moved the dossier to another ward's desk (``units.reorganisation``), its receipt named the
    new desk's code as it stood on the day of receipt (00097 was Phường Tứ Liên before 1 July
    2025, when Phúc Xá's dossiers went to Phường Hồng Hà)."""
    from cqdt.testing import arranged

    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
    arranged(d, WARD, "00004", dt.date(2026, 3, 4))  # to Phường Trúc Bạch, same district
    html = _printed_by_the_district(ward, d.code, "01", dt.date(2026, 3, 5))
    assert "ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ" in _heading(html)
    assert "Phúc Xá, ngày 02 tháng 3 năm 2026" in html
    assert "Trúc Bạch" not in html


def test_a_paper_issued_between_two_moves_is_headed_by_the_middle_ward(ward):
    """A dossier moved twice (the arrangements of 1 January and of 1 July 2025 did so to some
    wards' dossiers) that got a Mẫu 02 between the moves is the middle ward's paper: the desk of
    the last move on or before the day, not the dossier's desk today (hreview V5)."""
    from cqdt.dossiers.models import Dossier
    from cqdt.testing import arranged

    desk = Actor.of(ward["user_desk"])
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2)), accept=False).dossier
    arranged(d, WARD, "00004", dt.date(2026, 3, 4))  # first move: to Phường Trúc Bạch
    Dossier.objects.filter(pk=d.pk).update(unit_code=WARD)  # the team acts at its own desk
    d.refresh_from_db()
    with time_machine.travel(at(dt.date(2026, 3, 5)), tick=False):
        services.dossier_request_supplement(
            actor=desk, official=ward["desk"], code=d.code, version=d.version, reason="Bổ sung"
        )
    d.refresh_from_db()
    arranged(d, "00004", "00007", dt.date(2026, 3, 6))  # second move: to Phường Cống Vị
    html = _printed_by_the_district(ward, d.code, "02", dt.date(2026, 3, 9))
    assert "ỦY BAN NHÂN DÂN PHƯỜNG TRÚC BẠCH" in _heading(html)
    assert "Trúc Bạch, ngày 05 tháng 3 năm 2026" in html
    assert "Cống Vị" not in html


def test_the_desk_held_on_a_day_follows_every_move():
    """``units.selectors.desk_held_on``: before the first move the first desk, between the
    moves the middle one, from the last move its desk; never moved, its own."""
    from django.db import transaction

    from cqdt.core.audit import audit_record
    from cqdt.units.selectors import REORGANISATION_MOVE, desk_held_on

    with transaction.atomic():
        for before, after, on in (
            ("00004", "00007", "2025-07-01"),
            ("00001", "00004", "2025-01-01"),
        ):
            audit_record(
                actor=Actor.system("reorganise"),
                action=REORGANISATION_MOVE,
                object_type="dossiers.dossier",
                object_id="H1",
                before={"unit_code": before},
                after={"unit_code": after, "effective_on": on},
            )
    held = [
        desk_held_on("dossiers.dossier", "H1", "00007", dt.date.fromisoformat(day))
        for day in ("2024-12-31", "2025-01-01", "2025-06-30", "2025-07-01", "2026-01-01")
    ]
    assert held == ["00001", "00004", "00004", "00007", "00007"]
    assert desk_held_on("dossiers.dossier", "H2", "00097", dt.date(2024, 1, 1)) == "00097"


def test_a_form_never_issued_is_not_printed_blank_and_dated_today(ward):
    """Mẫu 01 of a dossier recorded but never received printed a receipt without receipt or due
    time, dated the day it was opened; Mẫu 02, 03 and 04 of a dossier without a supplement
    request, refusal or apology printed one too. The receipt's address leads to the record slip;
    the others' answer 404."""
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2)), accept=False).dossier
        browser = logged_in(ward["user_desk"])
        response = browser.get(f"/staff/dossiers/{d.code}/form/01/")
        assert response.status_code == 302
        assert response["Location"] == f"/staff/dossiers/{d.code}/form/receipt/"
        for form in ("02", "03", "04"):
            assert browser.get(f"/staff/dossiers/{d.code}/form/{form}/").status_code == 404


def test_a_paper_printed_from_demo_data_says_so_on_the_paper(ward):
    """The screen's bar is not printed (``noprint``): a demo dossier's Mẫu 01 and 05 carry a band
    that prints, "DỮ LIỆU MINH HỌA — không có giá trị pháp lý"; a real dossier's do not."""
    from cqdt.dossiers.models import Dossier

    band = '<p class="demo-band" role="note">DỮ LIỆU MINH HỌA — không có giá trị pháp lý</p>'
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        real = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
        demo = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
    Dossier.objects.filter(pk=demo.pk).update(is_demo=True)
    with time_machine.travel(at(dt.date(2026, 3, 3)), tick=False):
        for form in ("01", "05"):
            assert band in _page(ward, demo.code, form)
            assert "demo-band" not in _page(ward, real.code, form)


def test_the_print_line_has_no_empty_item_before_a_separator(ward):
    """QA Q24: a dossier asked for papers (Mẫu 02) before acceptance read "In: · Mẫu 02"; then
    refused, "In: · Mẫu 02 · Mẫu 03". Each link is separated from the one before it only."""
    import re

    from cqdt.core.audit import Actor

    desk = Actor.of(ward["user_desk"])
    with time_machine.travel(at(dt.date(2026, 1, 5)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 1, 5)), accept=False).dossier
        d = services.dossier_request_supplement(
            actor=desk, official=ward["desk"], code=d.code, version=d.version, reason="Bổ sung"
        )
        line = re.search(
            r'<p id="print-forms">(.*?)</p>',
            logged_in(ward["user_desk"]).get(f"/staff/dossiers/{d.code}/").content.decode(),
            re.S,
        ).group(1)
    text = re.sub(r"<[^>]+>", "", line)
    assert text.startswith("In: Mẫu 02") and "· ·" not in text and ": ·" not in text
