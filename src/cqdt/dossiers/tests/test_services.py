"""The one-stop shop's writes, through the services, on the real database.

Decree 61/2018/NĐ-CP (amended by Decree 107/2021/NĐ-CP), Circular 01/2018/TT-VPCP forms 01–04,
DOMAIN §3. Time is frozen with time_machine and every service also gets ``now`` explicitly.
"""

import datetime as dt
from dataclasses import replace

import pytest
import time_machine
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cqdt import testing
from cqdt.core.audit import Actor, audit_verify
from cqdt.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from cqdt.core.models import AuditEvent, OutboxMessage
from cqdt.dossiers import deadlines, rules, selectors, services, workflow
from cqdt.dossiers.models import Apology, DailySequence, Dossier, SupplementPause
from cqdt.dossiers.tests.conftest import APPLICANT, WARD_B, counts
from cqdt.testing import SYSTEM, DossierFactory, at, drive, submit
from cqdt.testing.factories import COPY, MARITAL, WARD
from cqdt.workdays.selectors import calendar_for
from cqdt.workdays.services import office_hours_set

pytestmark = pytest.mark.django_db

D = dt.date
THU_12_FEB = D(2026, 2, 12)  # the last Thursday before Tết 2026 (off Sat 14 – Sun 22 Feb)
FRI_13_FEB = D(2026, 2, 13)
MON_2_MAR = D(2026, 3, 2)


def _refresh(d):
    return Dossier.objects.get(pk=d.pk)


def _unchanged(d, before_counts):
    fresh = _refresh(d)
    assert (fresh.status, fresh.version, fresh.due_at) == (d.status, d.version, d.due_at)
    assert counts() == before_counts


def _act(move, ward, who, d, **kwargs):
    """``services.dossier_<move>`` by ``ward[who]`` on dossier ``d``, at its version unless given."""
    kwargs.setdefault("version", d.version)
    service = getattr(services, f"dossier_{move}")
    return service(actor=SYSTEM, official=ward[who], code=d.code, **kwargs)


def _refused(error, move, ward, who, d, **kwargs):
    """The move fails with ``error`` and leaves the dossier and every count as they were."""
    before = counts()
    with pytest.raises(error) as exc:
        _act(move, ward, who, d, **kwargs)
    _unchanged(d, before)
    return exc.value


def _processing(ward, now):
    return drive(ward, submit(ward, now=now).dossier.code, to=workflow.PROCESSING, now=now)


def _intake(ward, **change):
    """The arguments of a valid counter intake at the ward by its desk officer, changed."""
    return {
        "actor": SYSTEM,
        "unit_code": WARD,
        "procedure_slug": MARITAL,
        "channel": "counter",
        "applicant": APPLICANT,
        "documents": ["to_khai"],
        "received_by": ward["desk"],
        "accept_now": True,
        "now": at(MON_2_MAR),
    } | change


# --- intake: codes and validation -----------------------------------------------------------------


def test_codes_follow_agency_day_and_a_daily_sequence(ward, ward_b, frozen):
    first = submit(ward, now=at(MON_2_MAR), accept=False).dossier
    second = submit(ward, now=at(MON_2_MAR, 10), accept=False).dossier
    other_ward = submit(ward_b, now=at(MON_2_MAR), unit=WARD_B, accept=False).dossier
    next_day = submit(ward, now=at(D(2026, 3, 3)), accept=False).dossier
    assert first.code == "H26.001.00001-260302-0001"
    assert second.code == "H26.001.00001-260302-0002"
    assert other_ward.code == "H26.001.00004-260302-0001"
    assert next_day.code == "H26.001.00001-260303-0001"


def test_the_receipt_day_is_the_hanoi_day(ward, frozen):
    # 23:30 on 1 March UTC is 06:30 on 2 March in Hanoi.
    d = submit(ward, now=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC), accept=False).dossier
    assert "-260302-" in d.code


def test_a_refused_intake_gives_its_number_back(ward, frozen):
    with pytest.raises(InvalidInput):
        submit(ward, now=at(MON_2_MAR), documents=[])
    assert submit(ward, now=at(MON_2_MAR)).dossier.code.endswith("-0001")


