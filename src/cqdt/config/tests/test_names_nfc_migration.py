"""The data migrations that bring people's names stored before the input guard (81daf75) to
NFC: applicants (dossiers 0010), reporters (feedback 0003), officials (staff 0003), deputies
(oversight 0005), through ``core.migrations._names``. Run as ``migrate`` runs them, on a
database holding names stored decomposed; the reverse changes nothing; no name reaches the
output or a log."""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cqdt.core.migrations import _names
from cqdt.testing import at, dossier_row, report_row

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("dossiers", "0001_squashed_0009_fewer_indexes"),
    ("feedback", "0001_squashed_0002_open311_keys_into_core_tokens"),
    ("staff", "0001_squashed_0002_end_reason_unit_reorganised"),
    ("oversight", "0004_conference_attendees_until_held"),
]
AFTER = [
    ("dossiers", "0010_applicant_names_nfc"),
    ("feedback", "0003_reporter_names_nfc"),
    ("staff", "0003_official_names_nfc"),
    ("oversight", "0005_deputy_names_nfc"),
]
NAMES = ["Nguyễn Thị Hường", "Trần Văn Đức", "Lê Thị Ngọc Ánh", "Phạm Quốc Việt", "Hồ Thị Thủy"]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def _rows_stored_before_the_guard():
    """Officials (five, in three batches of two), a dossier, a feedback report and a deputy,
    their names decomposed; a dossier's note decomposed too (not a name: left as it is)."""
    from cqdt.feedback import services as feedback_services
    from cqdt.oversight.models import Council, Deputy
    from cqdt.staff.models import Official

    for i, name in enumerate(NAMES):
        Official.objects.create(
            full_name=nfd(name), civil_service_code=f"NFD{i}", employer_unit_code="001"
        )
    Official.objects.create(full_name=NAMES[0], civil_service_code="NFC0", employer_unit_code="001")
    dossier_row(
        "H26.001.00001-250610-0001",
        "00001",
        status="submitted",
        applicant_name=nfd(NAMES[0]),
        note=nfd("Xin xác nhận"),
        submitted_at=at(dt.date(2025, 6, 10), 9),
    )
    feedback_services.categories_load()
    for code, reporter in (("PA-250612-00001", nfd(NAMES[1])), ("PA-250612-00002", "")):
        report_row(
            code,
            "00001",
            reporter_name=reporter,
            submitted_at=at(dt.date(2025, 6, 12), 9),
            ack_due_at=at(dt.date(2025, 6, 13), 9),
            resolve_due_at=at(dt.date(2025, 7, 10), 17),
        )
    council = Council.objects.create(
        unit_code="001",
        name="HĐND quận Ba Đình",
        term_start=dt.date(2021, 7, 1),
        term_end=dt.date(2026, 6, 30),
    )
    Deputy.objects.create(
        council=council,
        full_name=nfd(NAMES[2]),
        constituency=["00001"],
        term_start=dt.date(2021, 7, 1),
    )


def _stored() -> dict[str, list[str]]:
    from cqdt.dossiers.models import Dossier
    from cqdt.feedback.models import Report
    from cqdt.oversight.models import Deputy
    from cqdt.staff.models import Official

    return {
        "officials": list(Official.objects.order_by("pk").values_list("full_name", flat=True)),
        "applicants": list(Dossier.objects.values_list("applicant_name", flat=True)),
        "notes": list(Dossier.objects.values_list("note", flat=True)),
        "reporters": list(Report.objects.order_by("code").values_list("reporter_name", flat=True)),
        "deputies": list(Deputy.objects.values_list("full_name", flat=True)),
    }


def test_names_stored_decomposed_are_composed_in_batches_and_the_reverse_changes_nothing(
    monkeypatch, capsys, caplog
):
    monkeypatch.setattr(_names, "BATCH", 2)
    caplog.set_level(logging.DEBUG)
    try:
        _migrate(BEFORE)
        _rows_stored_before_the_guard()
        stored = _stored()
        assert stored["officials"][0] != NAMES[0]  # decomposed, as stored before the guard
        _migrate(AFTER)
        composed = {
            "officials": [*NAMES, NAMES[0]],
            "applicants": [NAMES[0]],
            "notes": [nfd("Xin xác nhận")],  # not a name
            "reporters": [NAMES[1], ""],
            "deputies": [NAMES[2]],
        }
        assert _stored() == composed
        _migrate(BEFORE)  # the reverse: nothing to undo, nothing changed
        assert _stored() == composed
    finally:
        _migrate(AFTER)
    said = capsys.readouterr().out + capsys.readouterr().err + caplog.text
    for name in NAMES:
        assert name not in said and nfd(name) not in said
