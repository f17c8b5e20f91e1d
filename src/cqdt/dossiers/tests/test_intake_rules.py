"""The pure rules of intake and of the supplement pause (dossiers.rules): no database."""

import datetime as dt

from cqdt.core.refusals import INVALID
from cqdt.dossiers import rules

PAPERS = [{"code": "to_khai", "name": "Tờ khai"}, {"code": "cccd", "name": "CCCD"}]
TZ = dt.timezone(dt.timedelta(hours=7))


def test_papers_of_the_procedure_pass():
    assert rules.unknown_papers_refusal(PAPERS, ["cccd", "to_khai"]) is None
    assert rules.unknown_papers_refusal(PAPERS, []) is None
    assert rules.unknown_papers_refusal(PAPERS, ["cccd"], listed=False) is None


def test_at_intake_the_first_five_foreign_papers_are_named_in_the_order_given():
    given = ["cccd", "a", "b", "c", "d", "e", "f"]
    refusal = rules.unknown_papers_refusal(PAPERS, given)
    assert (refusal.field, refusal.kind) == ("documents", INVALID)
    assert refusal.en == "Papers not part of this procedure: a, b, c, d, e."
    assert refusal.vi == "Giấy tờ không thuộc thủ tục: a, b, c, d, e."


def test_a_supplement_with_foreign_papers_is_refused_in_general():
    refusal = rules.unknown_papers_refusal(PAPERS, ["cccd", "x"], listed=False)
    assert refusal.field == "documents"
    assert (refusal.vi, refusal.en) == (
        "Giấy tờ không thuộc thủ tục.",
        "Papers not part of this procedure.",
    )


def test_the_note_has_at_most_a_thousand_characters():
    assert rules.note_refusal("") is None
    assert rules.note_refusal("x" * rules.NOTE_MAX) is None
    refusal = rules.note_refusal("x" * (rules.NOTE_MAX + 1))
    assert refusal.field == "note" and refusal.en == "Note too long (1,000 characters at most)."


def test_the_desk_receives_at_the_counter_and_whenever_staff_enter_a_dossier():
    assert rules.receiver_checked(at_counter=True, receiver_named=False)
    assert rules.receiver_checked(at_counter=False, receiver_named=True)  # a dossier by post
    assert not rules.receiver_checked(at_counter=False, receiver_named=False)  # online


def test_only_a_pause_on_a_running_clock_moves_the_due_date():
    due = dt.datetime(2026, 3, 10, 17, tzinfo=TZ)
    assert rules.pause_moves_due(at_intake=False, due_at=due)
    assert not rules.pause_moves_due(at_intake=True, due_at=due)
    assert not rules.pause_moves_due(at_intake=False, due_at=None)


def test_the_resumed_note_says_how_far_the_date_moved():
    assert rules.resumed_note(None, None) == "Đã nhận hồ sơ bổ sung."
    new_due = dt.datetime(2026, 3, 13, 17, tzinfo=TZ)
    assert rules.resumed_note(3, new_due) == (
        "Đã nhận hồ sơ bổ sung. Thời hạn được lùi 3 ngày làm việc: hẹn trả 17:00 ngày 13/03/2026."
    )
    assert rules.resumed_note(0, new_due).startswith(
        "Đã nhận hồ sơ bổ sung. Thời hạn được lùi 0 ngày"
    )
