"""The answers of the monitoring API, typed (issue 11, item 5): the JSON is the one of api.py.

Numbers keep the type they are computed in (``int | float``: 20 stays 20, 0.5 stays 0.5);
``null`` where there is no data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from cqdt.core.schemas import Bilingual, Text, bilingual

Number = float | int


class MonitoredUnit(Schema):
    code: Text
    name: Text
    level: Text


class ChildFigures(Schema):
    unit: MonitoredUnit
    figures: dict[str, Any]


class EarlierHolder(Schema):
    """The row of a reused code: the unit that held it before a unit that joined mid-period."""

    code: Text
    name: Text
    until: dt.date = Field(description="Its last day holding the code.")


class JoinedOut(Schema):
    """A unit that became part of the unit after the period's first day, read from
    ``dashboards.Joined``: in the unit's dossier counts from ``from``, in no row of
    ``children``."""

    code: Text
    name: Text
    start: dt.date = Field(alias="from", description="The first day it counts in the unit.")
    earlier_holder: EarlierHolder | None = Field(
        description="The row under the same code, the unit that held it before (codes are "
        "reused); null when no row has the code."
    )
    message: Bilingual

    # Resolved by its alias: pydantic asks the object for "from" (``populate_by_name`` is off).
    @staticmethod
    def resolve_from(j: Any) -> dt.date:
        day: dt.date = j.on
        return day

    @staticmethod
    def resolve_earlier_holder(j: Any) -> dict[str, Any] | None:
        if j.row_until is None:
            return None
        return {"code": j.code, "name": j.row_name, "until": j.row_until}

    @staticmethod
    def resolve_message(j: Any) -> dict[str, str]:
        return bilingual(j, "message")


class NotApplicableOut(Schema):
    """An indicator that does not apply to the unit (decision 0024), read from
    ``applicability.NotApplicable``: its figure is null and means "không áp dụng", not "no
    data"."""

    indicator: Text
    question: Text = Field(description="The pilot-model question it answers.")
    message: Bilingual = Field(description="Why it does not apply to this unit.")
    legal_basis: Text

    @staticmethod
    def resolve_message(x: Any) -> dict[str, str]:
        return bilingual(x, "message")


class _PeriodSaid(Schema):
    """Read a period's days (``from``, ``to``) and what is said of them (``message``) from a
    finding with ``start``, ``end`` and ``message_vi``/``message_en``: the days of an asked
    period after the pilot's last day (``dashboards.LaterPart``, ``LaterSuccessors``), a period
    with nothing recorded (``dashboards.NothingRecorded``)."""

    @staticmethod
    def resolve_from(x: Any) -> dt.date:
        day: dt.date = x.start
        return day

    @staticmethod
    def resolve_to(x: Any) -> dt.date:
        day: dt.date = x.end
        return day

    @staticmethod
    def resolve_message(x: Any) -> dict[str, str]:
        return bilingual(x, "message")


class LaterPartOut(_PeriodSaid):
    """The part of the asked period after the pilot's last day, answered apart for the unit
    holding the code from then (decision 0024), read from ``dashboards.LaterPart``."""

    unit: MonitoredUnit
    start: dt.date = Field(alias="from", description="The day after the pilot's last day.")
    end: dt.date = Field(alias="to", description="The last day asked.")
    message: Bilingual

    @staticmethod
    def resolve_unit(x: Any) -> dict[str, str]:
        r = x.unit.ref
        return {"code": r.code, "name": r.name, "level": x.unit.division_type}


class SuccessorOut(Schema):
    """A today's unit that took a pilot ward over (``dashboards.LaterSuccessors``)."""

    unit: MonitoredUnit
    share: Text = Field(description="whole or part: the share of the ward it took.")

    @staticmethod
    def resolve_unit(x: Any) -> dict[str, str]:
        r = x[0].ref
        return {"code": r.code, "name": r.name, "level": x[0].division_type}

    @staticmethod
    def resolve_share(x: Any) -> str:
        return str(x[1])


class LaterSuccessorsOut(_PeriodSaid):
    """The part of the asked period after the pilot's last day of a pilot ward whose code no
    unit took: the units that took the ward over, each to be asked on its own (decision 0024),
    read from ``dashboards.LaterSuccessors``."""

    units: list[SuccessorOut]
    start: dt.date = Field(alias="from", description="The day after the pilot's last day.")
    end: dt.date = Field(alias="to", description="The last day asked.")
    message: Bilingual


