"""authority_check: may this official do this act here, now — on what basis, signing how?"""

import datetime as dt

import pytest

from cqdt.authority.selectors import (
    BASIS_ACTING,
    BASIS_APPOINTMENT,
    BASIS_DELEGATION,
    BASIS_FIELD,
    authority_check,
)
from cqdt.authority.services import field_assignment_revoke
from cqdt.core.errors import InvalidInput, NotFound
from cqdt.staff import posts
from cqdt.staff.models import AppointmentKind, EndReason
from cqdt.staff.tests.factories import (
    ACTOR,
    BA_DINH,
    BAC_SON,
    CHECK_DAY,
    GRANT_DAY,
    ONE_DAY,
    PHUC_XA,
    PILOT_START,
    SOC_SON,
    TRUC_BACH,
    WITH_LEADERSHIP,
    acting_chairman,
    appoint,
    at,
    elect_chairman,
    end_post,
    official,
    refused,
    revoke,
    unchanged,
    vacate_chair,
)
from cqdt.testing import assign_field, delegate

pytestmark = WITH_LEADERSHIP

VALID_TO = dt.date(2022, 6, 30)


def _check(official_, act="certify_copy", unit=PHUC_XA, when=None):
    with unchanged():  # a check is a read: it never writes
        return authority_check(official_, act, unit, when or at(CHECK_DAY))


# ---- the chairman and acting authority --------------------------------------------------


def test_the_chairman_signs_chu_tich_under_the_pilot(leadership):
    decision = _check(leadership.chairman, "sign_result:land")
    assert decision.allowed
    assert decision.basis == BASIS_APPOINTMENT
    assert decision.signature_block == "CHỦ TỊCH"
    assert decision.seal_allowed
    assert decision.instrument["number"] == leadership.chair.decision_number
    assert decision.instrument["deciding_unit_code"] == BA_DINH


def test_the_capital_law_model_keeps_the_pilot_blocks(leadership):
    decision = _check(leadership.chairman, when=at(dt.date(2025, 3, 1)))
    assert decision.allowed and decision.signature_block == "CHỦ TỊCH"


def test_nobody_signs_for_the_ward_outside_a_post_or_instrument(leadership):
    for stranger in (leadership.district_chairman, leadership.justice):
        decision = _check(stranger)
        assert not decision.allowed
        assert decision.basis is None and decision.signature_block is None
        assert "tại phường Phúc Xá vào ngày" in decision.reason_vi
        assert "Certify copies from originals" in decision.reason_en  # plain words, not the code
        assert "certify_copy" not in decision.reason_en + decision.reason_vi


def test_an_acting_chairman_signs_q_chu_tich_only_while_the_post_is_vacant(leadership):
    vacancy, new_start = dt.date(2022, 3, 1), dt.date(2022, 6, 1)
    vacate_chair(leadership, vacancy, EndReason.TRANSFER, "20/QĐ-UBND")
    acting_holder = leadership.vice_chairmen[0]
    acting = acting_chairman(leadership, acting_holder, vacancy)

    decision = _check(acting_holder)
    assert decision.allowed
    assert decision.basis == BASIS_ACTING
    assert decision.signature_block == "Q. CHỦ TỊCH"
    assert decision.instrument["kind"] == "acting"
    assert decision.instrument["number"] == acting.decision_number
    assert not _check(leadership.chairman).allowed  # transferred away

    # A chairman is appointed while the acting assignment is still open: the acting holder's
    # authority ends with the vacancy.
    new_chairman = official()
    appoint(
        new_chairman, PHUC_XA, posts.CHAIRMAN, by=leadership.district_chairman, term_start=new_start
    )
    assert _check(acting_holder, when=at(new_start - ONE_DAY)).signature_block == "Q. CHỦ TỊCH"
    late = _check(acting_holder, when=at(new_start))
    assert not late.allowed
    assert _check(new_chairman, when=at(new_start)).signature_block == "CHỦ TỊCH"


# ---- vice-chairmen: field assignment or delegation ---------------------------------------


def test_a_vice_chairman_without_assignment_or_delegation_is_refused(leadership):
    decision = _check(leadership.vice_chairmen[0])
    assert not decision.allowed
    assert decision.basis is None and decision.signature_block is None
    assert "Phó Chủ tịch chưa được phân công" in decision.reason_vi
    assert "15/03/2022" in decision.reason_vi
    assert "no delegation in force" in decision.reason_en
    assert decision.as_dict()["reasons"] == {"vi": decision.reason_vi, "en": decision.reason_en}


