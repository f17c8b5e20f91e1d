"""Granting and revoking delegations and field assignments: who may, for what, for how long."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cqdt.authority.models import Delegation, FieldAssignment
from cqdt.authority.services import (
    delegation_grant,
    field_assignment_create,
    field_assignment_revoke,
)
from cqdt.core import refcache
from cqdt.core.audit import audit_verify
from cqdt.core.errors import Conflict, InvalidInput, RuleViolation
from cqdt.core.models import AuditEvent
from cqdt.staff import posts
from cqdt.staff.models import AppointmentKind, EndReason
from cqdt.staff.tests.factories import (
    ACTOR,
    BAC_SON,
    CHECK_DAY,
    GRANT_DAY,
    ONE_DAY,
    PHUC_XA,
    TRUC_BACH,
    WITH_LEADERSHIP,
    acting_chairman,
    appoint,
    elect_chairman,
    official,
    revoke,
    unchanged,
    vacate_chair,
)

pytestmark = WITH_LEADERSHIP

VALID_TO = dt.date(2022, 12, 31)
CHAIR_LAST_DAY = dt.date(2026, 6, 30)


def grant(leadership, **changes):
    args = {
        "actor": ACTOR,
        "delegator": leadership.chairman,
        "delegate": leadership.justice,
        "unit_code": PHUC_XA,
        "scope": ["certify_copy"],
        "instrument_number": "15/QĐ-UBND",
        "instrument_date": GRANT_DAY,
        "valid_from": GRANT_DAY,
        "valid_to": VALID_TO,
        "seal_allowed": True,
    } | changes
    return delegation_grant(**args)


def refused(error, code=None, *, leadership, **changes):
    """Run ``grant`` expecting ``error`` (with ``code``) and no write at all."""
    with unchanged(), pytest.raises(error) as exc:
        grant(leadership, **changes)
    if code is not None:
        assert exc.value.code == code
    return exc.value


# ---- granting ----------------------------------------------------------------------------


def test_a_grant_is_stored_with_the_delegates_post_and_audited(leadership):
    delegation = grant(leadership, scope=["certify_copy", "certify_copy"])
    assert delegation.scope == ["certify_copy"]
    assert delegation.delegate_post == posts.JUSTICE_CIVIL_STATUS
    assert delegation.seal_allowed
    event = AuditEvent.objects.get(action="delegation.grant")
    assert event.object_id == str(delegation.public_id)
    assert event.after["instrument_number"] == "15/QĐ-UBND"
    assert event.after["valid_to"] == VALID_TO.isoformat()
    assert audit_verify().ok


def test_a_vice_chairman_delegate_is_recorded_under_her_post(leadership):
    delegation = grant(leadership, delegate=leadership.vice_chairmen[0], seal_allowed=False)
    assert delegation.delegate_post == posts.VICE_CHAIRMAN


def test_a_grant_may_run_to_the_chairmans_last_day_but_not_beyond(leadership):
    refused(RuleViolation, "out_of_term", leadership=leadership, valid_to=CHAIR_LAST_DAY + ONE_DAY)
    assert grant(leadership, valid_to=CHAIR_LAST_DAY).valid_to == CHAIR_LAST_DAY


def test_a_chairman_ended_early_cannot_delegate_past_his_last_day(leadership):
    vacate_chair(leadership, dt.date(2023, 1, 1), EndReason.TRANSFER, "50/QĐ-UBND")
    error = refused(
        RuleViolation, "out_of_term", leadership=leadership, valid_to=dt.date(2023, 1, 1)
    )
    assert "31/12/2022" in error.vi
    assert grant(leadership, valid_to=dt.date(2022, 12, 31))


def test_a_retroactive_grant_is_refused(leadership):
    refused(
        RuleViolation,
        "retroactive_delegation",
        leadership=leadership,
        valid_from=GRANT_DAY - ONE_DAY,
    )


@pytest.mark.parametrize("act", ["issue_document", "answer_petition"])
def test_an_act_the_pilot_does_not_list_is_not_delegable(leadership, act):
    error = refused(
        RuleViolation, "not_delegable", leadership=leadership, scope=["certify_copy", act]
    )
    assert act in error.en


@pytest.mark.parametrize(
    "scope",
    [["certify_signature"], ["certify_contract"], ["register_civil_status"], ["sign_result:*"]],
)
def test_the_pilot_delegates_only_certified_copies(leadership, scope):
    # Decree 32/2021/NĐ-CP: the ward chairman may authorise the Justice–Civil status civil
    # servant to sign certified copies from originals; no source allows more, and never a
    # wildcard over procedure results (issue 19, DOMAIN §8). Earlier data allowed all of these.
    refused(RuleViolation, "not_delegable", leadership=leadership, scope=scope)


def test_an_act_the_committee_does_not_decide_is_refused_even_if_the_model_lists_it(leadership):
    # The model is [C] data; /admin/ (its clean()) now refuses such a list
    # (units/tests/test_governance_admin.py), but a list written without it — a bulk update,
    # older data — must still not let the grant through.
    from cqdt.units.models import GovernanceModel

    GovernanceModel.objects.filter(slug="hanoi-urban-pilot-2021").update(
        delegable_acts=["certify_copy", "decide_residence"]
    )
    refcache.clear()  # an update() sends no save signal
    with pytest.raises(ValidationError, match="decide_residence"):
        GovernanceModel.objects.get(slug="hanoi-urban-pilot-2021").full_clean()
    error = refused(
        RuleViolation, "not_delegable", leadership=leadership, scope=["decide_residence"]
    )
    assert "decide_residence" in error.en and "commune-level police" in error.en
    assert "Công an cấp xã" in error.vi
    assert grant(leadership, scope=["certify_copy"]).scope == ["certify_copy"]


def test_the_standard_model_delegates_certification_only(leadership):
    chairman = elect_chairman(BAC_SON).official
    clerk = official("016")
    appoint(
        clerk,
        BAC_SON,
        posts.ONE_STOP_DESK,
        by=None,
        by_unit=BAC_SON,
        kind=AppointmentKind.ASSIGNMENT,
    )
    base = {"delegator": chairman, "delegate": clerk, "unit_code": BAC_SON, "seal_allowed": False}
    for scope in (["register_civil_status"], ["sign_result:*"], ["sign_result:land"]):
        refused(RuleViolation, "not_delegable", leadership=leadership, scope=scope, **base)
    assert (
        grant(leadership, scope=["certify_signature"], **base).delegate_post == posts.ONE_STOP_DESK
    )


def test_a_delegate_cannot_delegate_further(leadership):
    grant(leadership)
    for scope in (["certify_copy"],):  # the only act delegable in a pilot ward
        error = refused(
            RuleViolation,
            "no_subdelegation",
            leadership=leadership,
            delegator=leadership.justice,
            delegate=leadership.vice_chairmen[0],
            scope=scope,
            instrument_number="1/QĐ-TUQ",
        )
        assert error.field == "delegator"


@pytest.mark.parametrize("who", ["vice_chairman", "district_chairman"])
def test_only_the_wards_chairman_delegates(leadership, who):
    delegator = {
        "vice_chairman": leadership.vice_chairmen[1],
        "district_chairman": leadership.district_chairman,
    }[who]
    refused(RuleViolation, "delegator_lacks_power", leadership=leadership, delegator=delegator)


def test_an_acting_chairman_delegates(leadership):
    vacate_chair(leadership, dt.date(2022, 1, 1), EndReason.TRANSFER, "51/QĐ-UBND")
    acting_holder = leadership.vice_chairmen[0]
    acting_chairman(leadership, acting_holder, dt.date(2022, 1, 1))
    assert grant(leadership, delegator=acting_holder).delegator == acting_holder
    refused(RuleViolation, "delegator_lacks_power", leadership=leadership, instrument_number="2/Q")


def test_the_delegate_must_hold_a_post_in_the_ward(leadership):
    outsider = official()
    appoint(
        outsider,
        TRUC_BACH,
        posts.JUSTICE_CIVIL_STATUS,
        by=leadership.district_chairman,
        kind=AppointmentKind.ASSIGNMENT,
    )
    refused(RuleViolation, "delegate_not_in_unit", leadership=leadership, delegate=outsider)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"scope": []}, "scope"),
        ({"scope": ["sign_everything"]}, "scope"),
        ({"scope": ["certify_*"]}, "scope"),
        ({"instrument_number": "  "}, "instrument_number"),
        ({"instrument_number": "x" * 61}, "instrument_number"),
        ({"valid_to": GRANT_DAY - ONE_DAY}, "valid_to"),
    ],
)
def test_malformed_grants_are_invalid_input(leadership, changes, field):
    error = refused(InvalidInput, leadership=leadership, **changes)
    assert error.field == field


def test_one_cannot_delegate_to_oneself(leadership):
    error = refused(InvalidInput, leadership=leadership, delegate=leadership.chairman)
    assert error.field == "delegate"


# ---- overlapping grants ------------------------------------------------------------------


def test_an_overlapping_grant_for_the_same_delegate_and_act_is_a_conflict(leadership):
    grant(leadership)
    error = refused(
        Conflict,
        "overlapping_delegation",
        leadership=leadership,
        scope=["certify_copy"],
        instrument_number="17/QĐ-UBND",
        valid_from=VALID_TO,
        instrument_date=VALID_TO,
        valid_to=VALID_TO + dt.timedelta(days=30),
    )
    assert "15/QĐ-UBND" in error.vi


def test_a_pattern_is_never_delegable(leadership):
    # A pattern over results used to be delegable under the pilot; no source allows it.
    refused(RuleViolation, "not_delegable", leadership=leadership, scope=["sign_result:*"])


def test_grants_that_do_not_share_days_acts_or_delegate_coexist(leadership):
    grant(leadership)
    next_day = VALID_TO + ONE_DAY
    grant(
        leadership,
        instrument_number="20/QĐ-UBND",
        instrument_date=next_day,
        valid_from=next_day,
        valid_to=next_day + dt.timedelta(days=90),
    )
    grant(leadership, delegate=leadership.vice_chairmen[0], instrument_number="21/QĐ-UBND")
    # (Grants for other acts in the same days cannot be shown in a pilot ward any more: only
    # certified copies are delegable there.)
    assert Delegation.objects.count() == 3


def test_the_same_decision_number_twice_for_one_delegate_is_a_conflict(leadership):
    grant(leadership)
    later = VALID_TO + ONE_DAY
    refused(
        Conflict,
        "duplicate_delegation",
        leadership=leadership,
        instrument_date=later,
        valid_from=later,
        valid_to=later + ONE_DAY,
    )


def test_a_revoked_grant_no_longer_blocks_a_new_one_from_its_revocation(leadership):
    old = grant(leadership)
    revoke(leadership, old, "22/QĐ-UBND")
    refused(
        Conflict,
        "overlapping_delegation",
        leadership=leadership,
        instrument_number="23/QĐ-UBND",
        instrument_date=CHECK_DAY - ONE_DAY,
        valid_from=CHECK_DAY - ONE_DAY,
    )
    new = grant(
        leadership, instrument_number="24/QĐ-UBND", instrument_date=CHECK_DAY, valid_from=CHECK_DAY
    )
    assert new.valid_from == CHECK_DAY


def test_a_grant_revoked_before_it_took_effect_blocks_nothing(leadership):
    future = grant(leadership, valid_from=dt.date(2022, 4, 1))
    revoke(leadership, future, "25/QĐ-UBND", GRANT_DAY)
    assert Delegation.objects.get(pk=future.pk).revoked_on == dt.date(2022, 4, 1)
    assert grant(leadership, instrument_number="26/QĐ-UBND").valid_from == GRANT_DAY


# ---- revoking ----------------------------------------------------------------------------


def test_revocation_is_audited_and_happens_once(leadership):
    delegation = grant(leadership)
    revoked = revoke(leadership, delegation, " 30/QĐ-UBND ", reason="Chuyển công tác")
    assert (revoked.revoked_on, revoked.revocation_number) == (CHECK_DAY, "30/QĐ-UBND")
    event = AuditEvent.objects.get(action="delegation.revoke")
    assert event.before["revoked_on"] is None
    assert event.after["revoked_on"] == CHECK_DAY.isoformat()
    with unchanged(), pytest.raises(Conflict) as exc:
        revoke(leadership, delegation, "31/QĐ-UBND", CHECK_DAY + ONE_DAY)
    assert exc.value.code == "already_revoked"


@pytest.mark.parametrize(
    ("changes", "error", "code"),
    [
        ({"revoked_by": "vice"}, RuleViolation, "not_chairman"),
        ({"revoked_by": "justice"}, RuleViolation, "not_chairman"),
        ({"revocation_number": " "}, InvalidInput, "invalid_input"),
        ({"reason": "x" * 301}, InvalidInput, "invalid_input"),
    ],
)
def test_malformed_or_unauthorised_revocations_change_nothing(leadership, changes, error, code):
    delegation = grant(leadership)
    people = {"vice": leadership.vice_chairmen[0], "justice": leadership.justice}
    if "revoked_by" in changes:
        changes = {**changes, "revoked_by": people[changes["revoked_by"]]}
    with unchanged(), pytest.raises(error) as exc:
        revoke(leadership, delegation, "32/QĐ-UBND", **changes)
    assert exc.value.code == code


# ---- field assignments -------------------------------------------------------------------


def assign(leadership, **changes):
    args = {
        "actor": ACTOR,
        "assigner": leadership.chairman,
        "assignee": leadership.vice_chairmen[0],
        "unit_code": PHUC_XA,
        "fields": ["land", "construction", "land"],
        "instrument_number": "12/QĐ-UBND",
        "instrument_date": GRANT_DAY,
        "valid_from": GRANT_DAY,
    } | changes
    return field_assignment_create(**args)


def test_the_chairman_assigns_fields_to_a_vice_chairman(leadership):
    assignment = assign(leadership)
    assert assignment.fields == ["construction", "land"]
    event = AuditEvent.objects.get(action="field_assignment.create")
    assert event.after["fields"] == ["construction", "land"]
    revoked = field_assignment_revoke(
        actor=ACTOR, assignment=assignment, revoked_by=leadership.chairman, revoked_on=CHECK_DAY
    )
    assert revoked.revoked_on == CHECK_DAY
    with unchanged(), pytest.raises(Conflict) as exc:
        field_assignment_revoke(
            actor=ACTOR, assignment=assignment, revoked_by=leadership.chairman, revoked_on=CHECK_DAY
        )
    assert exc.value.code == "already_revoked"


@pytest.mark.parametrize(
    ("changes", "error", "code"),
    [
        ({"assignee": "justice"}, RuleViolation, "not_vice_chairman"),
        ({"assigner": "vice"}, RuleViolation, "not_chairman"),
        ({"fields": []}, InvalidInput, "invalid_input"),
        ({"fields": ["astrology"]}, InvalidInput, "invalid_input"),
        ({"instrument_number": ""}, InvalidInput, "invalid_input"),
        ({"valid_to": GRANT_DAY - ONE_DAY}, InvalidInput, "invalid_input"),
    ],
)
def test_refused_field_assignments_change_nothing(leadership, changes, error, code):
    people = {"justice": leadership.justice, "vice": leadership.vice_chairmen[1]}
    changes = {k: people.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
    with unchanged(), pytest.raises(error) as exc:
        assign(leadership, **changes)
    assert exc.value.code == code
    assert FieldAssignment.objects.count() == 0
