"""The pure rules of intake and of the supplement pause (dossiers.rules): no database."""

import datetime as dt
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Applicant:
    kind: str = rules.PERSON
    name: str = "Nguyễn Văn An"
    id_number: str = "001090012345"
    organisation_name: str = ""
    phone: str = "0912345678"


def applicant(**given):
    return rules.applicant_refusals(Applicant(**given), (rules.PERSON, rules.ORGANISATION))


def test_the_applicant_kinds_are_the_models():
    from cqdt.dossiers.models import ApplicantKind

    assert {rules.PERSON, rules.ORGANISATION} == set(ApplicantKind.values)


def test_a_person_with_a_name_a_citizen_id_and_a_phone_passes():
    assert applicant() == []
    assert applicant(phone="") == []


def test_an_organisation_needs_its_name_and_no_citizen_id():
    organisation = {"kind": rules.ORGANISATION, "id_number": ""}
    assert applicant(**organisation, organisation_name="Công ty TNHH An Bình") == []
    (refusal,) = applicant(**organisation, organisation_name=" ")
    assert refusal.field == "applicant.organisation_name"
    assert refusal.en == "The organisation's name is required."
    # Blanks are no number (the JSON API does not strip): an organisation needs none, and is not
    # told that a person's is required (hreview R3).
    assert applicant(**organisation | {"id_number": "   "}, organisation_name="Công ty A") == []


def test_every_problem_of_the_applicant_is_found_in_order():
    found = applicant(kind="robot", name=" ", id_number="12", phone="12")
    assert [r.field for r in found] == [
        "applicant.kind",
        "applicant.name",
        "applicant.id_number",  # given, so checked whatever the kind
        "applicant.phone",
    ]
    assert all(r.kind == INVALID for r in found)
    assert found[2].code == "invalid_citizen_id"


def test_a_person_needs_a_citizen_id():
    (refusal,) = applicant(id_number="")
    assert (refusal.field, refusal.code) == ("applicant.id_number", "invalid_citizen_id")


def test_a_person_without_a_citizen_id_is_told_it_is_required_not_that_it_is_malformed():
    """Seen on the online form: the field, left empty (nothing marked it required), came back
    with "Số định danh cá nhân phải gồm đúng 12 chữ số." — as if the citizen had mistyped it."""
    (refusal,) = applicant(id_number="  ")
    assert refusal.vi == "Cần số định danh cá nhân của người nộp (12 chữ số, in trên thẻ căn cước)."
    assert (
        refusal.en
        == "The applicant's personal identification number (12 digits, as on the ID card) is required."
    )
    (mistyped,) = applicant(id_number="00109001234")
    assert mistyped.vi == "Số định danh cá nhân phải gồm đúng 12 chữ số."


def test_the_form_says_a_person_must_give_a_citizen_id():
    from cqdt.dossiers.forms import ApplicantForm

    help_text = str(ApplicantForm().fields["applicant_id_number"].help_text)
    assert help_text == "Bắt buộc khi người nộp là cá nhân."


def test_a_supplement_request_during_processing_says_the_clock_stops():
    assert rules.supplement_note("thiếu bản sao", at_intake=True) == (
        "Đề nghị bổ sung, hoàn thiện hồ sơ: thiếu bản sao"
    )
    assert rules.supplement_note("thiếu bản sao", at_intake=False) == (
        "Đề nghị bổ sung, hoàn thiện hồ sơ: thiếu bản sao (tạm dừng tính thời hạn giải quyết)"
    )