def test_a_field_assigned_vice_chairman_signs_kt_chu_tich(leadership):
    vice = leadership.vice_chairmen[0]
    assignment = assign_field(leadership.team(), GRANT_DAY, fields=["certification", "land"])
    decision = _check(vice)
    assert decision.allowed
    assert decision.basis == BASIS_FIELD
    assert decision.signature_block == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert decision.instrument["number"] == "12/QĐ-UBND"
    assert decision.instrument["fields"] == ["certification", "land"]
    assert _check(vice, "sign_result:land").allowed
    assert not _check(vice, "sign_result:finance").allowed
    assert not _check(vice, when=at(GRANT_DAY - ONE_DAY)).allowed

    field_assignment_revoke(
        actor=ACTOR, assignment=assignment, revoked_by=leadership.chairman, revoked_on=CHECK_DAY
    )
    assert _check(vice, when=at(CHECK_DAY - ONE_DAY)).allowed
    assert not _check(vice).allowed


def test_a_delegated_vice_chairman_signs_tuq_chu_tich_until_revoked(leadership):
    vice = leadership.vice_chairmen[0]
    assert not _check(vice).allowed
    delegation = delegate(leadership.team(), GRANT_DAY, "vice", valid_to=VALID_TO)

    decision = _check(vice)
    assert decision.allowed
    assert decision.basis == BASIS_DELEGATION
    assert decision.instrument["number"] == "15/QĐ-UBND"
    assert decision.instrument["delegator"] == str(leadership.chairman.public_id)
    assert decision.signature_block == "TUQ. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert "15/QĐ-UBND" in decision.reason_vi
    assert not decision.seal_allowed
    assert not _check(vice, "certify_signature").allowed  # outside the scope

    revoke(leadership, delegation, "16/QĐ-UBND")
    assert _check(vice, when=at(CHECK_DAY - ONE_DAY, 23, 59)).allowed
    refused = _check(vice)
    assert not refused.allowed and refused.basis is None


def test_a_delegation_expires_after_its_last_day_in_hanoi_time(leadership):
    vice = leadership.vice_chairmen[0]
    delegate(leadership.team(), GRANT_DAY, "vice", valid_to=CHECK_DAY)
    assert _check(vice, when=at(CHECK_DAY, 23, 59)).allowed
    assert not _check(vice, when=at(CHECK_DAY + ONE_DAY, 0, 0)).allowed
    # 17:30 UTC on the last day is already the next morning in Hanoi.
    utc_evening = dt.datetime.combine(CHECK_DAY, dt.time(17, 30), tzinfo=dt.UTC)
    assert not _check(vice, when=utc_evening).allowed
    assert _check(vice, when=utc_evening - dt.timedelta(hours=1)).allowed
    assert not _check(vice, when=at(GRANT_DAY - ONE_DAY, 23, 59)).allowed


def test_a_field_assignment_comes_before_a_delegation(leadership):
    vice = leadership.vice_chairmen[0]
    team = leadership.team()
    assign_field(team, GRANT_DAY, fields=["certification"])
    delegate(team, GRANT_DAY, "vice", valid_to=VALID_TO)
    assert _check(vice).basis == BASIS_FIELD


# ---- the Justice–Civil status civil servant ---------------------------------------------


def test_the_justice_civil_servant_certifies_copies_with_the_seal(leadership):
    delegate(leadership.team(), GRANT_DAY, valid_to=VALID_TO, seal_allowed=True)
    decision = _check(leadership.justice)
    assert decision.allowed
    assert decision.basis == BASIS_DELEGATION
    assert decision.seal_allowed is True
    assert decision.signature_block == "TUQ. CHỦ TỊCH\nCÔNG CHỨC TƯ PHÁP - HỘ TỊCH"
    assert decision.as_dict()["seal_allowed"] is True
    assert not _check(leadership.justice, "register_civil_status").allowed
    assert not _check(leadership.justice, unit=TRUC_BACH).allowed  # only in her ward


def test_a_delegation_lapses_when_the_delegator_leaves_the_chair(leadership):
    delegate(leadership.team(), GRANT_DAY, valid_to=VALID_TO)
    vacate_chair(leadership, CHECK_DAY, EndReason.ROTATION, "41/QĐ-UBND")
    assert _check(leadership.justice, when=at(CHECK_DAY - ONE_DAY)).allowed
    decision = _check(leadership.justice)
    assert not decision.allowed
    assert "15/QĐ-UBND" in decision.reason_vi
    assert "no longer holds the chair" in decision.reason_en


def test_a_delegation_gives_nothing_once_the_delegate_leaves_the_ward(leadership):
    delegate(leadership.team(), GRANT_DAY, valid_to=VALID_TO)
    end_post(leadership.justice_post, CHECK_DAY, EndReason.TRANSFER, "42/QĐ-UBND")
    assert _check(leadership.justice, when=at(CHECK_DAY - ONE_DAY)).allowed
    decision = _check(leadership.justice)
    assert not decision.allowed
    assert "no longer holds a post" in decision.reason_en


# ---- the standard model (collective regime): TM. ỦY BAN NHÂN DÂN ------------------------


def test_phuc_xa_before_the_pilot_signs_for_the_committee(leadership):
    elected = elect_chairman(PHUC_XA, term_start=dt.date(2016, 7, 1))
    assert elected.term_end == dt.date(2021, 6, 30)
    before = _check(elected.official, when=at(dt.date(2020, 5, 4)))
    assert before.allowed
    assert before.signature_block == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    assert not _check(elected.official, when=at(PILOT_START)).allowed


