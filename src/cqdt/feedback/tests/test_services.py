"""Feedback writes through the services: intake and SLAs, handling, forwarding, escalation,
closing and reopening. Every refusal is checked for its answer and for nothing written."""

import datetime as dt

import pytest

from cqdt.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from cqdt.core.models import AuditEvent, OutboxMessage
from cqdt.feedback import services
from cqdt.feedback.models import Report, ReportEvent
from cqdt.feedback.tests.conftest import (
    CITIZEN,
    DISTRICT,
    LIGHTING,
    NOW,
    REPORTER,
    WARD,
    WARD_B,
    at,
    counts,
    drive,
    forward,
    state,
    submit,
)

pytestmark = pytest.mark.django_db
D = dt.date


# --- intake ---------------------------------------------------------------------------------------


def test_a_report_gets_a_daily_code_and_its_category_slas_in_working_time(categories):
    first = submit().report
    second = submit().report
    assert (first.code, second.code) == ("PA-220315-00001", "PA-220315-00002")
    assert first.status == "received" and first.version == 1
    assert first.unit_code == first.original_unit_code == first.ward_code == WARD
    # Tue 15 Mar 2022, 09:00: 8 working hours → Wed 09:00; 5 working days → Tue 22 Mar 17:00.
    assert first.ack_due_at == at(D(2022, 3, 16), 9)
    assert first.resolve_due_at == at(D(2022, 3, 22), 17)
    assert [e.action for e in first.events.all()] == ["submit"]
    audit = AuditEvent.objects.get(action="report.submit", object_id=first.code)
    assert REPORTER["reporter_name"] not in str(audit.after)  # no contact in the audit trail
    assert REPORTER["reporter_phone"] not in str(audit.after)


def test_friday_evening_reports_are_due_after_the_weekend(categories):
    r = submit(now=at(D(2022, 3, 18), 19)).report  # Friday 19:00
    assert r.ack_due_at == at(D(2022, 3, 21), 17)  # Monday: 8 office hours from 08:00 (lunch off)
    # Received after hours: counted as received on Monday, then 5 working days from there.
    assert r.resolve_due_at == at(D(2022, 3, 28), 17)


def test_the_ward_is_read_from_the_address_when_not_chosen(categories):
    r = submit(ward="", address="Trước số 5 phố Quán Thánh, phường Trúc Bạch, quận Ba Đình").report
    assert r.ward_code == r.unit_code == WARD_B


def test_a_district_category_goes_to_the_district(categories):
    r = submit(category=LIGHTING).report
    assert r.ward_code == WARD and r.unit_code == DISTRICT


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"category": "khong-co"}, "service_code", "unknown_category"),
        ({"description": "   "}, "description", "invalid_input"),
        ({"description": "x" * 4001}, "description", "invalid_input"),
        ({"reporter_phone": "12345"}, "phone", "invalid_input"),
        ({"reporter_email": "khong-phai-email"}, "email", "invalid_input"),
        ({"ward": "99999"}, "ward", "invalid_input"),
        ({"ward": DISTRICT}, "ward", "invalid_input"),  # a district is not a ward
        ({"ward": "", "address": "Số 5 phố Quán Thánh"}, "address", "ward_unresolved"),
        ({"lat": "91"}, "lat", "invalid_input"),
        ({"lon": "abc"}, "long", "invalid_input"),
    ],
)
def test_refused_reports_write_nothing(categories, kwargs, field, code):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        submit(**kwargs)
    assert refused.value.field == field and refused.value.code == code
    assert refused.value.vi and refused.value.en
    assert counts() == before


# --- handling -------------------------------------------------------------------------------------


def test_the_main_path_with_notifications_to_the_reporter(wards):
    team = wards["a"]
    code = submit().report.code
    r = drive(team, code, to="resolved", now=NOW)
    assert r.version == 5 and r.resolved_at == NOW and r.assigned_to == team["justice"]
    assert r.acknowledged_at == NOW
    assert [e.action for e in r.events.all()] == [
        "submit",
        "acknowledge",
        "assign",
        "start",
        "resolve",
    ]
    assert r.events.get(action="resolve").actor_official == team["justice"]
    assert r.events.get(action="resolve").public_note.startswith("Kết quả xử lý")
    # Acknowledgement and resolution reach the reporter by SMS and email.
    sent = OutboxMessage.objects.filter(body__contains=code)
    assert sorted(sent.values_list("channel", flat=True)) == ["email", "email", "sms", "sms"]


