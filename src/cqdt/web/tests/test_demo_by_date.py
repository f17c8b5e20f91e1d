"""`make run`'s demo on the units in force on its dates (issue 19, item 7)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cqdt.core.models import AuditEvent
from cqdt.core.registry import reference_loaders
from cqdt.dossiers.models import Dossier
from cqdt.feedback import demo as feedback_demo
from cqdt.feedback.models import Report
from cqdt.staff.models import Appointment
from cqdt.units import reorganisation as reorg
from cqdt.units import selectors as unit_selectors
from cqdt.units.reference import reference_data_load

CHANGE = dt.date(2025, 7, 1)


@pytest.fixture
def hanoi_to_today(db):
    for loader in reference_loaders():
        loader.load()
    reference_data_load(history=True)


def test_demo_runs_on_the_units_in_force_on_its_dates_and_moves_open_work(
    hanoi_to_today, monkeypatch
):
    # A tenth of the demo's month of feedback (300 reports) still leaves open reports at Phúc
    # Xá to move on 1 July 2025; the month itself is the feedback demo's own test.
    monkeypatch.setattr(feedback_demo, "DEFAULT_MONTHLY", 30)
    call_command("load_demo_data", "--wards", "00001", "--today", "2026-12-04", "--scale", "0.05")
    dossiers = list(Dossier.objects.filter(is_demo=True))
    assert any(d.submitted_at.date() < CHANGE for d in dossiers)
    assert any(d.submitted_at.date() >= CHANGE for d in dossiers)
    for d in dossiers:
        day = timezone.localdate(d.submitted_at)
        if day < CHANGE:
            assert d.code.startswith("H26.001.00001-")  # Phúc Xá's desk, Quận Ba Đình
        else:
            assert d.code.startswith("H26.01.00097-")  # Hồng Hà's own desk from 1 July 2025
            unit_selectors.unit_on(d.unit_code, day)  # in force that day
        # Open work of Phúc Xá went to Hồng Hà; nothing stays at a unit that ended.
        if d.status not in ("refused", "returned", "withdrawn", "cancelled"):
            assert d.unit_code == "00097"
    assert not Report.objects.filter(
        unit_code="00001", status__in=("received", "acknowledged", "assigned", "in_progress")
    )
    # The new unit's leaders were elected by its own council; Phúc Xá's left with the ward.
    chair = Appointment.objects.get(unit_code="00097", post="chairman")
    assert chair.kind == "election" and chair.term_start == CHANGE
    assert not Appointment.objects.filter(
        unit_code="00001", post="chairman", ended_on__isnull=True
    ).exists()
    moves = AuditEvent.objects.filter(action__in=(reorg.ACTION_MOVE, reorg.ACTION_END)).count()
    assert moves > 0
    # Loading again adds nothing and moves nothing.
    call_command("load_demo_data", "--wards", "00001", "--today", "2026-12-04", "--scale", "0.05")
    assert Dossier.objects.filter(is_demo=True).count() == len(dossiers)
    assert AuditEvent.objects.filter(action__in=(reorg.ACTION_MOVE, reorg.ACTION_END)).count() == (
        moves
    )
