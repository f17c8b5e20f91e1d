"""authority_grid: the signing page's every cell from one read of who holds what — and each
cell the very answer ``authority_check`` gives for that official and act, reasons in both
languages, instrument, signature block, seal and law conflicts included."""

import datetime as dt

import pytest
from django.utils import translation

from cqdt.authority.acts import all_acts
from cqdt.authority.selectors import (
    BASIS_ACTING,
    BASIS_APPOINTMENT,
    BASIS_DELEGATION,
    BASIS_FIELD,
    AuthorityDecision,
    authority_check,
    authority_grid,
)
from cqdt.core.errors import InvalidInput, NotFound
from cqdt.staff import posts
from cqdt.staff.models import AppointmentKind, EndReason, Official
from cqdt.staff.tests.factories import (
    BAC_SON,
    CHECK_DAY,
    GRANT_DAY,
    ONE_DAY,
    PHUC_XA,
    PILOT_START,
    SOC_SON,
    WITH_LEADERSHIP,
    acting_chairman,
    appoint,
    at,
    elect_chairman,
    end_post,
    official,
    unchanged,
    vacate_chair,
)
from cqdt.testing import assign_field, delegate

pytestmark = WITH_LEADERSHIP

VALID_TO = dt.date(2022, 6, 30)
TWO_TIER_START = dt.date(2025, 7, 1)  # Law 72/2025/QH15: the two-level local government
HONG_HA = "00097"  # Phường Hồng Hà from 1 July 2025 (took Phúc Xá whole)


def _grid_is_the_checks(
    officials: list[Official], unit: str, days: list[dt.date], lang: str = "vi"
) -> list[AuthorityDecision]:
    """For each day: the grid has a cell for every official × act, each equal to the single
    check; a unit missing on the day is missing for both. The decisions, for the caller."""
    seen: list[AuthorityDecision] = []
    with translation.override(lang), unchanged():
        for day in days:
            when = at(day)
            try:
                grid = authority_grid(officials, all_acts(), unit, when)
            except NotFound:
                for o in officials:
                    with pytest.raises(NotFound):
                        authority_check(o, "certify_copy", unit, when)
                continue
            assert set(grid) == {(o.pk, act) for o in officials for act in all_acts()}
            for o in officials:
                for act in all_acts():
                    check = authority_check(o, act, unit, when)
                    assert grid[(o.pk, act)] == check, (o.full_name, act, day)
                    seen.append(check)
    return seen


def _bases(decisions: list[AuthorityDecision]) -> set[str | None]:
    return {d.basis for d in decisions}


def _reasons(decisions: list[AuthorityDecision]) -> str:
    return " | ".join(d.reason_en for d in decisions)


def _everyone(leadership) -> list[Official]:
    """The ward's leadership, the district chairman and an official of no post in the ward."""
    return [
        leadership.chairman,
        *leadership.vice_chairmen,
        leadership.justice,
        leadership.district_chairman,
        official(),
    ]


def test_chairman_field_assignments_and_delegations_in_and_out_of_force(leadership):
    team = leadership.team()
    assign_field(team, GRANT_DAY, fields=["certification", "land"])
    delegate(team, GRANT_DAY, valid_to=VALID_TO, seal_allowed=True)
    delegate(team, CHECK_DAY, "other_vice", number="16/QĐ-UBND", valid_to=VALID_TO)
    days = [PILOT_START, GRANT_DAY - ONE_DAY, GRANT_DAY, CHECK_DAY, VALID_TO + ONE_DAY]
    seen = _grid_is_the_checks(_everyone(leadership), PHUC_XA, days)
    seen += _grid_is_the_checks(_everyone(leadership), PHUC_XA, [CHECK_DAY], lang="en")
    assert _bases(seen) == {BASIS_APPOINTMENT, BASIS_FIELD, BASIS_DELEGATION, None}
    reasons = _reasons(seen)
    assert "has no assignment of the field" in reasons  # a vice-chairman outside her fields
    assert "No authority for “Certify signatures”" in reasons  # outside the delegation's scope
    assert "commune-level police" in reasons  # residence: decided outside the committee
    assert any(d.seal_allowed and d.basis == BASIS_DELEGATION for d in seen)
    assert any(not d.seal_allowed and d.basis == BASIS_DELEGATION for d in seen)


def test_acting_chair_in_a_vacancy_and_delegations_that_lapsed_with_the_chair(leadership):
    delegate(leadership.team(), GRANT_DAY, valid_to=VALID_TO)
    vacate_chair(leadership, CHECK_DAY, EndReason.ROTATION, "41/QĐ-UBND")
    acting_chairman(leadership, leadership.vice_chairmen[0], CHECK_DAY)
    new_start = dt.date(2022, 6, 1)
    newcomer = official()
    appoint(
        newcomer, PHUC_XA, posts.CHAIRMAN, by=leadership.district_chairman, term_start=new_start
    )
    people = [*_everyone(leadership), newcomer]
    seen = _grid_is_the_checks(people, PHUC_XA, [CHECK_DAY - ONE_DAY, CHECK_DAY, new_start])
    assert {BASIS_APPOINTMENT, BASIS_ACTING, BASIS_DELEGATION} <= _bases(seen)
    assert "has lapsed: the delegator no longer holds the chair" in _reasons(seen)