def test_missing_papers_are_named_by_their_names_in_both_languages(ward, frozen):
    """Seen in English on the online form: "Missing required papers: to_khai_khai_sinh,
    giay_chung_sinh." — the catalogue's codes, where the Vietnamese named the papers."""
    with pytest.raises(InvalidInput) as exc:
        submit(ward, now=at(MON_2_MAR), documents=["giay_to_khac"])
    assert exc.value.code == "missing_documents" and exc.value.details == {"missing": ["to_khai"]}
    assert exc.value.vi.startswith("Thiếu giấy tờ bắt buộc: Tờ khai. ")
    assert exc.value.en.startswith("Missing required papers: Tờ khai. ")


def test_the_day_has_9999_numbers(ward, frozen):
    submit(ward, now=at(MON_2_MAR), accept=False)
    DailySequence.objects.update(last_value=9999)
    before = counts()
    with pytest.raises(RuleViolation) as exc:
        submit(ward, now=at(MON_2_MAR), accept=False)
    assert exc.value.code == "sequence_exhausted"
    assert counts() == before


def _applicant(**change):
    return {"applicant": replace(APPLICANT, **change)}


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"procedure_slug": "khong-co"}, "procedure", "unknown_procedure"),
        ({"documents": []}, "documents", "missing_documents"),
        ({"documents": ["to_khai", "la"]}, "documents", "invalid_input"),
        (_applicant(id_number="00119001234"), "applicant.id_number", "invalid_citizen_id"),
        (_applicant(id_number="00119001234a"), "applicant.id_number", "invalid_citizen_id"),
        (_applicant(id_number="999190012345"), "applicant.id_number", "invalid_citizen_id"),
        (_applicant(id_number=""), "applicant.id_number", "invalid_citizen_id"),
        (_applicant(name="x" * 151), "applicant.name", "invalid_input"),
        (_applicant(name="   "), "applicant.name", "invalid_input"),
        (_applicant(phone="12"), "applicant.phone", "invalid_input"),
        (_applicant(email="no"), "applicant.email", "invalid_input"),
        (
            _applicant(kind="organisation", id_number=""),
            "applicant.organisation_name",
            "invalid_input",
        ),
        (_applicant(kind="robot"), "applicant.kind", "invalid_input"),
        ({"note": "x" * 1001}, "note", "invalid_input"),
        ({"channel": "fax"}, "channel", "invalid_input"),
    ],
)
def test_bad_intake_names_the_field_and_writes_nothing(ward, frozen, change, field, code):
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        services.dossier_submit(**_intake(ward, **change))
    assert exc.value.field == field
    assert exc.value.code == code
    assert exc.value.vi and exc.value.en
    assert counts() == before


def test_a_counter_intake_needs_a_desk_post_at_the_unit(ward, ward_b, frozen):
    before = counts()
    with pytest.raises(PermissionDenied):
        submit(ward_b, now=at(MON_2_MAR))  # ward B's desk officer at ward A's unit
    assert counts() == before


@pytest.mark.parametrize("channel", ["post", "online"])
def test_whoever_is_named_as_receiving_must_hold_a_desk_post(ward, monitor, frozen, channel):
    """A city monitor is no desk officer, whatever the channel she records the dossier under."""
    before = counts()
    with pytest.raises(PermissionDenied):
        services.dossier_submit(
            **_intake(
                ward,
                actor=Actor.of(monitor["user_monitor"]),
                channel=channel,
                received_by=monitor["monitor"],
                accept_now=False,
            )
        )
    assert counts() == before


def test_online_intake_needs_no_official_and_is_refused_for_offline_procedures(
    ward, procedures, frozen
):
    d = submit(ward, now=at(MON_2_MAR), channel="online", accept=False).dossier
    assert (d.channel, d.status, d.received_by) == ("online", "submitted", None)
    procedures["marital"].online_allowed = False
    procedures["marital"].save()
    with pytest.raises(RuleViolation) as exc:
        submit(ward, now=at(MON_2_MAR), channel="online", accept=False)
    assert exc.value.code == "not_online"


