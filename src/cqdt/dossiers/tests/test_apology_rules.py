"""The pure rules of late handling (dossiers.rules): Mẫu 04 and the at-risk warning, no database."""

import datetime as dt

from cqdt.core.refusals import FORBIDDEN, INVALID, RULE
from cqdt.dossiers import rules, workflow

TZ = dt.timezone(dt.timedelta(hours=7))
DUE = dt.datetime(2026, 3, 10, 17, tzinfo=TZ)


def test_an_apology_before_the_due_date_with_a_later_date_passes():
    before = DUE - dt.timedelta(minutes=1)
    assert (
        rules.apology_refusal(due_at=DUE, now=before, new_due_at=DUE + dt.timedelta(days=3)) is None
    )


def test_an_apology_needs_a_due_date_to_apologise_for():
    refusal = rules.apology_refusal(due_at=None, now=DUE, new_due_at=DUE)
    assert (refusal.code, refusal.kind, refusal.field) == ("no_due", RULE, None)
    assert refusal.en == "The dossier has no due date yet."


def test_an_apology_comes_before_the_due_date_passes():
    for now in (DUE, DUE + dt.timedelta(seconds=1)):
        refusal = rules.apology_refusal(due_at=DUE, now=now, new_due_at=DUE + dt.timedelta(days=1))
        assert (refusal.code, refusal.kind, refusal.field) == ("apology_too_late", RULE, "now")


def test_the_new_date_is_after_the_current_one():
    now = DUE - dt.timedelta(days=1)
    for new in (DUE, DUE - dt.timedelta(hours=1)):
        refusal = rules.apology_refusal(due_at=DUE, now=now, new_due_at=new)
        assert (refusal.kind, refusal.field) == (INVALID, "new_due_at")
        assert refusal.en == "The new date must be after the current due date."


def test_lateness_is_refused_before_a_bad_new_date():
    refusal = rules.apology_refusal(due_at=DUE, now=DUE, new_due_at=DUE)
    assert refusal.code == "apology_too_late"


def test_the_officer_moves_the_date_once_then_the_chairman_decides():
    assert not rules.chairman_needed(0)
    assert rules.chairman_needed(1) and rules.chairman_needed(2)
    assert rules.CHAIRMAN_REQUIRED.code == "chairman_required"
    assert rules.CHAIRMAN_REQUIRED.field == "official"
    assert rules.CHAIRMAN_REQUIRED.kind == FORBIDDEN  # a refusal of authority: 403


def test_the_apology_note_gives_the_reason_and_the_new_date():
    note = rules.apology_note("thiếu hồ sơ gốc", dt.datetime(2026, 3, 13, 9, 30, tzinfo=TZ))
    assert note == "Xin lỗi vì chậm trả kết quả: thiếu hồ sơ gốc. Hẹn lại: 09:30 ngày 13/03/2026."


def test_one_working_day_or_less_left_is_at_risk():
    assert rules.at_risk(1) and rules.at_risk(0) and rules.at_risk(-3)
    assert not rules.at_risk(2)


def test_the_pre_filter_reaches_a_week_past_the_second_working_day():
    assert rules.at_risk_horizon(dt.date(2026, 2, 23)) == dt.date(2026, 3, 2)


def test_a_dossier_is_flagged_once_while_its_clock_runs_and_its_date_stands():
    running = next(iter(workflow.CLOCK_RUNNING))

    def flag(**given):
        return rules.still_to_flag(
            **{
                "at_risk_since": None,
                "status": running,
                "clock_running": workflow.CLOCK_RUNNING,
                "due_at": DUE,
                "due_at_read": DUE,
            }
            | given
        )

    assert flag()
    assert not flag(at_risk_since=DUE - dt.timedelta(days=1))  # flagged already
    assert not flag(status="returned")  # no longer running
    assert not flag(due_at=DUE + dt.timedelta(days=2))  # an apology moved it since the read


def test_the_warning_names_the_dossier_and_its_due_time():
    body = rules.at_risk_body("H26.01-260310-0001", DUE)
    assert (
        body == "Hồ sơ H26.01-260310-0001 còn không quá một ngày làm việc đến hạn 17:00 10/03/2026."
    )
