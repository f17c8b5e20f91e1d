"""The shortcomings a period's data shows (checked against the thresholds in force) and what is not
recorded for it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from cqdt.monitoring import applicability
from cqdt.monitoring import definitions as d
from cqdt.monitoring import formulas as f
from cqdt.monitoring.dashboards.periods import PeriodData
from cqdt.monitoring.selectors import (
    WARD,
    Records,
    Scope,
    UnitRef,
    conferences_held,
    conferences_per_year,
    recorded_days_around,
    scope_on,
    thresholds_on,
)
from cqdt.staff import posts
from cqdt.staff.selectors import unit_staff
from cqdt.units import selectors as unit_selectors

# --- shortcomings --------------------------------------------------------------------------------


def _signer_labels(ward: str, on: dt.date) -> dict[int, tuple[str, str]]:
    labels: dict[int, tuple[str, str]] = {}
    for a in unit_staff(ward, on):
        if a.post in posts.LEADER_POSTS or a.official_id not in labels:
            vi, en = posts.POST_LABELS.get(a.post, (a.post, a.post))
            labels[a.official_id] = (
                f"{vi} {a.official.full_name}",
                f"{en} {a.official.full_name}",
            )
    return labels


def shortcomings(data: PeriodData, unit_code: str) -> list[f.Flag]:
    """Every flag the rules raise for the pilot wards under ``unit_code`` in the period."""
    scope = data.scope
    thresholds = thresholds_on(data.end)
    wards = scope.wards_of(unit_code)
    flags: list[f.Flag] = []
    today = timezone.localdate(data.now)
    staff_day = min(data.end, today)
    for ward in wards:
        staff = data.staffing.get(ward.code)
        totals = data.totals.get(ward.code, f.DossierTotals())
        if staff is not None:
            flag = f.check_understaffed_population(
                ward.code,
                ward.population,
                staff.civil_servants,
                thresholds["understaffed_population"],
            )
            if flag:
                flags.append(flag)
            flag = f.check_understaffed_workload(
                ward.code,
                received=totals.received,
                civil_servants=staff.civil_servants,
                working_days=data.working_days,
                norm_limit=staff.norm_limit,
                threshold=thresholds["understaffed_workload"],
            )
            if flag:
                flags.append(flag)
        leader_signatures: dict[int, int] = defaultdict(int)
        for (signer, basis), n in data.signers.get(ward.code, {}).items():
            if basis in f.LEADER_BASES:
                leader_signatures[signer] += n
        over = [
            (signer, n)
            for signer, n in leader_signatures.items()
            if data.working_days
            and n / data.working_days
            > float(thresholds["signing_overload"]["max_signatures_per_leader_per_day"])
        ]
        if over:
            labels = _signer_labels(ward.code, staff_day)
            for signer, n in sorted(over, key=lambda x: -x[1]):
                vi, en = labels.get(signer, (f"Người ký #{signer}", f"Signer #{signer}"))
                flag = f.check_signing_overload(
                    ward.code,
                    signer_label_vi=vi,
                    signer_label_en=en,
                    signatures=n,
                    working_days=data.working_days,
                    threshold=thresholds["signing_overload"],
                )
                if flag:
                    flags.append(flag)
        flag = f.check_late_rate(
            ward.code, late=totals.late, resolved=totals.resolved, threshold=thresholds["late_rate"]
        )
        if flag:
            flags.append(flag)
        if data.petitions is not None and ward.code in data.petitions:
            p = data.petitions[ward.code]
            flag = f.check_unanswered_petitions(
                ward.code,
                unanswered_late=p.unanswered_late,
                received=p.received,
                threshold=thresholds["unanswered_petitions"],
            )
            if flag:
                flags.append(flag)
    flags += _dialogue_flags(data, [w.code for w in wards], thresholds["dialogue_shortfall"])
    return flags


def _dialogue_years(data: PeriodData) -> list[int]:
    """Calendar years inside the period that have ended by its last day (and by today)."""
    today = timezone.localdate(data.now)
    return [
        y
        for y in range(data.start.year, data.end.year + 1)
        if dt.date(y, 12, 31) <= min(data.end, today) and dt.date(y, 12, 31) >= d.PILOT_START
    ]


def _dialogue_flags(data: PeriodData, codes: list[str], threshold: dict[str, Any]) -> list[f.Flag]:
    """Calendar years inside the period that have ended by its last day (and by today)."""
    years = _dialogue_years(data)
    if not years:
        return []
    held = conferences_held(codes, years, on=data.scope.on, held=data.held) or {}
    first = data.records.conferences
    flags = []
    for year in years:
        required = f.required_conferences(
            conferences_per_year(dt.date(year, 12, 31)),
            year,
            d.PILOT_START,
            bool(threshold.get("prorate_first_year", True)),
        )
        for code in codes:
            dates = held.get((code, year), [])
            flag = f.check_dialogue_shortfall(
                code,
                year=year,
                held=len(dates),
                required=required,
                held_dates=dates,
                threshold=threshold,
                recorded=Records.covers(first, code, dt.date(year, 12, 31)),
            )
            if flag:
                flags.append(flag)
    return flags


# --- what is not recorded ----------------------------------------------------------------------


@dataclass(frozen=True)
class NothingRecorded:
    """A period in which nothing is recorded for a unit (:func:`nothing_recorded`): no dossier,
    feedback report, voter petition or dialogue conference at any of its wards. The rules on
    the period's activity (late rate, workload, signing, petitions) had nothing to check, so an
    empty list of shortcomings is no data, never "no shortcoming found" (docs/indicators.md,
    "Missing is missing"; QA Q4). The rules on standing records (staff in post against the
    population, a year's conferences) may still flag (``flagged``): the sentence then says the
    flags rest on those. Said wherever the shortcomings are: the shortcomings and dashboard
    pages, the API's answer, the review's PDF and XLSX — with the period and the nearest days on
    which a dossier or a feedback report is recorded (``last_before``, the last day before it;
    ``next_after``, the first day after it; None: none)."""

    unit_name: str
    start: dt.date
    end: dt.date
    last_before: dt.date | None
    next_after: dt.date | None
    flagged: bool = False

    def _message(self, lang: str) -> str:
        words = _NOTHING_RECORDED_WORDS[lang]
        text = words["head"].format(start=_day(self.start), end=_day(self.end), unit=self.unit_name)
        text += " " + words["flagged" if self.flagged else "unchecked"]
        if self.last_before is not None:
            text += " " + words["before"].format(_day(self.last_before))
        if self.next_after is not None:
            text += " " + words["after"].format(_day(self.next_after))
        if self.last_before is None and self.next_after is None:
            text += " " + words["never"]
        return text

    @property
    def message_vi(self) -> str:
        return self._message("vi")

    @property
    def message_en(self) -> str:
        return self._message("en")


def _day(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


# :class:`NothingRecorded`'s sentence in each language: the period; what could not be checked
# (with no flag: every rule; with flags: the activity rules, the flags resting on standing
# records); the last day with a dossier or report before it, the first after it, or none.
_NOTHING_RECORDED_WORDS = {
    "vi": {
        "head": "Chưa có số liệu ghi nhận trong kỳ này ({start} – {end}): không có hồ sơ, phản "
        "ánh, kiến nghị cử tri hay hội nghị đối thoại nào của {unit} được ghi nhận trong kỳ,",
        "unchecked": "nên chưa xét được bất cập (không phải là “không có bất cập”).",
        "flagged": "nên các bất cập về giải quyết hồ sơ, ký và trả lời kiến nghị chưa xét "
        "được; các bất cập được nêu tính trên số liệu nhân sự hoặc hội nghị đối thoại đã ghi "
        "nhận.",
        "before": "Ngày gần nhất trước kỳ có hồ sơ hoặc phản ánh được ghi nhận: {}.",
        "after": "Hồ sơ, phản ánh được ghi nhận lại từ ngày {}.",
        "never": "Chưa có hồ sơ hay phản ánh nào của đơn vị được ghi nhận.",
    },
    "en": {
        "head": "No data recorded for this period ({start} – {end}): no dossier, feedback "
        "report, voter petition or dialogue conference of {unit} is recorded in it,",
        "unchecked": "so no shortcoming could be checked (this is not “no shortcomings”).",
        "flagged": "so the shortcomings of dossier handling, signing and petition answers "
        "could not be checked; the shortcomings given rest on the recorded staff or dialogue "
        "conferences.",
        "before": "Last day before it with a dossier or report recorded: {}.",
        "after": "Dossiers or reports are recorded again from {}.",
        "never": "No dossier or feedback report has been recorded for the unit yet.",
    },
}


def _conference_in_period(data: PeriodData, wards: list[str]) -> bool:
    """Whether one of ``wards`` held a dialogue conference in the period (oversight's records;
    none when oversight is not installed)."""
    if data.records.conferences is None or not wards:
        return False
    years = list(range(data.start.year, data.end.year + 1))
    held = conferences_held(wards, years, on=data.scope.on, held=data.held) or {}
    return any(data.start <= day <= data.end for days in held.values() for day in days)


def nothing_recorded(
    data: PeriodData, unit_code: str, flags: list[f.Flag]
) -> NothingRecorded | None:
    """What the period's shortcomings (``flags``: those raised on it) say when nothing is
    recorded in it for ``unit_code`` (``PeriodData.active`` and the dialogue conferences), or
    None when something is: the rules then checked what is recorded. Reads (the conferences,
    the nearest recorded days) only for an empty period."""
    if data.active(unit_code):
        return None
    scope = data.scope
    if _conference_in_period(data, [w.code for w in scope.wards_of(unit_code)]):
        return None
    codes = scope.feedback_units(unit_code)
    read = [c for c in codes if data.held is not None and c in data.held.codes]
    held = data.held.on(scope.on, read) if data.held is not None and read else {}
    if others := [c for c in codes if c not in read]:  # the city's own committee, after the pilot
        held.update(unit_selectors.holdings_on(others, scope.on))
    before, after = recorded_days_around(codes, data.start, data.end, held)
    name = scope.unit(unit_code).name
    return NothingRecorded(name, data.start, data.end, before, after, flagged=bool(flags))


@dataclass(frozen=True)
class Findings:
    """A unit's shortcomings in a period as the pages and the API give them: the flags, what
    is said when nothing is recorded (then no flag means no data, not "none found"), and the
    rules that do not apply to the unit (decision 0024)."""

    flags: list[f.Flag]
    nothing_recorded: NothingRecorded | None
    not_applicable: list[applicability.NotApplicable] = field(default_factory=list)


def findings(
    data: PeriodData,
    unit_code: str,
    not_applicable: list[applicability.NotApplicable] | None = None,
) -> Findings:
    """:func:`shortcomings` of ``unit_code`` without the rules ``not_applicable``, and
    :func:`nothing_recorded`."""
    gone = not_applicable or []
    skip = {x.indicator for x in gone}
    flags = [x for x in shortcomings(data, unit_code) if x.rule not in skip]
    return Findings(flags, nothing_recorded(data, unit_code, flags), gone)


@dataclass(frozen=True)
class Gap:
    """A source the period's figures lack for some wards: said, never shown as 0."""

    source: str
    label_vi: str
    label_en: str
    missing: tuple[str, ...]  # ward codes without records
    total: int  # wards in scope
    year: int | None = None  # for a yearly duty (the dialogue conferences)

    @property
    def message_vi(self) -> str:
        when = f"năm {self.year}" if self.year else "trong kỳ"
        if len(self.missing) == self.total:
            return f"{self.label_vi}: chưa có dữ liệu {when} (không phường nào ghi nhận)."
        return (
            f"{self.label_vi}: chưa có dữ liệu {when} ở {len(self.missing)}/{self.total} phường; "
            "số liệu chỉ gồm các phường đã ghi nhận."
        )

    @property
    def message_en(self) -> str:
        when = f"in {self.year}" if self.year else "in the period"
        if len(self.missing) == self.total:
            return f"{self.label_en}: no data {when} (no ward recorded any)."
        return (
            f"{self.label_en}: no data {when} for {len(self.missing)} of {self.total} wards; "
            "the figures cover the wards that recorded."
        )


_GAP_SOURCES = (
    ("dossiers", "Hồ sơ thủ tục hành chính", "Administrative dossiers"),
    ("feedback", "Phản ánh, kiến nghị", "Feedback reports"),
    ("petitions", "Kiến nghị cử tri", "Voter petitions"),
)


def gaps(data: PeriodData, unit_code: str) -> list[Gap]:
    """Every source the period lacks for some of ``unit_code``'s wards (the review's
    "Dữ liệu" section and the dashboards' notice), the dialogue conferences by year."""
    wards = [w.code for w in data.scope.wards_of(unit_code)]
    out = []
    for source, vi, en in _GAP_SOURCES:
        recorded = set(data.recorded_wards(unit_code, source))
        missing = tuple(w for w in wards if w not in recorded)
        if missing:
            out.append(Gap(source, vi, en, missing, len(wards)))
    staff = tuple(w for w in wards if w not in data.staffing or not data.staffing[w].civil_servants)
    if staff:
        out.append(Gap("staff", "Công chức tại chức", "Civil servants in post", staff, len(wards)))
    for year in _dialogue_years(data):
        end = dt.date(year, 12, 31)
        missing = tuple(w for w in wards if not Records.covers(data.records.conferences, w, end))
        if missing:
            out.append(
                Gap(
                    "conferences",
                    "Hội nghị đối thoại với Nhân dân",
                    "Dialogue conferences",
                    missing,
                    len(wards),
                    year,
                )
            )
    return out


# --- rows that do not add up to the total --------------------------------------------------------


@dataclass(frozen=True)
class Joined:
    """A unit that became part of the dashboard's unit after the period's first day: it has no
    row, but the unit's dossier counts hold its dossiers from ``on``."""

    code: str
    name: str
    on: dt.date
    # The code is a row's, held by the unit before this one until this day (codes are reused).
    row_until: dt.date | None = None
    row_name: str = ""  # that row's unit, the code's earlier holder

    @property
    def message_vi(self) -> str:
        text = f"{self.name} ({self.code}), từ {self.on:%d/%m/%Y}"
        if self.row_until is not None:
            text += (
                f" — dòng mã {self.code} là đơn vị giữ mã trước đó, đến hết "
                f"{self.row_until:%d/%m/%Y}"
            )
        return text

    @property
    def message_en(self) -> str:
        text = f"{self.name} ({self.code}), from {self.on:%d/%m/%Y}"
        if self.row_until is not None:
            text += (
                f" — the row of code {self.code} is the unit that held the code before, until "
                f"{self.row_until:%d/%m/%Y}"
            )
        return text


@dataclass(frozen=True)
class RowsNote:
    """Why a unit's rows may not add up to its own figures: the units in its dossier counts
    that have no row (:func:`joined_mid_period`), said under the rows wherever they are shown —
    the dashboard's page, the API's answer, the review's PDF and XLSX."""

    unit_name: str
    joined: tuple[Joined, ...]

    @property
    def message_vi(self) -> str:
        u = self.unit_name
        return (
            f"Các dòng là các đơn vị thuộc {u} ngày đầu kỳ, nên cộng lại có thể không bằng số "
            f"của {u}: số hồ sơ của {u} (tiếp nhận, giải quyết và các tỷ lệ) gồm cả hồ sơ của "
            f"các đơn vị sau, từ ngày đơn vị thuộc {u}; tồn cuối kỳ và đang quá hạn của {u} là "
            "tổng các dòng, không gồm các đơn vị này."
        )

    @property
    def message_en(self) -> str:
        u = self.unit_name
        return (
            f"The rows are the units of {u} on the period's first day, so they may not add up "
            f"to the figures of {u}: its dossier counts (received, resolved and the shares) also "
            f"hold the dossiers of the units below from the day each became part of {u}; its "
            "backlog at end and overdue now are the sum of the rows, without these units."
        )


@dataclass(frozen=True)
class EndedNote:
    """Why "overdue now" is "—" (None) for a unit, or for some of its wards: their unit ended
    (the 2025 arrangement, Resolution 1656/NQ-UBTVQH15: the pilot wards' last day was 30 June
    2025) and the arrangement moved its open dossiers to the units that took it over
    (``units.reorganisation``), so a live count there does not apply — it is not 0
    (``dashboards.periods.PeriodData.ended_wards``). Said wherever the figure is shown: the
    dashboard's page, the API's answer, the review's PDF and XLSX. With ``petitions``, the same
    of the voter petitions overdue now (``petitions_overdue_now``): the arrangement handed the
    unanswered ones to the units that answer them (``oversight.reorganisation``)."""

    unit_name: str
    ward: bool  # the unit itself is the ended ward; else ``wards`` of its pilot wards ended
    wards: int
    last_day: dt.date
    petitions: bool = False

    @property
    def message_vi(self) -> str:
        d = f"{self.last_day:%d/%m/%Y}"
        work, figure = (
            ("kiến nghị cử tri chưa được trả lời", "“Kiến nghị cử tri đang quá hạn trả lời”")
            if self.petitions
            else ("hồ sơ đang giải quyết", "“Đang quá hạn”")
        )
        if self.ward:
            return (
                f"{self.unit_name} đã kết thúc ngày {d}; {work} của đơn vị đã chuyển sang các "
                f"đơn vị tiếp nhận, nên {figure} (số liệu tại thời điểm xem) không áp "
                "dụng (—), không phải 0."
            )
        return (
            f"{self.wards} phường thí điểm của {self.unit_name} đã kết thúc (ngày cuối: {d}); "
            f"{work} của các phường đã chuyển sang các đơn vị tiếp nhận, nên {figure} (số liệu "
            "tại thời điểm xem) không áp dụng với các phường này (—), không phải 0."
        )

    @property
    def message_en(self) -> str:
        d = f"{self.last_day:%d/%m/%Y}"
        work, figure = (
            ("unanswered voter petitions", "“Voter petitions overdue now”")
            if self.petitions
            else ("open dossiers", "“Overdue now”")
        )
        if self.ward:
            return (
                f"{self.unit_name} ended on {d}; its {work} moved to the units that took it "
                f"over, so {figure} (a figure at the time of viewing) does not apply (—); it is "
                "not 0."
            )
        return (
            f"{self.wards} pilot ward(s) of {self.unit_name} ended (last day: {d}); their {work} "
            f"moved to the units that took them over, so {figure} (a figure at the time of "
            "viewing) does not apply to them (—); it is not 0."
        )


def ended_note(data: PeriodData, unit: UnitRef, *, petitions: bool = False) -> EndedNote | None:
    """The note on "overdue now" (with ``petitions``: of voter petitions) of ``unit`` and its
    rows, or None when it applies to every ward of theirs."""
    if petitions and (data.petitions is None or not data.recorded_wards(unit.code, "petitions")):
        return None  # the figure is "no data" there, not "does not apply"
    ended = data.ended_wards(unit.code, petitions=petitions)
    if not ended:
        return None
    return EndedNote(
        unit.name, unit.level == WARD, len(ended), max(ended.values()), petitions=petitions
    )


def rows_note(unit_name: str, joined: list[Joined]) -> RowsNote | None:
    """The note under ``unit_name``'s rows, or None when every unit of its counts has a row."""
    return RowsNote(unit_name, tuple(joined)) if joined else None


def joined_mid_period(scope: Scope, unit_code: str, start: dt.date, end: dt.date) -> list[Joined]:
    """The units of ``unit_code`` on some day of (start, end] that are not its rows.

    The rows are the units of ``unit_code`` on the period's first day (``scope``); a district's
    or the city's dossier counts are grouped with the mapping of each day (``monitoring.groups``),
    so a ward formed mid-period (Phường Văn Miếu Quốc Tử Giám, which took code 00181 on
    1 January 2025, in the arrangement of that day: DOMAIN.md §2) counts in its district's total from its first
    day and in no row: the rows add up to less. Codes are reused, so a unit is its code and its
    hold (``units.selectors.holdings``), not the code alone. The scope changes only on the
    mapping's era days (``groups.era_starts``): the scope of each such day is compared."""
    from cqdt.monitoring import groups
    from cqdt.units import selectors as unit_selectors

    days = [day for day in groups.era_starts() if start < day <= end]
    if not days:
        return []
    row_names = {c.code: c.name for c in scope.children(unit_code)}
    rows = set(row_names)
    later_children = {
        day: later.children(unit_code)
        for day in days
        if unit_code in (later := scope_on(day)).by_code
    }
    # The holdings of the rows and of every era day's units, read once (two queries).
    read = unit_selectors.held_codes(
        rows | {c.code for children in later_children.values() for c in children}
    )
    first = read.on(scope.on, rows)
    found: dict[tuple[str, dt.date | None], Joined] = {}
    for day, children in later_children.items():
        held = read.on(day, [c.code for c in children])
        for child in children:
            mine = held.get(child.code)
            since = mine.valid_from if mine is not None else None
            was = first.get(child.code)
            if child.code in rows and (was is None or mine is None or was.valid_from == since):
                continue
            until = was.last_day if child.code in rows and was is not None else None
            earlier = row_names[child.code] if until is not None else ""
            found.setdefault(
                (child.code, since), Joined(child.code, child.name, day, until, earlier)
            )
    return sorted(found.values(), key=lambda j: (j.on, j.name))
