"""Officials and appointments: who may appoint whom, limits, terms, acting authority, ends."""

import datetime as dt

import pytest

from cqdt.core.errors import Conflict, InvalidInput, NotFound
from cqdt.core.models import AuditEvent
from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind, EndReason, Official
from cqdt.staff.selectors import chairman_of, holders, holds_chair
from cqdt.staff.services import appointment_create, appointment_end, official_create
from cqdt.staff.tests.factories import (
    ACTOR,
    BA_DINH,
    CHECK_DAY,
    HOAN_KIEM,
    HOAN_KIEM_WARD,
    ONE_DAY,
    PHUC_XA,
    PILOT_START,
    TRUC_BACH,
    WITH_LEADERSHIP,
    acting_chairman,
    appoint,
    elect_chairman,
    end_post,
    official,
    refused,
    unchanged,
    vacate_chair,
)
from cqdt.units.models import Unit

pytestmark = WITH_LEADERSHIP

VINH_PHUC = "00006"  # a ward of Quận Ba Đình with no leadership in the fixture


def _set_class(code, ward_class):
    # Test setup: the reference data carries no ward classes.
    Unit.objects.filter(code=code).update(ward_class=ward_class)


# ---- officials ---------------------------------------------------------------------------


def test_official_create_records_an_audit_event_without_personal_data(reference_data):
    person = official_create(
        actor=ACTOR,
        full_name="  Nguyễn Thị Lan ",
        civil_service_code=" BD-0001 ",
        employer_unit_code=BA_DINH,
        date_of_birth=dt.date(1985, 5, 1),
    )
    assert person.full_name == "Nguyễn Thị Lan"
    assert person.civil_service_code == "BD-0001"
    event = AuditEvent.objects.get(action="official.create", object_id=str(person.public_id))
    assert event.after["civil_service_code"] == "BD-0001"
    assert "Nguyễn" not in str(event.after) and "1985" not in str(event.after)


@pytest.mark.parametrize("code", ["BD-0001", " BD-0001 "])
def test_a_second_official_with_the_same_code_is_a_conflict(reference_data, code):
    official_create(
        actor=ACTOR, full_name="A", civil_service_code="BD-0001", employer_unit_code=BA_DINH
    )
    error = refused(
        official_create,
        actor=ACTOR,
        full_name="B",
        civil_service_code=code,
        employer_unit_code=BA_DINH,
        error=Conflict,
    )
    assert error.code == "official_exists"


def test_an_official_of_an_unknown_unit_is_refused(reference_data):
    with unchanged(), pytest.raises(NotFound):
        official_create(
            actor=ACTOR, full_name="A", civil_service_code="X-1", employer_unit_code="999"
        )


# ---- who decides -------------------------------------------------------------------------


def test_the_leadership_is_built_through_the_services(leadership):
    assert chairman_of(PHUC_XA, CHECK_DAY).official == leadership.chairman
    assert leadership.chair.term_end == dt.date(2026, 6, 30)
    assert leadership.chair.deciding_official == leadership.district_chairman
    assert leadership.district_chair.kind == AppointmentKind.ELECTION
    assert leadership.district_chair.deciding_official is None
    assert holders(PHUC_XA, posts.VICE_CHAIRMAN, CHECK_DAY).count() == 2
    assert leadership.justice_post.term_end is None
    assert AuditEvent.objects.filter(action="appointment.appointment").count() == 3
    assert AuditEvent.objects.filter(action="appointment.election").count() == 1
    assert AuditEvent.objects.filter(action="appointment.assignment").count() == 1


def test_a_district_chairman_under_the_standard_model_is_elected_not_appointed(reference_data):
    person = official()
    error = refused(appoint, person, BA_DINH, posts.CHAIRMAN, by=None, by_unit="01")
    assert error.field == "kind"


def test_a_pilot_ward_chairman_is_not_elected(leadership):
    person = official()
    error = refused(elect_chairman, TRUC_BACH, person=person)
    assert error.code == "not_competent_to_appoint"


@pytest.mark.parametrize("deciding_unit", [BA_DINH, HOAN_KIEM])
def test_ba_dinh_chairman_cannot_appoint_a_chairman_in_hoan_kiem(leadership, deciding_unit):
    person = official(HOAN_KIEM)
    error = refused(
        appoint,
        person,
        HOAN_KIEM_WARD,
        posts.CHAIRMAN,
        by=leadership.district_chairman,
        by_unit=deciding_unit,
    )
    assert error.code == "not_competent_to_appoint"
    assert "UBND quận Hoàn Kiếm" in error.vi


