"""Staff pages of the registers that explain the shortcomings (issue 15, item 3), under
/staff/monitoring/: acts still decided above the ward, the recommendations, the sector-law
conflicts (per unit) and the implementation plan's tasks (city-wide, by owner unit in scope).

Who sees what is the monitoring's rule (``page_scope.may_view``: the city page needs the city's
own posts or an administrator, a district its own, a ward itself; councillors read their
district). The forms show only to those who may write (``registers_access.may_record*``, the
API's check too); a post by anyone else is refused with the same check in the view, and every
write is audited in its service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms as dj_forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cqdt.core.audit import Actor
from cqdt.core.web_errors import form_saved
from cqdt.monitoring import definitions as d
from cqdt.monitoring import forms, registers, selectors
from cqdt.monitoring import plan as plan_register
from cqdt.monitoring.page_scope import (
    may_view,
    period_context,
    period_or_default,
    period_params,
    top_unit,
    viewable,
    visible_codes,
)
from cqdt.monitoring.registers import DEVOLUTION_FIELDS
from cqdt.monitoring.registers_access import may_record, may_record_devolution, refused
from cqdt.procedures.selectors import procedures_on

ABOVE = ("district", "city")

# The forms' fields each service takes, named: a form's data never reaches a service whole, so a
# field later added to a form under a service-only keyword (``core.keywords.SERVICE_ONLY``: actor,
# now, is_demo...) is not passed on unreviewed. A devolution's are ``registers.DEVOLUTION_FIELDS``.
RAISE_FIELDS = ("rule", "unit_code", "raised_on", "shortcoming", "proposal")
ANSWER_FIELDS = ("version", "status", "adjustment", "instrument", "instrument_date", "changed")
TASK_FIELDS = ("task", "owner_unit_code", "owner", "deadline")
PROGRESS_FIELDS = ("version", "status", "done_on", "evidence")


def _named(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The cleaned ``data``'s ``fields``, by name (an optional field left empty: None)."""
    return {name: data.get(name) for name in fields}


