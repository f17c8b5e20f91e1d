"""A calendar notice moves open dossiers' due dates (docs/decisions/0015 §5, issue 17 item 3).

The batched SQL recompute must agree with the pure rule (``deadlines.recomputed_due``: the
period from the receipt plus the finished pauses, on the new calendar; never earlier than the
promised date), resume after a stop, and leave what the notice does not reach alone.
"""

import datetime as dt
import random
from typing import Any

import pytest
from django.db import connection
from django.db.models import F

from cqdt.core.audit import audit_verify
from cqdt.core.models import AuditEvent
from cqdt.dossiers import deadlines, workflow
from cqdt.dossiers.apps import _recompute_after_notice
from cqdt.dossiers.models import Dossier, DossierEvent, DueRecompute, SupplementPause
from cqdt.dossiers.services import recompute
from cqdt.dossiers.services.recompute import recompute_due_dates
from cqdt.procedures.models import Procedure
from cqdt.testing import SYSTEM, ProcedureFactory, dossier_row
from cqdt.testing.caches import kept_in_this_thread
from cqdt.testing.factories import TZ, WARD
from cqdt.workdays import services as workdays
from cqdt.workdays.models import CalendarChange
from cqdt.workdays.selectors import calendar_for, clear_cache
from cqdt.workdays.signals import notice_published

OTHER_WARD = "00004"
CLOSED_DAY = dt.date(2026, 12, 10)  # a Thursday
OPEN_STATES = [
    workflow.ACCEPTED,
    workflow.ASSIGNED,
    workflow.PROCESSING,
    workflow.AWAITING_SIGNATURE,
    workflow.SIGNED,
]


@pytest.fixture(autouse=True)
def _fresh_calendar():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def procedures(db):
    hours = ProcedureFactory(slug="gio-lam-viec", time_kind="working_hours", time_value=12)
    days = ProcedureFactory(slug="ngay-theo-lich", time_kind="calendar_days", time_value=7)
    return [
        ProcedureFactory(marital=True),
        ProcedureFactory(marriage=True),
        ProcedureFactory(copy=True),
        ProcedureFactory(slug="muoi-ngay", time_kind="working_days", time_value=10),
        hours,
        days,
    ]


def _local(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), TZ) + dt.timedelta(minutes=minute)


def _received(
    code: str,
    procedure: Procedure,
    unit: str,
    status: str,
    receipt: dt.datetime,
    due: dt.datetime,
    **extra: Any,
) -> Dossier:
    """A dossier written as it stands (no services: the sample is large), received at the
    counter at ``receipt`` and due at ``due`` (also its original due date unless ``extra``
    says otherwise)."""
    fields: dict[str, Any] = {"original_due_at": due, **extra}
    received = {"submitted_at": receipt, "valid_receipt_at": receipt, "due_at": due}
    name = "Nguyễn Văn Thử"
    return dossier_row(
        code, unit, procedure=procedure, status=status, applicant_name=name, **received, **fields
    )


def _make(
    procedures, n: int, seed: int = 3, unit_codes=(WARD, OTHER_WARD), around=CLOSED_DAY
) -> list[Dossier]:
    """Random open dossiers received around the closed day, with finished and running pauses,
    each with the due date the services would have given it on today's calendar."""
    rng = random.Random(seed)
    made = []
    for i in range(n):
        procedure = rng.choice(procedures)
        unit = rng.choice(unit_codes)
        day = around + dt.timedelta(days=rng.randint(-20, 3))
        # Office hours mostly, some after closing and at night, weekends included.
        minute = rng.choice([rng.randint(8 * 60, 17 * 60 - 1), rng.randint(0, 24 * 60 - 1)])
        receipt = _local(day, minute)
        status = rng.choice([*OPEN_STATES, workflow.SUPPLEMENT])
        pauses = []
        if rng.random() < 0.35 or status == workflow.SUPPLEMENT:
            start = receipt + dt.timedelta(days=rng.randint(0, 3), hours=rng.randint(0, 5))
            end = start + dt.timedelta(days=rng.randint(1, 8), hours=rng.randint(0, 5))
            pauses.append((start, end))
        finished = pauses[:1] if status != workflow.SUPPLEMENT or rng.random() < 0.5 else []
        due = deadlines.recomputed_due(procedure, unit, receipt, finished)
        d = _received(f"T-{seed}-{i:05d}", procedure, unit, status, receipt, due)
        for start, end in finished:
            SupplementPause.objects.create(
                dossier=d, requested_at=start, resumed_at=end, reason="Thiếu giấy tờ"
            )
        if status == workflow.SUPPLEMENT:
            last = finished[-1][1] if finished else receipt
            SupplementPause.objects.create(
                dossier=d, requested_at=last + dt.timedelta(hours=2), reason="Thiếu giấy tờ"
            )
        made.append(d)
    return made


