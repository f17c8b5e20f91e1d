import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqdt.documents import layout, numbering


def test_number_line_has_a_leading_zero_below_ten_and_the_symbol():
    assert numbering.number_line(15, "decision") == "Số: 15/QĐ-UBND"
    assert numbering.number_line(3, "confirmation") == "Số: 03/GXN-UBND"
    assert numbering.number_line(120, "notice") == "Số: 120/TB-UBND"


def test_a_letter_has_the_body_abbreviation_only():
    assert numbering.symbol("letter") == "UBND"


def test_numbers_start_at_one():
    with pytest.raises(ValueError):
        numbering.number_text(0)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 5), "Phúc Xá, ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "Phúc Xá, ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 2), "Phúc Xá, ngày 02 tháng 3 năm 2026"),
        (dt.date(2026, 12, 31), "Phúc Xá, ngày 31 tháng 12 năm 2026"),
    ],
)
def test_date_line_pads_days_below_ten_and_january_february(day, expected):
    assert numbering.date_line("Phúc Xá", day) == expected


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_line_always_names_the_day_month_and_year(day):
    line = numbering.date_line("X", day)
    assert line.endswith(f"năm {day.year}")
    assert f"ngày {day.day:02d} " in line


def test_result_wording_picks_the_type():
    assert numbering.kind_for_result("Quyết định cho phép") == "decision"
    assert numbering.kind_for_result("Giấy chứng nhận") == "certificate"
    assert numbering.kind_for_result("Kết quả") == "confirmation"


def test_place_is_the_ward_name_without_prefix_unless_a_number():
    assert layout.place("Phường Phúc Xá") == "Phúc Xá"
    assert layout.place("Phường 15") == "Phường 15"
    assert layout.issuing_body("Phường Phúc Xá", "Quận Ba Đình") == [
        "UBND QUẬN BA ĐÌNH",
        "ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ",
    ]


def test_recipients_end_with_the_archive_and_signature_lines_split():
    assert layout.recipients_with_archive(["- Như trên;", " "]) == ["- Như trên;", "Lưu: VT."]
    assert layout.signature_lines("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