def test_hoan_kiem_chairman_appoints_in_his_own_wards(leadership):
    boss = elect_chairman(HOAN_KIEM).official
    appointment = appoint(
        official(HOAN_KIEM), HOAN_KIEM_WARD, posts.CHAIRMAN, by=boss, by_unit=HOAN_KIEM
    )
    assert appointment.deciding_unit_code == HOAN_KIEM


def test_a_ward_chairman_cannot_appoint_his_vice_chairman(leadership):
    person = official()
    error = refused(
        appoint, person, PHUC_XA, posts.VICE_CHAIRMAN, by=leadership.chairman, by_unit=PHUC_XA
    )
    assert error.code == "not_competent_to_appoint"


def test_a_district_chairman_decides_only_while_in_office(leadership):
    person = official()
    error = refused(
        appoint,
        person,
        TRUC_BACH,
        posts.CHAIRMAN,
        by=leadership.district_chairman,
        term_start=PILOT_START,
        decision_date=PILOT_START - ONE_DAY,
    )
    assert error.code == "not_competent_to_appoint"


def test_ward_civil_servants_are_employed_by_the_district(leadership):
    outsider = official(HOAN_KIEM)
    error = refused(
        appoint,
        outsider,
        PHUC_XA,
        posts.OFFICE_STATISTICS,
        by=leadership.district_chairman,
        kind=AppointmentKind.ASSIGNMENT,
    )
    assert error.field == "official"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"post": "mayor"}, "post"),
        ({"kind": "inheritance"}, "kind"),
        ({"decision_number": "  "}, "decision_number"),
        ({"term_end": PILOT_START - ONE_DAY}, "term_end"),
        ({"kind": AppointmentKind.ACTING, "post": posts.VICE_CHAIRMAN}, "post"),
        ({"decision_date": PILOT_START + dt.timedelta(days=400)}, "decision_date"),
    ],
)
def test_malformed_appointments_are_invalid_input(leadership, changes, field):
    args = {
        "actor": ACTOR,
        "official": official(),
        "unit_code": TRUC_BACH,
        "post": posts.CHAIRMAN,
        "decision_number": "1/QĐ-UBND",
        "decision_date": PILOT_START,
        "term_start": PILOT_START,
        "deciding_official": leadership.district_chairman,
        "deciding_unit_code": BA_DINH,
    } | changes
    error = refused(appointment_create, **args, error=InvalidInput)
    assert error.field == field


# ---- vice-chairmen -----------------------------------------------------------------------


def test_a_third_vice_chairman_in_a_class_i_ward_is_refused(leadership):
    _set_class(PHUC_XA, "I")
    person = official()
    error = refused(appoint, person, PHUC_XA, posts.VICE_CHAIRMAN, by=leadership.district_chairman)
    assert error.code == "vice_chairman_limit"
    assert "tối đa 2" in error.vi


def test_a_ward_of_unknown_class_gets_the_highest_limit_and_no_more(leadership):
    person = official()
    error = refused(appoint, person, PHUC_XA, posts.VICE_CHAIRMAN, by=leadership.district_chairman)
    assert error.code == "vice_chairman_limit"


def test_a_second_vice_chairman_in_a_class_iii_ward_is_refused(leadership):
    _set_class(TRUC_BACH, "III")
    boss = leadership.district_chairman
    appoint(official(), TRUC_BACH, posts.VICE_CHAIRMAN, by=boss)
    person = official()
    error = refused(appoint, person, TRUC_BACH, posts.VICE_CHAIRMAN, by=boss)
    assert error.code == "vice_chairman_limit"


def test_a_vice_chairman_whose_term_runs_into_another_counts_against_the_limit(leadership):
    # Class III: the sitting vice-chairman starts in 2022; a new one from 2021 would overlap him.
    _set_class(TRUC_BACH, "III")
    boss = leadership.district_chairman
    appoint(official(), TRUC_BACH, posts.VICE_CHAIRMAN, by=boss, term_start=dt.date(2022, 1, 1))
    person = official()
    error = refused(
        appoint, person, TRUC_BACH, posts.VICE_CHAIRMAN, by=boss, term_start=PILOT_START
    )
    assert error.code == "vice_chairman_limit"


