"""Who holds which post on a date, and civil servants per ward against the norm."""

import datetime as dt

import pytest

from cqdt.core.errors import NotFound
from cqdt.staff import posts
from cqdt.staff.models import AppointmentKind, EndReason
from cqdt.staff.rules import WardStaffing
from cqdt.staff.selectors import (
    DistrictStaffing,
    chairman_of,
    district_staffing,
    districts_staffing,
    holdings,
    holds_any_post,
    holds_chair,
    official_by_public_id,
    unit_staff,
)
from cqdt.staff.tests.factories import (
    BA_DINH,
    CHECK_DAY,
    PHUC_XA,
    PILOT_START,
    TRUC_BACH,
    WITH_LEADERSHIP,
    appoint,
    end_post,
    official,
)
from cqdt.units import selectors as unit_selectors

pytestmark = WITH_LEADERSHIP

SON_TAY = "269"  # Thị xã Sơn Tây: 9 pilot wards and 6 communes outside the pilot
SON_TAY_WARD = "09574"  # Phường Lê Lợi
SON_TAY_COMMUNE = "09592"  # Xã Đường Lâm


def _civil_servant(ward, post=posts.OFFICE_STATISTICS, *, by, district=BA_DINH, person=None):
    person = person or official(district)
    appoint(person, ward, post, by=by, by_unit=district, kind=AppointmentKind.ASSIGNMENT)
    return person


def test_who_holds_the_chair_on_a_date(leadership):
    assert chairman_of(PHUC_XA, CHECK_DAY) == leadership.chair
    assert chairman_of(PHUC_XA, PILOT_START - dt.timedelta(days=1)) is None
    assert chairman_of(PHUC_XA, dt.date(2026, 7, 1)) is None  # the term ended on 30 June 2026
    assert holds_chair(leadership.chairman, PHUC_XA, CHECK_DAY) == leadership.chair
    assert holds_chair(leadership.vice_chairmen[0], PHUC_XA, CHECK_DAY) is None
    assert (
        holds_chair(leadership.district_chairman, BA_DINH, CHECK_DAY) == leadership.district_chair
    )


def test_holdings_and_unit_staff(leadership):
    assert [a.post for a in holdings(leadership.justice, CHECK_DAY)] == [posts.JUSTICE_CIVIL_STATUS]
    staff = unit_staff(PHUC_XA, CHECK_DAY)
    assert sorted(a.post for a in staff) == sorted(
        [posts.CHAIRMAN, posts.VICE_CHAIRMAN, posts.VICE_CHAIRMAN, posts.JUSTICE_CIVIL_STATUS]
    )


def test_official_by_public_id_hides_malformed_and_missing_ids(leadership):
    assert official_by_public_id(str(leadership.justice.public_id)) == leadership.justice
    for bad in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(NotFound) as exc:
            official_by_public_id(bad)
        assert exc.value.code == "official_not_found"


def test_district_staffing_counts_civil_servants_per_ward_against_the_average_of_15(leadership):
    boss = leadership.district_chairman
    _civil_servant(PHUC_XA, by=boss)
    for post in (posts.FINANCE_ACCOUNTING, posts.CULTURE_SOCIETY, posts.LAND_CONSTRUCTION):
        _civil_servant(TRUC_BACH, post, by=boss)

    report = district_staffing(BA_DINH, CHECK_DAY)

    assert report.district_name == "Quận Ba Đình"
    assert len(report.wards) == 14
    by_code = {w.code: w for w in report.wards}
    assert by_code[PHUC_XA].civil_servants == 2  # Justice–Civil status and Office–Statistics
    assert by_code[PHUC_XA].leaders == 3  # chairman and two vice-chairmen
    assert by_code[TRUC_BACH].civil_servants == 3
    assert by_code["00006"].civil_servants == 0
    assert not by_code["00006"].staff_recorded  # none entered: missing, not a ward of 0
    assert (report.norm_scope, report.norm_limit) == ("parent_average", 15)
    assert "15" in report.norm_source
    # The average of the two wards whose civil servants are recorded; the twelve others are
    # missing (QA Q26): counted as 0 they made it 5/14 and the district "within the norm".
    assert report.average_civil_servants == pytest.approx(5 / 2)
    assert len(report.unrecorded) == 12
    assert report.within_norm is None


