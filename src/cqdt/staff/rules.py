"""Pure staffing rules (no Django imports): terms, consecutive service, norms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from cqdt.core.refusals import CONFLICT, Refusal, invalid
from cqdt.staff.posts import (
    ACTING,
    CHAIRMAN,
    CIVIL_SERVANT_POSTS,
    MAX_CONSECUTIVE_CHAIRMAN_YEARS,
    TERM_YEARS,
    VICE_CHAIRMAN,
)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_term_end(term_start: dt.date) -> dt.date:
    """A leader's 5-year term ends the day before the fifth anniversary (inclusive end)."""
    return add_years(term_start, TERM_YEARS) - dt.timedelta(days=1)


def last_day(term_end: dt.date | None, ended_on: dt.date | None) -> dt.date | None:
    """Inclusive last day in post, from the term or an early end (the day before ``ended_on``)."""
    if ended_on is not None:
        early = ended_on - dt.timedelta(days=1)
        return early if term_end is None else min(early, term_end)
    return term_end


@dataclass(frozen=True)
class Term:
    start: dt.date
    end: dt.date  # inclusive


def consecutive_chain_start(previous: Iterable[Term], new_start: dt.date) -> dt.date:
    """Start of the unbroken run of terms that the new term would continue.

    Terms count as consecutive when the next starts no later than the day after the previous one
    ends (Decree 32/2021/NĐ-CP: no more than 10 consecutive years as chairman of one ward).
    """
    chain_start = new_start
    for term in sorted(previous, key=lambda t: t.end, reverse=True):
        if term.start >= chain_start:
            continue
        if term.end + dt.timedelta(days=1) >= chain_start:
            chain_start = term.start
        else:
            break
    return chain_start


def exceeds_consecutive_limit(chain_start: dt.date, new_end: dt.date) -> bool:
    """True when serving from ``chain_start`` through ``new_end`` passes 10 years."""
    return new_end >= add_years(chain_start, MAX_CONSECUTIVE_CHAIRMAN_YEARS)


def overlaps(
    a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None
) -> bool:
    """Inclusive date ranges; None is open-ended."""
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def peak_overlap(
    ranges: Iterable[tuple[dt.date, dt.date | None]], start: dt.date, end: dt.date | None
) -> int:
    """Most of ``ranges`` in force on any single day of [start, end] (inclusive; None open).

    A post's limit (e.g. vice-chairmen per ward) must hold on every day of a new term, not just
    its first: the count can only rise on a day some range starts, so those days suffice.
    """
    inside = [(s, e) for s, e in ranges if overlaps(s, e, start, end)]
    days = {start} | {s for s, _ in inside if s > start}
    return max(
        (sum(1 for s, e in inside if s <= day and (e is None or day <= e)) for day in days),
        default=0,
    )


@dataclass(frozen=True)
class WardStaffing:
    """One ward's civil servants against the norm and its population (DOMAIN §1, §6)."""

    code: str
    name: str
    civil_servants: int
    leaders: int
    population: int | None
    population_is_estimate: bool
    # Whether the district's reported norm governs this unit (Sơn Tây's communes are not pilot).
    under_norm: bool = True

    @property
    def staff_recorded(self) -> bool:
        """Whether the platform holds the ward's civil servants on the day. Every ward has
        civil servants in the five posts (DOMAIN §1, "Composition"; Decree 32/2021/NĐ-CP for
        the pilot's wards, Decree 33/2023/NĐ-CP for a commune-level unit), so none in post is a
        gap in the records — a unit whose officials were never entered — not a ward without
        civil servants; it counts in no average and no norm (as ``monitoring.formulas.checks``
        reads it) [C: the platform's rule]."""
        return self.civil_servants > 0

    @property
    def residents_per_civil_servant(self) -> float | None:
        if not self.population or not self.staff_recorded:
            return None
        return self.population / self.civil_servants

    @property
    def civil_servants_per_10k(self) -> float | None:
        if not self.population or not self.staff_recorded:
            return None
        return self.civil_servants * 10_000 / self.population


def staff_known(recorded_from: dt.date | None, on: dt.date) -> bool:
    """Whether a unit's posts on ``on`` can be read from the platform: some committee post was
    entered (``recorded_from``, ``staff.selectors.staff_recorded_from``) on or before that day.
    Otherwise an empty chair and zero civil servants are missing data, never a vacancy: every
    unit has a chairman and its civil servants (DOMAIN §1, "Composition") [C: the platform's
    rule]."""
    return recorded_from is not None and recorded_from <= on


