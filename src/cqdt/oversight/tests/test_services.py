"""Oversight services on the real database: who may do what, the rules, audit, and refusals that
leave everything as it was."""

import datetime as dt

import pytest
from django_tasks import TaskResultStatus

from cqdt.authority import services as authority_services
from cqdt.core.audit import audit_trail, audit_verify
from cqdt.core.errors import Conflict, InvalidInput, PermissionDenied, RuleViolation
from cqdt.oversight import selectors, services
from cqdt.oversight.models import OversightRule
from cqdt.oversight.tasks import escalate_petitions_task
from cqdt.oversight.tests.conftest import (
    TODAY,
    WARD_B,
    WARD_C,
    announce,
    answer,
    commit,
    counts,
    hold,
    petition,
    question,
    record_meeting,
    register_council,
)
from cqdt.testing import SYSTEM, at
from cqdt.testing.factories import DISTRICT, WARD

pytestmark = pytest.mark.django_db


# --- councils and deputies ------------------------------------------------------------------


def test_council_terms_of_one_district_never_overlap(ba_dinh):
    before = counts()
    with pytest.raises(Conflict) as exc:
        register_council(DISTRICT, "Trùng", dt.date(2026, 1, 1), dt.date(2030, 12, 31))
    assert exc.value.field == "term_start"
    assert counts() == before
    register_council(DISTRICT, "Khóa sau", dt.date(2026, 7, 1), dt.date(2031, 6, 30))


def test_a_council_is_a_district_level_unit_s(ba_dinh):
    with pytest.raises(RuleViolation):
        register_council(WARD, "x", dt.date(2021, 7, 1), dt.date(2026, 6, 30))


def test_a_constituency_holds_wards_of_the_council_s_district_only(ba_dinh):
    before = counts()
    with pytest.raises(RuleViolation) as exc:
        services.deputy_register(
            actor=SYSTEM, council=ba_dinh["council"], full_name="X", constituency=[WARD, "00037"]
        )
    assert exc.value.field == "ward_code"
    assert counts() == before


# --- voter meetings and petitions ------------------------------------------------------------


def test_acceptance_a_petition_from_a_voter_meeting_is_answered_by_the_ward_chairman(ba_dinh):
    p = petition(ba_dinh)
    assert p.answer_due == dt.date(2024, 2, 9)  # 30 days [C] after the meeting of 10 January
    assert (p.routed_level, p.routed_unit_code, p.status) == ("ward", WARD, "received")
    answered = answer(
        ba_dinh, p, text="Đã đưa vào kế hoạch duy tu quý II.", now=at(dt.date(2024, 2, 1), 15)
    )
    assert answered.status == "answered"
    assert answered.answered_by == ba_dinh["chair"]
    assert answered.answer_basis["basis"] == "appointment"
    assert not selectors.is_petition_answered_late(answered)
    trail = [e.action for e in audit_trail("oversight.petition", str(p.public_id))]
    assert trail == ["petition.receive", "petition.answer"]
    assert audit_verify().ok


def test_only_whoever_holds_the_authority_may_answer_and_a_refusal_changes_nothing(ba_dinh):
    p = petition(ba_dinh)
    before = counts()
    for key in ("vice", "desk", "chair_b", "deputy"):
        with pytest.raises(PermissionDenied):
            answer(ba_dinh, p, by=key)
        assert counts() == before


def test_a_vice_chairman_assigned_the_general_field_may_answer(ba_dinh):
    authority_services.field_assignment_create(
        actor=SYSTEM,
        assigner=ba_dinh["chair"],
        assignee=ba_dinh["vice"],
        unit_code=WARD,
        fields=["general"],
        instrument_number="05/QĐ-UBND",
        instrument_date=dt.date(2024, 1, 2),
        valid_from=dt.date(2024, 1, 2),
        valid_to=dt.date(2024, 12, 31),
    )
    p = petition(ba_dinh)
    answered = answer(ba_dinh, p, by="vice", version=1, text="Trả lời")
    assert answered.answer_basis["basis"] == "field_assignment"


