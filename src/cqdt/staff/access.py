"""Who may see and do what: roles derived from posts, scope from the unit tree.

Roles are never set by hand: they follow from the user's official's appointments in force
(issue 3). Scope: ward staff see their ward; district posts see the district and its wards, those
that lay under it during the post included (a ward that has since ended or merged); city
posts (Department of Home Affairs monitors, city councillors) see their own province — the city,
its districts and its communes and wards, with those it held before the day asked — and no other
(a province's local government acts within its own administrative unit: Law on Organisation of
Local Government, Law 77/2015/QH13 until 30 June 2025, Law 72/2025/QH15 from 1 July 2025);
Django superusers are administrators, the only accounts that see every unit of the country.
An API token limited to a unit sees that unit's subtree on the day of each use; one limited to a
province, the province's units through time, as its city post does.

Reading only (:meth:`UnitTreePolicy.read_scope`, docs/decisions/0025): a commune-level post
also reads the closed records of the units that went into its unit, whole or in part, through
the succession links, from its unit's first day — Phường Hồng Hà's officials Phường Phúc Xá's
results of 2023. Writes and personal data keep the scope above. A commune-level post's own
code that an earlier predecessor held (Hồng Hà's 00097, Phường Tứ Liên's until 30 June 2025) is
read over its unit's holding of it (:func:`held_codes`, :meth:`UnitTreePolicy.act_scope`): the
earlier holder's records there are a predecessor's like any other's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cqdt.core.context import note_unit
from cqdt.core.db import Prepared
from cqdt.core.errors import NotFound, PermissionDenied
from cqdt.core.tokens import request_memo, scope_of
from cqdt.staff import posts
from cqdt.staff.models import Appointment, Official
from cqdt.staff.selectors import (
    active_q,
    official_by_public_id,
    official_not_found,
    unit_staff,
)
from cqdt.units import selectors as unit_selectors
from cqdt.units.governance_rules import level_key
from cqdt.units.models import Unit
from cqdt.units.reference import files as reference_files

# Moving a citizen's feedback report that the post's own unit holds — acknowledge, assign, start,
# resolve, forward (``feedback.services.handles``; docs/decisions/0026): the committee's staff
# act for it, a read-only role (a council deputy, the city's monitor) never does [C: the
# platform's rule]. A role without it cannot act, so a new post acts only once a role gives it.
HANDLE_REPORTS = "handle_reports"

# What each role may do within its scope. Viewing is implied by scope.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    posts.ROLE_ONE_STOP_OFFICER: frozenset(
        {"view", "intake", "view_personal_data", HANDLE_REPORTS}
    ),
    posts.ROLE_CIVIL_SERVANT: frozenset({"view", "process", "view_personal_data", HANDLE_REPORTS}),
    posts.ROLE_WARD_LEADER: frozenset(
        {
            "view",
            "process",
            "sign",
            "manage_delegations",
            "view_personal_data",
            "manage_accounts",
            HANDLE_REPORTS,
        }
    ),
    posts.ROLE_DISTRICT_COMMITTEE: frozenset(
        {
            "view",
            "manage_staff",
            "appoint",
            "view_personal_data",
            "view_audit",
            "manage_accounts",
            "decentralise",  # record its decisions decentralising to its wards (issue 15)
            HANDLE_REPORTS,  # the reports of the categories the district handles, forwarded ones
        }
    ),
    posts.ROLE_COUNCIL_DEPUTY: frozenset({"view", "oversee"}),
    posts.ROLE_CITY_MONITOR: frozenset({"view", "monitor", "view_audit"}),
}


def post_allows(post: str, level: str, action: str) -> bool:
    """Whether ``post`` at a unit of ``level`` ("commune_level", "district_level", "city") gives
    a role that may do ``action`` (:data:`ROLE_ACTIONS`, roles by ``posts.role_for``): a post
    that gives no role, or a role without the action, may not."""
    role = posts.role_for(post, level)
    return role is not None and action in ROLE_ACTIONS.get(role, frozenset())


def level_has_actor(level: str, action: str) -> bool:
    """Whether any post the platform knows (``posts.POST_LABELS``) may do ``action`` at a unit
    of ``level``: not at the city, whose every post gives the city's monitor's role or a
    deputy's (``posts.role_for``) — the platform holds no post of the city committee's own
    staff (docs/decisions/0026)."""
    return any(post_allows(post, level, action) for post in posts.POST_LABELS)


def acts_at(official: Official | None, action: str, unit_code: str, on: dt.date) -> bool:
    """Whether ``official`` holds, on ``on``, a post in force at ``unit_code`` itself whose role
    may do ``action`` (:func:`post_allows`; the unit's level on that day): a post elsewhere — a
    district's over its wards, the city's over its province — does not act at the unit, and a
    unit not in force that day has no staff acting there. Two reads, the unit's kind kept a
    moment per process (``units.selectors.division_types_on``)."""
    if official is None:
        return False
    held = set(
        official.appointments.filter(active_q(on), unit_code=unit_code).values_list(
            "post", flat=True
        )
    )
    if not held:
        return False
    kind = unit_selectors.division_types_on({unit_code}, on).get(unit_code)
    if kind is None:
        return False
    level = level_key(kind)
    return any(post_allows(post, level, action) for post in held)


def unit_actors(unit_code: str, action: str, on: dt.date) -> list[Appointment]:
    """The posts in force at ``unit_code`` on ``on`` (``staff.selectors.unit_staff``) whose
    role may do ``action`` there (:func:`post_allows`): whom a form may offer as the one to act
    (the report page's list of handlers)."""
    kind = unit_selectors.division_types_on({unit_code}, on).get(unit_code)
    if kind is None:
        return []
    level = level_key(kind)
    return [a for a in unit_staff(unit_code, on) if post_allows(a.post, level, action)]


@dataclass(frozen=True)
class Grant:
    role: str
    unit_code: str
    level: str
    post: str
    # The first day of the appointment that gives it (its term's start): a district post's
    # wards are those of the district from that day on (:func:`district_units`).
    since: dt.date | None = None


@dataclass(frozen=True)
class Principal:
    """A user as the policy sees them on one date."""

    user: Any
    official: Official | None
    on: dt.date
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    # The units a request's API token is limited to (its unit's subtree on ``on``); None: no limit.
    token_scope: frozenset[str] | None = None

    def in_token_scope(self, unit_code: str) -> bool:
        return self.token_scope is None or unit_code in self.token_scope

    @property
    def is_admin(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False))

    @property
    def roles(self) -> set[str]:
        roles = {g.role for g in self.grants}
        if self.is_admin:
            roles.add(posts.ROLE_ADMINISTRATOR)
        return roles


def official_of(user: Any) -> Official | None:
    """The official ``user`` stands for, or None. A token's holder brings it from the token's
    own statement (``core.tokens.token_lookup``) and keeps it for the request; any other user
    object is read afresh."""
    pk = getattr(user, "pk", None)
    if not pk:
        return None
    memo = request_memo(user)
    if memo is None:
        return Official.objects.filter(user_id=pk).first()
    if "official" not in memo:
        try:
            memo["official"] = user.official
        except Official.DoesNotExist:
            memo["official"] = None
    official: Official | None = memo["official"]
    return official


# Read on every request of a logged-in session or a token (the login gate, then the policy):
# compiled once per connection (core.db.Prepared), the rule itself staff.selectors.active_q's.
_POSTS_IN_FORCE = Prepared(
    Appointment,
    lambda official_id, on: (
        Appointment.objects.filter(official_id=official_id)
        .filter(active_q(on))
        .values_list("unit_code", "post", "term_start")
    ),
    -1,
    dt.date(1, 1, 1),
)


def posts_in_force(user: Any, official: Official, on: dt.date) -> list[tuple[str, str, dt.date]]:
    """(unit code, post, first day) of the official's appointments in force on ``on``, in a
    stable order; read once per request for a token's holder (the login gate and the policy both
    ask)."""
    memo = request_memo(user)
    key = ("posts", official.pk, on)
    if memo is not None and key in memo:
        rows: list[tuple[str, str, dt.date]] = memo[key]
        return rows
    rows = _POSTS_IN_FORCE.rows(official.pk, on)
    if memo is not None:
        memo[key] = rows
    return rows


def principal_for(user: Any, on: dt.date | None = None) -> Principal:
    on = on or unit_selectors.today()
    if user is None or not getattr(user, "is_authenticated", False):
        return Principal(user=None, official=None, on=on)
    memo = request_memo(user)
    if memo is not None and ("principal", on) in memo:
        known: Principal = memo["principal", on]
        if known.grants:
            note_unit(known.grants[0].unit_code)
        return known
    principal = _principal(user, on)
    if memo is not None:
        memo["principal", on] = principal
    return principal


def _principal(user: Any, on: dt.date) -> Principal:
    scope = scope_of(user)
    token_scope = token_units(scope, on) if scope else None
    official = official_of(user)
    if official is None:
        return Principal(user=user, official=None, on=on, token_scope=token_scope)
    grants = []
    appointments = posts_in_force(user, official, on)
    types = unit_selectors.division_types_on({c for c, _, _ in appointments}, on)
    for unit_code, post, since in appointments:
        if unit_code not in types:
            continue
        level = level_key(types[unit_code])
        role = posts.role_for(post, level)
        if role:
            grants.append(
                Grant(role=role, unit_code=unit_code, level=level, post=post, since=since)
            )
    if grants:
        note_unit(grants[0].unit_code)  # the access log's unit (core.context)
    return Principal(
        user=user, official=official, on=on, grants=tuple(grants), token_scope=token_scope
    )


def principal_on(user: Any, on: dt.date | None = None) -> Principal:
    """``user`` as the policy sees them on ``on`` (today by default): a :class:`Principal` read
    for that day, or given with no day asked, as it is; one read for another day is read again
    for ``on`` — the posts in force then, not on the day it was read for (a post may have ended,
    or moved to another unit or province, in between)."""
    if isinstance(user, Principal):
        if on is None or on == user.on:
            return user
        return principal_for(user.user, on)
    return principal_for(user, on)


class UnitTreePolicy:
    """The one policy: scope by the unit subtree of the user's posts, actions by role.

    Every method reads the user as of ``on`` (today by default): a :class:`Principal` read for
    another day is read again for ``on`` (:func:`principal_on`) — a post may have ended, or moved
    to another unit or province, in between."""

    def visible_unit_codes(self, user: Any, on: dt.date | None = None) -> set[str] | None:
        """The units the user may see; None for every unit (an administrator only). A request
        made with an API token limited to a subtree sees that subtree's part of it only."""
        principal = principal_on(user, on)
        codes = self._own_unit_codes(principal)
        if principal.token_scope is None:
            return codes
        return set(principal.token_scope) if codes is None else codes & principal.token_scope

    def _own_unit_codes(self, principal: Principal) -> set[str] | None:
        """Each post's unit; a district post's wards during the post (:func:`district_units`);
        a city post's province (:func:`province_units`). None — every unit of the country — for
        an administrator only: a city post, Hanoi's Department of Home Affairs included, is its
        own province's (Law on Organisation of Local Government: Law 77/2015/QH13, Law
        72/2025/QH15 from 1 July 2025)."""
        if principal.is_admin:
            return None
        return {g.unit_code for g in principal.grants} | _wider_units(principal)

    def read_scope(self, user: Any, on: dt.date | None = None) -> ReadScope:
        """What the caller may read of the units' records on ``on``: every record of the units
        it sees (:meth:`visible_unit_codes`) and, read only, the records that the units which
        went into its commune-level units closed before they ended (:func:`predecessor_records`,
        docs/decisions/0025). Only a list's or a record's read takes it; a write, and whether
        personal data shows, are decided on :meth:`visible_unit_codes` and :meth:`can`."""
        principal = principal_on(user, on)
        units = self.visible_unit_codes(principal, on)
        if units is None:
            return ReadScope(None)
        held = held_codes(principal, units)
        return ReadScope(
            units,
            tuple(
                p for p in predecessor_records(principal) if p.code not in units or p.code in held
            ),
            held,
        )

    def act_scope(self, user: Any, on: dt.date | None = None) -> ReadScope:
        """What the caller may act on (and see unmasked, where :meth:`can` allows it) on ``on``:
        the records of the units it sees (:meth:`visible_unit_codes`), those of a commune-level
        post's own code limited to its unit's holding of the code (:func:`held_codes`: Phường
        Hồng Hà's records under 00097, not Phường Tứ Liên's before it). No predecessor's."""
        principal = principal_on(user, on)
        units = self.visible_unit_codes(principal, on)
        if units is None:
            return ReadScope(None)
        return ReadScope(units, (), held_codes(principal, units))

    def can_see(self, user: Any, unit_code: str, on: dt.date | None = None) -> bool:
        visible = self.visible_unit_codes(user, on)
        return visible is None or unit_code in visible

    def can(self, user: Any, action: str, unit_code: str, on: dt.date | None = None) -> bool:
        """Whether ``user`` may do ``action`` to ``unit_code`` on ``on``: a post whose role
        allows it, over its own unit, a district post over the district's wards during the post
        (:func:`district_units`: those since ended or merged included), a city post
        over its own province's units (:func:`province_units`), never another province's (Law
        on Organisation of Local Government); an administrator over every unit."""
        principal = principal_on(user, on)
        if not principal.in_token_scope(unit_code):
            return False
        if principal.is_admin:
            return True
        for grant in principal.grants:
            if action not in ROLE_ACTIONS.get(grant.role, frozenset()):
                continue
            if grant.unit_code == unit_code:
                return True
            if grant.level == "city" and unit_code in province_units(principal, grant.unit_code):
                return True
            if grant.level == "district_level" and unit_code in district_units(principal, grant):
                return True
        return False

    def require_unit(
        self, user: Any, unit_code: str, on: dt.date | None = None, *, field: str = "code"
    ) -> None:
        """Refuse a unit the caller may not see with the very answer a missing unit gets; to
        callers who see every unit, a code that names no unit at all gets the same answer."""
        require_unit_in(self.visible_unit_codes(user, on), unit_code, field=field)

    def visible_official(
        self, user: Any, public_id: str, on: dt.date | None = None, *, field: str = "official"
    ) -> Official:
        """The official, if the caller may see them on ``on``: one of their units (the employer
        or a unit of an appointment) is in scope, or it is the caller. Missing and hidden answer
        the same."""
        official = official_by_public_id(public_id, field=field)
        principal = principal_on(user, on)
        visible = self.visible_unit_codes(principal, on)
        if visible is None or principal.official == official:
            return official
        units = set(official.appointments.values_list("unit_code", flat=True))
        if not (units | {official.employer_unit_code}) & visible:
            raise official_not_found(field)
        return official


R = TypeVar("R")
# A context's read of one record by its code in a scope: (code, units, predecessors, held).
RecordFinder = Callable[
    [
        str,
        set[str] | None,
        Sequence[unit_selectors.Predecessor],
        Mapping[str, unit_selectors.Holding],
    ],
    R,
]


@dataclass(frozen=True)
class ReadScope:
    """What a caller may read (:meth:`UnitTreePolicy.read_scope`): every record of ``units``
    (None: of every unit) and, read only, the records closed by ``predecessors`` while they held
    their codes (``units.selectors.closed_by_q``), none of whose codes is among ``units``."""

    units: set[str] | None
    predecessors: tuple[unit_selectors.Predecessor, ...] = ()
    # Codes among ``units`` whose records are the caller's only from its unit's holding of the
    # code (:func:`held_codes`); an earlier holder's records there are a predecessor's.
    held: Mapping[str, unit_selectors.Holding] = field(default_factory=dict)

    def read_only(self, unit_code: str, closed_at: dt.datetime | None) -> bool:
        """Whether a record this scope let the caller read (at ``unit_code``, closed at
        ``closed_at``) is a predecessor's, read only and masked: one outside ``units``, or one
        closed at a held code before the caller's unit held it (the earlier holder's: a
        record of the holding closes on or after its first day)."""
        if self.units is None:
            return False
        if unit_code not in self.units:
            return True
        return closed_at is not None and self.before_holding(unit_code, closed_at)

    def holding_from(self, unit_code: str) -> dt.date | None:
        """The first day from which the records at ``unit_code`` are the caller's unit's own:
        its holding's first day at a held code (Phường Hồng Hà's 00097: 1 July 2025); None at
        any other code, whose records in scope are all the caller's."""
        holding = self.held.get(unit_code)
        return None if holding is None else holding.valid_from

    def before_holding(self, unit_code: str, at: dt.datetime) -> bool:
        """Whether a record at ``unit_code`` dated ``at`` (closed, issued) is the code's
        earlier holder's: ``at`` before the caller's unit's holding of a held code began."""
        first = self.holding_from(unit_code)
        return first is not None and at < unit_selectors.local_midnight(first)

    def find(self, find: RecordFinder[R], code: str) -> R:
        """The record of ``code`` that ``find`` gives in this scope (``dossiers.selectors.
        dossier_for``, ``feedback.selectors.report_for``): one of ``units`` — at a held code, one
        of the caller's unit's holding — or, in a read scope, one a predecessor closed; a missing
        and a hidden one answer alike."""
        return find(code, self.units, self.predecessors, self.held)

    @property
    def unit_codes(self) -> set[str] | None:
        """The codes a list may be narrowed to: the units' and the predecessors' (None: any)."""
        if self.units is None:
            return None
        return self.units | {p.code for p in self.predecessors}


def predecessor_records(principal: Principal) -> tuple[unit_selectors.Predecessor, ...]:
    """The units whose closed records the principal reads as a successor's official: those
    that went, whole or in part, into the unit of one of its commune-level posts through the
    recorded succession links in effect on its day (``units.selectors.predecessors_through``) —
    Phường Phúc Xá (00001, whole) and Phường Tứ Liên (00097, part) for Phường Hồng Hà's from
    1 July 2025. The new unit takes over the tasks of the units it replaces (Resolution
    1656/NQ-UBTVQH15, Art. 2; Law 72/2025/QH15 on the Organisation of Local Government: text
    not checked offline), a unit that received a part of a split one included: each successor
    may be asked about the old unit's results by the people of its part, and the records do
    not say which part a result concerns. A token limited to a commune-level unit reads that
    unit's predecessors, whoever holds it; any other token limits the posts' units to those it
    reaches. District and city posts read none here: they see their wards, and their province,
    through time already. Read once per request."""
    base = {g.unit_code for g in principal.grants if g.level == "commune_level"}
    if principal.token_scope is not None:
        scope = scope_of(principal.user)
        kind = unit_selectors.division_types_on({scope}, principal.on).get(scope) if scope else None
        if principal.is_admin and kind is not None and level_key(kind) == "commune_level":
            base.add(scope)
        base &= principal.token_scope
    if not base:
        return ()
    wanted = frozenset(base)
    memo = request_memo(principal.user)
    key = ("predecessors", wanted, principal.on)
    if memo is not None and key in memo:
        known: tuple[unit_selectors.Predecessor, ...] = memo[key]
        return known
    found = unit_selectors.predecessors_through(wanted, principal.on)
    if memo is not None:
        memo[key] = found
    return found


def held_codes(principal: Principal, units: set[str]) -> dict[str, unit_selectors.Holding]:
    """The codes among ``units`` that the principal's commune-level posts see only over their
    units' holding of the code: each post's own code that one of its unit's predecessors
    (:func:`predecessor_records`) held before it — Phường Hồng Hà's 00097, Phường Tứ Liên's
    until 30 June 2025; Phường Ba Đình's 00004, Phường Trúc Bạch's. A code is not the unit
    (DOMAIN §2): the records at it before the holding began are the earlier holder's, read
    as any predecessor's (closed only, read only, masked), and an item left open at its ended
    desk is no record of the new unit's to act on (Resolution 1656/NQ-UBTVQH15, Art. 2 moves
    the tasks to the successors, each of them, not to the code: text not checked offline).
    A code that a district or city post of the principal also reaches is not held (those
    posts see their wards, and their province, through time); nor any on the pilot's days,
    whose arrangement records no link (no predecessor). Each code mapped to its unit's
    holding (``units.selectors.holdings_on_cached``); empty for most callers, with no query."""
    reused = {p.code for p in predecessor_records(principal)}
    own = {g.unit_code for g in principal.grants if g.level == "commune_level"}
    codes = (reused & own & units) - _wider_units(principal)
    if not codes:
        return {}
    held = unit_selectors.holdings_on_cached(codes, principal.on)
    return {c: h for c, h in held.items() if h.valid_from is not None}


def _wider_units(principal: Principal) -> set[str]:
    """The units the principal's district and city posts reach (read once per request)."""
    codes: set[str] = set()
    for grant in principal.grants:
        if grant.level == "district_level":
            codes.update(district_units(principal, grant))
        elif grant.level == "city":
            codes.update(province_units(principal, grant.unit_code))
    return codes


def district_units(principal: Principal, grant: Grant) -> frozenset[str]:
    """The wards a district post (``grant``) sees on the principal's day: those that lay under
    the district on some day from the post's first day to that day
    (``units.selectors.children_codes_during``) — the district's wards in force then, and those
    of the post's time that have since ended or merged (Phường Nguyễn Trung Trực, 00010, a ward
    of Quận Ba Đình until 1 January 2025, Resolution 1286/NQ-UBTVQH15), whose records stay the
    district's: the district People's Committee directs its wards' committees (Law on
    Organisation of Local Government, Law 77/2015/QH13; Resolution 97/2019/QH14 and Decree
    32/2021/NĐ-CP for the pilot's wards). Not those that had ended before the post began, nor
    those that join the district after the day asked. Read once per request."""
    since = min(grant.since or principal.on, principal.on)
    memo = request_memo(principal.user)
    key = ("district-units", grant.unit_code, since, principal.on)
    if memo is not None and key in memo:
        known: frozenset[str] = memo[key]
        return known
    codes = unit_selectors.children_codes_during([grant.unit_code], since, principal.on)
    if memo is not None:
        memo[key] = codes
    return codes


def token_units(scope: str, on: dt.date) -> frozenset[str]:
    """The units an API token limited to ``scope`` reaches on ``on``: ``scope`` and the units
    under it that day (``units.selectors.subtree_codes``); a province's (a centrally-run city's
    or a province's), its units through time as its city post sees them (:func:`province_units`:
    ``units.selectors.subtree_codes_through``) — Hanoi's token reaches Phường Phúc Xá's 2024
    records after the ward ended on 30 June 2025, never another province's (Law on Organisation
    of Local Government: Law 77/2015/QH13, Law 72/2025/QH15 from 1 July 2025)."""
    kind = unit_selectors.division_types_on({scope}, on).get(scope)
    if kind is not None and level_key(kind) == "city":
        return unit_selectors.subtree_codes_through(scope, on)
    return unit_selectors.subtree_codes(scope, on)


def province_units(principal: Principal, province: str) -> frozenset[str]:
    """The units a city post at ``province`` (a centrally-run city or a province) sees on the
    principal's day: the province and every unit under it then or before
    (``units.selectors.subtree_codes_through``) — Hanoi's monitor Hanoi's city, districts,
    communes and wards, never Đà Nẵng's or Ho Chi Minh City's: the provincial People's Committee
    and its departments act within their own province (Law on Organisation of Local Government:
    Law 77/2015/QH13, Law 72/2025/QH15 from 1 July 2025). Read once per request (the policy is
    asked many times in one)."""
    memo = request_memo(principal.user)
    key = ("province-units", province, principal.on)
    if memo is not None and key in memo:
        known: frozenset[str] = memo[key]
        return known
    codes = unit_selectors.subtree_codes_through(province, principal.on)
    if memo is not None:
        memo[key] = codes
    return codes


# Where an official works, narrowest first: a ward's post before a district's, a district's before
# the city's (a district official who also sits in a ward works in the ward).
_WORK_LEVELS = ("commune_level", "district_level", "city")


def own_unit_code(user: Any, on: dt.date | None = None) -> str | None:
    """The unit where the caller works on ``on`` (today by default): the unit of their post in
    force at the narrowest level, the first in the posts' stable order; None for a caller who
    holds no post then (an administrator without one included)."""
    principal = principal_on(user, on)
    for level in _WORK_LEVELS:
        for grant in principal.grants:
            if grant.level == level:
                return grant.unit_code
    return None


def home_province_code(user: Any, on: dt.date | None = None) -> str:
    """The province whose units a caller who sees a whole province is offered to choose from:
    the province of its city-level post in force on ``on`` (Hanoi's monitor: Hanoi, the only
    province it sees), else the platform's own, Hanoi's (an administrator without a post).
    A :class:`Principal` read for another day is read again for ``on`` (:func:`principal_on`)."""
    principal = principal_on(user, on)
    for grant in principal.grants:
        if grant.level == "city":
            return grant.unit_code
    return reference_files.HANOI


# Audit trails filed under a unit's own code (a unit renamed, merged, moved: units.services).
_UNIT_TRAILS = frozenset({"units.unit"})
# A login account's trail (core.audit.audit_account: object id = the account's primary key).
_ACCOUNT_TRAIL = "auth.user"


def may_read_audit_trail(
    user: Any, object_type: str, object_id: str, states: list[dict[str, Any]]
) -> bool:
    """Whether ``user`` may read the audit trail of one object, whose events' states (after,
    else before) are ``states``. An object of a unit (its states name ``unit_code``, or a unit's
    own trail filed under its code): whoever may audit every unit it names (``view_audit``: a
    district's committee its district's, a city monitor its own province's, never another's —
    Law on Organisation of Local Government, Law 77/2015/QH13, Law 72/2025/QH15). An object of
    no unit (a login account, an API key, reference data: no province's): an administrator with
    no token limiting him to a part of the country; a login account's trail also its owner,
    for his own account — it tells when he signed in, reset a password, enrolled a second
    factor, which is no monitor's to read (Decree 13/2023/NĐ-CP on personal data). A province
    auditor reads no such trail."""
    principal = principal_for(user)
    units = {str(state.get("unit_code", "")) for state in states} - {""}
    if object_type in _UNIT_TRAILS:
        units.add(object_id)
    if units:
        return all(policy.can(principal, "view_audit", u) for u in units)
    own_account = (
        object_type == _ACCOUNT_TRAIL
        and principal.user is not None
        and object_id.strip() == str(principal.user.pk)
    )
    return own_account or (principal.is_admin and principal.token_scope is None)


def require_unit_in(visible: set[str] | None, unit_code: str, *, field: str = "code") -> None:
    """``unit_code`` must be among ``visible`` (the caller's scope; None = every unit, where it
    must at least name a unit); otherwise the one answer for missing and hidden units."""
    if visible is None:
        if not Unit.objects.filter(code=unit_code).exists():
            raise unit_hidden(field)
    elif unit_code not in visible:
        raise unit_hidden(field)


def unit_hidden(field: str = "code") -> NotFound:
    """A unit that does not exist or that the caller may not see: one answer for both, which
    does not repeat the code asked for, so that the two cannot be told apart (issue 10)."""
    return NotFound(
        "Không tìm thấy đơn vị hành chính, hoặc đơn vị nằm ngoài phạm vi bạn được xem.",
        "No such administrative unit, or it is outside what you may see.",
        code="unit_not_found",
        field=field,
    )


def require_official(request: Any) -> Official:
    """The official the request's account stands for; an account without one may not act."""
    official = official_of(request.user)
    if official is None:
        raise PermissionDenied(
            "Tài khoản chưa gắn với cán bộ, công chức nào.",
            "This account is not linked to an official.",
            code="no_official",
        )
    return official


policy = UnitTreePolicy()