def average(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


class ChairPost(Protocol):
    """A chairman's post in force (``staff.models.Appointment``): whose, and how obtained."""

    @property
    def official_id(self) -> int: ...

    @property
    def kind(self) -> str: ...


PostT = TypeVar("PostT", bound=ChairPost)


def chair_held(chairs: Sequence[PostT], official_id: int) -> PostT | None:
    """The post among ``chairs`` (the unit's chairman posts in force on a day, every kind, in
    the order of their start) that seats ``official_id`` in the chair: an elected or appointed
    one; else an acting assignment, but only while nobody holds the post itself — acting
    authority (giao quyền) exists only while the chairman's post is vacant (Decree
    32/2021/NĐ-CP): once a chairman is in post, an acting assignment still open gives nothing."""
    held = [c for c in chairs if c.official_id == official_id]
    appointed = next((c for c in held if c.kind != ACTING), None)
    if appointed is not None:
        return appointed
    if held and all(c.kind == ACTING for c in chairs):
        return held[0]
    return None


def chair_holder(chairs: Sequence[PostT]) -> PostT | None:
    """Who sits in the chair on the day ``chairs`` are of (the unit's chairman posts in force,
    every kind, in the order of their start): the elected or appointed chairman in post; else,
    while the post is vacant, the holder of the chair's authority (giao quyền, Decree
    32/2021/NĐ-CP) — the first such assignment; else nobody. The same rule as
    :func:`chair_held`: the post returned is the one ``chair_held`` gives its holder."""
    appointed = next((c for c in chairs if c.kind != ACTING), None)
    if appointed is not None:
        return appointed
    return chairs[0] if chairs else None


# --- guards of an appointment (staff.services.appointment_create) ---------------------------


@dataclass(frozen=True)
class Holding:
    """One appointment to the same unit and post: who, how, and the inclusive days in post."""

    official_id: int
    kind: str
    start: dt.date
    last: dt.date | None


def _refused(vi: str, en: str, field: str, code: str = "appointment_refused") -> Refusal:
    return Refusal(vi, en, field=field, code=code)


def appointment_input_refusal(
    *,
    post: str,
    kind: str,
    decision_number: str,
    decision_date: dt.date,
    term_start: dt.date,
    known_posts: Iterable[str],
    known_kinds: Iterable[str],
) -> Refusal | None:
    """The request itself: a known post and kind, a decision number, a plausible decision date;
    acting authority (giao quyền) is given for the chairman's post only (Decree 32/2021/NĐ-CP)."""
    if post not in known_posts:
        return invalid("Chức danh không hợp lệ.", "Unknown post.", "post")
    if kind not in known_kinds:
        return invalid("Hình thức không hợp lệ.", "Unknown appointment kind.", "kind")
    if not decision_number.strip():
        return invalid("Cần số quyết định.", "A decision number is required.", "decision_number")
    if decision_date > term_start + dt.timedelta(days=366):
        return invalid(
            "Ngày quyết định không hợp lý.", "Implausible decision date.", "decision_date"
        )
    if kind == ACTING and post != CHAIRMAN:
        return invalid(
            "Giao quyền chỉ áp dụng cho chức danh Chủ tịch.",
            "Acting authority applies to the chairman's post only.",
            "post",
        )
    return None


# Law on Cadres and Civil Servants 2008 (22/2008/QH12), Art. 36(1)(b): a civil servant is
# recruited from 18 years of age; cadres are elected or appointed as adults too.
MIN_AGE_YEARS = 18
# A year of birth before it is a typing error (0001-01-01, a year with one digit missing).
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def birth_date_refusal(born: dt.date | None, today: dt.date) -> Refusal | None:
    """An official's date of birth, when given: an adult's (Law 22/2008/QH12, Art. 36(1)(b)),
    not a date in the future nor before 1900."""
    if born is None:
        return None
    if born < EARLIEST_BIRTH or born > add_years(today, -MIN_AGE_YEARS):
        return invalid(
            f"Ngày sinh không hợp lệ: cán bộ, công chức phải đủ {MIN_AGE_YEARS} tuổi "
            f"(sinh từ {EARLIEST_BIRTH:%d/%m/%Y} đến {add_years(today, -MIN_AGE_YEARS):%d/%m/%Y}).",
            f"Invalid date of birth: an official is at least {MIN_AGE_YEARS} years old (born "
            f"between {EARLIEST_BIRTH.isoformat()} and "
            f"{add_years(today, -MIN_AGE_YEARS).isoformat()}).",
            "date_of_birth",
        )
    return None


def term_refusal(term_start: dt.date, term_end: dt.date | None) -> Refusal | None:
    if term_end is not None and term_end < term_start:
        return invalid(
            "Ngày kết thúc trước ngày bắt đầu.", "The term ends before it starts.", "term_end"
        )
    return None


def employer_refusal(
    *,
    post: str,
    budget_status: str,
    parent: tuple[str, str] | None,
    employer_unit_code: str,
) -> Refusal | None:
    """Ward civil servants are staff of the ward's district (Decree 32/2021/NĐ-CP): under a model
    whose ward is an estimate unit of its parent, the official must be employed by the parent
    (``parent`` is its code and name)."""
    if (
        post in CIVIL_SERVANT_POSTS
        and parent is not None
        and budget_status == "estimate_unit_of_parent"
        and employer_unit_code != parent[0]
    ):
        return _refused(
            f"Công chức phường là công chức của {parent[1]}; người này thuộc đơn vị khác.",
            f"Ward civil servants are staff of {parent[1]}; this official is employed elsewhere.",
            "official",
        )
    return None


def vice_chairman_limit(ward_limit: int | None, by_class: dict[str, int]) -> int | None:
    """The ward's limit; when its class is unknown, the highest the model allows, never more
    (Decree 32/2021/NĐ-CP: 2 vice-chairmen in a class I or II ward, 1 in class III)."""
    if ward_limit is not None:
        return ward_limit
    return max(by_class.values()) if by_class else None


def holding_refusal(
    *,
    post: str,
    kind: str,
    official_id: int,
    same_post: list[Holding],
    term_start: dt.date,
    term_end: dt.date | None,
    appointed: bool,
    chair_vacant: bool,
    vice_limit: int | None,
    unit_label: tuple[str, str],
) -> Refusal | None:
    """The post against those who hold it (``same_post``), in this order: nobody holds the same
    post twice in one period; the chairman's post (:func:`chair_refusal`); acting authority
    (:func:`acting_refusal`); the vice-chairmen's limit (:func:`vice_chairman_refusal`)."""
    active = [h for h in same_post if overlaps(h.start, h.last, term_start, term_end)]
    if any(h.official_id == official_id for h in active):
        return Refusal(
            "Người này đang giữ chức danh này trong thời gian đó.",
            "This official already holds this post in that period.",
            field="official",
            code="already_holds_post",
            kind=CONFLICT,
        )
    if post == CHAIRMAN and kind != ACTING:
        return chair_refusal(official_id, same_post, active, term_start, term_end, appointed)
    if kind == ACTING:
        return acting_refusal(active, chair_vacant)
    if post == VICE_CHAIRMAN:
        return vice_chairman_refusal(same_post, term_start, term_end, vice_limit, unit_label)
    return None


def chair_refusal(
    official_id: int,
    same_post: list[Holding],
    active: list[Holding],
    term_start: dt.date,
    term_end: dt.date | None,
    appointed: bool,
) -> Refusal | None:
    """One chairman at a time (an acting holder aside); an appointed chairman serves at most 10
    consecutive years in one ward (Decree 32/2021/NĐ-CP; the pilot's rule for chairmen the
    district chairman appoints: an elected chairman answers to the council's own rules)."""
    if any(h.kind != ACTING for h in active):
        return Refusal(
            "Chức danh Chủ tịch đang có người đảm nhiệm trong thời gian này.",
            "The chairman's post is held by someone else in that period.",
            field="term_start",
            code="post_occupied",
            kind=CONFLICT,
        )
    if not appointed or term_end is None:
        return None
    previous = [
        Term(h.start, h.last or h.start)
        for h in same_post
        if h.official_id == official_id and h.kind != ACTING
    ]
    chain_start = consecutive_chain_start(previous, term_start)
    if exceeds_consecutive_limit(chain_start, term_end):
        return _refused(
            f"Một người không giữ chức Chủ tịch UBND một phường quá 10 năm liên tục (từ {chain_start:%d/%m/%Y}).",
            f"A chairman may not serve more than 10 consecutive years in the same ward (since {chain_start}).",
            "term_end",
            code="consecutive_term_limit",
        )
    return None


def acting_refusal(active: list[Holding], chair_vacant: bool) -> Refusal | None:
    """Acting authority (giao quyền) only while the chairman's post is vacant, one acting holder
    at a time (Decree 32/2021/NĐ-CP)."""
    if not chair_vacant:
        return _refused(
            "Chỉ giao quyền khi khuyết Chủ tịch.",
            "Acting authority may be assigned only while the chairman's post is vacant.",
            "term_start",
            code="post_not_vacant",
        )
    if any(h.kind == ACTING for h in active):
        return Refusal(
            "Đã có người được giao quyền Chủ tịch trong thời gian này.",
            "Someone already holds acting authority in that period.",
            field="term_start",
            code="post_occupied",
            kind=CONFLICT,
        )
    return None


def vice_chairman_refusal(
    same_post: list[Holding],
    term_start: dt.date,
    term_end: dt.date | None,
    limit: int | None,
    unit_label: tuple[str, str],
) -> Refusal | None:
    """At most ``limit`` vice-chairmen on every day of the new term, not only its first
    (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP). ``unit_label``: the unit's name and class."""
    in_post = peak_overlap(((h.start, h.last) for h in same_post), term_start, term_end)
    if limit is not None and in_post + 1 > limit:
        name, ward_class = unit_label
        return _refused(
            f"{name} ({ward_class or 'chưa phân loại'}) có tối đa {limit} Phó Chủ tịch; đã đủ {in_post}.",
            f"{name} may have at most {limit} vice-chairmen; {in_post} already in post.",
            "post",
            code="vice_chairman_limit",
        )
    return None