def test_intake_writes_the_timeline_the_audit_and_the_notifications(ward, frozen):
    result = submit(ward, now=at(MON_2_MAR))
    d = result.dossier
    assert len(result.secret) == services.SECRET_LENGTH
    assert d.lookup_secret_hash == services.secret_hash(result.secret.lower())
    assert [e.action for e in d.events.all()] == ["submit", "accept"]
    assert [e.action for e in AuditEvent.objects.filter(object_id=d.code)] == [
        "dossier.submit",
        "dossier.accept",
    ]
    outbox = OutboxMessage.objects.order_by("channel")
    assert [(m.channel, m.recipient) for m in outbox] == [
        ("email", APPLICANT.email),
        ("sms", APPLICANT.phone),
    ]
    # The audit keeps no personal data of the applicant.
    for event in AuditEvent.objects.filter(object_id=d.code):
        text = str(event.before) + str(event.after)
        assert (
            APPLICANT.id_number not in text
            and APPLICANT.name not in text
            and APPLICANT.phone not in text
        )
    assert audit_verify().ok


# --- due dates and the supplement pause -----------------------------------------------------------


def test_the_due_date_skips_tet(ward, frozen):
    frozen.move_to(at(THU_12_FEB))
    d = submit(ward, now=at(THU_12_FEB)).dossier
    # 3 working days after Thu 12 Feb: Fri 13, Mon 23, Tue 24 (Tết: Sat 14 – Sun 22 Feb 2026).
    assert d.due_at == at(D(2026, 2, 24), 17)
    assert d.original_due_at == d.due_at
    skipped = d.events.get(action="accept").data["skipped"]
    assert [s["date"] for s in skipped][:2] == ["2026-02-14", "2026-02-15"]
    assert len(skipped) == 9


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(THU_12_FEB, 9), at(THU_12_FEB, 17)),
        (at(THU_12_FEB, 15, 30), at(FRI_13_FEB, 17)),
        (at(FRI_13_FEB, 15, 30), at(D(2026, 2, 23), 17)),
        (at(D(2026, 2, 17), 10), at(D(2026, 2, 23), 17)),  # received during Tết
    ],
)
def test_same_day_procedures_use_the_15_00_cut_off(ward, frozen, received, due):
    frozen.move_to(received)
    assert submit(ward, now=received, procedure=COPY).dossier.due_at == due


def test_the_office_hours_of_the_hanoi_receipt_day_apply(ward, frozen):
    hours = {
        "morning_start": dt.time(7, 30),
        "morning_end": dt.time(11, 30),
        "afternoon_start": dt.time(13, 0),
        "afternoon_end": dt.time(16, 30),
        "same_day_cutoff": dt.time(15, 0),
    }
    office_hours_set(actor=SYSTEM, valid_from=MON_2_MAR, source="test", **hours)
    # 06:30 on Monday 2 March in Hanoi is still Sunday 1 March in UTC: Monday's hours apply.
    received = at(MON_2_MAR, 6, 30).astimezone(dt.UTC)  # as timezone.now() gives it
    d = submit(ward, now=received).dossier
    assert d.due_at == at(D(2026, 3, 5), 16, 30)


def test_a_supplement_pause_moves_the_due_date_by_the_paused_working_days(ward, frozen):
    frozen.move_to(at(THU_12_FEB))
    d = submit(ward, now=at(THU_12_FEB)).dossier
    d = drive(ward, d.code, to=workflow.PROCESSING, now=at(THU_12_FEB, 10))
    due_before = d.due_at
    asked, resumed = at(FRI_13_FEB, 10), at(D(2026, 2, 26), 14)
    frozen.move_to(asked)
    d = _act(
        "request_supplement",
        ward,
        "justice",
        d,
        reason="Thiếu bản sao giấy khai sinh",
        missing_documents=["giay_to_khac"],
        now=asked,
    )
    assert d.status == workflow.SUPPLEMENT
    assert not selectors.is_overdue(d, at(D(2026, 2, 25), 17, 30))  # the clock stands still
    frozen.move_to(resumed)
    d = _act("resubmit", ward, "desk", d, documents=["giay_to_khac"], now=resumed)
    paused = calendar_for(unit_code=WARD).working_days_between(FRI_13_FEB, D(2026, 2, 26))
    assert paused == 4  # 23, 24, 25, 26 February
    assert d.status == workflow.PROCESSING
    assert d.paused_working_days == paused
    assert d.due_at == at(calendar_for(unit_code=WARD).add_working_days(D(2026, 2, 24), paused), 17)
    assert d.due_at == at(D(2026, 3, 2), 17) and due_before == at(D(2026, 2, 24), 17)
    assert d.documents == ["giay_to_khac", "to_khai"]
    pause = SupplementPause.objects.get(dossier=d)
    assert (pause.requested_at, pause.resumed_at, pause.paused_working_days) == (
        asked,
        resumed,
        paused,
    )
    assert pause.at_intake is False and pause.missing_documents == ["giay_to_khac"]
    assert d.events.get(action="resubmit").data["paused_working_days"] == paused