def _expected(d: Dossier, due_at: dt.datetime | None = None) -> dt.datetime:
    """The pure rule's date for ``d``, never before ``due_at`` (by default ``d.due_at``)."""
    due_at = due_at or d.due_at
    pauses = list(
        d.pauses.filter(resumed_at__isnull=False, at_intake=False)
        .order_by("requested_at")
        .values_list("requested_at", "resumed_at")
    )
    assert d.valid_receipt_at is not None and due_at is not None
    recomputed = deadlines.recomputed_due(d.procedure, d.unit_code, d.valid_receipt_at, pauses)
    return max(due_at, recomputed)


CLOSURE = {"kind": "closed", "reason": "Nghỉ theo thông báo", "notice_number": "99/TB-UBND"}


def _close(day: dt.date, unit_code: str = "") -> CalendarChange:
    workdays.override_create(actor=SYSTEM, date=day, unit_code=unit_code, **CLOSURE)
    return CalendarChange.objects.latest("id")


# Thu 27 Aug 2026: its spans hold the make-up Saturday 22 Aug, the swapped day off Mon 31 Aug
# and National Day (1-2 Sep, Labour Code 2019 art. 112); Thu 10 Dec 2026: plain weeks.
@pytest.mark.parametrize("closed_day", [CLOSED_DAY, dt.date(2026, 8, 27)])
@pytest.mark.django_db
def test_recompute_agrees_with_the_pure_rule(
    procedures, django_capture_on_commit_callbacks, closed_day
):
    made = _make(procedures, 160, around=closed_day)
    before = {d.pk: (d.due_at, d.version) for d in made}
    # Publishing the notice enqueues the recompute (immediate backend in tests).
    with django_capture_on_commit_callbacks(execute=True):
        change = _close(closed_day)
    progress = DueRecompute.objects.get(change=change)
    assert progress.finished_at is not None
    clear_cache()
    assert not calendar_for().is_working_day(closed_day)
    calendar = calendar_for()
    if closed_day.month == 8:  # the sample does cross the make-up and the days off
        assert calendar.is_working_day(dt.date(2026, 8, 22))
        assert not calendar.is_working_day(dt.date(2026, 8, 31))
    moved = 0
    for d in Dossier.objects.filter(pk__in=before).select_related("procedure"):
        old_due, old_version = before[d.pk]
        assert d.due_at == _expected(d, old_due), d.code
        if d.due_at != old_due:
            moved += 1
            assert d.due_at > old_due
            assert d.version == old_version + 1
            event = d.events.get(action="due_recompute")
            assert event.to_status == d.status
            assert "99/TB-UBND" in event.public_note
            assert d.due_at.astimezone(TZ).strftime("%d/%m/%Y") in event.public_note
        else:
            assert d.version == old_version
            assert not d.events.filter(action="due_recompute").exists()
    assert moved == progress.moved
    assert 20 < moved < len(made)  # the notice reached some dossiers, not all
    # One audit event per batch lists every moved dossier; the chain holds.
    events = AuditEvent.objects.filter(action="dossier.due_recompute")
    listed = [row[0] for e in events for row in e.after["moved"]]
    assert sorted(listed) == sorted(
        Dossier.objects.filter(events__action="due_recompute").values_list("code", flat=True)
    )
    assert audit_verify().ok


@pytest.mark.django_db
def test_stopped_recompute_resumes_and_a_second_run_changes_nothing(procedures):
    made = _make(procedures, 150, seed=5)
    change = _close(CLOSED_DAY)  # callbacks not run: the task has not started
    first = recompute_due_dates(change.pk, batch_size=10, max_batches=2)
    assert first.batches == 2 and first.progress.finished_at is None
    halfway = first.progress.last_id
    assert Dossier.objects.filter(pk__gt=halfway, events__action="due_recompute").count() == 0
    rest = recompute_due_dates(change.pk, batch_size=20)
    assert rest.progress.finished_at is not None
    assert rest.progress.moved == first.moved + rest.moved
    clear_cache()
    for d in Dossier.objects.filter(pk__in=[m.pk for m in made]).select_related("procedure"):
        old = next(m for m in made if m.pk == d.pk)
        assert d.due_at == _expected(d, old.due_at), d.code
    events = DossierEvent.objects.filter(action="due_recompute").count()
    assert events == rest.progress.moved
    again = recompute_due_dates(change.pk, batch_size=20)
    assert again.moved == 0 and again.batches == 0
    assert DossierEvent.objects.filter(action="due_recompute").count() == events


