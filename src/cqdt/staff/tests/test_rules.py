"""Pure staffing rules: terms, consecutive service, overlaps, norms (no database)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cqdt.staff import posts, rules
from cqdt.staff.rules import Term

ONE_DAY = dt.timedelta(days=1)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31))
near_days = st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2021, 3, 31))


@st.composite
def terms(draw, base=near_days, max_len=40):
    start = draw(base)
    return Term(start, start + dt.timedelta(days=draw(st.integers(0, max_len))))


def _reference_chain_start(previous, new_start):
    """Fixpoint: keep extending back while some earlier term touches the run."""
    chain = new_start
    changed = True
    while changed:
        changed = False
        for term in previous:
            if term.start < chain and term.end + ONE_DAY >= chain:
                chain = term.start
                changed = True
    return chain


def _days(start, end):
    return {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}


# ---- terms -------------------------------------------------------------------------------


def test_a_term_ends_the_day_before_the_fifth_anniversary():
    assert rules.default_term_end(dt.date(2021, 7, 1)) == dt.date(2026, 6, 30)


def test_a_term_starting_on_29_february_ends_before_28_february():
    assert rules.add_years(dt.date(2020, 2, 29), 5) == dt.date(2025, 2, 28)
    assert rules.default_term_end(dt.date(2020, 2, 29)) == dt.date(2025, 2, 27)


@given(days)
def test_two_back_to_back_terms_fit_in_ten_years_and_a_third_does_not(start):
    first_end = rules.default_term_end(start)
    second_start = first_end + ONE_DAY
    second_end = rules.default_term_end(second_start)
    third_start = second_end + ONE_DAY
    third_end = rules.default_term_end(third_start)
    first, second = Term(start, first_end), Term(second_start, second_end)

    assert start < first_end < second_start
    assert rules.consecutive_chain_start([first], second_start) == start
    assert not rules.exceeds_consecutive_limit(start, second_end)
    assert rules.consecutive_chain_start([first, second], third_start) == start
    assert rules.exceeds_consecutive_limit(start, third_end)


@given(days, st.integers(0, 3650 * 2))
def test_the_limit_is_exactly_ten_years(start, length):
    end = start + dt.timedelta(days=length)
    assert rules.exceeds_consecutive_limit(start, end) == (end >= rules.add_years(start, 10))


# ---- consecutive service ------------------------------------------------------------------


def test_a_gap_of_a_day_breaks_the_chain_and_touching_terms_join_it():
    first = Term(dt.date(2011, 7, 1), dt.date(2016, 6, 30))
    second = Term(dt.date(2016, 7, 1), dt.date(2021, 6, 30))
    assert rules.consecutive_chain_start([first, second], dt.date(2021, 7, 1)) == first.start
    assert rules.consecutive_chain_start([first, second], dt.date(2021, 7, 2)) == dt.date(
        2021, 7, 2
    )
    assert rules.consecutive_chain_start([first], dt.date(2016, 8, 1)) == dt.date(2016, 8, 1)


def test_later_terms_do_not_extend_the_chain_backwards():
    later = Term(dt.date(2030, 1, 1), dt.date(2034, 12, 31))
    assert rules.consecutive_chain_start([later], dt.date(2021, 7, 1)) == dt.date(2021, 7, 1)


@given(st.lists(terms(), max_size=8), near_days)
def test_chain_start_matches_the_fixpoint_definition(previous, new_start):
    assert rules.consecutive_chain_start(previous, new_start) == _reference_chain_start(
        previous, new_start
    )


@given(st.lists(terms(), max_size=8), near_days)
def test_chain_start_is_the_new_start_or_the_start_of_a_touching_term(previous, new_start):
    chain = rules.consecutive_chain_start(previous, new_start)
    assert chain <= new_start
    assert chain == new_start or chain in {t.start for t in previous}
    # Every day from the chain's start to the day before the new term is served by some term.
    served = set().union(*(_days(t.start, t.end) for t in previous)) if previous else set()
    assert all(day in served for day in _days(chain, new_start - ONE_DAY)) or chain == new_start


@given(st.lists(terms(), max_size=8), near_days, st.permutations(range(8)))
def test_chain_start_does_not_depend_on_the_order_of_terms(previous, new_start, order):
    shuffled = [previous[i] for i in order if i < len(previous)]
    assert rules.consecutive_chain_start(shuffled, new_start) == rules.consecutive_chain_start(
        previous, new_start
    )


# ---- overlaps ----------------------------------------------------------------------------

maybe_end = st.one_of(st.none(), st.integers(0, 30))


@given(near_days, maybe_end, near_days, maybe_end)
def test_overlaps_matches_shared_days(a_start, a_len, b_start, b_len):
    a_end = None if a_len is None else a_start + dt.timedelta(days=a_len)
    b_end = None if b_len is None else b_start + dt.timedelta(days=b_len)
    horizon = dt.date(2021, 6, 1)  # past every bounded end: open ranges stand in up to here
    shared = _days(a_start, a_end or horizon) & _days(b_start, b_end or horizon)
    assert rules.overlaps(a_start, a_end, b_start, b_end) == bool(shared)
    assert rules.overlaps(a_start, a_end, b_start, b_end) == rules.overlaps(
        b_start, b_end, a_start, a_end
    )


def test_overlaps_is_inclusive_at_both_ends():
    d = dt.date(2022, 1, 1)
    assert rules.overlaps(d, d, d, d)
    assert rules.overlaps(d, d + ONE_DAY, d + ONE_DAY, None)
    assert not rules.overlaps(d, d, d + ONE_DAY, None)


@given(st.lists(st.tuples(near_days, maybe_end), max_size=6), near_days, maybe_end)
def test_peak_overlap_is_the_most_ranges_in_force_on_one_day(raw, start, length):
    ranges = [(s, None if n is None else s + dt.timedelta(days=n)) for s, n in raw]
    end = None if length is None else start + dt.timedelta(days=length)
    horizon = dt.date(2021, 6, 1)
    window = _days(start, end or horizon)
    expected = max(
        (sum(1 for s, e in ranges if s <= day and (e is None or day <= e)) for day in window),
        default=0,
    )
    assert rules.peak_overlap(ranges, start, end) == expected


# ---- staffing figures and posts -----------------------------------------------------------


def test_ward_staffing_ratios():
    ward = rules.WardStaffing("00001", "Phường Phúc Xá", 10, 3, 25_000, False)
    assert ward.residents_per_civil_servant == 2500
    assert ward.civil_servants_per_10k == 4
    empty = rules.WardStaffing("00004", "Phường Trúc Bạch", 0, 0, None, False)
    assert empty.residents_per_civil_servant is None and empty.civil_servants_per_10k is None
    assert rules.average([]) is None
    assert rules.average([14, 16]) == 15


def test_roles_come_from_posts_and_levels():
    assert posts.role_for(posts.CHAIRMAN, "commune_level") == posts.ROLE_WARD_LEADER
    assert posts.role_for(posts.JUSTICE_CIVIL_STATUS, "commune_level") == posts.ROLE_CIVIL_SERVANT
    assert posts.role_for(posts.ONE_STOP_DESK, "commune_level") == posts.ROLE_ONE_STOP_OFFICER
    assert posts.role_for(posts.CHAIRMAN, "district_level") == posts.ROLE_DISTRICT_COMMITTEE
    assert posts.role_for(posts.COUNCIL_DEPUTY, "district_level") == posts.ROLE_COUNCIL_DEPUTY
    assert posts.post_label(posts.JUSTICE_CIVIL_STATUS) == "Công chức Tư pháp - Hộ tịch"
    assert posts.post_label(posts.VICE_CHAIRMAN, "en") == "Vice-chairman"