def test_a_stale_version_is_refused_with_409_and_nothing_changes(ba_dinh):
    p = petition(ba_dinh)
    before = counts()
    with pytest.raises(Conflict):
        answer(ba_dinh, p, version=7)
    assert counts() == before


def test_a_petition_routed_to_the_district_is_answered_by_the_district_chairman(ba_dinh):
    p = petition(ba_dinh, level="district")
    assert p.routed_unit_code == DISTRICT
    with pytest.raises(PermissionDenied):
        answer(ba_dinh, p, version=1)
    answer(ba_dinh, p, by="district_chair", version=1, text="Quận trả lời")


def test_acceptance_an_unanswered_petition_past_its_deadline_shows_first_and_escalates(ba_dinh):
    late = petition(ba_dinh, day=dt.date(2024, 1, 10), content="Quá hạn")  # due 9 February
    fresh = petition(ba_dinh, day=dt.date(2024, 2, 20), content="Còn hạn")  # due 21 March
    answered = petition(ba_dinh, day=dt.date(2023, 12, 1), content="Đã trả lời")
    answer(ba_dinh, answered, version=1, text="Xong", now=at(dt.date(2023, 12, 20)))
    visible = selectors.visible_unit_codes(ba_dinh["users"]["deputy"], TODAY)
    order = [p.content for p in selectors.petitions(visible, ward=WARD, on=TODAY)]
    assert order == ["Quá hạn", "Còn hạn", "Đã trả lời"]
    assert selectors.is_petition_overdue(late, TODAY)

    assert services.petitions_escalate(now=at(TODAY, 7)) == 1
    assert services.petitions_escalate(now=at(TODAY, 8)) == 0  # once only
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert (late.status, late.escalated_to_unit_code, late.version) == ("escalated", DISTRICT, 2)
    assert fresh.status == "received"
    # Still overdue, still first; now either the ward chairman or the district chairman answers.
    assert selectors.petitions(visible, ward=WARD, on=TODAY).first().pk == late.pk
    done = answer(
        ba_dinh,
        late,
        by="district_chair",
        version=2,
        text="UBND quận chỉ đạo xử lý",
        now=at(TODAY, 10),
    )
    assert done.status == "answered"
    assert selectors.is_petition_answered_late(done)
    assert [e.action for e in audit_trail("oversight.petition", str(late.public_id))] == [
        "petition.receive",
        "petition.escalate",
        "petition.answer",
    ]


def test_a_district_petition_unanswered_escalates_to_the_city(ba_dinh):
    p = petition(ba_dinh, level="district")
    services.petitions_escalate(now=at(TODAY))
    p.refresh_from_db()
    assert p.escalated_to_unit_code == "01"


def test_the_escalation_task_runs_the_periodic_job(ba_dinh, frozen):
    petition(ba_dinh)
    result = escalate_petitions_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value == 1


def test_a_deputy_follows_up_then_closes_an_answered_petition(ba_dinh):
    def follow_up(p, version, note, day, by="deputy", **more):
        return services.petition_follow_up(
            actor=SYSTEM,
            official=ba_dinh[by],
            petition=p,
            version=version,
            note=note,
            now=at(day),
            **more,
        )

    p = petition(ba_dinh)
    with pytest.raises(RuleViolation):
        follow_up(p, 1, "", dt.date(2024, 1, 20), close=True)
    p = follow_up(p, 1, "Đề nghị phường trả lời đúng hạn.", dt.date(2024, 1, 20))
    assert p.council_follow_up.startswith("20/01/2024 – Trần Đại Biểu: Đề nghị")
    p = answer(ba_dinh, p, text="Trả lời")
    p = follow_up(p, p.version, "Đạt", dt.date(2024, 2, 5), close=True)
    assert p.status == "closed" and p.closed_at is not None
    assert p.council_follow_up.count("\n") == 1
    with pytest.raises(PermissionDenied):
        follow_up(p, p.version, "x", dt.date(2024, 2, 6), by="chair")


