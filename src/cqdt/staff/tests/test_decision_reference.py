"""A reorganisation's legal basis as the decision of the posts it ends or moves (60 characters
at most, the column's width): whole when it fits; else the document without its parenthesis;
else its number and symbol (Decree 30/2020/NĐ-CP, Art. 8: 'Số: 15/QĐ-UBND') — never a text
cut in the middle of a date."""

from cqdt.staff.reorganisation import decision_reference


def test_a_short_basis_is_kept_whole():
    assert decision_reference("Nghị quyết 1286/NQ-UBTVQH15") == "Nghị quyết 1286/NQ-UBTVQH15"


def test_a_long_basis_loses_its_parenthesis():
    basis = "Nghị quyết 1656/NQ-UBTVQH15 ngày 16/6/2025 (hiệu lực 01/7/2025)"
    assert decision_reference(basis) == "Nghị quyết 1656/NQ-UBTVQH15 ngày 16/6/2025"


def test_a_long_document_without_a_parenthesis_is_named_by_its_number():
    basis = "Nghị quyết 1656/NQ-UBTVQH15 của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính"
    assert decision_reference(basis) == "1656/NQ-UBTVQH15"


def test_a_long_text_without_a_number_is_cut_with_an_ellipsis():
    found = decision_reference("x " * 40)
    assert len(found) <= 60 and found.endswith("…")
