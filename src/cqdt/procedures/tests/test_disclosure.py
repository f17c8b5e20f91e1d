"""What the public reads of a catalog row (issue 13: no internal research notes in public)."""

from cqdt.procedures.disclosure import public_fee_note


def test_a_research_remark_after_a_dash_is_dropped_and_the_fee_marked_to_confirm():
    note = public_fee_note(
        "50.000 đ/di chúc (Thông tư 226/2016/TT-BTC — theo nguồn thứ cấp, chưa đọc văn bản gốc)."
    )
    assert note.text == "50.000 đ/di chúc (Thông tư 226/2016/TT-BTC)."
    assert note.unconfirmed


def test_a_bracket_holding_only_a_remark_is_dropped():
    note = public_fee_note(
        "10.000 đ/trường hợp — Thông tư 226/2016/TT-BTC (mức thu theo nguồn thứ cấp, chưa đọc "
        "văn bản gốc)."
    )
    assert note.text == "10.000 đ/trường hợp — Thông tư 226/2016/TT-BTC."
    assert note.unconfirmed


def test_a_plain_note_is_kept_as_it_is():
    text = "8.000 đ/bản sao (Cổng DVCQG; Thông tư 281/2016/TT-BTC)."
    assert public_fee_note(text).text == text
    assert not public_fee_note(text).unconfirmed
    assert public_fee_note("").text == ""
