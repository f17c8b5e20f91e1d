"""The pure rules of the bulk import of a ward's staff (accounts.rules): no database."""

import datetime as dt

from cqdt.accounts import rules
from cqdt.core.refusals import INVALID


def test_a_header_with_the_three_columns_passes_in_any_order():
    assert rules.columns_refusal(["email", "full_name", "civil_service_code", "note"]) is None


def test_missing_columns_are_listed_in_the_files_order_of_columns():
    refusal = rules.columns_refusal(["full_name"])
    assert (refusal.field, refusal.code, refusal.kind) == ("file", "csv_columns", INVALID)
    assert refusal.en == "The CSV lacks the columns: civil_service_code, email."
    assert refusal.vi == "Tệp CSV thiếu cột: civil_service_code, email."
    assert rules.columns_refusal(None).en == (
        "The CSV lacks the columns: civil_service_code, full_name, email."
    )


def test_a_file_has_at_most_two_thousand_rows_under_its_header():
    assert rules.row_limit_refusal(2) is None
    assert rules.row_limit_refusal(rules.MAX_ROWS + 1) is None  # the 2000th row
    assert rules.row_limit_refusal(rules.MAX_ROWS + 2) is rules.TOO_MANY_ROWS
    assert rules.TOO_MANY_ROWS.field == "file"


def test_an_official_appears_once_in_a_file():
    assert rules.repeated_refusal("CC001", set()) is None
    assert rules.repeated_refusal("CC001", {"CC002"}) is None
    refusal = rules.repeated_refusal("CC001", {"CC001"})
    assert refusal is rules.REPEATED_CODE and refusal.field == "civil_service_code"


def test_an_unknown_official_is_named_by_the_first_twenty_characters_of_the_code():
    refusal = rules.unknown_official_refusal("X" * 30)
    assert (refusal.field, refusal.code) == ("civil_service_code", "official_not_found")
    assert "“" + "X" * 20 + "”" in refusal.en and "X" * 21 not in refusal.en
    assert "X" * 21 not in refusal.vi


def test_an_official_without_a_post_in_the_unit_is_told_the_unit_and_the_day():
    refusal = rules.no_post_refusal("00001", dt.date(2026, 3, 2))
    assert (refusal.field, refusal.code) == ("civil_service_code", "no_post")
    assert refusal.en == "Holds no post in unit 00001 on 2026-03-02."
    assert refusal.vi == "Không giữ chức danh nào tại đơn vị 00001 vào ngày 02/03/2026."
