"""/api/v1/monitoring: indicators, the Decision 766 index and the shortcomings, by unit and period.

Staff only (session or bearer token); a unit outside the caller's scope answers the same 404 as
a unit that does not exist. Values are numbers (shares as 0–1), ``null`` where there is no data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.errors import DomainError, NotFound
from cqdt.core.records import fields_of
from cqdt.core.schemas import bilingual
from cqdt.monitoring import comparison, dashboards, schemas, selectors
from cqdt.monitoring import definitions as d
from cqdt.monitoring.selectors.context_reads import calendar_span
from cqdt.staff.access import policy

router = Router(auth=STAFF_AUTH)


class PeriodQuery(Schema):
    start: dt.date = Field(..., alias="from", description="First day (YYYY-MM-DD).")
    end: dt.date = Field(..., alias="to", description="Last day (YYYY-MM-DD), inclusive.")


def _not_in_scope() -> NotFound:
    """A unit outside the caller's scope: the same 404 as a unit that does not exist."""
    return NotFound(
        "Không tìm thấy đơn vị trong phạm vi theo dõi.",
        "No such unit in the monitoring scope.",
        code="unit_not_found",
    )


def _unit(request: HttpRequest, code: str, start: dt.date) -> selectors.UnitRef:
    missing = _not_in_scope()
    try:
        unit = selectors.scope_on(start).unit(code[:8])
    except DomainError:
        raise missing from None
    if not policy.can_see(request.user, unit.code):
        raise missing
    return unit


def _period(q: PeriodQuery, *, cut: bool = True) -> tuple[dt.date, dt.date]:
    """The period read: the one asked for, cut at the pilot's last day unless ``cut`` is
    False (a today's unit, decision 0024), inside the working-day calendar."""
    if q.end < q.start or (q.end - q.start).days > 366 * 5:
        from cqdt.core.errors import InvalidInput

        raise InvalidInput(
            "Kỳ không hợp lệ (tối đa 5 năm, ngày cuối không trước ngày đầu).",
            "Invalid period (at most 5 years, the end not before the start).",
            field="to",
        )
    # The period read: checked below.
    start, end = dashboards.within_pilot(q.start, q.end) if cut else (q.start, q.end)
    first, last = calendar_span()
    if start < first or end > last:
        from cqdt.core.errors import InvalidInput

        raise InvalidInput(
            f"Kỳ nằm ngoài lịch ngày làm việc của hệ thống ({first:%d/%m/%Y} – {last:%d/%m/%Y}).",
            f"The period is outside the platform's working-day calendar ({first} – {last}).",
            field="from" if start < first else "to",
        )
    return start, end


def _brief(unit: selectors.UnitRef) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "level": unit.level}


def _today(
    request: HttpRequest, code: str, q: PeriodQuery
) -> tuple[dashboards.TodayUnit, dt.date, dt.date] | None:
    """A commune-level unit with its own council asked for a period after the pilot
    (``dashboards.today_unit``; decision 0024) and the period read (asked, not cut); None for
    any other unit or period (the pilot's answer)."""
    unit = dashboards.today_unit(code[:8], q.start)
    if unit is None:
        return None
    if not policy.can_see(request.user, unit.ref.code):
        raise _not_in_scope()
    return (unit, *_period(q, cut=False))


def _today_brief(unit: dashboards.TodayUnit) -> dict[str, Any]:
    return {"code": unit.ref.code, "name": unit.ref.name, "level": unit.division_type}


def _today_answer(request: HttpRequest, code: str, q: PeriodQuery) -> dict[str, Any] | None:
    """A today's unit's own figures over the period asked, the pilot-model indicators not
    applicable (:func:`_today`); None for any other unit or period."""
    found_unit = _today(request, code, q)
    if found_unit is None:
        return None
    unit, start, end = found_unit
    found = dashboards.today_figures(unit, start, end, now=timezone.now())
    return _indicators(
        _today_brief(unit), start, end, found.figures, [], not_applicable=found.not_applicable
    )


def _city_today(
    request: HttpRequest, code: str, q: PeriodQuery
) -> tuple[selectors.UnitRef, dashboards.CityUnits, dt.date, dt.date] | None:
    """The city asked from a day after the pilot's last (decision 0024): the city, its
    communes and wards of that day (``dashboards.city_today_units``) and the period read
    (asked, not cut); None for any other unit or period (the pilot's answer)."""
    if (asked := dashboards.city_today_asked(code, q.start)) is None:
        return None
    city, units = asked
    if city is None or not policy.can_see(request.user, city.ref.code):
        raise _not_in_scope()
    return (city.ref, units, *_period(q, cut=False))