def test_assigning_acknowledges_a_report_not_yet_acknowledged(wards):
    team = wards["a"]
    r = submit().report
    r = services.report_assign(
        actor=CITIZEN,
        official=team["desk"],
        code=r.code,
        version=1,
        assignee=team["justice"],
        now=NOW,
    )
    assert r.status == "assigned" and r.acknowledged_at == NOW


def test_a_stale_version_is_refused_with_409_and_nothing_written(wards):
    team = wards["a"]
    code = submit().report.code
    services.report_acknowledge(actor=CITIZEN, official=team["desk"], code=code, version=1, now=NOW)
    before, report_before = counts(), state(code)
    with pytest.raises(Conflict) as refused:
        services.report_assign(
            actor=CITIZEN,
            official=team["desk"],
            code=code,
            version=1,
            assignee=team["justice"],
            now=NOW,
        )
    assert refused.value.status == 409 and refused.value.code == "stale_version"
    assert counts() == before and state(code) == report_before


def _forward(to_unit_code, reason):
    """The desk of ward A forwards the report at version 1."""
    return lambda t, c: forward(t, c, 1, to_unit_code, reason)


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (
            lambda t, c: services.report_start(
                actor=CITIZEN, official=t["desk"], code=c, version=1, now=NOW
            ),
            Conflict,
            "invalid_transition",
        ),
        (
            lambda t, c: services.report_resolve(
                actor=CITIZEN, official=t["desk"], code=c, version=1, resolution="  ", now=NOW
            ),
            InvalidInput,
            "invalid_input",
        ),
        (_forward(WARD, "Sai"), RuleViolation, "same_unit"),
        (_forward("99999", "Sai"), InvalidInput, "invalid_input"),
        (_forward(WARD_B, " "), InvalidInput, "invalid_input"),
        (_forward(WARD_B, "x" * 1001), InvalidInput, "invalid_input"),
        (
            lambda t, c: services.report_acknowledge(
                actor=CITIZEN, official=t["desk"], code="PA-000000-00000", version=1, now=NOW
            ),
            NotFound,
            "report_not_found",
        ),
        (
            lambda t, c: services.report_close(code=c, secret="SAI", satisfaction=5, now=NOW),
            NotFound,
            "report_not_found",
        ),
    ],
)
def test_refused_moves_write_nothing(wards, call, error, code):
    report_code = submit().report.code
    before, report_before = counts(), state(report_code)
    with pytest.raises(error) as refused:
        call(wards["a"], report_code)
    assert refused.value.code == code
    assert counts() == before and state(report_code) == report_before


def test_only_staff_of_the_unit_holding_the_report_may_move_it(wards):
    code = submit().report.code
    before = counts()
    with pytest.raises(PermissionDenied):
        services.report_acknowledge(
            actor=CITIZEN, official=wards["b"]["desk"], code=code, version=1, now=NOW
        )
    with pytest.raises(RuleViolation) as refused:  # nor be assigned it
        services.report_assign(
            actor=CITIZEN,
            official=wards["a"]["desk"],
            code=code,
            version=1,
            assignee=wards["b"]["justice"],
            now=NOW,
        )
    assert refused.value.field == "assignee"
    assert counts() == before and Report.objects.get(code=code).status == "received"


# --- forwarding -----------------------------------------------------------------------------------


def test_a_report_sent_to_the_wrong_ward_is_forwarded_and_the_reporter_sees_the_new_unit(wards):
    submitted = submit(ward=WARD, address="Số 5 phố Quán Thánh (thuộc phường Trúc Bạch)")
    code = submitted.report.code
    drive(wards["a"], code, to="acknowledged")
    later = NOW + dt.timedelta(hours=2)
    r = forward(wards["a"], code, 2, WARD_B, "Địa điểm thuộc phường Trúc Bạch", now=later)
    assert (r.unit_code, r.original_unit_code, r.status) == (WARD_B, WARD, "received")
    assert r.acknowledged_at is None and r.assigned_to is None
    # The competent ward's own clock: 8 working hours from the forwarding.
    assert r.ack_due_at == at(D(2022, 3, 16), 11)
    event = r.events.get(action="forward")
    assert event.from_status == "not_competent" and event.unit_code == WARD_B
    assert "Phường Trúc Bạch" in event.public_note
    seen = services.public_report(code, submitted.secret)
    assert seen.unit_code == WARD_B
    # The old ward can no longer act on it; the new one can.
    with pytest.raises(PermissionDenied):
        services.report_acknowledge(
            actor=CITIZEN, official=wards["a"]["desk"], code=code, version=r.version, now=later
        )
    drive(wards["b"], code, to="resolved", now=later)