class UnitIndicators(Schema):
    unit: MonitoredUnit
    start: dt.date = Field(alias="from", description="First day of the period.")
    end: dt.date = Field(alias="to", description="Last day of the period, inclusive.")
    definitions_version: int
    figures: dict[str, Any] = Field(description="Indicator code → value; null: no data.")
    children: list[ChildFigures]
    joined_mid_period: list[JoinedOut] = Field(
        description="Units that became part of the unit after the period's first day: their "
        "dossiers are in the unit's counts (received, resolved and the shares) from that day, "
        "but they have no row in children, so the rows may not add up to figures. Empty when "
        "the units did not change in the period."
    )
    rows_note: Bilingual | None = Field(
        description="The sentence said under the rows when joined_mid_period is not empty."
    )
    overdue_note: Bilingual | None = Field(
        description="Why figures.overdue_now (or a child's) is null: the unit, or some of its "
        "wards, ended before today and the arrangement moved their open dossiers to the units "
        "that took them over, so a live count does not apply there (it is not 0). null when "
        "overdue_now applies to every ward."
    )
    petitions_overdue_note: Bilingual | None = Field(
        description="Why figures.petitions_overdue_now (or a child's) is null although the "
        "unit's petitions are recorded: the unit, or some of its wards, ended before today and "
        "the arrangement handed their unanswered voter petitions to the units that answer them "
        "(counted there), so a live count does not apply (it is not 0). null when it applies "
        "to every ward, or when the petitions are not recorded (the figure is then no data).",
    )
    not_applicable: list[NotApplicableOut] = Field(
        default_factory=list,
        description="The indicators that do not apply to the unit (their figures are null and "
        "mean “không áp dụng”, not “no data”): the pilot-model questions for a commune-level "
        "unit with its own People's Council, asked for a period after the pilot "
        "(docs/decisions/0024). Empty for the pilot's units.",
    )
    later_part: LaterPartOut | None = Field(
        default=None,
        description="When the period asked runs past the pilot's last day and the answer was "
        "cut there (``to``), the rest of it: the unit holding the code from the next day and "
        "that part's days, to be asked on its own — never added to these figures "
        "(docs/decisions/0024). null otherwise, and for a district; for the city the later "
        "part is the city itself, asked from that day (its communes' and wards' own figures).",
    )
    later_successors: LaterSuccessorsOut | None = Field(
        default=None,
        description="When the period asked of a pilot ward runs past the pilot's last day and "
        "no unit holds its code from the next day (later_part is null): the units that took "
        "the ward over on that day through the units' succession links, each with its share "
        "(whole, part), and that part's days — each unit to be asked on its own, never added "
        "to these figures nor split among them (docs/decisions/0024). null otherwise.",
    )
    computed_at: dt.datetime


class ComponentOut(Schema):
    """One component of a group, read from ``formulas.ComponentScore``."""

    component: Text
    weight: Number
    sourced: bool = Field(
        description="false: the platform has no data source for it (“chưa có nguồn đo”, "
        "no data source); it is never measured."
    )
    measured: bool = Field(
        description="false: no data source (sourced: false), or no data that month "
        "(“chưa có dữ liệu”); left out of the measured weight either way."
    )
    value: Number | None
    points: Number | None

    @staticmethod
    def resolve_component(c: Any) -> str:
        return str(c.code)

    @staticmethod
    def resolve_measured(c: Any) -> bool:
        return c.points is not None


class GroupOut(Schema):
    """One group of the index, read from ``formulas.GroupScore``."""

    group: Text
    weight: Number
    sourced: bool = Field(
        description="false: none of its components has a data source (“chưa có nguồn đo”)."
    )
    points: Number | None = Field(
        description="null: no data source (sourced: false), or no data that month "
        "(“chưa có dữ liệu”), never 0."
    )
    measured_weight: Number
    components: list[ComponentOut]

    @staticmethod
    def resolve_group(g: Any) -> str:
        return str(g.code)


class MonthOut(Schema):
    """One month's score, read from ``selectors.MonthIndex``."""

    # The API answers a MonthIndex's month beside its score's fields (``api.unit_index``).

    month: dt.date
    points: Number | None = Field(description="null when nothing was measured that month, never 0.")
    measured_weight: Number
    total_weight: Number
    score: Number | None = Field(description="0–100 over the measured weight.")
    grade: Text | None
    groups: list[GroupOut]


class UnitIndex(Schema):
    unit: MonitoredUnit
    months: list[MonthOut]


