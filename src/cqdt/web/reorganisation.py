"""Console page of the arrangement plan for the city's Department of Home Affairs (dry run).

Shows what ``cqdt reorganise --date D`` would move where — counts by kind of work, the rule that
chose each successor, and every item left unresolved — for city-level users only, each of its
own province (the staff access policy: a city post sees its province, an administrator every
unit; another province's plan is the same 404 as the page to others). Applying stays a command (``--apply``), run by
an operator, so that a batch move of a whole city's work is never one click away.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from cqdt.staff.access import home_province_code, policy
from cqdt.units import reorganisation as reorg

DEFAULT_DATE = dt.date(2025, 7, 1)


@login_required
@require_safe
def plan_page(request: HttpRequest) -> HttpResponse:
    visible = policy.visible_unit_codes(request.user)
    province = (request.GET.get("province") or home_province_code(request.user))[:2]
    if visible is not None and province not in visible:
        raise Http404
    raw = request.GET.get("date", "")
    error = ""
    try:
        on = dt.date.fromisoformat(raw) if raw else DEFAULT_DATE
    except ValueError:
        on, error = DEFAULT_DATE, "Ngày không hợp lệ (YYYY-MM-DD). / Invalid date (YYYY-MM-DD)."
    the_plan = reorg.plan(on, province=province)
    counts = the_plan.counts()
    kinds = [
        {
            "kind": m.kind,
            "title": gettext(m.title),
            "move": counts.get(m.kind, {}).get(reorg.MOVE, 0),
            "end": counts.get(m.kind, {}).get(reorg.END, 0),
            "unresolved": counts.get(m.kind, {}).get(reorg.UNRESOLVED, 0),
        }
        for m in reorg.movers()
    ]
    english = (get_language() or "").startswith("en")
    rules = [
        {"rule": r, "count": n, "label": reorg.RULE_LABELS.get(r, (r, r))[1 if english else 0]}
        for r, n in sorted(the_plan.rules_used().items())
    ]
    unresolved = [m for m in the_plan.moves if m.action == reorg.UNRESOLVED][:200]
    units = [
        {
            "unit": u.unit,
            "successors": u.successors,
            "moves": sum(1 for m in u.moves if m.action == reorg.MOVE),
            "ends": sum(1 for m in u.moves if m.action == reorg.END),
        }
        for u in the_plan.units
        if u.moves
    ]
    status = 400 if error else 200
    return render(
        request,
        "web/reorganisation.html",
        {
            "on": on,
            "province": province,
            "error": error,
            "plan": the_plan,
            "kinds": kinds,
            "rules": rules,
            "unresolved": unresolved,
            "units": units,
        },
        status=status,
    )