def test_a_supplement_at_intake_stops_no_clock(ward, frozen):
    d = submit(ward, now=at(MON_2_MAR), accept=False).dossier
    d = _act("request_supplement", ward, "desk", d, reason="Thiếu tờ khai", now=at(MON_2_MAR))
    assert d.status == workflow.INTAKE_SUPPLEMENT and d.due_at is None
    later = at(D(2026, 3, 4))
    d = _act("resubmit", ward, "desk", d, now=later)
    assert d.status == workflow.SUBMITTED and d.paused_working_days == 0
    d = _act("accept", ward, "desk", d, now=later)
    assert d.due_at == at(D(2026, 3, 9), 17)  # counted from the valid receipt on 4 March
    assert SupplementPause.objects.get(dossier=d).at_intake is True


def test_resubmitting_unknown_papers_is_refused(ward, frozen):
    d = _processing(ward, at(MON_2_MAR))
    d = _act("request_supplement", ward, "justice", d, reason="Thiếu", now=at(MON_2_MAR))
    error = _refused(InvalidInput, "resubmit", ward, "desk", d, documents=["la"], now=at(MON_2_MAR))
    assert error.field == "documents"


# --- versions, moves and who may make them ------------------------------------------------------


def test_a_stale_version_is_refused_and_changes_nothing(ward, frozen):
    d = submit(ward, now=at(MON_2_MAR)).dossier
    stale = {"version": d.version - 1, "assignee": ward["justice"], "now": at(MON_2_MAR)}
    error = _refused(Conflict, "assign", ward, "desk", d, **stale)
    assert (error.code, error.field, error.status) == ("stale_version", "version", 409)


def test_a_move_the_table_does_not_allow_is_a_conflict(ward, frozen):
    d = submit(ward, now=at(MON_2_MAR)).dossier
    error = _refused(Conflict, "sign", ward, "chair", d, now=at(MON_2_MAR))
    assert error.code == "invalid_transition"


def test_an_unknown_code_is_not_found(ward, frozen):
    with pytest.raises(NotFound):
        services.dossier_accept(
            actor=SYSTEM, official=ward["desk"], code="H26-000000-0000", version=1
        )


def test_the_assignee_must_work_at_the_unit(ward, ward_b, frozen):
    d = submit(ward, now=at(MON_2_MAR)).dossier
    error = _refused(
        RuleViolation, "assign", ward, "desk", d, assignee=ward_b["desk"], now=at(MON_2_MAR)
    )
    assert error.code == "assignee_not_in_unit"


def test_only_the_assignee_or_a_leader_processes(ward, frozen):
    d = drive(
        ward, submit(ward, now=at(MON_2_MAR)).dossier.code, to=workflow.ASSIGNED, now=at(MON_2_MAR)
    )
    _refused(PermissionDenied, "start_processing", ward, "desk", d)
    d = _act("start_processing", ward, "vice", d)
    assert d.status == workflow.PROCESSING


def test_refusal_withdrawal_and_cancellation_close_the_dossier(ward, frozen):
    now = at(MON_2_MAR)
    refused = submit(ward, now=now, accept=False).dossier
    error = _refused(InvalidInput, "refuse", ward, "desk", refused, version=1, reason="  ")
    assert error.field == "reason"
    refused = _act(
        "refuse", ward, "desk", refused, version=1, reason="Không thuộc thẩm quyền", now=now
    )
    assert (refused.status, refused.closed_at) == (workflow.REFUSED, now)
    assert (
        OutboxMessage.objects.filter(idempotency_key__startswith=f"{refused.code}:refuse").count()
        == 2
    )

    withdrawn = _act(
        "withdraw", ward, "desk", _processing(ward, now), reason="Đơn xin rút", now=now
    )
    assert withdrawn.status == workflow.WITHDRAWN and withdrawn.closed_at == now

    cancelled = submit(ward, now=now).dossier
    _refused(PermissionDenied, "cancel", ward, "desk", cancelled, reason="Trùng")
    cancelled = _act("cancel", ward, "chair", cancelled, reason="Trùng", now=now)
    assert cancelled.status == workflow.CANCELLED
    for final in (refused, withdrawn, cancelled):
        _refused(Conflict, "cancel", ward, "chair", final, reason="x")


