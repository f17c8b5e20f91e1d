"""The public procedure catalog: search, groups by field, a page per procedure.

Thin: the selectors search and group, ``disclosure`` decides what the public reads. Internal
research notes (the source read, remarks on unverified fees and times) are shown only to signed-in
staff: CQĐT has no citizen accounts (citizens follow a dossier by its code and secret), so a
signed-in user is an official, a deputy or an administrator.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cqdt.core.errors import InvalidInput
from cqdt.procedures import selectors
from cqdt.procedures.disclosure import public_fee_note
from cqdt.procedures.fields import field_label, submit_at
from cqdt.procedures.models import Procedure


def _is_staff(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated)


def _row(procedure: Procedure) -> dict[str, Any]:
    fee = public_fee_note(procedure.fee_note)
    return {
        "p": procedure,
        "fee_note": fee.text,
        "fee_unconfirmed": fee.unconfirmed,
        "time_unconfirmed": not procedure.verified,
    }


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    """``/procedures/?q=``: every procedure in force today, by field; ``q`` ignores diacritics."""
    q = (request.GET.get("q") or "").strip()[: selectors.MAX_QUERY]
    groups = selectors.catalog_groups(timezone.localdate(), q)
    return render(
        request,
        "procedures/catalog.html",
        {
            "q": q,
            "groups": [
                {"code": g.code, "label": g.label, "rows": [_row(p) for p in g.procedures]}
                for g in groups
            ],
            "found": sum(len(g.procedures) for g in groups),
            "staff": _is_staff(request),
        },
    )


def conflict_flags(slug: str) -> list[dict[str, str]]:
    """The sector-law conflicts register's entries for the procedure (issue 15, item 3): a law
    that gives it to a ward council or to the committee as a collective — actors a ward without
    a council, under the head-of-unit regime, does not have (``procedures.rules``). An entry whose
    article was not read says so ("chưa kiểm chứng")."""
    en = (translation.get_language() or "vi").startswith("en")
    flags = []
    for note in selectors.law_conflicts([slug]):
        law = f"{note.law}, {note.article}" if note.article else note.law
        actor = note.actor_en if en else note.actor_vi
        text = _(
            "%(law)s giao việc này cho %(actor)s — chủ thể không có ở phường không tổ chức Hội "
            "đồng nhân dân, Ủy ban nhân dân làm việc theo chế độ thủ trưởng (Nghị quyết "
            "97/2019/QH14, Nghị định 32/2021/NĐ-CP)."
        ) % {"law": law, "actor": actor}
        if not note.verified:
            text += " " + _("(chưa kiểm chứng: điều khoản chưa được đối chiếu với văn bản)")
        flags.append({"label": _("Xung đột luật chuyên ngành:"), "text": text, "href": ""})
    return flags


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """``/procedures/<code>/``: documents, fees, time, legal basis, where to submit, the form."""
    today = timezone.localdate()
    try:
        procedure = selectors.procedure_on(slug, today)
    except InvalidInput:
        raise Http404 from None
    row = _row(procedure)
    return render(
        request,
        "procedures/detail.html",
        {
            **row,
            "field_name": field_label(procedure.field),
            "submit_at": submit_at(procedure.competent_level, procedure.sign_act, today),
            "required": [d for d in procedure.required_documents if d.get("required")],
            "optional": [d for d in procedure.required_documents if not d.get("required")],
            "staff": _is_staff(request),
            # Flags other registers raise on a procedure (e.g. a sector-law conflict) go here,
            # each {"label": ..., "text": ..., "href": ...}; rendered by procedures/_flags.html.
            "flags": conflict_flags(procedure.slug),
        },
    )