def test_a_vice_chairman_may_follow_one_whose_appointment_ended(leadership):
    _set_class(TRUC_BACH, "III")
    boss = leadership.district_chairman
    first = appoint(official(), TRUC_BACH, posts.VICE_CHAIRMAN, by=boss)
    end_post(first, dt.date(2022, 1, 1), EndReason.TRANSFER, "9/QĐ-UBND")
    second = appoint(
        official(), TRUC_BACH, posts.VICE_CHAIRMAN, by=boss, term_start=dt.date(2022, 1, 1)
    )
    assert list(holders(TRUC_BACH, posts.VICE_CHAIRMAN, CHECK_DAY)) == [second]


# ---- the chairman's post -----------------------------------------------------------------


def test_a_second_chairman_in_the_same_period_is_a_conflict(leadership):
    person = official()
    error = refused(
        appoint,
        person,
        PHUC_XA,
        posts.CHAIRMAN,
        by=leadership.district_chairman,
        term_start=CHECK_DAY,
        error=Conflict,
    )
    assert error.code == "post_occupied"


def test_the_same_person_cannot_hold_the_same_post_twice_at_once(leadership):
    error = refused(
        appoint,
        leadership.justice,
        PHUC_XA,
        posts.JUSTICE_CIVIL_STATUS,
        by=leadership.district_chairman,
        kind=AppointmentKind.ASSIGNMENT,
        term_start=CHECK_DAY,
        error=Conflict,
    )
    assert error.code == "already_holds_post"


FICTION_DISTRICT = "998"
FICTION_WARD = "99801"


def _fictional_head_of_unit_ward():
    """A fictional district and ward under the pilot's head-of-unit model for 20 years.

    The real pilot lasted four years (1 July 2021 – 30 June 2025; Law 72/2025/QH15 ended the
    district level), so its 10-consecutive-year limit can only be exercised on fictional units:
    test data, never shipped. (These tests used to run on Quận Ba Đình until 2041.)
    """
    from cqdt.units.models import GovernanceAssignment, GovernanceModel

    in_hanoi = {"province_code": "01", "source": "test fixture"}
    for code, name, kind, parent in (
        (FICTION_DISTRICT, "Quận Thử Nghiệm", "urban_district", "01"),
        (FICTION_WARD, "Phường Thử Nghiệm", "ward", FICTION_DISTRICT),
    ):
        Unit.objects.create(
            code=code, name=name, division_type=kind, parent_code=parent, **in_hanoi
        )
    pilot = GovernanceModel.objects.get(slug="hanoi-urban-pilot-2021")
    standard = GovernanceModel.objects.get(slug="standard-2015")
    GovernanceAssignment.objects.create(
        unit_code=FICTION_WARD, model=pilot, valid_from=PILOT_START, legal_basis="test fixture"
    )
    GovernanceAssignment.objects.create(
        unit_code=FICTION_DISTRICT, model=standard, valid_from=None, legal_basis="test fixture"
    )


def _district_terms(starts):
    """The fictional district's chairman for each term, so every ward decision has a decider."""
    _fictional_head_of_unit_ward()
    return {start: elect_chairman(FICTION_DISTRICT, term_start=start).official for start in starts}


TERMS = [dt.date(2021, 7, 1), dt.date(2026, 7, 1), dt.date(2031, 7, 1), dt.date(2036, 7, 1)]


def test_two_five_year_terms_are_fine_and_a_third_consecutive_one_is_refused(leadership):
    bosses = _district_terms(TERMS[:3])
    chairman = official()
    for start in TERMS[:2]:
        appoint(
            chairman,
            FICTION_WARD,
            posts.CHAIRMAN,
            by=bosses[start],
            by_unit=FICTION_DISTRICT,
            term_start=start,
        )
    error = refused(
        appoint,
        chairman,
        FICTION_WARD,
        posts.CHAIRMAN,
        by=bosses[TERMS[2]],
        by_unit=FICTION_DISTRICT,
        term_start=TERMS[2],
    )
    assert error.code == "consecutive_term_limit"
    assert "01/07/2021" in error.vi