# --- signing: the authority resolver decides ------------------------------------------------------


def _awaiting(ward, procedure=MARITAL, now=None):
    now = now or at(MON_2_MAR)
    d = submit(ward, now=now, procedure=procedure).dossier
    return drive(ward, d.code, to=workflow.AWAITING_SIGNATURE, now=now)


@pytest.mark.parametrize("who", ["justice", "desk", "vice", "district_chair"])
def test_signing_without_authority_is_refused_with_the_reason_and_changes_nothing(
    ward, frozen, who
):
    error = _refused(PermissionDenied, "sign", ward, who, _awaiting(ward), now=at(MON_2_MAR))
    assert error.code == "no_signing_authority"
    # The act is named in plain words, never by its internal code (issue 13, item 4).
    assert "“Register civil status”" in error.en
    assert "register_civil_status" not in error.en + error.vi
    if who == "vice":
        assert error.vi.startswith("Phó Chủ tịch chưa được phân công")


def test_the_chairman_signs_by_appointment(ward, frozen):
    d = _act("sign", ward, "chair", _awaiting(ward), now=at(MON_2_MAR))
    assert (d.status, d.signed_by, d.signed_at) == (workflow.SIGNED, ward["chair"], at(MON_2_MAR))
    assert d.signature_block == "CHỦ TỊCH"
    assert d.signature_basis["basis"] == "appointment"
    assert d.signature_basis["instrument"]["number"] == "T-chair/QĐ-UBND"
    assert d.signature_basis["act"] == "register_civil_status"
    event = AuditEvent.objects.get(action="dossier.sign")
    assert event.basis["basis"] == "appointment"


def test_a_delegates_signature_records_the_delegation(ward, frozen):
    grant = testing.delegate(ward, D(2026, 1, 5), valid_to=D(2026, 6, 30), seal_allowed=True)
    d = _act("sign", ward, "justice", _awaiting(ward, procedure=COPY), now=at(MON_2_MAR))
    assert d.signature_basis["basis"] == "delegation"
    assert d.signature_basis["instrument"]["number"] == "15/QĐ-UBND"
    assert d.signature_basis["instrument"]["public_id"] == str(grant.public_id)
    assert d.signature_block == "TUQ. CHỦ TỊCH\nCÔNG CHỨC TƯ PHÁP - HỘ TỊCH"
    assert AuditEvent.objects.get(action="dossier.sign").basis["basis"] == "delegation"
    # The delegation covers certified copies only: a marital-status result still needs the chair.
    _refused(PermissionDenied, "sign", ward, "justice", _awaiting(ward))


def test_a_vice_chairman_signs_in_an_assigned_field_as_kt(ward, frozen):
    testing.assign_field(ward, D(2026, 1, 5))
    d = _act("sign", ward, "vice", _awaiting(ward), now=at(MON_2_MAR))
    assert d.signature_block == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert d.signature_basis["basis"] == "field_assignment"
    assert d.signature_basis["instrument"]["number"] == "12/QĐ-UBND"


# --- apologies (Mẫu 04) and late dossiers ---------------------------------------------------------


def test_an_apology_after_the_due_date_is_refused(ward, frozen):
    d = _processing(ward, at(MON_2_MAR))  # due Thu 5 March, 17:00
    late = at(D(2026, 3, 6))
    frozen.move_to(late)
    apology = {"reason": "Chờ xác minh", "new_due_at": at(D(2026, 3, 10), 17), "now": late}
    error = _refused(RuleViolation, "apologise", ward, "justice", d, **apology)
    assert error.code == "apology_too_late"
    assert selectors.is_late_without_apology(_refresh(d), late)
    assert list(selectors.late_without_apology({WARD}, late)) == [d]