class FlagOut(Schema):
    """One shortcoming, read from ``formulas.Flag``."""

    rule: Text
    unit_code: Text
    label: Bilingual
    evidence: dict[str, Any]
    threshold: dict[str, Any]
    message: Bilingual

    @staticmethod
    def resolve_label(x: Any) -> dict[str, str]:
        return bilingual(x, "label")

    @staticmethod
    def resolve_message(x: Any) -> dict[str, str]:
        return bilingual(x, "message")


class NothingRecordedOut(_PeriodSaid):
    """The period read has nothing recorded for the unit (``dashboards.NothingRecorded``): no
    dossier, feedback report, voter petition or dialogue conference at any of its wards, so the
    rules on the period's activity had nothing to check — an empty ``flags`` is no data, not
    "no shortcoming found"; a flag is then one of the rules on standing records (staff in post
    against the population, a year's conferences), and ``message`` says so."""

    start: dt.date = Field(alias="from", description="First day of the period read.")
    end: dt.date = Field(alias="to", description="Last day of the period read, inclusive.")
    last_recorded_day: dt.date | None = Field(
        description="The last day before the period with a dossier or a feedback report "
        "recorded for the unit; null: none."
    )
    next_recorded_day: dt.date | None = Field(
        description="The first day after the period with one; null: none."
    )
    message: Bilingual

    @staticmethod
    def resolve_last_recorded_day(x: Any) -> dt.date | None:
        day: dt.date | None = x.last_before
        return day

    @staticmethod
    def resolve_next_recorded_day(x: Any) -> dt.date | None:
        day: dt.date | None = x.next_after
        return day


class UnitShortcomings(Schema):
    unit: MonitoredUnit
    flags: list[FlagOut] = Field(
        description="The shortcomings the rules flag on recorded evidence. Empty with "
        "nothing_recorded null: checked, none found; empty with nothing_recorded set: no data."
    )
    nothing_recorded: NothingRecordedOut | None = Field(
        None,
        description="Set when nothing is recorded for the unit in the period read (its days, "
        "the nearest recorded days, the sentence the pages show); null when something is and "
        "the rules checked it.",
    )
    not_applicable: list[NotApplicableOut] = Field(
        default_factory=list,
        description="The shortcoming rules that do not apply to the unit (``indicator``: the "
        "rule's code): the pilot-model rules for a commune-level unit with its own People's "
        "Council, asked for a period after the pilot (docs/decisions/0024). Empty for the "
        "pilot's units.",
    )


class IndicatorDefinition(Schema):
    code: Text
    version: int
    name: Text
    name_en: Text
    unit: Text
    definition: Text
    definition_en: Text


class IndexComponentSpec(Schema):
    code: Text
    weight: Number
    measure: Text | None = Field(
        description="The figure it is measured by; null: the platform has no data source for it "
        "(“chưa có nguồn đo”)."
    )
    label_vi: Text
    label_en: Text


class IndexGroupSpec(Schema):
    group: Text
    weight: Number
    label_vi: Text
    label_en: Text
    source: Text
    components: list[IndexComponentSpec]


class GradeOut(Schema):
    start: Number = Field(alias="from", description="The lowest score of the grade.")
    grade: Text
    vi: Text
    en: Text


class Definitions(Schema):
    on: dt.date
    indicators: list[IndicatorDefinition]
    index_groups: list[IndexGroupSpec]
    grades: list[GradeOut]
    thresholds: dict[str, dict[str, Any]]


class Assumption(Schema):
    vi: Text
    en: Text


class Evaluation(Schema):
    """A difference in differences (``monitoring.evaluation``): ``effect`` and ``ci`` are a share
    (−0.1 = 10% less) for processing time and cost per dossier, a change of the share (0–1) for
    on-time returns and points (1–5) for satisfaction; ``null`` with ``reason`` when the data
    cannot identify it. ``simulated``: the figures are demo data, not records."""

    unit: MonitoredUnit
    indicator: Text
    start: dt.date = Field(..., alias="from")
    end: dt.date = Field(..., alias="to")
    data: Text = Field(..., description="recorded or simulated.")
    simulated: bool
    pilot_start: dt.date
    scale: Text
    effect: float | None
    ci: list[float] | None = Field(..., description="95% interval of the effect.")
    beta: float | None = Field(..., description="Coefficient on the fitted scale.")
    se: float | None = Field(..., description="Cluster-robust (CR1, by unit) standard error.")
    df: int | None
    n_cells: int
    n_records: int
    n_pilot_units: int
    n_comparison_units: int
    missing_cells: int
    excluded_units: int
    reason: Text
    assumptions: list[Assumption]