def test_a_gap_between_terms_resets_the_ten_years(leadership):
    bosses = _district_terms(TERMS)
    chairman = official()
    kw = {"by_unit": FICTION_DISTRICT}
    for start in TERMS[:2]:
        appoint(chairman, FICTION_WARD, posts.CHAIRMAN, by=bosses[start], term_start=start, **kw)
    # Someone else serves 2031–2036; the first chairman returns after the gap.
    appoint(
        official(), FICTION_WARD, posts.CHAIRMAN, by=bosses[TERMS[2]], term_start=TERMS[2], **kw
    )
    third = appoint(
        chairman, FICTION_WARD, posts.CHAIRMAN, by=bosses[TERMS[3]], term_start=TERMS[3], **kw
    )
    assert third.term_end == dt.date(2041, 6, 30)


def test_an_early_end_shortens_the_consecutive_run(leadership):
    bosses = _district_terms(TERMS[:3])
    chairman = official()
    kw = {"by_unit": FICTION_DISTRICT}
    first = appoint(chairman, FICTION_WARD, posts.CHAIRMAN, by=bosses[TERMS[0]], **kw)
    end_post(first, dt.date(2023, 7, 1), EndReason.ROTATION, "5/QĐ-UBND")
    # Back on 1 July 2024 after a year away: 2024–2029 and 2029–2034 fit in ten years.
    back = dt.date(2024, 7, 1)
    appoint(chairman, FICTION_WARD, posts.CHAIRMAN, by=bosses[TERMS[0]], term_start=back, **kw)
    second = appoint(
        chairman,
        FICTION_WARD,
        posts.CHAIRMAN,
        by=bosses[TERMS[1]],
        term_start=dt.date(2029, 7, 1),
        **kw,
    )
    assert second.term_end == dt.date(2034, 6, 30)


def test_a_pilot_ward_gets_no_term_after_the_district_level_ended(leadership):
    # Law 72/2025/QH15: no districts from 1 July 2025; Phường Vĩnh Phúc went into Phường Ngọc Hà
    # (Resolution 1656/NQ-UBTVQH15). A 2026 appointment there is refused, nothing written.
    person = official()
    with unchanged(), pytest.raises(NotFound):
        appoint(
            person,
            VINH_PHUC,
            posts.CHAIRMAN,
            by=leadership.district_chairman,
            term_start=dt.date(2026, 7, 1),
        )


def test_an_elected_chairman_is_not_held_to_the_pilots_ten_year_limit(reference_data):
    # Phường Hồng Hà from 1 July 2025: elected by its own council (Law 72/2025/QH15).
    person = official()
    for start in (dt.date(2025, 7, 1), dt.date(2030, 7, 1), dt.date(2035, 7, 1)):
        elect_chairman("00097", term_start=start, person=person)
    assert holds_chair(person, "00097", dt.date(2039, 1, 1)) is not None


# ---- acting authority (giao quyền) -------------------------------------------------------


def test_acting_authority_is_refused_while_the_chairman_is_in_post(leadership):
    error = refused(acting_chairman, leadership, leadership.vice_chairmen[0], CHECK_DAY)
    assert error.code == "post_not_vacant"


def test_acting_authority_fills_a_vacancy_once(leadership):
    vacancy = dt.date(2022, 3, 1)
    vacate_chair(leadership, vacancy, EndReason.TRANSFER, "20/QĐ-UBND")
    acting = acting_chairman(leadership, leadership.vice_chairmen[0], vacancy)
    assert acting.term_end is None
    assert holds_chair(leadership.vice_chairmen[0], PHUC_XA, CHECK_DAY) == acting
    assert AuditEvent.objects.filter(action="appointment.acting").count() == 1
    error = refused(
        acting_chairman, leadership, leadership.vice_chairmen[1], CHECK_DAY, error=Conflict
    )
    assert error.code == "post_occupied"


def test_a_new_chairman_ends_the_acting_holders_authority(leadership):
    vacancy, new_start = dt.date(2022, 3, 1), dt.date(2022, 6, 1)
    vacate_chair(leadership, vacancy, EndReason.DISMISSAL, "21/QĐ-UBND")
    acting_holder = leadership.vice_chairmen[0]
    acting_chairman(leadership, acting_holder, vacancy)
    new = appoint(
        official(), PHUC_XA, posts.CHAIRMAN, by=leadership.district_chairman, term_start=new_start
    )
    assert holds_chair(acting_holder, PHUC_XA, new_start - ONE_DAY) is not None
    assert holds_chair(acting_holder, PHUC_XA, new_start) is None
    assert holds_chair(new.official, PHUC_XA, new_start) == new


