"""``cqdt import_dossiers FILE``: valid rows written with their import and an audit event, bad rows
rejected with the row, the column and the reason (Vietnamese and English) in a report, a second
import of the same file adds nothing, XLSX read like CSV, a fatal error writes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from cqdt.core.audit import Actor
from cqdt.core.errors import Conflict
from cqdt.core.models import AuditEvent
from cqdt.monitoring import record_import
from cqdt.monitoring.models import ImportedDossier, RecordImport

HEADER = [
    "Mã hồ sơ",
    "Mã đơn vị",
    "Mã thủ tục",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày trả kết quả",
    "Trạng thái",
    "Đúng hạn",
    "Mức độ hài lòng",
    "Chi phí",
]
GOOD = [
    # a pilot ward before and after the start; a non-pilot commune (Xã Bắc Sơn, Sóc Sơn)
    [
        "HS-1",
        "00001",
        "1.001193",
        "2021-03-01",
        "2021-03-04",
        "2021-03-03",
        "Đã trả kết quả",
        "",
        "5",
        "120.000",
    ],
    ["HS-2", "00001", "1.001193", "05/08/2021", "10/08/2021", "12/08/2021", "", "", "", ""],
    ["HS-3", "00379", "2.000815", "2020-12-14", "", "", "đang giải quyết", "", "", ""],
    [
        "HS-4",
        "00379",
        "2.000815",
        "2021-09-06",
        "2021-09-07",
        "2021-09-07",
        "returned",
        "1",
        "4",
        "80000",
    ],
]
BAD = [
    ["HS-5", "99999", "1.001193", "2021-03-01", "", "2021-03-02", "", "", "", ""],  # unknown unit
    ["HS-6", "00001", "1.001193", "31/02/2021", "", "", "", "", "", ""],  # not a date
    ["HS-7", "00001", "1.001193", "2021-03-10", "", "2021-03-05", "", "", "", ""],  # before
    ["HS-8", "00001", "khong-co", "2021-03-10", "", "", "", "", "7", ""],  # procedure, rating
    ["HS-1", "00001", "1.001193", "2021-03-01", "", "2021-03-02", "", "", "", ""],  # repeated
]


def write_csv(path, rows, header=HEADER):
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def reasons(path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][0] == "Dòng / Row" and rows[0][-2:] == ["Lý do", "Reason"]
    return {r[1]: r[-2] + " | " + r[-1] for r in rows[1:]}  # the file's first column: its id


def test_valid_file_is_imported_with_its_source_and_an_audit_event(one_stop_reference, tmp_path):
    path = write_csv(tmp_path / "ba-dinh-2021.csv", GOOD)
    out = call_command_output("import_dossiers", str(path))
    assert "4 dòng / rows read, 4 đã thêm / added, 0 đã có" in out
    batch = RecordImport.objects.get()
    assert batch.file_name == "ba-dinh-2021.csv" and len(batch.file_sha256) == 64
    assert (batch.rows_read, batch.rows_added, batch.rows_rejected) == (4, 4, 0)
    assert not batch.simulated and batch.actor_label == "system:import_dossiers"
    records = {r.external_id: r for r in ImportedDossier.objects.all()}
    assert set(records) == {"HS-1", "HS-2", "HS-3", "HS-4"}
    one = records["HS-1"]
    # Mon 1 → Wed 3 March 2021: two working days; returned before the due day: on time.
    assert (one.processing_days, one.on_time, one.rating, one.cost_vnd) == (2, True, 5, 120_000)
    assert one.month == dt.date(2021, 3, 1) and one.batch == batch and not one.simulated
    assert one.procedure and one.field == "civil_status"
    two = records["HS-2"]  # DD/MM/YYYY; status from the return day; late (12 > 10 August)
    assert (two.status, two.on_time, two.rating, two.cost_vnd) == ("returned", False, None, None)
    three = records["HS-3"]  # in progress: counted in its month of receipt
    assert (three.status, three.processing_days, three.on_time) == ("in_progress", None, None)
    assert three.month == dt.date(2020, 12, 1)
    assert records["HS-4"].on_time is True  # the column says so
    event = AuditEvent.objects.get(action="monitoring.dossiers_import")
    assert event.object_id == str(batch.public_id)
    assert not (tmp_path / "ba-dinh-2021.csv.rejects.csv").exists()


def test_bad_rows_are_rejected_with_row_column_and_reason(one_stop_reference, tmp_path):
    path = write_csv(tmp_path / "mixed.csv", GOOD + BAD)
    out = call_command_output("import_dossiers", str(path))
    assert "9 dòng / rows read, 4 đã thêm / added" in out and "5 bị từ chối / rejected" in out
    report = tmp_path / "mixed.csv.rejects.csv"
    assert str(report) in out
    why = reasons(report)
    assert set(why) == {"HS-5", "HS-6", "HS-7", "HS-8", "HS-1"}
    assert "Dòng 6, cột “Mã đơn vị”: Không có đơn vị mã “99999”" in why["HS-5"]
    assert "Row 6, column “Mã đơn vị”: No unit with code “99999”" in why["HS-5"]
    assert "Dòng 7, cột “Ngày tiếp nhận”: “31/02/2021” không phải ngày" in why["HS-6"]
    assert "Row 7, column “Ngày tiếp nhận”: “31/02/2021” is not a date" in why["HS-6"]
    assert "Ngày trả kết quả trước ngày tiếp nhận" in why["HS-7"]
    assert "The returned date is before the received date" in why["HS-7"]
    assert "cột “Mã thủ tục”" in why["HS-8"] and "cột “Mức độ hài lòng”" in why["HS-8"]
    assert "Same external id and unit as an earlier row" in why["HS-1"]
    assert ImportedDossier.objects.count() == 4
    assert RecordImport.objects.get().rows_rejected == 5


def test_second_import_of_the_same_file_adds_nothing(one_stop_reference, tmp_path):
    path = write_csv(tmp_path / "again.csv", GOOD)
    call_command_output("import_dossiers", str(path))
    out = call_command_output("import_dossiers", str(path))
    assert "0 đã thêm / added, 4 đã có / already present" in out
    assert ImportedDossier.objects.count() == 4
    assert list(RecordImport.objects.values_list("rows_added", flat=True)) == [0, 4]


def test_dry_run_writes_nothing(one_stop_reference, tmp_path):
    path = write_csv(tmp_path / "dry.csv", GOOD)
    out = call_command_output("import_dossiers", str(path), "--dry-run")
    assert "dry run" in out and "4 sẽ thêm / would add" in out
    assert not ImportedDossier.objects.exists() and not RecordImport.objects.exists()


def test_xlsx_with_real_dates_and_a_mapping(one_stop_reference, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Unit", "TTHC", "Received", "Due", "Returned", "Rating"])
    sheet.append(["X-1", "00001", "1.001193", dt.datetime(2021, 3, 1, 9, 30), None, None, None])  # noqa: DTZ001 (XLSX: naive)
    sheet.append(
        ["X-2", "00376", 2000815, dt.date(2021, 9, 6), dt.date(2021, 9, 7), dt.date(2021, 9, 8), 3]
    )
    sheet.append([None] * 7)  # trailing blank row: ignored
    path = tmp_path / "records.xlsx"
    book.save(path)
    mapping = tmp_path / "map.json"
    mapping.write_text(
        json.dumps(
            {
                "external_id": "ID",
                "unit_code": "Unit",
                "procedure": "TTHC",
                "received": "Received",
                "due": "Due",
                "returned": "Returned",
                "rating": "Rating",
            }
        ),
        encoding="utf-8",
    )
    out = call_command_output("import_dossiers", str(path), "--mapping", str(mapping))
    assert "2 dòng / rows read, 1 đã thêm / added" in out, out
    # 2000815 read as a number is not the code 2.000815: rejected, named by the mapped heading.
    why = reasons(tmp_path / "records.xlsx.rejects.csv")
    assert "Dòng 3, cột “TTHC”" in why["X-2"]
    record = ImportedDossier.objects.get()
    assert (record.external_id, record.received_day, record.status) == (
        "X-1",
        dt.date(2021, 3, 1),
        "in_progress",
    )


def test_missing_required_column_is_fatal_and_writes_nothing(one_stop_reference, tmp_path):
    path = write_csv(tmp_path / "short.csv", [r[:3] for r in GOOD], header=HEADER[:3])
    with pytest.raises(CommandError, match="Thiếu cột bắt buộc: “Ngày tiếp nhận”"):
        call_command("import_dossiers", str(path))
    assert (
        not RecordImport.objects.exists()
        and not AuditEvent.objects.filter(action="monitoring.dossiers_import").exists()
    )


def test_a_failure_while_writing_leaves_nothing_half_written(
    one_stop_reference, tmp_path, monkeypatch
):
    path = write_csv(tmp_path / "boom.csv", GOOD)

    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(record_import, "audit_record", fail)
    with pytest.raises(RuntimeError):
        record_import.dossiers_import(actor=Actor.system("test"), path=path)
    assert not RecordImport.objects.exists() and not ImportedDossier.objects.exists()


def call_command_output(*args) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_simulated_records_are_drawn_outside_the_writing_transaction(db):
    # On SQLite a writing transaction holds the write lock from its BEGIN (IMMEDIATE): drawing a
    # simulated panel (tens of thousands of records, ~0.4 s) inside it kept every writer waiting.
    from django.db import connection

    depth_at_call = len(connection.atomic_blocks)
    depths: list[int] = []

    def records():
        depths.append(len(connection.atomic_blocks))
        yield from ()

    batch, added = record_import.simulated_records_write(
        actor=Actor.system("test"), label="SIM run A", records=records()
    )
    assert depths == [depth_at_call] and added == 0 and batch.simulated


def test_a_simulated_run_written_while_drawing_is_not_written_twice(db):
    # Another process writes the same run while this one draws: the check made again inside the
    # transaction finds it, and nothing is added.
    def records():
        RecordImport.objects.create(
            file_name="SIM run B", file_sha256="0" * 64, actor_label="other", simulated=True
        )
        yield from ()

    batch, added = record_import.simulated_records_write(
        actor=Actor.system("test"), label="SIM run B", records=records()
    )
    assert added == 0 and batch.actor_label == "other"
    assert RecordImport.objects.count() == 1
    assert not AuditEvent.objects.filter(action="monitoring.simulated_records_write").exists()


def test_two_writers_that_both_find_no_simulated_set_do_not_both_write_one(db, monkeypatch):
    # PostgreSQL's read committed: both writers' checks, before and inside their transactions,
    # can find no simulated set; the database's constraint refuses the second, which is then
    # answered as its checks would have answered it had they seen the first.
    RecordImport.objects.create(
        file_name="SIM run C", file_sha256="0" * 64, actor_label="other", simulated=True
    )
    checks = record_import._simulated_run_written
    blind = [1, 1]  # this writer's two checks ran before the other one committed

    def seen(label):
        if blind:
            blind.pop()
            return None
        return checks(label)

    monkeypatch.setattr(record_import, "_simulated_run_written", seen)
    with pytest.raises(Conflict, match="Another simulated data set"):
        record_import.simulated_records_write(
            actor=Actor.system("test"), label="SIM run D", records=iter(())
        )
    assert list(RecordImport.objects.values_list("file_name", flat=True)) == ["SIM run C"]
    assert not AuditEvent.objects.filter(action="monitoring.simulated_records_write").exists()