def test_a_rural_commune_signs_for_the_committee(leadership):
    chairman = elect_chairman(BAC_SON).official
    vice = official(SOC_SON)
    elect = {"by": None, "by_unit": BAC_SON, "kind": AppointmentKind.ELECTION}
    appoint(vice, BAC_SON, posts.VICE_CHAIRMAN, **elect)
    team = {"chair": chairman, "vice": vice}
    assign_field(team, GRANT_DAY, unit=BAC_SON, fields=["land"], number="3/QĐ-UBND")
    chair = _check(chairman, unit=BAC_SON)
    assert chair.signature_block == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    kt = _check(vice, "sign_result:land", unit=BAC_SON)
    assert kt.basis == BASIS_FIELD
    assert kt.signature_block == "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"


# ---- malformed questions -----------------------------------------------------------------


@pytest.mark.parametrize("act", ["sign_everything", "sign_result:*", "sign_result:moon", ""])
def test_an_unknown_act_is_invalid_input(leadership, act):
    error = refused(
        authority_check, leadership.chairman, act, PHUC_XA, at(CHECK_DAY), error=InvalidInput
    )
    assert error.field == "act"


def test_an_unknown_unit_is_not_found(leadership):
    with pytest.raises(NotFound):
        authority_check(leadership.chairman, "certify_copy", "99999", at(CHECK_DAY))


# ---- issue 19: wording by how the post was obtained, acts decided elsewhere, dated answers --


def test_an_elected_chairman_is_not_told_he_was_appointed(leadership):
    # Law 77/2015/QH13 (and Law 72/2025/QH15): the chairman is elected by the council.
    elected = elect_chairman(PHUC_XA, term_start=dt.date(2016, 7, 1))
    decision = _check(elected.official, when=at(dt.date(2020, 5, 4)))
    assert decision.allowed
    assert "Hội đồng nhân dân bầu" in decision.reason_vi
    assert "bổ nhiệm" not in decision.reason_vi
    assert "elected" in decision.reason_en
    appointed = _check(leadership.chairman)  # the pilot: appointed by the district chairman
    assert "quyết định bổ nhiệm" in appointed.reason_vi


def test_residence_registration_is_decided_by_the_commune_police(leadership):
    # Law on Residence 2020, Art. 22 and 28: the commune-level police decide; no committee
    # official signs, not even the chairman (procedures 1.004222, 1.004194).
    for person in (leadership.chairman, *leadership.vice_chairmen, leadership.justice):
        decision = _check(person, "decide_residence")
        assert not decision.allowed
        assert "Công an cấp xã" in decision.reason_vi
        assert "Luật Cư trú 2020" in decision.reason_vi


def test_the_answer_says_its_date_source_and_where_the_data_stops(leadership):
    body = _check(leadership.chairman).as_dict()
    assert body["as_of"] == CHECK_DAY
    assert "97/2019/QH14" in body["source"]
    assert body["data_verified_to"] is not None
    assert body["beyond_verified_data"] is (body["data_verified_to"] < CHECK_DAY)


def test_a_refusal_before_the_verified_data_says_it_cannot_tell(leadership):
    """QA Q17 of 7 December: asked about 15 March 2019, before the verified data (the pilot's
    officials are recorded from 1 July 2021), the answer was a definite "Không có thẩm quyền …:
    không phải Chủ tịch …" — missing data told as a fact. It still refuses, but says the
    platform cannot tell, and carries the unit API's window and note."""
    before = _check(leadership.chairman, when=at(dt.date(2019, 3, 15))).as_dict()
    assert before["data_verified_from"] is not None
    assert before["data_verified_from"] > dt.date(2019, 3, 15)
    assert before["allowed"] is False and before["before_verified_data"] is True
    assert before["reasons"]["vi"].startswith("Không xác định được thẩm quyền vào ngày 15/03/2019")
    assert "cannot be told" in before["reasons"]["en"]
    assert before["data_note"] is not None and before["data_note"]["vi"]
    inside = _check(leadership.chairman).as_dict()
    assert inside["before_verified_data"] is False
    assert (inside["data_note"] is None) is not inside["beyond_verified_data"]


def test_an_elected_chairman_of_a_2025_ward_signs_for_the_committee(leadership):
    # Phường Hồng Hà (00097) from 1 July 2025: own council, collective regime (Law 72/2025/QH15).
    elected = elect_chairman("00097", term_start=dt.date(2025, 7, 1))
    decision = _check(elected.official, unit="00097", when=at(dt.date(2026, 12, 4)))
    assert decision.allowed
    assert decision.signature_block == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    assert "72/2025/QH15" in decision.source
    assert decision.beyond_verified_data  # the unit data is verified to 2025; this is 2026
    assert decision.data_note is not None and "2026" in decision.data_note["en"]  # QA Q17
