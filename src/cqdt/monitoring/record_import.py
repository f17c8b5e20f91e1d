"""Importing dossier records kept outside the platform (``cqdt import_dossiers FILE``).

The pilot's evaluation compares pilot wards with communes outside it, before and after 1 July
2021 (``monitoring.comparison``); the platform holds neither the records from before it nor those
of the communes outside the pilot. Units export them from their one-stop software (or the national
public-service portal) as CSV or XLSX, one row per dossier; this module reads such a file, checks
every row, and writes the valid ones as :class:`~cqdt.monitoring.recorded.ImportedDossier` under one
:class:`~cqdt.monitoring.recorded.RecordImport` (the file's name and hash, the time, who), with an
audit event — all in one transaction: a fatal error writes nothing.

The columns (docs/import.md; a heading matches whatever its case, accents, spaces or underscores;
``--mapping FILE`` names other headings): external id, unit (official GSO code), procedure (catalog
slug or national code), received, due, returned (dates ``YYYY-MM-DD`` or ``DD/MM/YYYY``), status,
on time, rating (1–5), cost (VND).

The rules each row is checked against are in ``monitoring.record_checks``.

Idempotent: a record is its unit and its external id (unique); a row already imported is counted
and left unchanged, so importing a file again adds nothing. Rows repeated inside one file are
rejected after the first. No personal data is read: unknown columns are ignored.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cqdt.core.audit import Actor, audit_record
from cqdt.core.db import insert_new_rows
from cqdt.core.errors import Conflict
from cqdt.monitoring.record_checks import (
    Checker,
    RowError,
    check_row,
    check_row_count,
    repeated_row,
)
from cqdt.monitoring.record_table import (
    COLUMNS,
    ImportFailed,
    cell_text,
    load_mapping,
    read_table,
    resolve_columns,
)
from cqdt.monitoring.recorded import ImportedDossier, RecordImport

__all__ = ["ImportFailed", "load_mapping"]  # the command's names, read from here


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    dry_run: bool
    mapping: dict[str, str]
    rows_read: int = 0
    rows_added: int = 0
    rows_existing: int = 0
    rejected: list[tuple[int, dict[str, str], list[RowError]]] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    import_id: str = ""

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def summary(self) -> str:
        head = "Thử (không ghi) / dry run: " if self.dry_run else ""
        added = "sẽ thêm / would add" if self.dry_run else "đã thêm / added"
        return (
            f"{head}{self.file_name}: {self.rows_read} dòng / rows read, {self.rows_added} "
            f"{added}, {self.rows_existing} đã có / already present, {self.rows_rejected} "
            "bị từ chối / rejected."
        )


# --- the import --------------------------------------------------------------------------------


def _existing(keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    by_unit: dict[str, list[str]] = {}
    for unit, ext in keys:
        by_unit.setdefault(unit, []).append(ext)
    found: set[tuple[str, str]] = set()
    for unit, ids in by_unit.items():
        for i in range(0, len(ids), 500):
            found.update(
                ImportedDossier.objects.filter(
                    unit_code=unit, external_id__in=ids[i : i + 500]
                ).values_list("unit_code", "external_id")
            )
    return found


def dossiers_import(
    *,
    actor: Actor,
    path: Path,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportReport:
    """Check every row of ``path`` and write the valid, new ones with their import and an audit
    event, in one transaction (see the module docstring for the rules). ``dry_run`` checks and
    counts without writing. A fatal problem raises :class:`ImportFailed` and writes nothing."""
    data = _file_bytes(path)
    header, rows = read_table(path)
    columns = resolve_columns(header, mapping or {})
    report = ImportReport(
        file_name=path.name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
        mapping={name: header[i] for name, i in columns.items()},
        headings=header,
    )
    checker = Checker(today or timezone.localdate())
    valid = _check_rows(report, checker, header, columns, rows)
    existing = _existing((r["unit_code"], r["external_id"]) for r in valid)
    new = [r for r in valid if (r["unit_code"], r["external_id"]) not in existing]
    report.rows_existing = len(valid) - len(new)
    report.rows_added = len(new)
    if not dry_run:
        report.import_id = _write(actor, report, new)
    return report


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise ImportFailed(
            f"Không đọc được tệp “{path.name}”.",
            f"Cannot read the file “{path.name}”.",
            field="file",
        ) from None


def _check_rows(
    report: ImportReport,
    checker: Checker,
    header: list[str],
    columns: dict[str, int],
    rows: Iterable[list[Any]],
) -> list[dict[str, Any]]:
    """The records of the valid rows, in the file's order, each key once; the rows read and
    the rejected ones (as they were, with their errors) are counted in ``report``."""

    def heading(name: str) -> str:
        return header[columns[name]] if name in columns else COLUMNS[name][0]

    valid: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for number, cells in enumerate(rows, start=2):
        if not any(cell_text(c) for c in cells):
            continue  # blank lines (spreadsheets often end with some)
        report.rows_read += 1
        check_row_count(report.rows_read)

        def get(name: str, cells: list[Any] = cells) -> Any:
            i = columns.get(name)
            return cells[i] if i is not None and i < len(cells) else None

        original = {h: cell_text(cells[i]) if i < len(cells) else "" for i, h in enumerate(header)}
        record, errors = check_row(checker, number, get, heading)
        if record is not None:
            key = (record["unit_code"], record["external_id"])
            if key in seen:
                errors = [repeated_row(number, heading("external_id"))]
            else:
                seen.add(key)
                valid.append(record)
        if errors:
            report.rejected.append((number, original, errors))
    return valid


def _write(actor: Actor, report: ImportReport, new: list[dict[str, Any]]) -> str:
    """The import, its new records and its audit event, in one transaction; the import's id."""
    with transaction.atomic():
        batch = RecordImport.objects.create(
            file_name=report.file_name,
            file_sha256=report.sha256,
            actor_label=actor.label[:150],
            mapping=report.mapping,
            rows_read=report.rows_read,
            rows_added=report.rows_added,
            rows_existing=report.rows_existing,
            rows_rejected=report.rows_rejected,
        )
        ImportedDossier.objects.bulk_create(
            (ImportedDossier(batch=batch, **r) for r in new), batch_size=2000
        )
        audit_record(
            actor=actor,
            action="monitoring.dossiers_import",
            object_type="monitoring.recordimport",
            object_id=str(batch.public_id),
            after={
                "file_name": report.file_name,
                "file_sha256": report.sha256,
                "rows_read": report.rows_read,
                "rows_added": report.rows_added,
                "rows_existing": report.rows_existing,
                "rows_rejected": report.rows_rejected,
            },
        )
    return str(batch.public_id)


