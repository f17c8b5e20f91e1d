"""Folding for search and the one money format (issue 13, item 5); the reason a move needs."""

import pytest
from django.template import Context, Template

from cqdt.core.errors import InvalidInput
from cqdt.core.refusals import INVALID
from cqdt.core.text import REASON_MAX, checked_reason, fold, reason_refusal, vi_sort_key, vnd


def test_fold_strips_marks_and_maps_d_with_stroke():
    assert fold("Thủ tục ĐĂNG KÝ khai sinh") == "thu tuc dang ky khai sinh"
    assert fold("  Phường   Hồng Hà ") == "phuong hong ha"
    assert fold("đ Đ ơ ư ă â ê ô") == "d d o u a a e o"


def test_money_is_printed_with_dots_between_thousands_and_the_dong_sign():
    assert vnd(2000) == "2.000\u00a0đ"
    assert vnd(1250000) == "1.250.000\u00a0đ"
    assert vnd(0) == "0\u00a0đ"
    assert vnd(999) == "999\u00a0đ"
    assert vnd(-50000) == "-50.000\u00a0đ"
    assert vnd(None) == ""


def test_the_template_filter_is_the_same_format():
    out = Template("{% load money %}[{{ a|vnd }}][{{ b|vnd }}]").render(
        Context({"a": 200000, "b": None})
    )
    assert out == "[200.000\u00a0đ][]"


def test_a_reason_is_required_and_at_most_a_thousand_characters_without_the_spaces_around_it():
    assert reason_refusal("x" * REASON_MAX) is None
    assert reason_refusal("  Thiếu giấy tờ  ") is None
    missing = reason_refusal("   ", "official")
    assert missing is not None
    assert (missing.vi, missing.en, missing.field, missing.kind) == (
        "Cần nêu lý do.",
        "A reason is required.",
        "official",
        INVALID,
    )
    too_long = reason_refusal(" " + "x" * (REASON_MAX + 1) + " ")
    assert too_long is not None
    assert (too_long.vi, too_long.en, too_long.field) == (
        "Lý do quá dài (tối đa 1000 ký tự).",
        "Reason too long (1,000 characters at most).",
        "reason",
    )
    assert reason_refusal(" " * 5 + "x" * REASON_MAX + " " * 5) is None


def test_a_checked_reason_comes_back_without_its_spaces_or_is_refused_as_invalid_input():
    assert checked_reason("  Hồ sơ thiếu bản sao  ") == "Hồ sơ thiếu bản sao"
    with pytest.raises(InvalidInput) as refused:
        checked_reason("", field="reason")
    assert (refused.value.field, refused.value.status) == ("reason", 422)


def test_names_sort_in_the_vietnamese_alphabet_then_by_tone():
    """Đ after D, Ô and Ơ after O, Ư after U — not after Y, where code points put them (QA Q11:
    the feedback form's wards listed Đống Đa and Ô Chợ Dừa after Yên Hòa)."""
    names = [
        "Phường Yên Hòa",
        "Phường Ô Chợ Dừa",
        "Phường Đống Đa",
        "Phường Ưng",
        "Phường Dịch Vọng",
        "Phường Bạch Mai",
        "Phường Ba Đình",
        "Phường Ngô Quyền",
        "Phường Ngọc Hà",
        "Phường Ơ",
        "Phường Uy",
    ]
    assert sorted(names, key=vi_sort_key) == [
        "Phường Ba Đình",  # a space before a letter: "Ba Đình" before "Bạch"
        "Phường Bạch Mai",
        "Phường Dịch Vọng",
        "Phường Đống Đa",
        "Phường Ngọc Hà",  # o before ô
        "Phường Ngô Quyền",
        "Phường Ô Chợ Dừa",
        "Phường Ơ",
        "Phường Uy",
        "Phường Ưng",
        "Phường Yên Hòa",
    ]
    # The letters first, the tone only between names with the same letters (level, huyền, hỏi,
    # ngã, sắc, nặng), lower case before upper only between otherwise equal names.
    assert sorted(["Bạ", "Bá", "Bã", "Bả", "Bà", "Ba", "Bac"], key=vi_sort_key) == [
        "Ba",
        "Bà",
        "Bả",
        "Bã",
        "Bá",
        "Bạ",
        "Bac",
    ]
    assert sorted(["Hà", "hà"], key=vi_sort_key) == ["hà", "Hà"]
    assert sorted(["Phường 10", "Phường 2", "Phường An"], key=vi_sort_key)[-1] == "Phường An"


def test_grouped_numbers_and_percentages_are_vietnamese():
    """QA Q11: "530.000.000", a ratio 0.0226 as "2,26 %", 1.0 as "100 %"; no figure stays empty."""
    from cqdt.core.text import grouped, percent

    assert grouped(530_000_000) == "530.000.000" and grouped(-12_000) == "-12.000"
    assert percent(0.0226) == "2,26\u00a0%" and percent(1.0) == "100\u00a0%"
    assert percent(0.125) == "12,5\u00a0%" and percent(0) == "0\u00a0%" and percent(None) == ""
    out = Template("{% load money %}[{{ a|grouped }}][{{ b|percent }}][{{ c|percent }}]").render(
        Context({"a": 12_000_000, "b": 0.0226, "c": None})
    )
    assert out == "[12.000.000][2,26\u00a0%][]"
