"""The oversight rules as data, and the arithmetic on them (pure; no Django imports).

Sources (DOMAIN §1; [V] read in a public source, [C] configuration because sources differ or
were not retrieved):

* **Decree 32/2021/NĐ-CP** (detailing Resolution 97/2019/QH14 on Hanoi's urban-government
  pilot): the ward chairman holds **at least 2 dialogue conferences a year** with the ward's
  residents, before the district council's regular sessions; a large ward may hold them through
  residential-group representatives; the ward committee announces time, place and content
  **at least 7 days ahead** (through the media and the residential-group heads). [V]
* Voter petitions (kiến nghị cử tri) carried by district councillors are answered by the
  committee they are routed to within a period set by the council's practice: 30 days here. [C]
* The chairman receives citizens (tiếp công dân) regularly, **at least one day a week**
  (Law on Citizen Reception 2013; article not verified here). [C]

Every value is a row of ``oversight.OversightRule`` with effective dates, editable by an
administrator; :data:`DEFAULTS` is what a fresh database is seeded with and what applies when a
key has no row in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

CONFERENCE_NOTICE_DAYS = "conference_notice_days"
CONFERENCES_PER_YEAR = "conferences_per_year"
CONFERENCE_REQUIRED_CHANNELS = "conference_required_channels"
PETITION_ANSWER_DAYS = "petition_answer_days"
RECEPTION_DAYS_PER_WEEK = "reception_days_per_week"

PILOT_START = dt.date(2021, 7, 1)
SOURCE_DECREE_32 = (
    "Nghị định 32/2021/NĐ-CP (thi hành Nghị quyết 97/2019/QH14): Chủ tịch UBND phường tổ chức "
    "hội nghị đối thoại ít nhất 02 lần/năm, thông báo công khai trước ít nhất 07 ngày [V]"
)

# Announcement channels (cách thức thông báo): the law names the media and the residential-group
# heads (DOMAIN §1); the others are how wards reach residents in practice.
CHANNELS: dict[str, tuple[str, str]] = {
    "residential_group_heads": ("Qua tổ trưởng tổ dân phố", "Through residential-group heads"),
    "loudspeaker": ("Loa truyền thanh", "Public loudspeakers"),
    "website": ("Cổng thông tin điện tử", "Website"),
    "notice_board": ("Niêm yết tại trụ sở", "Notice board at the ward office"),
    "media": ("Phương tiện thông tin đại chúng", "Mass media"),
    "social_network": ("Mạng xã hội", "Social networks"),
}


@dataclass(frozen=True)
class RuleDefault:
    key: str
    value: Any
    label_vi: str
    label_en: str
    source: str
    verified: bool


DEFAULTS: dict[str, RuleDefault] = {
    r.key: r
    for r in (
        RuleDefault(
            CONFERENCE_NOTICE_DAYS,
            7,
            "Số ngày tối thiểu thông báo trước hội nghị đối thoại",
            "Minimum days of notice before a dialogue conference",
            SOURCE_DECREE_32,
            True,
        ),
        RuleDefault(
            CONFERENCES_PER_YEAR,
            2,
            "Số hội nghị đối thoại tối thiểu mỗi năm",
            "Minimum dialogue conferences a year",
            SOURCE_DECREE_32,
            True,
        ),
        RuleDefault(
            CONFERENCE_REQUIRED_CHANNELS,
            ["residential_group_heads"],
            "Kênh thông báo bắt buộc",
            "Announcement channels that must be used",
            "Nghị định 32/2021/NĐ-CP: thông báo qua phương tiện thông tin đại chúng và tổ trưởng "
            "tổ dân phố (DOMAIN §1) [V]",
            True,
        ),
        RuleDefault(
            PETITION_ANSWER_DAYS,
            30,
            "Thời hạn trả lời kiến nghị cử tri (ngày)",
            "Days to answer a voter petition",
            "Thực tiễn HĐND quận; cấu hình [C]",
            False,
        ),
        RuleDefault(
            RECEPTION_DAYS_PER_WEEK,
            1,
            "Số ngày tiếp công dân tối thiểu mỗi tuần của Chủ tịch UBND phường",
            "Minimum citizen-reception days a week of the ward chairman",
            "Luật Tiếp công dân 2013 (điều khoản chưa đối chiếu) [C]",
            False,
        ),
    )
}


def value_problem(key: str, value: Any) -> str | None:
    """Why ``value`` cannot stand for rule ``key`` (None when it can)."""
    if key not in DEFAULTS:
        return f"unknown rule “{key}”"
    if key == CONFERENCE_REQUIRED_CHANNELS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "a list of channel codes is expected"
        unknown = [v for v in value if v not in CHANNELS]
        return f"unknown channels: {', '.join(unknown)}" if unknown else None
    if isinstance(value, bool) or not isinstance(value, int):
        return "a whole number is expected"
    if not 0 <= value <= 3650:
        return "the number must be between 0 and 3650"
    return None


@dataclass(frozen=True)
class OversightRules:
    """The values in force on one date, each with its source."""

    on: dt.date
    notice_days: int
    conferences_per_year: int
    required_channels: tuple[str, ...]
    petition_answer_days: int
    reception_days_per_week: int
    sources: Mapping[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            CONFERENCE_NOTICE_DAYS: self.notice_days,
            CONFERENCES_PER_YEAR: self.conferences_per_year,
            CONFERENCE_REQUIRED_CHANNELS: list(self.required_channels),
            PETITION_ANSWER_DAYS: self.petition_answer_days,
            RECEPTION_DAYS_PER_WEEK: self.reception_days_per_week,
            "sources": dict(self.sources),
        }


def rules_from(on: dt.date, rows: Mapping[str, tuple[Any, str]]) -> OversightRules:
    """Rules from stored rows ``{key: (value, source)}``; a missing or invalid row gives the default."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, default in DEFAULTS.items():
        value, source = rows.get(key, (default.value, default.source))
        if value_problem(key, value) is not None:
            value, source = default.value, default.source
        values[key] = value
        sources[key] = source
    return OversightRules(
        on=on,
        notice_days=values[CONFERENCE_NOTICE_DAYS],
        conferences_per_year=values[CONFERENCES_PER_YEAR],
        required_channels=tuple(values[CONFERENCE_REQUIRED_CHANNELS]),
        petition_answer_days=values[PETITION_ANSWER_DAYS],
        reception_days_per_week=values[RECEPTION_DAYS_PER_WEEK],
        sources=sources,
    )