@pytest.mark.django_db
def test_a_dossier_changed_after_its_new_date_was_computed_is_recomputed_as_it_is(
    procedures, monkeypatch
):
    """The new dates are computed before the batches, without locks; a dossier that moved in
    between (closed, or its date changed) is locked and recomputed in its batch, not
    overwritten with the stale date."""
    made = _make(procedures, 120, seed=11)
    change = _close(CLOSED_DAY)
    staged = recompute._stage
    touched: dict[str, int] = {}

    def stage_then_move(plan, after):  # type: ignore[no-untyped-def]
        rows = staged(plan, after)
        closed, later = rows[0][0], rows[len(rows) // 2][0]
        Dossier.objects.filter(pk=closed).update(
            status=workflow.RETURNED,
            closed_at=_local(CLOSED_DAY - dt.timedelta(days=1), 10 * 60),
            version=F("version") + 1,
        )
        # Another move set a later date meanwhile (the pure rule still applies to it).
        Dossier.objects.filter(pk=later).update(version=F("version") + 1)
        touched.update(closed=closed, later=later)
        return rows

    monkeypatch.setattr(recompute, "_stage", stage_then_move)
    before = {d.pk: d.due_at for d in made}
    run = recompute_due_dates(change.pk, batch_size=500)
    assert run.progress.finished_at is not None
    clear_cache()
    closed = Dossier.objects.get(pk=touched["closed"])
    assert closed.due_at == before[closed.pk]
    assert not closed.events.filter(action="due_recompute").exists()
    later = Dossier.objects.select_related("procedure").get(pk=touched["later"])
    original = next(d for d in made if d.pk == later.pk)
    assert later.due_at == _expected(original) != before[later.pk]
    assert later.events.filter(action="due_recompute").count() == 1
    assert run.moved == DossierEvent.objects.filter(action="due_recompute").count()


@pytest.mark.django_db
def test_a_day_made_working_never_moves_a_promised_date_earlier(
    procedures, django_capture_on_commit_callbacks
):
    made = _make(procedures, 80, seed=7)
    saturday = dt.date(2026, 12, 5)
    with django_capture_on_commit_callbacks(execute=True):
        workdays.override_create(
            actor=SYSTEM, date=saturday, kind="working", reason="Làm bù", notice_number="1/TB"
        )
    change = CalendarChange.objects.latest("id")
    assert change.changes[""] == {"closed": [], "opened": [saturday.isoformat()]}
    for d in made:
        d2 = Dossier.objects.get(pk=d.pk)
        assert (d2.due_at, d2.version) == (d.due_at, d.version)
    assert not DossierEvent.objects.filter(action="due_recompute").exists()


@pytest.mark.django_db
def test_a_units_own_closure_moves_only_that_units_dossiers(
    procedures, django_capture_on_commit_callbacks
):
    made = _make(procedures, 120, seed=9)
    with django_capture_on_commit_callbacks(execute=True):
        _close(CLOSED_DAY, unit_code=OTHER_WARD)
    moved_units = set(
        Dossier.objects.filter(events__action="due_recompute").values_list("unit_code", flat=True)
    )
    assert moved_units == {OTHER_WARD}
    clear_cache()
    for d in made:
        d2 = Dossier.objects.select_related("procedure").get(pk=d.pk)
        if d.unit_code == WARD:
            assert d2.due_at == d.due_at
        else:
            assert d2.due_at == _expected(d), d.code


def _apologised(procedure: Procedure, code: str) -> Dossier:
    """A dossier received Tuesday 1 Dec 2026, in processing, whose apology letter promised
    Monday 14 Dec 17:00 (its ``due_at``), the original due date as the calendar gives it."""
    receipt = _local(dt.date(2026, 12, 1), 9 * 60)
    promised = dt.datetime.combine(dt.date(2026, 12, 14), dt.time(17), TZ)  # letter's date
    return _received(
        code,
        procedure,
        WARD,
        workflow.PROCESSING,
        receipt,
        promised,
        original_due_at=deadlines.recomputed_due(procedure, WARD, receipt),
        apology_count=1,
    )


@pytest.mark.django_db
def test_an_apology_date_moves_only_by_the_days_closed_after_the_letter(procedures):
    d = _apologised(procedures[0], "T-APOLOGY")
    change = _close(CLOSED_DAY)
    recompute_due_dates(change.pk)
    d.refresh_from_db()
    # One working day lost (Thu 10 Dec) before the letter's Monday 14 Dec: Tuesday 15 Dec.
    assert d.due_at == dt.datetime.combine(dt.date(2026, 12, 15), dt.time(17), TZ)


def _at_five(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(17), TZ)


def _paused_from_ten(d, start: dt.date, end: dt.date) -> None:
    """A supplement pause of ``d`` from 10:00 on ``start`` to 10:00 on ``end``."""
    SupplementPause.objects.create(
        dossier=d,
        requested_at=_local(start, 10 * 60),
        resumed_at=_local(end, 10 * 60),
        reason="Thiếu giấy tờ",
    )


@pytest.mark.django_db
def test_a_closed_day_moves_the_dates_worked_out_by_hand(procedures):
    """The pure rule's dates worked out by hand, not by ``deadlines.recomputed_due`` (which
    the other tests use as their oracle, and the recompute itself calls). Ten working days from
    a receipt on Tuesday 1 Dec 2026 at 09:00, the receipt day not counted (Civil Code 2015, Art.
    147): 2, 3, 4, 7, 8, 9, 10, 11, 14, 15 Dec — due Tuesday 15 Dec at 17:00. A supplement pause
    from Thursday 3 Dec 10:00 to Monday 7 Dec 10:00 stops the clock for the working days after
    its start up to its end, Friday 4 and Monday 7 (DOMAIN §3): due Thursday 17 Dec. Thursday 10
    Dec closed by a notice: the ten days end on Wednesday 16 Dec, with the pause on Friday 18.

    Seven days (a period the law sets in days) from the same receipt end on Tuesday 8 Dec; a
    pause from Wednesday 2 Dec 10:00 to Friday 4 Dec 10:00 stops them for its two days: Thursday
    10 Dec, which closed moves to the next working day, Friday 11 Dec (Civil Code 2015, Art.
    148). Periods in days are recomputed by the pure rule itself, not by the SQL."""
    ten_days, seven_days = procedures[3], procedures[5]
    assert (ten_days.time_kind, ten_days.time_value) == ("working_days", 10)
    assert (seven_days.time_kind, seven_days.time_value) == ("calendar_days", 7)
    receipt = _local(dt.date(2026, 12, 1), 9 * 60)
    plain = _received(
        "T-HAND-1", ten_days, WARD, workflow.PROCESSING, receipt, _at_five(dt.date(2026, 12, 15))
    )
    paused = _received(
        "T-HAND-2", ten_days, WARD, workflow.PROCESSING, receipt, _at_five(dt.date(2026, 12, 17))
    )
    _paused_from_ten(paused, dt.date(2026, 12, 3), dt.date(2026, 12, 7))
    in_days = _received(
        "T-HAND-3", seven_days, WARD, workflow.PROCESSING, receipt, _at_five(dt.date(2026, 12, 10))
    )
    _paused_from_ten(in_days, dt.date(2026, 12, 2), dt.date(2026, 12, 4))
    # The pure rule gives the same dates on today's calendar.
    pauses = {
        d.pk: [(p.requested_at, p.resumed_at)] for d in (paused, in_days) for p in d.pauses.all()
    }
    for d in (plain, paused, in_days):
        assert (
            deadlines.recomputed_due(d.procedure, WARD, receipt, pauses.get(d.pk, [])) == d.due_at
        )
    run = recompute_due_dates(_close(CLOSED_DAY).pk)
    assert run.moved == 3
    for d in (plain, paused, in_days):
        d.refresh_from_db()
    assert plain.due_at == _at_five(dt.date(2026, 12, 16))
    assert paused.due_at == _at_five(dt.date(2026, 12, 18))
    assert in_days.due_at == _at_five(dt.date(2026, 12, 11))


@pytest.mark.django_db
def test_a_run_that_lost_its_progress_moves_nothing_twice(procedures):
    """Lanes commit batches out of order, so a resumed run restages dossiers some of which a
    committed batch already moved: none moves again, not even an apology's date (which the
    days closed after the letter would push once more)."""
    _make(procedures, 100, seed=13)
    _apologised(procedures[0], "T-APOLOGY-2")
    change = _close(CLOSED_DAY)
    first = recompute_due_dates(change.pk)
    assert first.moved > 20
    after = dict(Dossier.objects.values_list("code", "due_at"))
    assert after["T-APOLOGY-2"] == dt.datetime.combine(dt.date(2026, 12, 15), dt.time(17), TZ)
    DueRecompute.objects.filter(change=change).update(last_id=0, finished_at=None)
    again = recompute_due_dates(change.pk)
    assert again.moved == 0 and again.progress.finished_at is not None
    assert dict(Dossier.objects.values_list("code", "due_at")) == after
    assert DossierEvent.objects.filter(action="due_recompute").count() == first.moved


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_lanes_move_the_same_dates_as_one(procedures):
    """Two lanes (threads, each its own connection and transactions) write the batches side by
    side: the dates are the pure rule's, each moved dossier has one timeline event, the audit
    events list them all and the chain holds. The sample is written and the dates checked
    with the calendar kept (this thread alone, nothing rolled back); the lanes read it anew
    every time, as in any test that commits."""
    with kept_in_this_thread():
        made = _make(procedures, 160, seed=17)
    # Here every commit is real: keep the notice's own task from running the recompute first.
    notice_published.disconnect(dispatch_uid="dossiers.recompute")
    try:
        change = _close(CLOSED_DAY)
    finally:
        notice_published.connect(_recompute_after_notice, dispatch_uid="dossiers.recompute")
    assert not DueRecompute.objects.exists()
    run = recompute_due_dates(change.pk, batch_size=5, lanes=2, lane_min_rows=0)
    assert run.progress.finished_at is not None
    assert run.batches >= 3 and run.progress.batches == run.batches
    moved = 0
    with kept_in_this_thread():
        for d in Dossier.objects.filter(pk__in=[m.pk for m in made]).select_related("procedure"):
            old = next(m for m in made if m.pk == d.pk)
            assert d.due_at == _expected(old), d.code
            moved += d.due_at != old.due_at
    assert moved == run.moved == run.progress.moved > 20
    assert run.progress.last_id == max(
        Dossier.objects.filter(events__action="due_recompute").values_list("id", flat=True)
    )
    assert DossierEvent.objects.filter(action="due_recompute").count() == moved
    listed = [
        row[0]
        for e in AuditEvent.objects.filter(action="dossier.due_recompute")
        for row in e.after["moved"]
    ]
    assert len(listed) == len(set(listed)) == moved
    assert audit_verify().ok


@pytest.mark.django_db
def test_a_batch_past_the_statement_bound_is_rolled_back_and_done_in_halves(
    procedures, monkeypatch
):
    """PostgreSQL: no statement of a batch may run past the bound (here 1 ms, so nearly every
    batch does): the batch is rolled back, its locks released, and done again in halves down to
    one dossier; the result is the same."""
    made = _make(procedures, 120, seed=19)
    change = _close(CLOSED_DAY)
    monkeypatch.setattr(recompute, "STATEMENT_BOUND_MS", 1)
    run = recompute_due_dates(change.pk, batch_size=64)
    assert run.progress.finished_at is not None
    if connection.vendor == "postgresql":
        assert run.cancelled > 0
    clear_cache()
    for d in Dossier.objects.filter(pk__in=[m.pk for m in made]).select_related("procedure"):
        old = next(m for m in made if m.pk == d.pk)
        assert d.due_at == _expected(old), d.code
    assert DossierEvent.objects.filter(action="due_recompute").count() == run.moved > 20
    assert audit_verify().ok


@pytest.mark.django_db
def test_a_batch_past_the_time_bound_is_rolled_back_and_done_in_halves(procedures, monkeypatch):
    """However busy the machine, a batch that reaches its commit later than the bound after it
    began is rolled back and done again in halves (here a bound of 0 s: every batch of more than
    one dossier is); the result is the same and nothing of a rolled-back batch remains."""
    made = _make(procedures, 60, seed=23)
    change = _close(CLOSED_DAY)
    monkeypatch.setattr(recompute.batches, "LOCK_BOUND_SECONDS", 0.0)
    run = recompute_due_dates(change.pk, batch_size=16)
    assert run.progress.finished_at is not None
    assert run.cancelled > 0 and len(run.rolled_back_seconds) == run.cancelled
    clear_cache()
    for d in Dossier.objects.filter(pk__in=[m.pk for m in made]).select_related("procedure"):
        old = next(m for m in made if m.pk == d.pk)
        assert d.due_at == _expected(old), d.code
    events = DossierEvent.objects.filter(action="due_recompute")
    assert events.count() == events.values("dossier_id").distinct().count() == run.moved > 10
    assert run.moved == run.batches  # only single-dossier batches committed
    assert audit_verify().ok