def test_a_delegate_who_left_the_ward(leadership):
    delegate(leadership.team(), GRANT_DAY, valid_to=VALID_TO, seal_allowed=True)
    end_post(leadership.justice_post, CHECK_DAY, EndReason.TRANSFER, "42/QĐ-UBND")
    seen = _grid_is_the_checks(_everyone(leadership), PHUC_XA, [CHECK_DAY - ONE_DAY, CHECK_DAY])
    assert BASIS_DELEGATION in _bases(seen)
    assert "no longer holds a post in" in _reasons(seen)


def test_before_the_pilot_a_rural_commune_and_after_1_july_2025(leadership):
    # Phúc Xá under the standard model (2016–2021), then the pilot; gone from 1 July 2025.
    elected = elect_chairman(PHUC_XA, term_start=dt.date(2016, 7, 1))
    days = [dt.date(2020, 5, 4), CHECK_DAY, TWO_TIER_START - ONE_DAY, TWO_TIER_START]
    seen = _grid_is_the_checks([elected.official, *_everyone(leadership)], PHUC_XA, days)
    assert "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH" in {d.signature_block for d in seen}
    with pytest.raises(NotFound):
        authority_grid([leadership.chairman], all_acts(), PHUC_XA, at(TWO_TIER_START))

    # A rural commune, a council and a collective committee throughout.
    chairman = elect_chairman(BAC_SON).official
    vice = official(SOC_SON)
    appoint(
        vice, BAC_SON, posts.VICE_CHAIRMAN, by=None, by_unit=BAC_SON, kind=AppointmentKind.ELECTION
    )
    assign_field({"chair": chairman, "vice": vice}, GRANT_DAY, unit=BAC_SON, fields=["land"])
    seen = _grid_is_the_checks([chairman, vice], BAC_SON, [CHECK_DAY, TWO_TIER_START])
    assert "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in {d.signature_block for d in seen}

    # Phường Hồng Hà from 1 July 2025: its own council elects the chairman (Law 72/2025/QH15).
    chair = elect_chairman(HONG_HA, term_start=TWO_TIER_START).official
    kw = {"by": None, "by_unit": HONG_HA, "kind": AppointmentKind.ELECTION}
    hong_ha_vice = official(HONG_HA)
    appoint(hong_ha_vice, HONG_HA, posts.VICE_CHAIRMAN, term_start=TWO_TIER_START, **kw)
    assign_field({"chair": chair, "vice": hong_ha_vice}, TWO_TIER_START, unit=HONG_HA)
    people = [chair, hong_ha_vice, leadership.chairman]
    days = [TWO_TIER_START - ONE_DAY, TWO_TIER_START, dt.date(2026, 12, 4)]
    seen = _grid_is_the_checks(people, HONG_HA, days)
    assert {BASIS_APPOINTMENT, BASIS_FIELD} <= _bases(seen)
    assert any(d.beyond_verified_data for d in seen)


def test_the_grid_asks_like_the_check(leadership):
    with pytest.raises(InvalidInput):
        authority_grid([leadership.chairman], ["certify_copy", "sign_everything"], PHUC_XA)
    with pytest.raises(NotFound):
        authority_grid([leadership.chairman], ["certify_copy"], "99999", at(CHECK_DAY))
    assert authority_grid([], all_acts(), "99999", at(CHECK_DAY)) == {}  # no cells, no reads


def test_the_grid_reads_the_same_few_rows_however_many_officials(
    leadership, settings, django_assert_max_num_queries
):
    """One read each of posts, field assignments and delegations; the reference rows (unit,
    governance, data status) once and the law conflicts once per act (at most two statements
    each) — read afresh here, with the process cache off, so that both grids read them."""
    settings.CQDT_REFERENCE_CACHE_SECONDS = 0
    team = leadership.team()
    assign_field(team, GRANT_DAY, fields=["certification"])
    delegate(team, GRANT_DAY, valid_to=VALID_TO)
    few = _everyone(leadership)[:3]
    many = [*_everyone(leadership), *(official() for _ in range(4))]
    counts = []
    for officials in (few, many):
        with django_assert_max_num_queries(3 + 3 + 2 * len(all_acts())) as captured:
            grid = authority_grid(officials, all_acts(), PHUC_XA, at(CHECK_DAY))
        assert len(grid) == len(officials) * len(all_acts())
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
