"""Mẫu 05 of Circular 01/2018/TT-VPCP after a Mẫu 04 (text not checked offline): a dossier with
an apology is late (docs/indicators.md), on the processing body's row as on the return row, so
the slip never says "Đúng hạn" of the one and "Quá hạn" of the other."""

import datetime as dt

import pytest
import time_machine

from cqdt.core.audit import Actor
from cqdt.dossiers import control, services
from cqdt.dossiers.tests.test_tracking_forms import _get, _rows, _text
from cqdt.testing import at, drive, submit

pytestmark = pytest.mark.django_db


def test_a_result_signed_after_an_apology_is_late_on_the_slip_as_its_return(ward):
    """Received on 2 March, a Mẫu 04 on 3 March moves the return date to 10 March 17:00; the
    result is signed on 9 March, after the date set at receipt but before the apology's, and
    returned at once: both rows say "Quá hạn" (the signing row said "Đúng hạn")."""
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        d = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
        d = drive(ward, d.code, to="processing", now=at(dt.date(2026, 3, 2), 10))
    receipt_due = d.due_at
    new_due = at(dt.date(2026, 3, 10), 17)
    with time_machine.travel(at(dt.date(2026, 3, 3)), tick=False):
        d = services.dossier_apologise(
            actor=Actor.of(ward["user_justice"]),
            official=ward["justice"],
            code=d.code,
            version=d.version,
            reason="Chờ xác minh",
            new_due_at=new_due,
        )
    signed = at(dt.date(2026, 3, 9), 9)
    assert receipt_due < signed < new_due
    with time_machine.travel(signed, tick=False):
        d = drive(ward, d.code, to="signed", now=signed)
        d = drive(ward, d.code, to="returned", now=signed + dt.timedelta(hours=1))
        html = _get(ward["user_desk"], f"/staff/dossiers/{d.code}/form/05/").content.decode()
    rows = [_text(r) for r in _rows(html)]
    by_note = {r[3].split(";")[0]: r[2] for r in rows}
    assert by_note["Có kết quả (đã ký)"] == "Quá hạn"
    assert by_note["Trả kết quả"] == "Quá hạn"
    assert {r[2] for r in rows} <= {"", "Quá hạn"}


def test_the_signing_row_counts_the_apology_before_it_and_not_one_after():
    """The pure rule: signed before the due date in force, the row is late only when a Mẫu 04
    came before the signing; an apology the timeline records later does not reach back."""
    due = dt.datetime(2026, 3, 5, 17, tzinfo=control.HANOI)
    new_due = (due + dt.timedelta(days=5)).isoformat()
    sign = control.Step("sign", due - dt.timedelta(days=2))
    apology = control.Step("apologise", due - dt.timedelta(days=3), data={"new_due_at": new_due})

    def sign_row(steps):
        rows = control.handovers(steps, receipt_due=due)
        return next(r for r in rows if r.notes[0] == "Có kết quả (đã ký)")

    assert sign_row([apology, sign]).outcome == control.LATE
    assert sign_row([sign]).outcome == control.EARLY
