"""Folding for search and the one money format (issue 13, item 5)."""

from django.template import Context, Template

from cqdt.core.text import fold, vnd


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