# --- escalation -----------------------------------------------------------------------------------


def test_reports_past_their_sla_escalate_once_to_the_district(wards):
    ignored = submit().report  # nobody acknowledges it
    handled = submit().report
    drive(wards["a"], handled.code, to="in_progress")
    district_level = submit(category=LIGHTING).report  # held by the district: nowhere higher
    done = submit().report
    drive(wards["a"], done.code, to="resolved")
    assert services.escalate_overdue(now=at(D(2022, 3, 16), 8, 59)) == 0
    assert services.escalate_overdue(now=at(D(2022, 3, 16), 9, 1)) == 1  # acknowledgement SLA
    r = Report.objects.get(pk=ignored.pk)
    assert r.escalated_to_unit_code == DISTRICT and r.escalated_at == at(D(2022, 3, 16), 9, 1)
    assert r.status == "received"  # escalation reports upwards; the ward still holds it
    assert r.events.last().action == "escalate"
    assert AuditEvent.objects.filter(action="report.escalate", object_id=r.code).count() == 1
    assert services.escalate_overdue(now=at(D(2022, 3, 22), 17, 1)) == 1  # resolution SLA
    assert Report.objects.get(pk=handled.pk).escalated_at is not None
    assert services.escalate_overdue(now=at(D(2022, 4, 30))) == 0  # once each
    assert Report.objects.get(pk=district_level.pk).escalated_at is None
    assert Report.objects.get(pk=done.pk).escalated_at is None


# --- closing and reopening ------------------------------------------------------------------------


def test_the_reporter_closes_with_satisfaction_and_may_reopen_later(wards):
    submitted = submit()
    code, secret = submitted.report.code, submitted.secret
    drive(wards["a"], code, to="resolved")
    before = counts()
    with pytest.raises(InvalidInput):
        services.report_close(code=code, secret=secret, satisfaction=6, now=NOW)
    assert counts() == before
    closed_at = NOW + dt.timedelta(days=1)
    r = services.report_close(
        code=code, secret=secret.lower(), satisfaction=2, comment="Chậm", now=closed_at
    )
    assert (r.status, r.satisfaction, r.closed_at) == ("closed", 2, closed_at)
    reopened_at = at(D(2022, 3, 17), 10)
    r = services.report_reopen(
        code=code, secret=secret, reason="Hàng quán lại bày ra vỉa hè.", now=reopened_at
    )
    assert (r.status, r.reopen_count, r.satisfaction, r.closed_at) == ("in_progress", 1, None, None)
    assert r.resolve_due_at == at(D(2022, 3, 24), 17)  # a fresh resolution SLA (5 working days)
    assert [e.action for e in r.events.all()][-2:] == ["close", "reopen"]
    drive(wards["a"], code, to="resolved", now=reopened_at)
    r = services.report_close(code=code, secret=secret, satisfaction=5, now=reopened_at)
    assert r.status == "closed" and r.satisfaction == 5
    with pytest.raises(InvalidInput):
        services.report_reopen(code=code, secret=secret, reason="  ", now=reopened_at)


def test_an_open_report_cannot_be_closed_by_the_reporter(categories):
    submitted = submit()
    before = counts()
    with pytest.raises(Conflict):
        services.report_close(
            code=submitted.report.code, secret=submitted.secret, satisfaction=5, now=NOW
        )
    with pytest.raises(Conflict):
        services.report_reopen(
            code=submitted.report.code, secret=submitted.secret, reason="x", now=NOW
        )
    assert counts() == before


def test_categories_load_is_idempotent(categories):
    from cqdt.feedback.models import Category

    count = Category.objects.count()
    assert count == 9
    assert services.categories_load() == 0
    assert Category.objects.get(code="trat-tu-do-thi").ack_sla_value == 8
    assert ReportEvent.objects.count() == 0