# --- dialogue conferences ------------------------------------------------------------------


def notice_days(announced_on: dt.date, scheduled_on: dt.date) -> int:
    """Whole days between the announcement and the conference (calendar days, local dates)."""
    return (scheduled_on - announced_on).days


def notice_problem(
    announced_on: dt.date, scheduled_on: dt.date, minimum: int
) -> tuple[str, str] | None:
    """Refusal (vi, en) when the conference is announced less than ``minimum`` days ahead."""
    days = notice_days(announced_on, scheduled_on)
    if days >= minimum:
        return None
    earliest = announced_on + dt.timedelta(days=minimum)
    return (
        f"Hội nghị đối thoại phải được thông báo trước ít nhất {minimum} ngày; ngày "
        f"{scheduled_on:%d/%m/%Y} chỉ cách ngày thông báo {announced_on:%d/%m/%Y} {days} ngày. "
        f"Hãy chọn ngày tổ chức từ {earliest:%d/%m/%Y} trở đi.",
        f"A dialogue conference must be announced at least {minimum} days ahead; "
        f"{scheduled_on.isoformat()} is only {days} days after the announcement on "
        f"{announced_on.isoformat()}. Choose a date on or after {earliest.isoformat()}.",
    )


def missing_channels(channels: Iterable[str], required: Iterable[str]) -> list[str]:
    have = set(channels)
    return [c for c in required if c not in have]


def channel_label(code: str, lang: str = "vi") -> str:
    vi, en = CHANNELS.get(code, (code, code))
    return en if lang.startswith("en") else vi


@dataclass(frozen=True)
class ConferenceShortfall:
    """A ward that held fewer dialogue conferences in a year than the rule asks, with evidence."""

    ward_code: str
    year: int
    held: int
    minimum: int
    held_dates: tuple[dt.date, ...]
    announced_dates: tuple[dt.date, ...]

    @property
    def missing(self) -> int:
        return max(self.minimum - self.held, 0)


def conference_shortfall(
    ward_code: str,
    year: int,
    held_dates: Iterable[dt.date],
    minimum: int,
    announced_dates: Iterable[dt.date] = (),
) -> ConferenceShortfall | None:
    held = tuple(sorted(held_dates))
    if len(held) >= minimum:
        return None
    return ConferenceShortfall(
        ward_code, year, len(held), minimum, held, tuple(sorted(announced_dates))
    )


# Why a ward's year is not judged against the yearly minimum (``conference_year_unjudged``).
UNIT_CHANGED = "unit_changed"
MODEL_NOT_RECORDED = "model_not_recorded"
MODEL_CHANGED = "model_changed"
NOT_OWED = "not_owed"
NOT_RECORDED = "not_recorded"