def test_one_apology_moves_the_date_a_second_is_refused_to_the_chairman_too(ward, frozen):
    """DOMAIN §3 [C]: the date may be moved once; a second Mẫu 04 is refused for anyone (422
    ``apology_limit_reached``), before the new date as after it, and writes nothing."""
    d = _processing(ward, at(MON_2_MAR))
    first = {
        "reason": "Chờ xác minh",
        "new_due_at": at(D(2026, 3, 10), 17),
        "now": at(D(2026, 3, 4)),
    }
    d = _act("apologise", ward, "justice", d, **first)
    assert (d.due_at, d.original_due_at, d.apology_count) == (
        at(D(2026, 3, 10), 17),
        at(D(2026, 3, 5), 17),
        1,
    )
    second = {"reason": "Vẫn chờ", "new_due_at": at(D(2026, 3, 12), 17), "now": at(D(2026, 3, 9))}
    before = counts()
    for who in ("justice", "chair"):
        error = _refused(RuleViolation, "apologise", ward, who, d, **second)
        assert (error.code, error.field) == ("apology_limit_reached", "apology_count")
        assert "Chủ tịch UBND" in error.vi and "ward chairman" in error.en
    assert counts() == before
    after = _refresh(d)
    assert (after.version, after.due_at, after.apology_count) == (d.version, d.due_at, 1)
    apologies = list(Apology.objects.filter(dossier=d))
    assert [(a.approved_by_chairman, a.issued_by) for a in apologies] == [(False, ward["justice"])]
    assert (
        OutboxMessage.objects.filter(idempotency_key__startswith=f"{d.code}:apology:").count() == 2
    )


def test_an_apology_must_move_the_date_later_and_come_from_the_officer(ward, frozen):
    d = _processing(ward, at(MON_2_MAR))
    earlier = {"reason": "x", "new_due_at": at(D(2026, 3, 5), 16), "now": at(MON_2_MAR)}
    error = _refused(InvalidInput, "apologise", ward, "justice", d, **earlier)
    assert error.field == "new_due_at"
    later = {"reason": "x", "new_due_at": at(D(2026, 3, 9), 17), "now": at(MON_2_MAR)}
    _refused(PermissionDenied, "apologise", ward, "desk", d, **later)


def test_late_dossiers_without_an_apology_are_flagged(ward, frozen):
    check = at(D(2026, 3, 6), 10)
    late = DossierFactory(team=ward, now=check, status=workflow.PROCESSING, overdue=True)
    apologised = _processing(ward, at(MON_2_MAR))
    on_time = _processing(ward, at(D(2026, 3, 4)))
    new_due_at = at(D(2026, 3, 6), 17)
    _act(
        "apologise",
        ward,
        "justice",
        apologised,
        reason="x",
        new_due_at=new_due_at,
        now=at(D(2026, 3, 4)),
    )
    returned_late = drive(
        ward,
        submit(ward, now=at(MON_2_MAR)).dossier.code,
        to=workflow.RETURNED,
        now=at(D(2026, 3, 6)),
    )
    flagged = set(selectors.late_without_apology({WARD}, check).values_list("code", flat=True))
    assert flagged == {late.code, returned_late.code}
    assert selectors.is_overdue(_refresh(apologised), check) is False
    assert selectors.is_overdue(_refresh(on_time), check) is False
    assert selectors.is_overdue(_refresh(late), check) is True
    assert set(selectors.queue({WARD}, overdue=True, now=check).values_list("code", flat=True)) == {
        late.code
    }
    assert not selectors.late_without_apology({WARD_B}, check).exists()


def test_the_queue_puts_dossiers_without_a_due_date_last(ward, frozen):
    waiting = submit(ward, now=at(MON_2_MAR), accept=False).dossier
    later = submit(ward, now=at(D(2026, 3, 3))).dossier
    sooner = submit(ward, now=at(MON_2_MAR)).dossier
    assert [d.code for d in selectors.queue({WARD})] == [sooner.code, later.code, waiting.code]


# --- at risk ------------------------------------------------------------------------------------


def test_mark_at_risk_flags_only_one_working_day_left_and_is_idempotent(ward, frozen):
    due_thu = _processing(ward, at(MON_2_MAR))  # due Thu 5 March
    due_fri = _processing(ward, at(D(2026, 3, 3)))  # due Fri 6 March
    paused = _processing(ward, at(MON_2_MAR))
    _act("request_supplement", ward, "justice", paused, reason="x", now=at(MON_2_MAR))
    now = at(D(2026, 3, 4), 8)
    outbox = OutboxMessage.objects.count()
    assert services.mark_at_risk(now=now) == 1
    assert _refresh(due_thu).at_risk_since == now
    assert _refresh(due_fri).at_risk_since is None
    assert _refresh(paused).at_risk_since is None
    mail = OutboxMessage.objects.get(channel="email", recipient=ward["user_justice"].email)
    assert due_thu.code in mail.body
    assert OutboxMessage.objects.count() == outbox + 1
    audit = AuditEvent.objects.count()
    assert services.mark_at_risk(now=now) == 0
    assert services.mark_at_risk(now=at(D(2026, 3, 4), 16)) == 0
    assert AuditEvent.objects.count() == audit and OutboxMessage.objects.count() == outbox + 1
    assert _refresh(due_thu).at_risk_since == now
    # Late dossiers are at risk too (less than one day left).
    assert services.mark_at_risk(now=at(D(2026, 3, 9))) == 1
    assert _refresh(due_fri).at_risk_since is not None


