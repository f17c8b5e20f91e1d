"""The review of a unit that no longer exists, made today: Quận Ba Đình ended on 30 June 2025
(two-level local government, Law 72/2025/QH15). Its review of July 2021 was printed as a report
of the district's People's Committee dated today, numbered, with its chairman's signature block
— a document no existing body could have issued. It now says what it is: the figures of that time,
compiled by the platform, without number or signature. Made while the unit exists, it is its
document as before."""

import datetime as dt

import pytest

from cqdt.monitoring import report, report_pdf
from cqdt.testing import at

pytestmark = pytest.mark.django_db

JULY = (dt.date(2021, 7, 1), dt.date(2021, 7, 31))
DISTRICT = "001"  # Quận Ba Đình, 2021-07-01 … 2025-06-30


def test_made_after_the_unit_ended_it_is_a_compilation_without_number_or_signature(
    history_reference_data,
):
    r = report.review(*JULY, now=at(dt.date(2026, 12, 7), 9), unit_code=DISTRICT)
    assert r.ended_on == dt.date(2025, 6, 30)
    head = report_pdf.heading(r)
    assert head["ended_note"] == (
        "Quận Ba Đình đã kết thúc hoạt động sau ngày 30/06/2025. Bản này là số liệu của thời kỳ "
        "đó do nền tảng CQĐT tổng hợp ngày 07/12/2026, không phải văn bản do đơn vị ban hành: "
        "không có số, không có chữ ký."
    )
    assert head["number_line"] == "" and head["signature_lines"] == []
    assert head["signer_name"] == ""
    html = report_pdf.pilot_review_html(r)
    assert 'id="ended-note"' in html and "TM. ỦY BAN NHÂN DÂN" not in html
    assert "/BC-UBND" not in html


def test_made_while_the_unit_existed_it_is_its_document(history_reference_data):
    r = report.review(*JULY, now=at(dt.date(2021, 8, 2), 9), unit_code=DISTRICT)
    assert r.ended_on is None
    head = report_pdf.heading(r)
    assert head["ended_note"] == "" and head["number_line"].endswith("/BC-UBND")
    assert head["signature_lines"]
    assert 'id="ended-note"' not in report_pdf.pilot_review_html(r)
