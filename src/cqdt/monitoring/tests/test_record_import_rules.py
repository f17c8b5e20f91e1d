"""The file-wide rules of ``cqdt import_dossiers`` (monitoring.record_checks), without a file or a
database: the row limit and the row that repeats an earlier one."""

import pytest

from cqdt.monitoring import record_checks
from cqdt.monitoring.record_table import ImportFailed


def test_a_file_of_up_to_the_limit_passes_and_one_more_row_is_fatal():
    record_checks.check_row_count(1)
    record_checks.check_row_count(record_checks.MAX_ROWS)
    with pytest.raises(ImportFailed) as failed:
        record_checks.check_row_count(record_checks.MAX_ROWS + 1)
    assert failed.value.field == "file" and failed.value.code == "import_failed"
    assert failed.value.en == "The file has more than 2,000,000 rows; split it."
    assert failed.value.vi == "Tệp có quá 2,000,000 dòng; hãy chia nhỏ."


def test_a_repeated_row_is_rejected_on_its_number_and_the_id_column():
    error = record_checks.repeated_row(7, "Mã hồ sơ")
    assert (error.row, error.column) == (7, "Mã hồ sơ")
    assert error.text("en") == (
        "Row 7, column “Mã hồ sơ”: Same external id and unit as an earlier row of the file."
    )
    assert error.text("vi").startswith("Dòng 7, cột “Mã hồ sơ”: Trùng mã hồ sơ và mã đơn vị")


@pytest.mark.parametrize("raw", ["²", "٣", "５"])
def test_a_rating_or_cost_in_other_digits_is_a_row_error_not_a_crash(raw):
    """``str.isdigit`` holds for "²", which ``int`` refuses (the import stopped with a
    ValueError), and for "٣" or "５", which it reads as 3 or 5: only ASCII digits are numbers."""
    bad: list[str] = []

    def note(name: str, vi: str, en: str) -> None:
        bad.append(name)

    assert record_checks._check_rating(raw, note) is None
    assert record_checks._check_cost(raw + "000", note) is None
    assert bad == ["rating", "cost"]