def conference_year_unjudged(
    *, whole_year: bool, owed_first: bool | None, owed_last: bool | None, recorded: bool
) -> str | None:
    """Why a unit's year cannot be judged against the yearly minimum of dialogue conferences,
    or None when it can.

    The duty is the pilot's: Decree 32/2021/NĐ-CP (detailing Resolution 97/2019/QH14) has the
    chairman of a ward *without a People's Council* hold at least 2 a year. A commune or ward
    with its own council — under the Law on the Organisation of Local Government 2015 until
    30 June 2021, and again from 1 July 2025 (Resolution 1656/NQ-UBTVQH15; Law 72/2025/QH15) —
    does not owe it. ``owed_first`` and ``owed_last`` say whether the unit's governance model
    had no council on the year's first day and on its last (or today's, for a year not over);
    None: no model recorded that day.

    In order: ``unit_changed`` (the unit held its code for part of the year only: its count is
    not the year's); ``model_not_recorded`` (no model to say whose duty it is: not guessed);
    ``model_changed`` (owed for part of the year only, as 00001 in 2021); ``not_owed`` (a unit
    with its own council: not its duty at all); ``not_recorded`` (no conference of the unit
    recorded by the year's end: missing data, not none held).
    """
    if not whole_year:
        return UNIT_CHANGED
    if owed_last is None:
        return MODEL_NOT_RECORDED
    if owed_first is True and not owed_last:
        return MODEL_CHANGED
    if not owed_last:
        return NOT_OWED
    if owed_first is not True:
        return MODEL_CHANGED
    if not recorded:
        return NOT_RECORDED
    return None


# --- voter petitions -----------------------------------------------------------------------

RECEIVED = "received"
ANSWERED = "answered"
ESCALATED = "escalated"
CLOSED = "closed"
OPEN_STATES = frozenset({RECEIVED, ESCALATED})

# The one table of allowed moves of a petition: action → (states it may start from, state after).
# ``None`` as the state after means "unchanged" (a follow-up note does not move the petition).
PETITION_MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "answer": (frozenset({RECEIVED, ESCALATED}), ANSWERED),
    "escalate": (frozenset({RECEIVED}), ESCALATED),
    "follow_up": (frozenset({RECEIVED, ANSWERED, ESCALATED}), None),
    "close": (frozenset({ANSWERED}), CLOSED),
}


PETITION_ACTIONS = {
    "answer": ("trả lời", "answer"),
    "escalate": ("chuyển cấp trên", "escalate"),
    "follow_up": ("ghi ý kiến giám sát", "follow up"),
    "close": ("kết thúc", "close"),
}

# A commitment made in answer to a question (Resolution 97/2019/QH14: the district council
# supervises the ward chairman's answers) is open until the chairman reports it done; a done
# commitment stays done.
COMMITMENT_OPEN = "open"
COMMITMENT_DONE = "done"
COMMITMENT_MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "progress": (frozenset({COMMITMENT_OPEN}), None),
    "done": (frozenset({COMMITMENT_OPEN}), COMMITMENT_DONE),
}
COMMITMENT_ACTIONS = {
    "progress": ("báo cáo tiến độ", "report progress on"),
    "done": ("báo cáo hoàn thành", "mark done"),
}

# A dialogue conference (Decree 32/2021/NĐ-CP) is announced, then held or cancelled, once.
CONFERENCE_MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "hold": (frozenset({"announced"}), "held"),
    "cancel": (frozenset({"announced"}), "cancelled"),
}
CONFERENCE_ACTIONS = {
    "hold": ("ghi nhận đã tổ chức", "record as held"),
    "cancel": ("hủy", "cancel"),
}


def petition_can(status: str, action: str) -> bool:
    move = PETITION_MOVES.get(action)
    return move is not None and status in move[0]


def petition_answer_due(received_on: dt.date, days: int) -> dt.date:
    """The last day to answer: ``days`` calendar days after receipt (Civil Code 2015, Art. 147:
    the day of receipt is not counted)."""
    return received_on + dt.timedelta(days=days)


def petition_overdue(status: str, answer_due: dt.date, today: dt.date) -> bool:
    """Open and past its last day; overdue is derived, never stored."""
    return status in OPEN_STATES and today > answer_due


def petition_answered_late(answer_due: dt.date, answered_on: dt.date | None) -> bool:
    return answered_on is not None and answered_on > answer_due


# --- commitments -----------------------------------------------------------------------------


def commitment_overdue(status: str, due_date: dt.date | None, today: dt.date) -> bool:
    return status == "open" and due_date is not None and today > due_date


# --- citizen reception -----------------------------------------------------------------------


def weeks_short_of_reception(
    reception_days: Iterable[dt.date],
    start: dt.date,
    end: dt.date,
    minimum_per_week: int,
    is_working_day: Callable[[dt.date], bool] | None = None,
) -> list[dt.date]:
    """Mondays of the whole weeks in [start, end] with fewer reception days than the minimum.

    A week with no working day (Tết, a long holiday) asks for nothing; a week with fewer
    working days than the minimum asks for as many as it has.
    """
    if minimum_per_week <= 0 or end < start:
        return []
    days = set(reception_days)
    monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    short: list[dt.date] = []
    while monday + dt.timedelta(days=6) <= end:
        week = [monday + dt.timedelta(days=i) for i in range(7)]
        working = [d for d in week if is_working_day(d)] if is_working_day else week[:5]
        needed = min(minimum_per_week, len(working))
        if sum(1 for d in week if d in days) < needed:
            short.append(monday)
        monday += dt.timedelta(days=7)
    return short