# ---- ending appointments -----------------------------------------------------------------


@pytest.mark.parametrize("reason", [r for r in EndReason.values if r != EndReason.ACTING_ENDED])
def test_appointment_end_with_each_reason(leadership, reason):
    vice = leadership.vice_chairmen[1]
    appointment = holders(PHUC_XA, posts.VICE_CHAIRMAN, CHECK_DAY).get(official=vice)
    ended = end_post(appointment, CHECK_DAY, reason, " 30/QĐ-UBND ")
    assert (ended.ended_on, ended.end_reason, ended.end_decision_number) == (
        CHECK_DAY,
        reason,
        "30/QĐ-UBND",
    )
    assert holders(PHUC_XA, posts.VICE_CHAIRMAN, CHECK_DAY - ONE_DAY).filter(official=vice).exists()
    assert not holders(PHUC_XA, posts.VICE_CHAIRMAN, CHECK_DAY).filter(official=vice).exists()
    event = AuditEvent.objects.get(action=f"appointment.end.{reason}")
    assert event.before["ended_on"] is None
    assert event.after["ended_on"] == CHECK_DAY.isoformat()
    assert event.after["end_reason"] == reason


def test_acting_ended_ends_an_acting_assignment_only(leadership):
    vacate_chair(leadership, dt.date(2022, 3, 1), EndReason.TRANSFER, "22/QĐ-UBND")
    acting = acting_chairman(leadership, leadership.vice_chairmen[0], dt.date(2022, 3, 1))
    ended = end_post(acting, dt.date(2022, 5, 1), EndReason.ACTING_ENDED, "23/QĐ-UBND")
    assert ended.end_reason == EndReason.ACTING_ENDED
    # The day after a term's last day is its natural end.
    vice = holders(PHUC_XA, posts.VICE_CHAIRMAN, CHECK_DAY).get(
        official=leadership.vice_chairmen[1]
    )
    expired = end_post(vice, dt.date(2026, 7, 1), EndReason.TERM_EXPIRY, "25/QĐ-UBND")
    assert expired.ended_on == dt.date(2026, 7, 1)
    assert AuditEvent.objects.filter(action="appointment.end.acting_ended").count() == 1
    error = refused(
        appointment_end,
        actor=ACTOR,
        appointment=leadership.justice_post,
        ended_on=CHECK_DAY,
        reason=EndReason.ACTING_ENDED,
        decision_number="24/QĐ-UBND",
        error=InvalidInput,
    )
    assert error.field == "reason"


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"reason": "retirement_party"}, InvalidInput, "reason"),
        ({"ended_on": PILOT_START}, InvalidInput, "ended_on"),
        ({"decision_number": " "}, InvalidInput, "decision_number"),
        ({"ended_on": dt.date(2026, 7, 2)}, InvalidInput, "ended_on"),  # after the term's end
    ],
)
def test_malformed_ends_are_refused(leadership, changes, error, field):
    args = {
        "actor": ACTOR,
        "appointment": leadership.chair,
        "ended_on": CHECK_DAY,
        "reason": EndReason.TRANSFER,
        "decision_number": "31/QĐ-UBND",
    } | changes
    with unchanged(), pytest.raises(error) as exc:
        appointment_end(**args)
    assert exc.value.field == field


def test_an_appointment_ends_once(leadership):
    end_post(leadership.justice_post, CHECK_DAY, EndReason.SECONDMENT, "32/QĐ-UBND")
    error = refused(
        appointment_end,
        actor=ACTOR,
        appointment=leadership.justice_post,
        ended_on=CHECK_DAY + ONE_DAY,
        reason=EndReason.DISMISSAL,
        decision_number="33/QĐ-UBND",
        error=Conflict,
    )
    assert error.code == "already_ended"
    assert Appointment.objects.get(pk=leadership.justice_post.pk).end_reason == EndReason.SECONDMENT


def test_ending_keeps_the_official(leadership):
    end_post(leadership.justice_post, CHECK_DAY, EndReason.RESIGNATION, "34/QĐ-UBND")
    assert Official.objects.filter(pk=leadership.justice.pk).exists()