def test_a_meeting_needs_a_deputy_recorder_a_ward_of_a_present_deputy_and_a_past_date(ba_dinh):
    before = counts()
    with pytest.raises(PermissionDenied):
        record_meeting(ba_dinh, WARD, at(dt.date(2024, 1, 10)), by="chair")
    with pytest.raises(RuleViolation) as exc:
        record_meeting(ba_dinh, WARD_C, at(dt.date(2024, 1, 10)))
    assert exc.value.code == "ward_not_in_constituency"
    with pytest.raises(InvalidInput) as exc:
        record_meeting(ba_dinh, WARD, at(TODAY + dt.timedelta(days=1)))
    assert exc.value.field == "held_at"
    with pytest.raises(RuleViolation):
        record_meeting(ba_dinh, "00037", at(dt.date(2024, 1, 10)))
    assert counts() == before
    # Another deputy present may carry the recorder's meeting into a ward of their own.
    record_meeting(ba_dinh, WARD_C, at(dt.date(2024, 1, 10)), seat="other_seat")


# --- questioning and commitments -------------------------------------------------------------


def test_a_deputy_questions_the_ward_chairman_who_answers_and_commits(ba_dinh):
    def progress(c, version, now, by="chair", **change):
        return services.commitment_update(
            actor=SYSTEM, official=ba_dinh[by], commitment=c, version=version, now=now, **change
        )

    q = question(ba_dinh)
    assert q.deputy == ba_dinh["seat"]
    q = services.question_answer(
        actor=SYSTEM,
        official=ba_dinh["chair"],
        question=q,
        answer="Do thiếu cán bộ.",
        now=at(dt.date(2023, 12, 6), 11),
    )
    done = commit(
        ba_dinh,
        q,
        text="Trả lời hết tồn đọng",
        due=dt.date(2024, 1, 15),
        now=at(dt.date(2023, 12, 6), 11),
    )
    late = commit(
        ba_dinh,
        q,
        text="Bổ sung cán bộ một cửa",
        due=dt.date(2024, 2, 1),
        now=at(dt.date(2023, 12, 6), 11),
        by="deputy",
    )
    progress(done, 1, at(dt.date(2024, 1, 10)), done=True, progress_note="Đã trả lời 12 kiến nghị")
    progress(late, 1, at(dt.date(2024, 1, 20)), progress_note="Đang tuyển dụng")
    record = selectors.questioning_record(ba_dinh["council"], None, on=TODAY)
    assert (record.asked, record.answered) == (1, 1)
    assert (record.commitments_open, record.commitments_done, record.commitments_overdue) == (
        1,
        1,
        1,
    )
    with pytest.raises(Conflict):
        services.question_answer(
            actor=SYSTEM, official=ba_dinh["chair"], question=q, answer="again", now=at(TODAY)
        )
    before = counts()
    with pytest.raises(RuleViolation):
        progress(done, 2, at(TODAY), progress_note="x")
    with pytest.raises(PermissionDenied):
        progress(late, 2, at(TODAY), done=True, by="deputy")
    assert counts() == before


def test_questioning_refusals_leave_nothing(ba_dinh):
    before = counts()
    with pytest.raises(RuleViolation) as exc:
        question(ba_dinh, addressed_to=ba_dinh["vice"])
    assert exc.value.field == "addressed_to"
    with pytest.raises(PermissionDenied):
        question(ba_dinh, official=ba_dinh["chair_b"])
    with pytest.raises(RuleViolation):
        question(ba_dinh, session_date=dt.date(2021, 6, 1), now=at(dt.date(2021, 6, 1)))
    with pytest.raises(InvalidInput):
        question(ba_dinh, session_date=TODAY + dt.timedelta(days=2), now=at(TODAY))
    assert counts() == before