def test_districts_read_together_give_what_each_gives_alone(leadership):
    """``districts_staffing`` (every district of a city's dashboard at once): for each district,
    in the order asked, what ``district_staffing`` gives it alone — Ba Đình with civil servants,
    Sơn Tây whose communes are outside the pilot's norm, Hoàn Kiếm without posts — before the
    pilot and in it; its districts, wards, models and posts in one query each (nothing more per
    district), and each district's norm as ``governance_for`` gives it for its wards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    boss = leadership.district_chairman
    _civil_servant(PHUC_XA, by=boss)
    _civil_servant(TRUC_BACH, posts.CULTURE_SOCIETY, by=boss)
    chair = appoint(
        official(SON_TAY), SON_TAY, posts.CHAIRMAN, by=None, by_unit=SON_TAY, kind="election"
    ).official
    _civil_servant(SON_TAY_WARD, by=chair, district=SON_TAY)
    _civil_servant(SON_TAY_COMMUNE, by=chair, district=SON_TAY)
    codes = [SON_TAY, BA_DINH, "002"]
    for day in (dt.date(2021, 6, 30), CHECK_DAY):
        with CaptureQueriesContext(connection) as together:
            reports = districts_staffing(codes, day)
        assert reports == [district_staffing(code, day) for code in codes]
        assert len(together) <= 4  # no statement per district
        for report in reports:  # the norm is governance_for's for the wards under it
            under = [w.code for w in report.wards if w.under_norm]
            norms = {
                (
                    g.staffing_norm.scope,
                    g.staffing_norm.limit,
                    g.rule_sources.get("staffing_norm", ""),
                )
                for g in (
                    unit_selectors.governance_for(unit_selectors.unit_on(code, day), day)
                    for code in under
                )
            }
            assert under and (report.norm_scope, report.norm_limit, report.norm_source) in norms
    assert [r.district_code for r in reports] == codes
    assert sum(w.civil_servants for r in reports for w in r.wards) == 5  # and Phúc Xá's justice
    # district_staffing is districts_staffing of one district, so the two agreeing above says
    # nothing of either (found in review): the answer on 15 March 2022 by hand. The units
    # (shared/data/hanoi-units-2021.csv): Sơn Tây 9 wards and 6 communes, Ba Đình 14 wards,
    # Hoàn Kiếm 18; civil servants: Phúc Xá's justice and office-statistics officers, Trúc
    # Bạch's culture officer, Lê Lợi's and Đường Lâm's; the pilot's norm (Decree 32/2021/NĐ-CP:
    # on average at most 15 per ward) for the wards, never for Đường Lâm, a commune outside it.
    staffed = {PHUC_XA: 2, TRUC_BACH: 1, SON_TAY_WARD: 1, SON_TAY_COMMUNE: 1}
    assert [(r.district_code, len(r.wards), r.norm_scope, r.norm_limit) for r in reports] == [
        (SON_TAY, 15, "parent_average", 15),
        (BA_DINH, 14, "parent_average", 15),
        ("002", 18, "parent_average", 15),
    ]
    assert {w.code: w.civil_servants for r in reports for w in r.wards if w.civil_servants} == (
        staffed
    )
    # Sơn Tây's six communes: Đường Lâm, Xuân Sơn, Thanh Mỹ, Kim Sơn, Sơn Đông, Cổ Đông.
    communes = ["09592", "09598", "09604", "09610", "09613", "09616"]
    assert [w.code for r in reports for w in r.wards if not w.under_norm] == communes


def test_one_official_in_two_posts_of_a_ward_counts_once(leadership):
    _civil_servant(
        PHUC_XA, posts.CULTURE_SOCIETY, by=leadership.district_chairman, person=leadership.justice
    )
    report = district_staffing(BA_DINH, CHECK_DAY)
    assert {w.code: w for w in report.wards}[PHUC_XA].civil_servants == 1


def test_ended_appointments_stop_counting_on_their_end_day(leadership):
    end_post(leadership.justice_post, CHECK_DAY, EndReason.TRANSFER, "40/QĐ-UBND")
    before = district_staffing(BA_DINH, CHECK_DAY - dt.timedelta(days=1))
    after = district_staffing(BA_DINH, CHECK_DAY)
    assert {w.code: w for w in before.wards}[PHUC_XA].civil_servants == 1
    assert {w.code: w for w in after.wards}[PHUC_XA].civil_servants == 0


def test_before_the_pilot_the_standard_per_ward_norm_applies(leadership):
    report = district_staffing(BA_DINH, dt.date(2021, 6, 30))
    assert report.norm_scope == "per_unit"
    assert report.norm_limit is None  # the ward's class is unknown: no guessed cap
    assert report.within_norm is None
    # Ba Đình's fourteen wards (shared/data/hanoi-units-2021.csv, 00001 Phúc Xá to 00034 Thành
    # Công), none staffed yet: all() over no ward at all held as well (found in review).
    assert len(report.wards) == 14
    assert report.wards[0].code == PHUC_XA and report.wards[-1].code == "00034"
    assert all(w.civil_servants == 0 for w in report.wards)


def test_son_tay_averages_its_pilot_wards_only(leadership):
    boss = appoint(
        official(SON_TAY),
        SON_TAY,
        posts.CHAIRMAN,
        by=None,
        by_unit=SON_TAY,
        kind=AppointmentKind.ELECTION,
    ).official
    _civil_servant(SON_TAY_WARD, by=boss, district=SON_TAY)
    _civil_servant(SON_TAY_COMMUNE, by=boss, district=SON_TAY)

    report = district_staffing(SON_TAY, CHECK_DAY)

    assert len(report.wards) == 15
    assert (report.norm_scope, report.norm_limit) == ("parent_average", 15)
    in_norm = [w for w in report.wards if w.under_norm]
    assert len(in_norm) == 9
    assert SON_TAY_COMMUNE not in {w.code for w in in_norm}
    assert report.average_civil_servants == pytest.approx(1 / 1)  # the one ward recorded
    assert len(report.unrecorded) == 8


def _report(counts, scope="parent_average", limit=15):
    wards = [WardStaffing(f"{i:05d}", f"P{i}", n, 3, None, False) for i, n in enumerate(counts)]
    return DistrictStaffing(BA_DINH, "Quận Ba Đình", CHECK_DAY, wards, scope, limit, "")


def test_within_norm_compares_the_average_for_a_district_wide_norm():
    assert _report([10, 20]).within_norm is True  # average 15: at the norm
    assert _report([15, 16]).within_norm is False
    assert _report([]).within_norm is None
    assert _report([20, 5], scope="per_unit", limit=19).within_norm is False
    assert _report([19, 5], scope="per_unit", limit=19).within_norm is True


def test_a_ward_without_civil_servants_recorded_is_missing_not_zero():
    """QA Q26: a ward whose officials were never entered has 0 civil servants in post on the
    platform; it counts in no average, and no norm is judged met while one is missing."""
    assert _report([20, 0]).average_civil_servants == 20
    assert _report([20, 0]).within_norm is None  # not "over" on one ward, not "within"
    assert _report([0, 0]).average_civil_servants is None
    assert _report([0, 0]).within_norm is None
    assert _report([16, 0], scope="per_unit", limit=15).within_norm is False  # evidence
    assert _report([10, 0], scope="per_unit", limit=15).within_norm is None
    missing = WardStaffing("00001", "Phúc Xá", 0, 3, 12_000, False)
    assert missing.civil_servants_per_10k is None and missing.residents_per_civil_servant is None


def test_holds_any_post_agrees_with_the_active_rule_on_every_edge(leadership):
    """The plain-SQL check used at the counter gives the ORM rule's answer on each boundary:
    before the term, its first day, the term's last day (inclusive), the day after, and an
    early end (exclusive)."""
    person = leadership.justice
    post = leadership.justice_post
    end_post(post, CHECK_DAY, EndReason.TRANSFER, "41/QĐ-UBND")
    allowed = frozenset({posts.JUSTICE_CIVIL_STATUS, posts.OFFICE_STATISTICS})
    days = [
        PILOT_START - dt.timedelta(days=1),
        PILOT_START,
        CHECK_DAY - dt.timedelta(days=1),
        CHECK_DAY,
        CHECK_DAY + dt.timedelta(days=1),
    ]
    for day in days:
        expected = holdings(person, day).filter(unit_code=PHUC_XA, post__in=allowed).exists()
        assert holds_any_post(person.pk, PHUC_XA, allowed, day) is expected, day
    assert [holds_any_post(person.pk, PHUC_XA, allowed, d) for d in days] == [
        False,
        True,
        True,
        False,
        False,
    ]
    assert not holds_any_post(person.pk, TRUC_BACH, allowed, PILOT_START)  # another ward
    assert not holds_any_post(person.pk, PHUC_XA, frozenset({posts.CHAIRMAN}), PILOT_START)
    assert not holds_any_post(person.pk, PHUC_XA, frozenset(), PILOT_START)


def test_holds_any_post_respects_a_term_end(leadership):
    person = official()
    term_end = dt.date(2023, 6, 30)
    appoint(
        person,
        PHUC_XA,
        posts.OFFICE_STATISTICS,
        by=leadership.district_chairman,
        kind=AppointmentKind.ASSIGNMENT,
        term_end=term_end,
    )
    allowed = frozenset({posts.OFFICE_STATISTICS})
    assert holds_any_post(person.pk, PHUC_XA, allowed, term_end)
    assert not holds_any_post(person.pk, PHUC_XA, allowed, term_end + dt.timedelta(days=1))
