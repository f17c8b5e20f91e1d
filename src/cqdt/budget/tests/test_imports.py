"""`cqdt import_budget_execution`: row validation, a reject report, idempotent."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from cqdt.budget.models import EstimateLine, Spending
from cqdt.budget.tests.conftest import WARD, approved_pilot_estimate

pytestmark = pytest.mark.django_db

HEADER = ["unit_code", "year", "chapter", "item", "date", "amount", "reference"]
ROWS = [
    [WARD, "2022", "805", "6501", "2022-01-31", "3000000", "KB-1"],
    [WARD, "2022", "805", "6501", "28/02/2022", "4000000", "KB-2"],
    [WARD, "2022", "805", "6501", "2022-03-31", "5000000", "KB-3"],  # beyond the line
    [WARD, "2022", "805", "9999", "2022-03-31", "1000", "KB-4"],  # no such line
    [WARD, "2022", "805", "6551", "31-03-2022", "1000", "KB-5"],  # unreadable date
    [WARD, "2022", "805", "6551", "2022-04-01", "1000", ""],  # no reference
]


def _csv(tmp_path, rows):
    path = tmp_path / "kb.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def test_import_records_valid_rows_reports_rejects_and_is_idempotent(pilot, tmp_path, capsys):
    approved_pilot_estimate(pilot)
    path = _csv(tmp_path, ROWS)
    call_command("import_budget_execution", str(path))
    assert "imported 2, already imported 0, rejected 4" in capsys.readouterr().out
    report = list(csv.DictReader((tmp_path / "kb.rejects.csv").open(encoding="utf-8")))
    assert [(r["row"], r["code"]) for r in report] == [
        ("4", "over_allocation"),
        ("5", "no_line"),
        ("6", "bad_value"),
        ("7", "no_reference"),
    ]
    line = EstimateLine.objects.get(estimate__unit_code=WARD, item_code="6501")
    assert line.paid == 7_000_000
    call_command("import_budget_execution", str(path))
    assert "imported 0, already imported 2, rejected 4" in capsys.readouterr().out
    line.refresh_from_db()
    assert line.paid == 7_000_000 and Spending.objects.count() == 2


def test_import_reads_xlsx_with_vietnamese_headers(pilot, tmp_path, capsys):
    approved_pilot_estimate(pilot)
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã đơn vị", "Năm", "Chương", "Tiểu mục", "Ngày", "Số tiền", "Số chứng từ"])
    ws.append([WARD, 2022, "805", "6551", "2022-05-02", 2_500_000, "KB-9"])
    path = tmp_path / "kb.xlsx"
    wb.save(path)
    call_command("import_budget_execution", str(path))
    assert "imported 1" in capsys.readouterr().out
    assert EstimateLine.objects.get(item_code="6551").paid == 2_500_000