def test_a_ward_under_its_own_council_is_not_questioned_by_the_district_council(ba_dinh):
    # After the pilot period, a standard-model unit has its own council; simulate by asking
    # about a ward on a date its governance says its own council supervises it.
    from cqdt.units.models import GovernanceAssignment

    GovernanceAssignment.objects.filter(unit_code=WARD).delete()
    from cqdt.units.models import GovernanceModel

    GovernanceAssignment.objects.create(
        unit_code=WARD,
        model=GovernanceModel.objects.get(slug="standard-2015"),
        valid_from=None,
        legal_basis="test",
    )
    with pytest.raises(RuleViolation) as exc:
        question(ba_dinh)
    assert exc.value.code == "not_supervised"


# --- dialogue conferences --------------------------------------------------------------------


def test_acceptance_a_conference_announced_six_days_ahead_is_refused_seven_accepted(ba_dinh):
    before = counts()
    with pytest.raises(RuleViolation) as exc:
        announce(ba_dinh, days=6)
    assert exc.value.status == 422
    assert exc.value.field == "scheduled_at"
    assert exc.value.code == "notice_too_short"
    assert "ít nhất 7 ngày" in exc.value.vi and "11/03/2024" in exc.value.vi
    assert exc.value.details["days"] == 6
    assert counts() == before
    c = announce(ba_dinh, days=7)
    assert c.status == "announced"
    assert (
        audit_trail("oversight.dialogueconference", str(c.public_id))[0].basis["notice_days"] == 7
    )


def test_an_announcement_must_reach_the_residential_group_heads(ba_dinh):
    def announce_by(*channels):
        return services.conference_announce(
            actor=SYSTEM,
            official=ba_dinh["chair"],
            ward_code=WARD,
            scheduled_at=at(dt.date(2024, 3, 20)),
            topic="x",
            channels=list(channels),
            now=at(TODAY),
        )

    before = counts()
    with pytest.raises(RuleViolation) as exc:
        announce_by("website")
    assert exc.value.field == "announcement_channels"
    with pytest.raises(InvalidInput):
        announce_by("pigeon")
    with pytest.raises(PermissionDenied):
        announce(ba_dinh, official_key="desk")
    with pytest.raises(PermissionDenied):
        announce(ba_dinh, official_key="chair_b")
    assert counts() == before


def test_a_conference_is_held_on_or_after_its_day_and_then_is_final(ba_dinh):
    c = announce(ba_dinh, days=10)
    with pytest.raises(RuleViolation) as exc:
        services.conference_hold(
            actor=SYSTEM,
            official=ba_dinh["chair"],
            conference=c,
            version=1,
            attendees=10,
            minutes="x",
            held_at=at(TODAY + dt.timedelta(days=5)),
            now=at(TODAY + dt.timedelta(days=5)),
        )
    assert exc.value.field == "held_at"
    held = hold(ba_dinh, c, official_key="vice")
    assert held.status == "held" and held.version == 2
    with pytest.raises(RuleViolation):
        services.conference_cancel(
            actor=SYSTEM,
            official=ba_dinh["chair"],
            conference=held,
            version=2,
            reason="x",
            now=at(TODAY + dt.timedelta(days=11)),
        )


def _year_of_conferences(world, ward, days):
    for announced in days:
        c = announce(world, ward=ward, announced=announced, days=10, official_key="chair")
        hold(world, c)


