"""The pure rules of late handling (dossiers.rules): Mẫu 04 and the at-risk warning, no database."""

import datetime as dt

from cqdt.core.refusals import INVALID, RULE
from cqdt.dossiers import rules, workflow

TZ = dt.timezone(dt.timedelta(hours=7))
DUE = dt.datetime(2026, 3, 10, 17, tzinfo=TZ)


def test_an_apology_before_the_due_date_with_a_later_date_passes():
    before = DUE - dt.timedelta(minutes=1)
    later = DUE + dt.timedelta(days=3)
    refusal = rules.apology_refusal(
        due_at=DUE, now=before, new_due_at=later, apology_count=0, working_days_left=1
    )
    assert refusal is None


def test_an_apology_needs_a_due_date_to_apologise_for():
    refusal = rules.apology_refusal(
        due_at=None, now=DUE, new_due_at=DUE, apology_count=0, working_days_left=0
    )
    assert (refusal.code, refusal.kind, refusal.field) == ("no_due", RULE, None)
    assert refusal.en == "The dossier has no due date yet."


def test_an_apology_comes_before_the_due_date_passes():
    for now in (DUE, DUE + dt.timedelta(seconds=1)):
        new = DUE + dt.timedelta(days=1)
        refusal = rules.apology_refusal(
            due_at=DUE, now=now, new_due_at=new, apology_count=0, working_days_left=0
        )
        assert (refusal.code, refusal.kind, refusal.field) == ("apology_too_late", RULE, "now")


def test_an_apology_comes_at_least_one_working_day_before_the_due_date():
    """DOMAIN §3 [C]: at least one working day ahead (``APOLOGY_LEAD_WORKING_DAYS``): with the due
    day one working day after today it is in time; on the due day itself, before the due hour,
    it is too late, and the refusal says why."""
    assert rules.APOLOGY_LEAD_WORKING_DAYS == 1
    new = DUE + dt.timedelta(days=3)
    morning = DUE - dt.timedelta(hours=9)  # the due day, 08:00
    assert not rules.apology_too_late(DUE, morning, 1)
    assert rules.apology_too_late(DUE, morning, 0)
    assert rules.apology_too_late(DUE, DUE, 1)  # the moment passed, whatever the count says
    assert not rules.apology_too_late(None, morning, 0)
    in_time = rules.apology_refusal(
        due_at=DUE, now=morning, new_due_at=new, apology_count=0, working_days_left=1
    )
    assert in_time is None
    refusal = rules.apology_refusal(
        due_at=DUE, now=morning, new_due_at=new, apology_count=0, working_days_left=0
    )
    assert (refusal.code, refusal.kind, refusal.field) == ("apology_too_late", RULE, "now")
    assert refusal.en == (
        "An apology must be issued at least one working day before the due date: it is now less "
        "than one working day before the due date."
    )
    assert refusal.vi == (
        "Phiếu xin lỗi phải được phát hành trước hạn giải quyết ít nhất 1 ngày làm việc: nay còn "
        "chưa đến 1 ngày làm việc trước hạn."
    )
    assert rules.apology_too_late(DUE, morning, 1, lead=2)


def test_the_new_date_is_after_the_current_one():
    now = DUE - dt.timedelta(days=1)
    for new in (DUE, DUE - dt.timedelta(hours=1)):
        refusal = rules.apology_refusal(
            due_at=DUE, now=now, new_due_at=new, apology_count=0, working_days_left=1
        )
        assert (refusal.kind, refusal.field) == (INVALID, "new_due_at")
        assert refusal.en == "The new date must be after the current due date."


def test_lateness_is_refused_before_a_bad_new_date():
    refusal = rules.apology_refusal(
        due_at=DUE, now=DUE, new_due_at=DUE, apology_count=0, working_days_left=0
    )
    assert refusal.code == "apology_too_late"


def test_the_date_is_moved_once_and_no_one_moves_it_again():
    """DOMAIN §3 [C]: the date may be moved once (``APOLOGY_MOVES_MAX``); a second Mẫu 04 is a
    refusal of the rule (422), not of authority: the ward chairman gets it too."""
    assert rules.APOLOGY_MOVES_MAX == 1
    assert (
        "107/2021" in rules.APOLOGY_MOVES_SOURCE[0] and "107/2021" in rules.APOLOGY_MOVES_SOURCE[1]
    )
    assert not rules.apology_limit_reached(0)
    assert rules.apology_limit_reached(1) and rules.apology_limit_reached(2)
    assert rules.apology_limit_refusal(0) is None
    before = DUE - dt.timedelta(days=1)
    later = DUE + dt.timedelta(days=2)
    refusal = rules.apology_refusal(
        due_at=DUE, now=before, new_due_at=later, apology_count=1, working_days_left=1
    )
    assert (refusal.code, refusal.kind, refusal.field) == (
        "apology_limit_reached",
        RULE,
        "apology_count",
    )
    assert refusal.vi == (
        "Không thể phát hành thêm phiếu xin lỗi (Mẫu 04), kể cả Chủ tịch UBND: ngày hẹn trả kết "
        "quả đã được dời 1 lần, mà chỉ được dời tối đa 1 lần (Nghị định 61/2018/NĐ-CP, sửa đổi "
        "bởi Nghị định 107/2021/NĐ-CP)."
    )
    assert refusal.en == (
        "No further apology slip (Form 04) can be issued, not even by the ward chairman: the "
        "return date has been moved once, and it may be moved once at most (Decree 61/2018/ND-CP "
        "as amended by Decree 107/2021/ND-CP)."
    )
    # Past the new date as well: the limit is the reason given, whatever the date.
    late = rules.apology_refusal(
        due_at=DUE, now=DUE, new_due_at=later, apology_count=1, working_days_left=0
    )
    assert late.code == "apology_limit_reached"
    assert not hasattr(rules, "chairman_needed") and not hasattr(rules, "CHAIRMAN_REQUIRED")


def test_the_limit_is_a_configuration_value():
    """Set higher, it lets that many moves through and names the numbers it was given."""
    assert rules.apology_limit_refusal(1, limit=2) is None
    refusal = rules.apology_limit_refusal(2, limit=2)
    assert "dời 2 lần, mà chỉ được dời tối đa 2 lần" in refusal.vi
    assert "moved twice, and it may be moved twice at most" in refusal.en


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