def _city_today_answer(request: HttpRequest, code: str, q: PeriodQuery) -> dict[str, Any] | None:
    """The city asked from a day after the pilot's last (decision 0024): its communes and
    wards of that day as children, each with its own figures (``dashboards.city_today``); the
    city's figures their sum. None for any other unit or period (the pilot's answer)."""
    if (asked := _city_today(request, code, q)) is None:
        return None
    city, units, start, end = asked
    found = dashboards.city_today(city, units, start, end, now=timezone.now())
    return _indicators(
        _brief(city),
        start,
        end,
        found.figures,
        [{"unit": _today_brief(r.unit), "figures": r.figures} for r in found.rows],
        rows_note=dashboards.CITY_ROWS_NOTE,
        not_applicable=found.not_applicable,
    )


def _indicators(
    unit: dict[str, Any],
    start: dt.date,
    end: dt.date,
    figures: dict[str, Any],
    children: list[dict[str, Any]],
    *,
    joined_mid_period: Iterable[Any] = (),
    rows_note: dict[str, str] | None = None,
    overdue_note: dict[str, str] | None = None,
    petitions_overdue_note: dict[str, str] | None = None,
    not_applicable: Iterable[Any] = (),
    **later: Any,
) -> dict[str, Any]:
    """``schemas.UnitIndicators``' answer: the unit, the period read, the definitions' version,
    the figures and the children's rows; the units joined mid-period and the notes where the
    pilot's answer has them (a today's unit and the city after the pilot: none but the city's
    rows note), ``not_applicable`` where the pilot-model indicators do not apply (decision
    0024), and the pilot's ``later`` part and successors where the period runs past it."""
    return {
        "unit": unit,
        "from": start,
        "to": end,
        "definitions_version": d.DEFINITIONS_VERSION,
        "figures": figures,
        "children": children,
        "joined_mid_period": list(joined_mid_period),  # schemas.JoinedOut
        "rows_note": rows_note,
        "overdue_note": overdue_note,
        "petitions_overdue_note": petitions_overdue_note,
        "not_applicable": list(not_applicable),  # schemas.NotApplicableOut
        **later,
        "computed_at": timezone.now(),
    }


@router.get("/units/{code}", response=schemas.UnitIndicators, by_alias=True)
def unit_indicators(request: HttpRequest, code: str, q: Query[PeriodQuery]) -> dict[str, Any]:
    """A unit's indicators for the period, and its districts' or wards' rows.

    A commune, ward or township with its own People's Council (Hà Nội's units from 1 July 2025)
    asked for a period from after the pilot's last day answers with its own figures, the
    pilot-model indicators listed in ``not_applicable`` (docs/decisions/0024). The city asked
    from such a day answers its communes and wards of that day as ``children``, each with its
    own figures, no district; its ``figures`` their sum (its own committee's voter petitions
    not read: null)."""
    if (today := _today_answer(request, code, q)) is not None:
        return today
    if (city := _city_today_answer(request, code, q)) is not None:
        return city
    start, end = _period(q)
    unit = _unit(request, code, start)
    dash = dashboards.dashboard(unit.code, start, end, with_flags=False)
    return _indicators(
        _brief(unit),
        start,
        end,
        dash.main.figures,
        [{"unit": _brief(r.unit), "figures": r.figures} for r in dash.rows],
        joined_mid_period=dash.joined,
        rows_note=bilingual(dash.rows_note, "message") if dash.rows_note else None,
        overdue_note=bilingual(dash.ended_note, "message") if dash.ended_note else None,
        petitions_overdue_note=(
            bilingual(dash.petitions_ended_note, "message") if dash.petitions_ended_note else None
        ),
        later_part=dashboards.later_part(unit.code, q.start, q.end),  # schemas.LaterPartOut
        later_successors=(  # schemas.LaterSuccessorsOut
            dashboards.later_successors(unit.code, q.start, q.end)
            if unit.level == selectors.WARD
            else None
        ),
    )


@router.get("/units/{code}/index", response=schemas.UnitIndex)
def unit_index(request: HttpRequest, code: str, q: Query[PeriodQuery]) -> dict[str, Any]:
    """The Decision 766 score by month, over the measured weight (components without data are
    ``measured: false`` and left out of the denominator; ``sourced: false`` tells a component
    the platform has no data source for from one with no data that month). A today's unit asked
    from after the pilot: its own months; the city asked so: its months on the sum of its
    communes' and wards' (decision 0024)."""
    score = ("points", "measured_weight", "total_weight", "score", "grade", "groups")
    if (today := _today(request, code, q)) is not None:  # decision 0024
        months = dashboards.today_index(*today)
        return {
            "unit": _today_brief(today[0]),
            "months": [{"month": m.month, **fields_of(m.score, *score)} for m in months],
        }
    if (city_today := _city_today(request, code, q)) is not None:  # decision 0024
        months = dashboards.city_today_index(*city_today).months
        return {
            "unit": _brief(city_today[0]),
            "months": [{"month": m.month, **fields_of(m.score, *score)} for m in months],
        }
    start, end = _period(q)
    unit = _unit(request, code, start)
    stamp = dashboards.prepared(unit.code, start, end)
    months = dashboards.index_by_month(
        selectors.scope_on(start), unit.code, start, end, stamp=stamp
    )
    return {
        "unit": _brief(unit),
        "months": [{"month": m.month, **fields_of(m.score, *score)} for m in months],
    }