def test_mark_at_risk_sees_across_tet(ward, frozen):
    """Friday 13 Feb 2026: one working day (Mon 23 Feb) to a dossier due ten days later."""
    frozen.move_to(at(D(2026, 2, 11)))
    d = _processing(ward, at(D(2026, 2, 11)))
    assert d.due_at == at(D(2026, 2, 23), 17)
    assert deadlines.working_days_left(WARD, at(FRI_13_FEB), d.due_at) == 1
    frozen.move_to(at(FRI_13_FEB))
    assert services.mark_at_risk(now=at(FRI_13_FEB)) == 1
    assert _refresh(d).at_risk_since == at(FRI_13_FEB)


def test_a_new_due_date_clears_the_at_risk_flag(ward, frozen):
    by_pause = _processing(ward, at(MON_2_MAR))
    by_apology = _processing(ward, at(MON_2_MAR))
    flagged_at = at(D(2026, 3, 4), 8)
    assert services.mark_at_risk(now=flagged_at) == 2
    apology = {"reason": "x", "new_due_at": at(D(2026, 3, 11), 17), "now": flagged_at}
    by_apology = _act("apologise", ward, "justice", by_apology, **apology)
    assert by_apology.at_risk_since is None
    by_pause = _act("request_supplement", ward, "justice", by_pause, reason="x", now=flagged_at)
    by_pause = _act("resubmit", ward, "desk", by_pause, now=at(D(2026, 3, 9)))
    assert by_pause.due_at == at(D(2026, 3, 10), 17)  # 3 paused working days: 5, 6, 9 March
    assert by_pause.at_risk_since is None
    # ... so that it is flagged again before its new date.
    assert services.mark_at_risk(now=at(D(2026, 3, 9), 10)) == 1
    assert _refresh(by_pause).at_risk_since == at(D(2026, 3, 9), 10)


def test_mark_at_risk_leaves_a_dossier_whose_date_moved_meanwhile(ward, frozen, monkeypatch):
    d = _processing(ward, at(MON_2_MAR))
    now = at(D(2026, 3, 4), 8)
    real = deadlines.working_days_left

    landed: list[bool] = []

    def apology_lands_meanwhile(unit_code, when, due_at):
        # Between the pre-filter's read and the row lock, the officer moves the date (the
        # apology counts its own working days left through this very function: once only).
        if not landed:
            landed.append(True)
            fresh = Dossier.objects.get(pk=d.pk)
            apology = {"reason": "x", "new_due_at": at(D(2026, 3, 11), 17), "now": now}
            _act("apologise", ward, "justice", fresh, **apology)
        return real(unit_code, when, due_at)

    monkeypatch.setattr(deadlines, "working_days_left", apology_lands_meanwhile)
    assert services.mark_at_risk(now=now) == 0
    assert Dossier.objects.get(pk=d.pk).at_risk_since is None


# --- random action sequences through the services -----------------------------------------------