def _on(request: HttpRequest, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat((request.GET.get("on") or "")[:10])
    except ValueError:
        return default


def _page(request: HttpRequest, code: str) -> dict[str, Any]:
    """The unit (404 when out of scope) and the period the monitoring nav carries."""
    start, end = period_or_default(request)
    ref = viewable(request, code[:8], start)
    parent = None
    match = request.resolver_match
    if ref.parent and match is not None:
        parent_ref = selectors.scope_on(start).unit(ref.parent)
        if may_view(request, parent_ref):
            url = reverse(match.view_name, args=[parent_ref.code])
            parent = {"unit": parent_ref, "url": f"{url}?{period_params(start, end)}"}
    return {
        "unit": ref,
        "parent": parent,
        **period_context(start, end),
        "lang": translation.get_language() or "vi",
    }


def _choices(form: Any, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, dj_forms.ChoiceField)
    field.choices = choices


def _ward_choices(scope: selectors.Scope, code: str) -> list[tuple[str, str]]:
    unit = scope.unit(code)
    out = [(unit.code, unit.name)] if unit.level != selectors.CITY else []
    out += [(w.code, w.name) for w in scope.wards_of(code) if w.code != unit.code]
    return out


@login_required
@require_http_methods(["GET", "POST"])
def decentralisation(request: HttpRequest, code: str) -> HttpResponse:
    """Acts each ward still needs the district or the city to decide: at a date (``?on=``, by
    default the period's last day) and at the end of each month of the period."""
    ctx = _page(request, code)
    unit, start, end = ctx["unit"], ctx["start"], ctx["end"]
    on = _on(request, end)
    scope = selectors.scope_on(start)
    can_write = may_record_devolution(request.user, unit.code)
    form = None
    status: int | None = 200
    if can_write:
        form = forms.DevolutionForm(request.POST if request.method == "POST" else None)
        _choices(
            form,
            "procedure_slug",
            [(p.slug, p.name) for p in procedures_on(on).filter(competent_level__in=ABOVE)],
        )
        _choices(form, "unit_code", _ward_choices(scope, unit.code))
        if request.method == "POST":
            status = form_saved(
                form,
                lambda data: registers.devolution_record(
                    actor=Actor.of(request.user), **_named(data, DEVOLUTION_FIELDS)
                ),
            )
            if status is None:
                return redirect(request.get_full_path())
    elif request.method == "POST":
        raise refused("ghi quyết định phân cấp, ủy quyền", "record devolutions")
    at = registers.approval_above(scope, unit.code, on)
    by_month = registers.approval_above_by_month(scope, unit.code, start, end)
    months = sorted(by_month)
    names = {p.slug: p.name for p in procedures_on(on).filter(competent_level__in=ABOVE)}
    rows = [
        {
            "ward": scope.by_code[x.ward],
            "count": x.count,
            "above": [names.get(s, s) for s in x.above],
            "devolved": [names.get(s, s) for s in x.devolved],
            "series": [by_month[m].get(x.ward) for m in months],
        }
        for x in at
    ]
    ctx.update(
        {
            "on": on,
            "rows": rows,
            "months": months,
            "decided_above": len(names),
            "devolutions": registers.devolutions_for(scope, unit.code)[:50],
            "form": form,
        }
    )
    return render(request, "monitoring/registers_decentralisation.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def recommendations(request: HttpRequest, code: str) -> HttpResponse:
    """Shortcoming → proposal → the adjustment that answered it (with its instrument, date and
    what it changed). The Department of Home Affairs records and answers them."""
    ctx = _page(request, code)
    unit = ctx["unit"]
    scope = selectors.scope_on(ctx["start"])
    can_write = may_record(request.user, unit.code)
    if request.method == "POST" and not can_write:
        raise refused("ghi kiến nghị", "record recommendations")
    en = ctx["lang"].startswith("en")
    rule_choices = [(r.code, r.label_en if en else r.label_vi) for r in d.SHORTCOMING_RULES]
    rule_choices.append(("other", str(_("Khác"))))
    form = answer = None
    status: int | None = 200
    answered_id = ""
    if can_write:
        posted = request.POST if request.method == "POST" else None
        is_answer = bool(posted and posted.get("recommendation"))
        form = forms.RecommendationForm(None if is_answer else posted)
        _choices(form, "rule", rule_choices)
        city = [(unit.code, unit.name)] if unit.level == selectors.CITY else []
        _choices(form, "unit_code", [*city, *_ward_choices(scope, unit.code)])
        if is_answer:
            answer = forms.AnswerForm(posted)
            answered_id = str(posted.get("recommendation", ""))[:40] if posted else ""

            def answer_save(cleaned: dict[str, Any]) -> None:
                row = registers.recommendation_by_public_id(cleaned["recommendation"])
                if row.unit_code not in {unit.code, *(w.code for w in scope.wards_of(unit.code))}:
                    raise registers.recommendation_not_found()
                registers.recommendation_answer(
                    actor=Actor.of(request.user), pk=row.pk, **_named(cleaned, ANSWER_FIELDS)
                )

            status = form_saved(answer, answer_save)
        elif posted is not None:
            status = form_saved(
                form,
                lambda data: registers.recommendation_raise(
                    actor=Actor.of(request.user), **_named(data, RAISE_FIELDS)
                ),
            )
        if status is None:
            return redirect(request.get_full_path())
    rows = []
    labels = dict(rule_choices)
    for r in registers.recommendations_of(scope, unit.code):
        row_answer = None
        if can_write and r.status == "open":
            if answer is not None and answered_id == str(r.public_id):
                row_answer = answer
            else:
                row_answer = forms.AnswerForm(
                    initial={"recommendation": str(r.public_id), "version": r.version},
                    prefix=None,
                )
        rows.append(
            {
                "r": r,
                "rule": labels.get(r.rule, r.rule),
                "unit_name": scope.by_code[r.unit_code].name
                if r.unit_code in scope.by_code
                else r.unit_code,
                "answer": row_answer,
            }
        )
    ctx.update({"rows": rows, "form": form})
    return render(request, "monitoring/registers_recommendations.html", ctx, status=status)


@login_required
@require_http_methods(["GET"])
def law_conflicts(request: HttpRequest, code: str) -> HttpResponse:
    """The sector-law conflicts register, and how many of the unit's wards lack the actor the
    law names on the day (``?on=``, by default the period's last day)."""
    ctx = _page(request, code)
    on = _on(request, ctx["end"])
    rows = registers.law_conflicts_register(selectors.scope_on(on), ctx["unit"].code, on)
    ctx.update({"on": on, "rows": rows})
    return render(request, "monitoring/registers_law_conflicts.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    """The implementation plan's tasks the user may see (by owner unit) and the readiness on a
    day (``?on=``, today by default). The Department of Home Affairs enters and updates tasks."""
    top = top_unit(request)
    if top is None:
        raise Http404
    today = timezone.localdate()
    on = _on(request, today)
    visible = visible_codes(request)
    can_write = may_record(request.user, selectors.CITY_CODE)
    if request.method == "POST" and not can_write:
        raise refused("ghi nhiệm vụ kế hoạch", "record plan tasks")
    current = plan_register.current_plan()
    scope = selectors.scope_on(on)
    status: int | None = 200
    form = progress = None
    progress_id = ""
    if can_write and current is not None:
        posted = request.POST if request.method == "POST" else None
        is_progress = bool(posted and posted.get("task_id"))
        form = forms.PlanTaskForm(None if is_progress else posted)
        _choices(
            form,
            "owner_unit_code",
            (
                [(scope.city.code, scope.city.name)]
                + [(x.code, x.name) for x in scope.districts]
                + [
                    (
                        w.code,
                        f"{w.name} ({scope.by_code[w.parent].name if w.parent in scope.by_code else ''})",
                    )
                    for w in scope.wards_of(scope.city.code)
                ]
            ),
        )
        if is_progress:
            progress = forms.PlanProgressForm(posted)
            progress_id = str(posted.get("task_id", ""))[:40] if posted else ""
            status = form_saved(
                progress,
                lambda data: plan_register.plan_task_progress(
                    actor=Actor.of(request.user),
                    public_id=data["task_id"],
                    **_named(data, PROGRESS_FIELDS),
                ),
            )
        elif posted is not None:
            status = form_saved(
                form,
                lambda data: plan_register.plan_task_record(
                    actor=Actor.of(request.user), plan=current, **_named(data, TASK_FIELDS)
                ),
            )
        if status is None:
            return redirect(request.get_full_path())
    tasks = plan_register.tasks_visible(current, visible) if current else []
    rows = []
    for t in tasks:
        row_form = None
        if can_write:
            if progress is not None and progress_id == str(t.public_id):
                row_form = progress
            else:
                row_form = forms.PlanProgressForm(
                    initial={
                        "task_id": str(t.public_id),
                        "version": t.version,
                        "status": t.status,
                        "done_on": t.done_on,
                        "evidence": t.evidence,
                    }
                )
        rows.append(
            {
                "t": t,
                "state": plan_register.state_on(t, on),
                "owner_name": scope.by_code[t.owner_unit_code].name
                if t.owner_unit_code in scope.by_code
                else t.owner_unit_code,
                "form": row_form,
            }
        )
    return render(
        request,
        "monitoring/registers_plan.html",
        {
            "plan": current,
            "on": on,
            "readiness": plan_register.readiness(tasks, on),
            "rows": rows,
            "form": form,
            "top": top,
        },
        status=status,
    )