@router.get("/units/{code}/shortcomings", response=schemas.UnitShortcomings, by_alias=True)
def unit_shortcomings(request: HttpRequest, code: str, q: Query[PeriodQuery]) -> dict[str, Any]:
    """The shortcomings the rules flag in the period, each with its evidence and threshold;
    ``nothing_recorded`` when nothing is recorded for the unit in it (an empty ``flags`` is then
    no data, not "no shortcoming"). A today's unit asked from after the pilot: the rules that
    apply to it, on its own figures, the pilot-model rules in ``not_applicable``; the city asked
    so: those of each of its communes and wards (decision 0024)."""
    if (today := _today(request, code, q)) is not None:
        found = dashboards.today_shortcomings(*today, now=timezone.now())
        unit = _today_brief(today[0])
    elif (city_today := _city_today(request, code, q)) is not None:
        found = dashboards.city_today_shortcomings(*city_today, now=timezone.now())
        unit = _brief(city_today[0])
    else:
        start, end = _period(q)
        ref = _unit(request, code, start)
        scope = selectors.scope_on(start)
        data = dashboards.unit_period_data(scope, ref.code, start, end, now=timezone.now())
        found = dashboards.findings(data, ref.code)
        unit = _brief(ref)
    return {
        "unit": unit,
        "flags": found.flags,  # schemas.FlagOut
        "nothing_recorded": found.nothing_recorded,  # schemas.NothingRecordedOut
        "not_applicable": found.not_applicable,
    }


class EvaluationQuery(Schema):
    unit: str = Field(..., description="City, district or ward code.")
    indicator: str = Field(
        "processing_time", description="processing_time, on_time, satisfaction or cost."
    )
    start: dt.date = Field(comparison.DEFAULT_FROM, alias="from", description="First day.")
    end: dt.date = Field(comparison.DEFAULT_TO, alias="to", description="Last day, inclusive.")
    data: str = Field(
        "recorded",
        description="recorded (the platform's and imported records) or simulated (demo data "
        "written by `cqdt simulate --comparison`); never mixed.",
    )


@router.get("/evaluation", response=schemas.Evaluation, by_alias=True)
def evaluation(request: HttpRequest, q: Query[EvaluationQuery]) -> dict[str, Any]:
    """The pilot's effect: its wards against the city's non-pilot communes, before and after
    1 July 2021 (difference in differences, 95% interval, the assumptions it needs)."""
    from cqdt.core.errors import InvalidInput

    if q.indicator not in comparison.INDICATORS:
        raise InvalidInput(
            "Chỉ số không hợp lệ (processing_time, on_time, satisfaction, cost).",
            "Unknown indicator (processing_time, on_time, satisfaction, cost).",
            field="indicator",
        )
    if q.data not in comparison.SOURCES:
        raise InvalidInput(
            "Loại dữ liệu không hợp lệ (recorded, simulated).",
            "Unknown kind of data (recorded, simulated).",
            field="data",
        )
    start, end = _period(PeriodQuery.model_validate({"from": q.start, "to": q.end}))
    unit = _unit(request, q.unit, d.PILOT_START)
    e = comparison.evaluate(unit.code, q.indicator, start, end, q.data)
    return {
        "unit": _brief(unit),
        "indicator": q.indicator,
        "from": start,
        "to": end,
        "data": q.data,
        "simulated": q.data == "simulated",
        **comparison.as_answer(e),
    }


@router.get("/definitions", response=schemas.Definitions, by_alias=True)
def definitions(request: HttpRequest, on: dt.date | None = None) -> dict[str, Any]:
    """The indicator definitions, index weights and thresholds in force on a day."""
    on = on or timezone.localdate()
    return {
        "on": on,
        "indicators": selectors.definitions_on(on),
        "index_groups": d.index_spec_as_data(selectors.index_groups_on(on)),
        "grades": [{"from": g[0], "grade": g[1], "vi": g[2], "en": g[3]} for g in d.GRADES],
        "thresholds": selectors.thresholds_on(on),
    }
