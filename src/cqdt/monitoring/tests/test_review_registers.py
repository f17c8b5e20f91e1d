"""The review's PDF has a section for each register (issue 15, item 3): decentralisation,
recommendations, sector-law conflicts and the implementation plan — "chưa có dữ liệu được ghi
nhận" where nothing is recorded (missing is not zero), the figures where something is."""

import datetime as dt
import re

from cqdt.core.audit import Actor
from cqdt.monitoring import registers, report, report_pdf, review_registers
from cqdt.monitoring.tests.conftest import JULY, NOW, WARD

SYSTEM = Actor.system("test")
TITLES = (
    "Phân cấp, ủy quyền cho phường",
    "Kiến nghị và điều chỉnh",
    "Xung đột với pháp luật chuyên ngành",
    "Kế hoạch triển khai",
)


def _section(html: str, title: str) -> str:
    body = html.split(title, 1)[1]
    return re.split(r"<h2", body, maxsplit=1)[0]


def test_every_register_has_a_section_and_empty_ones_say_so(folded):
    r = report.review(*JULY, now=NOW)
    sections = review_registers.register_sections(r)
    assert [s.title for s in sections] == list(TITLES)
    html = report_pdf.pilot_review_html(r)
    for title in TITLES:
        assert title in html
    recommendations = _section(html, "Kiến nghị và điều chỉnh")
    assert review_registers.NOT_RECORDED in recommendations
    assert " 0 kiến nghị" not in recommendations
    assert "Định nghĩa chỉ số" in html.split("Kế hoạch triển khai", 1)[1]


def test_a_recorded_recommendation_is_summarised_with_its_figures(folded):
    registers.recommendation_raise(
        actor=SYSTEM,
        rule="late_rate",
        unit_code=WARD,
        raised_on=dt.date(2021, 7, 20),
        shortcoming="Tỷ lệ quá hạn 50% (2/4 hồ sơ).",
        proposal="Rà soát quy trình nội bộ.",
    )
    r = report.review(*JULY, now=NOW)
    section = next(s for s in review_registers.register_sections(r) if s.title == TITLES[1])
    assert section.paragraphs[0].startswith("Đến 31/07/2021: 1 kiến nghị được ghi nhận, 0 đã")
    assert section.rows[0][:4] == (
        "20/07/2021",
        "Phường Phúc Xá",
        "Tỷ lệ quá hạn 50% (2/4 hồ sơ).",
        "Rà soát quy trình nội bộ.",
    )
    # Raised after the period's end: not in this review.
    later = report.review(dt.date(2021, 6, 1), dt.date(2021, 6, 30), now=NOW)
    empty = review_registers.register_sections(later)[1]
    assert empty.paragraphs == (review_registers.NOT_RECORDED,) and not empty.rows
