"""Web pages of the one-stop shop for citizens: online submission (form, check answers,
confirmation), the lookup by code and secret, answering a supplement request, rating, and the
applicant's files.

Thin: parse with a form, call a selector or a service, render; a DomainError becomes a message
next to the field it names, with its HTTP status and nothing written.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from cqdt.core import (
    confirmations,
    form_recall,
    idempotency,
    lookup_session,
    pending_uploads,
)
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.core.ratelimit import rate_limit
from cqdt.core.web_errors import form_error, or_404, with_retry_after
from cqdt.core.widgets import QuickSelect
from cqdt.dossiers import selectors, services, workflow
from cqdt.dossiers.files import file_response, form_attachments
from cqdt.dossiers.forms import (
    ApplicantForm,
    LookupForm,
    RatingForm,
    SupplementForm,
    add_attachment_fields,
    applicant_in,
)
from cqdt.dossiers.models import APPLICANT_FIELD_NAMES, Channel, Desk, Dossier
from cqdt.procedures.models import Procedure
from cqdt.procedures.selectors import procedure_on
from cqdt.units import selectors as unit_selectors

# --- citizens -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def online_submit(request: HttpRequest, slug: str) -> HttpResponse:
    """Online submission, no account needed: the form, then the check-answers page (GOV.UK
    pattern) that files the dossier. The answers and files come back here on "Thay đổi"."""
    procedure = _online_procedure(slug)
    form_key = f"dossier:{procedure.slug}"
    posted = request.method == "POST"
    # The ward chooser: grouped by district (or city), units in force today with a one-stop desk,
    # narrowed by ``unit_q`` (a GET filter that works without JavaScript; unit-filter.js filters
    # as one types). A POST always validates against the full list.
    unit_q = "" if posted else (request.GET.get("unit_q") or "").strip()[:60]
    # Back to a page answered with errors: the same form and errors, not a resubmission.
    again = form_recall.recalled(request, form_key)
    form, unit_choices = _online_form(
        procedure,
        request.POST if posted else again.data if again else None,
        request.FILES if posted else None,
        initial=_answers(request, form_key) or {},
        unit_q=unit_q,
    )
    status = 200
    history_url = None
    if again:
        form_recall.show_errors(form, again.errors)
        status = again.status
    if posted:
        pending_uploads.remove(request, form_key, request.POST.getlist("pending_remove"))
        try:
            rate_limit(request, "submit_check", per_minute=20)
        except DomainError as exc:
            status = form_error(form, exc)
        else:
            status = _online_attempt(request, form, form_key, slug)
            if status == 302:
                form_recall.forget(request, form_key)
                return redirect(reverse("dossiers:submit_check", args=[slug]))
        history_url = form_recall.keep(request, form_key, form, status)
    for name, kept in pending_uploads.listed(request, form_key).items():
        if name in form.fields:
            form.fields[name].kept = kept  # type: ignore[attr-defined]  # shown by web/_field_with_kept.html
    return render(
        request,
        "dossiers/public/submit.html",
        {
            "form": form,
            "procedure": procedure,
            "unit_q": unit_q,
            "units_found": sum(len(members) for _, members in unit_choices),
            "history_url": history_url,
        },
        status=status,
    )


def _online_procedure(slug: str) -> Procedure:
    procedure: Procedure = or_404(procedure_on, slug, timezone.localdate())
    if not procedure.online_allowed:
        raise Http404
    return procedure


def _online_form(
    procedure: Procedure,
    data: Any = None,
    files: Any = None,
    *,
    initial: dict[str, Any] | None = None,
    unit_q: str = "",
) -> tuple[ApplicantForm, list[Any]]:
    """The online form of ``procedure`` (a file input per paper, the grouped ward chooser)."""
    doc_choices = [
        (doc["code"], doc["name"] + (" *" if doc.get("required") else ""))
        for doc in procedure.required_documents
    ]
    form = ApplicantForm(data, files, document_choices=doc_choices, initial=initial)
    add_attachment_fields(form, procedure.required_documents)
    unit_choices = unit_selectors.unit_choices(
        q=unit_q, codes=set(Desk.objects.values_list("unit_code", flat=True))
    )
    # No ward chosen for the citizen: the first one, chosen by default, received the dossiers
    # of those who scrolled past it.
    form.fields["unit"] = forms.ChoiceField(
        label=_("Nộp tới UBND"),
        choices=[("", _("— Chọn xã, phường —")), *unit_choices],
        widget=QuickSelect,
        error_messages={"required": _("Hãy chọn xã, phường nơi nộp hồ sơ.")},
    )
    form.order_fields(["unit"])
    return form, unit_choices


# The answers of the online form kept in the session between the form and the check page.
_ANSWERS = "answers:"
_ONCE = "_once"
ANSWER_FIELDS = (
    "unit",
    *APPLICANT_FIELD_NAMES,
    "note",
    "documents",
)


def _answers(request: HttpRequest, form_key: str) -> dict[str, Any] | None:
    answers = request.session.get(_ANSWERS + form_key)
    return answers if isinstance(answers, dict) else None


def _kept_file(
    request: HttpRequest, form_key: str, name: str, kept: dict[str, list[Any]]
) -> services.AttachmentIn | None:
    """The file kept for the input ``name`` (its latest), as a file to file; None if gone."""
    if not kept.get(name):
        return None
    found = pending_uploads.read(request, form_key, kept[name][-1].token)
    if found is None:
        return None
    return services.AttachmentIn(name.removeprefix("attachments_"), found[0], found[1])


def _checked_uploads(
    request: HttpRequest, form: forms.Form, form_key: str
) -> tuple[list[services.AttachmentIn], list[services.AttachmentIn]]:
    """(all the files to file, the newly uploaded ones that passed): a new file per paper is
    checked now (its refusal goes on its field); a paper without one takes the file kept from
    an earlier submit of this session (``core.pending_uploads``)."""
    kept = pending_uploads.listed(request, form_key)
    files: list[services.AttachmentIn] = []
    new: list[services.AttachmentIn] = []
    for name in [n for n in form.fields if n.startswith("attachments_")]:
        code = name.removeprefix("attachments_")
        upload = request.FILES.get(name)
        if upload is not None:
            try:
                checked = services.check_file(services.read_upload(code, upload))
            except DomainError as exc:
                if name not in form.errors:
                    form.add_error(name, exc.message)
                continue
            item = services.AttachmentIn(code, checked.name, checked.data)
            files.append(item)
            new.append(item)
            pending_uploads.remove(request, form_key, {k.token for k in kept.get(name, [])})
        else:
            try:
                found = _kept_file(request, form_key, name, kept)
            except pending_uploads.Gone as exc:  # gone from the store: said on its field
                form.add_error(name, exc.message)
                continue
            if found is not None:
                files.append(found)
    return files, new


def _online_attempt(request: HttpRequest, form: forms.Form, form_key: str, slug: str) -> int:
    """One submit of the online form: the form's field errors, the files' checks and the
    service's own refusals all shown at once (issue 13). 302 when all is well (the answers kept
    in the session for the check page), else the error status; the good new files are kept as
    pending uploads either way, so no file is chosen twice."""
    valid = form.is_valid()
    data = form.cleaned_data
    files, new = _checked_uploads(request, form, form_key)
    documents = sorted(set(data.get("documents") or []) | {f.document_code for f in files})
    # Without a unit too: its error is the form's own, the service's others are said with it.
    for exc in services.submission_problems(
        unit_code=data.get("unit") or "",
        procedure_slug=slug,
        channel=Channel.ONLINE,
        applicant=applicant_in(data),
        documents=documents,
        note=data.get("note") or "",
    ):
        field = (exc.field or "").replace(".", "_")
        if field not in form.errors:
            form_error(form, exc)
    for item in new:
        pending_uploads.keep(
            request, form_key, f"attachments_{item.document_code}", item.name, item.data
        )
    if not (valid and not form.errors):
        return 422
    answers = {name: data.get(name) for name in ANSWER_FIELDS}
    # Names this set of answers, so that "Gửi hồ sơ" files it once (core.idempotency.web_claim).
    answers[_ONCE] = secrets.token_urlsafe(16)
    request.session[_ANSWERS + form_key] = answers
    return 302


@require_http_methods(["GET", "POST"])
def online_check(request: HttpRequest, slug: str) -> HttpResponse:
    """Check your answers before sending (GOV.UK's check-answers pattern): every answer and file
    with a "Thay đổi" link back to its field in the form, then "Gửi hồ sơ", which files the
    dossier with the kept files and redirects to the confirmation (a refresh files nothing)."""
    procedure = _online_procedure(slug)
    form_key = f"dossier:{procedure.slug}"
    answers = _answers(request, form_key)
    if answers is None:  # nothing to check (never filled, or already sent): back to the form
        return redirect(reverse("dossiers:submit", args=[slug]))
    form, _choices = _online_form(procedure)
    kept = pending_uploads.listed(request, form_key)
    error: DomainError | None = None
    if request.method == "POST":
        once = answers.get(_ONCE)  # answers kept before the nonce existed have none: no claim

        def send(record: Callable[[services.IntakeResult], None]) -> services.IntakeResult:
            # Part of the send, after the claim: a repeat click is not counted, and a refusal
            # here is kept for a repeat sent to wait, as the service's is.
            rate_limit(request, "submit", per_minute=10)
            rate_limit(request, "submit_day", per_day=settings.CQDT_ONLINE_PER_ADDRESS_DAILY)
            files = [_kept_file(request, form_key, name, kept) for name in kept]
            return services.dossier_submit_with_attachments(
                attachments=[f for f in files if f is not None],
                actor=Actor.system("online"),
                unit_code=answers.get("unit") or "",
                procedure_slug=slug,
                channel=Channel.ONLINE,
                applicant=applicant_in(answers),
                documents=list(answers.get("documents") or []),
                note=answers.get("note") or "",
                recorded=record,
            )

        try:
            sent = idempotency.web_send_once(
                request,
                f"online:{once}" if once else None,
                send,
                lambda filed: reverse("dossiers:submitted", args=[filed.dossier.code]),
            )
        except DomainError as exc:  # refused, its claim let go: shown on this page
            error = exc
        else:
            result = sent.result
            if result is not None:  # this click filed it (a repeat only goes where it went)
                pending_uploads.clear(request, form_key)
                request.session.pop(_ANSWERS + form_key, None)
                confirmations.remember(
                    request, "dossier", code=result.dossier.code, secret=result.secret
                )
            return redirect(sent.location)
    rows = _answer_rows(form, answers, kept)
    wrong = (error.field or "").replace(".", "_") if error else ""
    response = render(
        request,
        "dossiers/public/check.html",
        {
            "procedure": procedure,
            "rows": [r for r in rows if not r["file"]],
            "file_rows": [r for r in rows if r["file"]],
            "change_url": reverse("dossiers:submit", args=[slug]),
            "error": error,
            "error_row": next((r for r in rows if r["name"] == wrong), None),
        },
        status=error.status if error else 200,
    )
    return with_retry_after(response, error)


def _answer_rows(
    form: forms.Form, answers: dict[str, Any], kept: dict[str, list[Any]]
) -> list[dict[str, Any]]:
    """Each field of the form with the answer in words (a choice's label, the file's name).
    The papers attached are those ticked and those sent as a file, as the dossier is filed
    (``services.dossier_submit_with_attachments``)."""
    rows = []
    for name, field in form.fields.items():
        value = answers.get(name)
        is_file = isinstance(field, forms.FileField)
        anchor = f"id_{name}"
        if is_file:
            shown = kept[name][-1].name if kept.get(name) else ""
        elif isinstance(field, forms.ChoiceField):
            labels = {}
            for key, label in cast(list[tuple[Any, Any]], field.choices):
                if isinstance(label, list | tuple):  # a group of the unit chooser
                    labels.update({str(k): v for k, v in label})
                else:
                    labels[str(key)] = label
            picked = value if isinstance(value, list) else [value] if value else []
            if name == "documents":  # ticked or sent as a file: filed as given either way
                given = set(picked) | {k.removeprefix("attachments_") for k, v in kept.items() if v}
                picked = [code for code in labels if code in given]
                # named without the form's "required" mark
                labels = {k: str(v).removesuffix(" *") for k, v in labels.items()}
            shown = ", ".join(str(labels.get(str(v), v)) for v in picked)
            if isinstance(field, forms.MultipleChoiceField):
                anchor = f"id_{name}_0"
        else:
            shown = str(value or "")
        rows.append(
            {"name": name, "label": field.label, "value": shown, "file": is_file, "anchor": anchor}
        )
    return rows


@require_http_methods(["GET"])
def online_submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation after an online submission (a GET: refreshing it files nothing)."""
    d, secret = _LOOKUP.submitted(request, code)
    return render(request, "dossiers/public/submitted.html", {"d": d, "secret": secret})


@require_http_methods(["POST"])
def public_attachment(request: HttpRequest, code: str, public_id: str) -> HttpResponseBase:
    """A dossier's file for its applicant: the secret comes in the POST body, never the URL."""
    rate_limit(request, "lookup")
    d = or_404(services.public_dossier, code, str(request.POST.get("secret", ""))[:100])
    # Not or_404: the store down (503) and a file missing from it (404 file_missing) are said.
    row = services.attachment_read(
        actor=Actor.system("applicant"),
        d=d,
        public_id=public_id,
        reader="applicant",
    )
    return file_response(row)


def _supplement_form(d: Dossier, secret: str) -> SupplementForm | None:
    if d.status not in (workflow.SUPPLEMENT, workflow.INTAKE_SUPPLEMENT):
        return None
    form = SupplementForm(initial={"secret": secret})
    add_attachment_fields(form, d.procedure.required_documents)
    return form


@require_http_methods(["POST"])
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant answers a supplement request by uploading the missing papers (then GET)."""
    d = or_404(services.public_dossier, code, str(request.POST.get("secret", ""))[:100])
    form = SupplementForm(request.POST, request.FILES)
    add_attachment_fields(form, d.procedure.required_documents)
    status = 422
    if form.is_valid():
        try:
            rate_limit(request, "submit", per_minute=10)
            services.dossier_supplement_online(
                code=d.code, secret=form.cleaned_data["secret"], attachments=form_attachments(form)
            )
        except DomainError as exc:
            status = form_error(form, exc)
        else:
            _LOOKUP.move_done(request, _SUPPLEMENT, code)
            confirmations.remember(request, "supplement", code=d.code)
            return redirect(reverse("dossiers:supplemented", args=[d.code]))
    # Back to this page: a GET of the dossier's page with the same errors (the URL takes POSTs).
    back = _LOOKUP.move_refused(request, _SUPPLEMENT, code, form, status)
    return render(
        request,
        "dossiers/public/supplement.html",
        {"d": d, "form": form, "history_url": back},
        status=status,
    )


@require_http_methods(["GET"])
def supplemented(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation after a supplement answered online (a GET: a refresh sends nothing)."""
    confirmations.recall(request, "supplement", code)
    return render(request, "dossiers/public/supplement.html", {"done": True, "code": code})


def _lookup_context(d: Dossier, secret: str) -> dict[str, Any]:
    return {
        "d": d,
        "events": d.events.all(),
        "state_label": workflow.state_label(d.status, get_language()),
        "overdue": selectors.is_overdue(d),
        "return_desk": selectors.return_desk(d) if d.closed_at is None else "",
        "can_rate": d.status == workflow.RETURNED and d.rated_at is None,
        "attachments": list(d.attachments.all()),
        "supplement_form": _supplement_form(d, secret),
        "secret": secret,
        "rating_form": RatingForm(initial={"secret": secret}),
    }


_LOOKUP = lookup_session.LookupPages(
    kind="dossier",
    form=LookupForm,
    code_length=60,
    find=lambda code, secret: services.public_dossier(code, secret),
    rate_key="lookup",
    template="dossiers/public/lookup.html",
    result_url="dossiers:lookup_result",
)


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Public lookup by code and secret, sent by POST (CSRF): the secret is never in a URL.

    A match keeps the secret in the session for a short while (``core.lookup_session``) and
    redirects to the dossier's page; a miss answers the form again with the reason."""
    return _LOOKUP.lookup(request)


# The dossier page's forms whose refusals are kept for Back (``LookupPages.move_refused``).
_RATING = "rating"
_SUPPLEMENT = "supplement"


def _show_rating(
    d: Dossier, secret: str, context: dict[str, Any], rating: form_recall.Recalled
) -> bool:
    """The rating form refused before, as it was sent, while the dossier may still be rated (a
    dossier rated since shows its state instead), or with the refusal that was said."""
    return lookup_session.shown_again(
        context, "rating_form", RatingForm, secret, rating, offered=context["can_rate"]
    )


def _show_supplement(
    d: Dossier, secret: str, context: dict[str, Any], papers: form_recall.Recalled
) -> bool:
    """The supplement's papers refused before (files are chosen again), while the dossier still
    asks for them (one supplemented since shows its state instead)."""
    if not context["supplement_form"]:
        return False
    form = SupplementForm(form_recall.with_values(papers.data, secret=secret))
    add_attachment_fields(form, d.procedure.required_documents)
    form_recall.show_errors(form, papers.errors, papers.left_out)
    context["supplement_form"] = form
    return True


@require_http_methods(["GET"])
def lookup_result(request: HttpRequest, code: str) -> HttpResponse:
    """A looked-up dossier: status, due date, history; never staff names. The secret comes from
    the session (kept by the POST lookup); without it, or once expired, the form asks again.
    With ``?again=1`` after a refused rating or supplement, that form as it was sent (files are
    chosen again), with its errors (``core.form_recall``)."""
    shown_again = {_RATING: _show_rating, _SUPPLEMENT: _show_supplement}
    return _LOOKUP.result_with_moves(request, code, _lookup_context, shown_again)


@require_http_methods(["POST"])
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """The rating, posted from the dossier's page; refused, its page's history entry becomes a
    GET of the dossier's page that shows the form again (``core.form_recall``)."""
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _rating_again(request, code, form)
    try:
        rate_limit(request, "rating")
        services.dossier_rate(
            code=code,
            secret=form.cleaned_data["secret"],
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except DomainError as exc:
        back = _LOOKUP.move_refused(request, _RATING, code, form, exc.status, exc.message)
        return render(
            request,
            "dossiers/public/rated.html",
            {"error": exc.message, "history_url": back},
            status=exc.status,
        )
    _LOOKUP.move_done(request, _RATING, code)
    confirmations.remember(request, "rating", code=code)
    return redirect(reverse("dossiers:rated", args=[code]))


def _rating_again(request: HttpRequest, code: str, form: RatingForm) -> HttpResponse:
    """A rating form sent incomplete: the dossier's page again, the error on its field and the
    comment kept (a secret that does not match answers as a lookup miss, rate-limited alike)."""
    rate_limit(request, "lookup")
    d = or_404(services.public_dossier, code, str(request.POST.get("secret", ""))[:100])
    secret = str(request.POST["secret"])
    context = {**_lookup_context(d, secret), "form": LookupForm(initial={"code": d.code})}
    context["rating_form"] = form
    context["history_url"] = _LOOKUP.move_refused(request, _RATING, code, form, 422)
    return render(request, "dossiers/public/lookup.html", context, status=422)


@require_http_methods(["GET"])
def rated(request: HttpRequest, code: str) -> HttpResponse:
    """The thanks after a rating (a GET: refreshing it rates nothing)."""
    confirmations.recall(request, "rating", code)
    return render(request, "dossiers/public/rated.html", {"code": code})