ACTION_CALLS = {
    "accept": lambda w, kw: services.dossier_accept(**kw),
    "refuse": lambda w, kw: services.dossier_refuse(reason="x", **kw),
    "request_supplement": lambda w, kw: services.dossier_request_supplement(reason="x", **kw),
    "resubmit": lambda w, kw: services.dossier_resubmit(**kw),
    "assign": lambda w, kw: services.dossier_assign(assignee=w["justice"], **kw),
    "start_processing": lambda w, kw: services.dossier_start_processing(**kw),
    "submit_for_signature": lambda w, kw: services.dossier_submit_for_signature(**kw),
    "sign": lambda w, kw: services.dossier_sign(**kw),
    "return_result": lambda w, kw: services.dossier_return_result(**kw),
    "withdraw": lambda w, kw: services.dossier_withdraw(reason="x", **kw),
    "cancel": lambda w, kw: services.dossier_cancel(reason="x", **kw),
    "apologise": lambda w, kw: services.dossier_apologise(
        reason="x",
        new_due_at=(Dossier.objects.get(code=kw["code"]).due_at or kw["now"])
        + dt.timedelta(days=7),  # the same working day and hour a week later (open then)
        **kw,
    ),
}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(st.sampled_from(sorted(ACTION_CALLS)), min_size=1, max_size=12))
@example(actions=["accept", "apologise", "apologise"])  # a second Mẫu 04, every time
def test_random_sequences_of_moves_keep_the_dossier_valid(ward, actions):
    now = at(MON_2_MAR)
    with time_machine.travel(now, tick=False):
        d = submit(ward, now=now, accept=False).dossier
        for action in actions:
            before = Dossier.objects.get(pk=d.pk)
            kw = {
                "actor": SYSTEM,
                "official": ward["chair"],
                "code": d.code,
                "version": before.version,
                "now": now,
            }
            beyond_limit = action == "apologise" and rules.apology_limit_reached(
                before.apology_count
            )
            if workflow.can_move(action, before.status) and beyond_limit:
                # A second Mẫu 04 (DOMAIN §3 [C]: the date is moved once): refused to the chairman.
                with pytest.raises(RuleViolation) as exc:
                    ACTION_CALLS[action](ward, kw)
                assert exc.value.code == "apology_limit_reached"
                assert Dossier.objects.get(pk=d.pk).version == before.version
            elif workflow.can_move(action, before.status):
                after = ACTION_CALLS[action](ward, kw)
                assert after.status == workflow.target_of(action, before.status)
                assert after.version == before.version + 1
            else:
                with pytest.raises(Conflict) as exc:
                    ACTION_CALLS[action](ward, kw)
                assert exc.value.code == "invalid_transition"
                assert Dossier.objects.get(pk=d.pk).version == before.version
            d = Dossier.objects.get(pk=d.pk)
            assert d.status in workflow.STATES
            assert (d.closed_at is not None) == (d.status in workflow.FINAL)
            assert (d.due_at is not None) == (d.valid_receipt_at is not None)
            if d.status in workflow.CLOCK_RUNNING:
                assert d.due_at is not None
            assert d.apology_count <= rules.APOLOGY_MOVES_MAX
        assert d.events.count() == d.version


# --- intake with production caching ---------------------------------------------------------------


def test_intake_with_cached_reference_rows_sees_a_saved_edit_at_once(ward, frozen):
    """Production keeps unit, procedure and desk rows a moment per process (core.refcache): the
    counter's intake then runs 8 statements, and an edit saved in this process applies to the
    very next intake."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    from cqdt.core import refcache
    from cqdt.procedures.models import Procedure

    refcache.clear()
    with override_settings(CQDT_REFERENCE_CACHE_SECONDS=60, CQDT_CALENDAR_RECHECK_SECONDS=60):
        first = submit(ward, now=at(MON_2_MAR)).dossier
        with CaptureQueriesContext(connection) as captured:
            second = submit(ward, now=at(MON_2_MAR)).dossier
        tables = [
            q["sql"].split()[2].strip('"')
            for q in captured
            if q["sql"].lstrip().upper().startswith("INSERT")
        ]
        # Writes only, plus the desk-post check, the audit chain's tip (and its lock on
        # PostgreSQL): no reference reads.
        assert tables == [
            "dossiers_dailysequence",
            "dossiers_dossier",
            "dossiers_dossierevent",
            "core_outboxmessage",
            "core_outboxmessage",
            "core_auditevent",
        ]
        reads = " ".join(q["sql"] for q in captured if not q["sql"].lstrip().startswith("INSERT"))
        assert "staff_appointment" in reads  # never cached: who may take dossiers in
        for reference in ("units_unit", "procedures_procedure", "dossiers_desk", "workdays_"):
            assert reference not in reads
        assert second.due_at == first.due_at
        procedure = Procedure.objects.get(slug=MARITAL, valid_to__isnull=True)
        procedure.time_value += 2
        procedure.save()
        third = submit(ward, now=at(MON_2_MAR)).dossier
    refcache.clear()
    assert calendar_for().add_working_days(first.due_at.date(), 2) == third.due_at.date()
    assert audit_verify().ok