def test_acceptance_a_ward_with_one_conference_in_a_year_is_flagged_with_the_evidence(ba_dinh):
    _year_of_conferences(ba_dinh, WARD, [dt.date(2023, 5, 2), dt.date(2023, 11, 6)])
    single = announce(
        ba_dinh, ward=WARD_B, official_key="chair_b", announced=dt.date(2023, 6, 1), days=10
    )
    hold(ba_dinh, single, official_key="chair_b")
    cancelled = announce(
        ba_dinh, ward=WARD_B, official_key="chair_b", announced=dt.date(2023, 11, 1)
    )
    services.conference_cancel(
        actor=SYSTEM,
        official=ba_dinh["chair_b"],
        conference=cancelled,
        version=1,
        reason="Mưa bão",
        now=at(dt.date(2023, 11, 2)),
    )
    flags = {f.ward_code: f for f in selectors.conference_flags(None, 2023, on=TODAY)}
    assert WARD not in flags
    flag = flags[WARD_B]
    assert (flag.held, flag.minimum, flag.missing) == (1, 2, 1)
    assert flag.held_dates == (dt.date(2023, 6, 11),)
    assert flag.year_complete
    assert "32/2021" in flag.source
    # A pilot ward with no conference recorded is not flagged on no evidence (missing data is
    # not zero, a flag needs recorded evidence): it is listed as not judged, with the reason.
    flagged, not_judged = selectors.conference_review(None, 2023, on=TODAY)
    assert {f.ward_code for f in flagged} == {WARD_B}
    unjudged = {n.ward_code: n.reason for n in not_judged}
    assert unjudged[WARD_C] == "not_recorded" and WARD not in unjudged and WARD_B not in unjudged
    assert len(unjudged) == 175 - 2  # every other pilot ward owed them in 2023
    district = selectors.visible_unit_codes(ba_dinh["users"]["district_chair"], TODAY)
    flagged, not_judged = selectors.conference_review(district, 2023, on=TODAY)
    assert {f.ward_code for f in flagged} | {n.ward_code for n in not_judged} <= district
    assert WARD_C in {n.ward_code for n in not_judged}
    # 2021: the pilot's wards had a council until 30 June, so the yearly minimum is not judged.
    flagged, not_judged = selectors.conference_review(None, 2021, on=TODAY)
    assert flagged == [] and {n.reason for n in not_judged} == {"model_changed"}


def test_the_yearly_minimum_is_the_rule_in_force_at_the_year_s_end(ba_dinh):
    services.rule_set(
        actor=SYSTEM,
        key="conferences_per_year",
        value=1,
        valid_from=dt.date(2023, 1, 1),
        source="test: a later rule",
    )
    first, second = OversightRule.objects.filter(key="conferences_per_year").order_by("valid_from")
    assert first.valid_to == dt.date(2023, 1, 1) and second.valid_to is None
    single = announce(
        ba_dinh, ward=WARD_B, official_key="chair_b", announced=dt.date(2023, 6, 1), days=10
    )
    hold(ba_dinh, single, official_key="chair_b")
    assert WARD_B not in {f.ward_code for f in selectors.conference_flags(None, 2023, on=TODAY)}
    assert selectors.rules_on(dt.date(2022, 12, 31)).conferences_per_year == 2
    with pytest.raises(InvalidInput):
        services.rule_set(
            actor=SYSTEM, key="conferences_per_year", value="two", valid_from=TODAY, source="x"
        )


# --- citizen reception -----------------------------------------------------------------------


def test_reception_is_logged_by_a_ward_leader_once_a_day(ba_dinh):
    def log(by, day, citizens=1, matters=1, **more):
        return services.reception_log(
            actor=SYSTEM,
            official=ba_dinh[by],
            ward_code=WARD,
            date=day,
            citizens_received=citizens,
            matters=matters,
            now=at(TODAY),
            **more,
        )

    r = log("chair", dt.date(2024, 2, 29), 5, 3, summary="Đất đai")
    assert r.official == ba_dinh["chair"]
    before = counts()
    with pytest.raises(Conflict):
        log("chair", dt.date(2024, 2, 29))
    with pytest.raises(PermissionDenied):
        log("desk", dt.date(2024, 2, 28))
    with pytest.raises(PermissionDenied):  # not staff of the ward
        log("chair_b", dt.date(2024, 2, 28), receiver=ba_dinh["chair"])
    with pytest.raises(InvalidInput):
        log("chair", TODAY + dt.timedelta(days=1))
    assert counts() == before
    # The desk officer may log the vice-chairman's reception for them.
    log("desk", dt.date(2024, 2, 28), 2, receiver=ba_dinh["vice"])