def write_rejects(report: ImportReport, target: Path) -> None:
    """The reject report: each rejected row as it was, with its row number and its reasons in
    Vietnamese and English (the file's own columns kept, so it can be fixed and imported again)."""
    with target.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Dòng / Row", *report.headings, "Lý do", "Reason"])
        for number, original, errors in report.rejected:
            writer.writerow(
                [
                    number,
                    *(original.get(h, "") for h in report.headings),
                    "; ".join(e.text("vi") for e in errors),
                    "; ".join(e.text("en") for e in errors),
                ]
            )


def _simulated_run_written(label: str) -> RecordImport | None:
    """The simulated run named ``label`` if it is already written; a Conflict if another
    simulated set is there (two are never mixed); None if this run is to be written."""
    done = RecordImport.objects.filter(simulated=True, file_name=label[:255]).first()
    if done is not None:
        return done
    other = RecordImport.objects.filter(simulated=True).first()
    if other is not None:
        raise Conflict(
            f"Đã có một bộ dữ liệu mô phỏng khác ({other.file_name}); không trộn hai bộ.",
            f"Another simulated data set is already there ({other.file_name}); two are "
            "never mixed.",
            code="simulation_exists",
        )
    return None


def simulated_records_write(
    *, actor: Actor, label: str, records: Iterable[dict[str, Any]]
) -> tuple[RecordImport, int]:
    """Write simulated records (``cqdt simulate --comparison``) as an import marked ``simulated``:
    demo data, which the evaluation never mixes with recorded data. ``label`` names the run (its
    parameters); a run already written adds nothing (same label, or records already present).
    One transaction with its audit event. ``records`` may be a generator: it is drawn only when
    the run is to be written (not for a run already there, nor for one refused), and before the
    transaction opens — on SQLite a writing transaction holds the database's write lock from its
    BEGIN (IMMEDIATE), and drawing tens of thousands of records inside it kept every other writer
    waiting. The checks are made again inside the transaction, so a run written meanwhile by
    another process still adds nothing; and where two writers both pass them (PostgreSQL's read
    committed), the database's one-simulated-set constraint refuses the second, which is then
    answered as the checks answer it (the run already written, or a Conflict)."""
    done = _simulated_run_written(label)
    if done is not None:
        return done, 0
    drawn = list(records)  # a generator is drawn here: after the checks, outside the transaction
    try:
        return _simulated_write(actor, label, drawn)
    except IntegrityError:
        done = _simulated_run_written(label)  # the other writer's set: this run, or a Conflict
        if done is None:
            raise
        return done, 0


def _simulated_write(
    actor: Actor, label: str, drawn: list[dict[str, Any]]
) -> tuple[RecordImport, int]:
    with transaction.atomic():
        done = _simulated_run_written(label)
        if done is not None:
            return done, 0
        batch = RecordImport.objects.create(
            file_name=label[:255],
            file_sha256=hashlib.sha256(label.encode()).hexdigest(),
            actor_label=actor.label[:150],
            simulated=True,
        )
        rows = [ImportedDossier(batch=batch, simulated=True, **r) for r in drawn]
        insert_new_rows(rows)  # a record already there (same unit and external id) is kept
        added = ImportedDossier.objects.filter(batch=batch).count()
        batch.rows_read = len(rows)
        batch.rows_added = added
        batch.rows_existing = len(rows) - added
        batch.save(update_fields=["rows_read", "rows_added", "rows_existing", "updated_at"])
        audit_record(
            actor=actor,
            action="monitoring.simulated_records_write",
            object_type="monitoring.recordimport",
            object_id=str(batch.public_id),
            after={"label": batch.file_name, "rows_added": added, "simulated": True},
        )
    return batch, added
