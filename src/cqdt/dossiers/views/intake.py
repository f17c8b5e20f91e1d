"""The desk's intake screen (the counter): the procedure, the applicant and the papers brought;
the dossier recorded (and received, if complete) and its receipt printed."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.core.web_errors import form_error
from cqdt.dossiers import services
from cqdt.dossiers.files import form_attachments
from cqdt.dossiers.forms import CounterForm, add_attachment_fields, applicant_in
from cqdt.dossiers.views import shared
from cqdt.procedures.models import Procedure
from cqdt.procedures.selectors import procedures_on
from cqdt.staff.access import official_of
from cqdt.units import selectors as unit_selectors


@login_required
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest) -> HttpResponse:
    """The desk's intake screen: procedure, applicant, papers; prints the receipt on success."""
    units = shared.units_for(request)
    procedures = list(procedures_on(timezone.localdate()))
    procedure = _chosen(request, procedures)
    procedure_choices = [(p.slug, p.name) for p in procedures]
    form = _intake_form(request, procedure, procedure_choices, {u.code for u in units})
    status = 200
    if request.method == "POST" and "submit_intake" in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.dossier_submit_with_attachments(
                attachments=form_attachments(form),
                actor=Actor.of(request.user),
                unit_code=data["unit"],
                procedure_slug=data["procedure"],
                channel=data["channel"],
                applicant=applicant_in(data),
                documents=data["documents"],
                note=data["note"],
                received_by=official_of(request.user),
                accept_now=data["accept_now"],
            )
        except DomainError as exc:
            status = form_error(form, exc)
        else:
            request.session["last_secret"] = {"code": result.dossier.code, "secret": result.secret}
            paper = "01" if result.dossier.valid_receipt_at else "receipt"
            return redirect(reverse("dossiers:form", args=[result.dossier.code, paper]))
    elif request.method == "POST":
        status = 422 if "submit_intake" in request.POST else 200
    return render(
        request,
        "dossiers/counter.html",
        {"form": form, "procedure": procedure, "procedure_choices": procedure_choices},
        status=status,
    )


def _chosen(request: HttpRequest, procedures: list[Procedure]) -> Procedure | None:
    """The procedure the page shows and files: the one posted or asked, else the first."""
    selected = (
        request.POST.get("procedure")
        or request.GET.get("procedure")
        or (procedures[0].slug if procedures else "")
    )
    return next(
        (p for p in procedures if p.slug == selected), procedures[0] if procedures else None
    )


def _intake_form(
    request: HttpRequest,
    procedure: Procedure | None,
    procedure_choices: list[tuple[str, str]],
    unit_codes: set[str],
) -> CounterForm:
    """The intake form for ``procedure``: its papers to tick (required ones starred) and to
    attach, the units with a desk the caller may see."""
    doc_choices = [
        (d["code"], d["name"] + (" *" if d.get("required") else ""))
        for d in (procedure.required_documents if procedure else [])
    ]
    # One chooser (issue 13): the page's GET select picks the procedure and the intake form
    # carries that same procedure hidden, so the shown procedure is the filed one.
    form = CounterForm(
        request.POST or None,
        request.FILES or None,
        document_choices=doc_choices,
        initial={"procedure": procedure.slug if procedure else ""},
    )
    add_attachment_fields(form, procedure.required_documents if procedure else [])
    # Grouped by district (or city) like the public chooser; a ward's clerk sees their one unit.
    cast(forms.ChoiceField, form.fields["unit"]).choices = unit_selectors.unit_choices(
        codes=unit_codes
    )
    procedure_field = cast(forms.ChoiceField, form.fields["procedure"])
    procedure_field.choices = procedure_choices
    procedure_field.widget = forms.HiddenInput()
    return form
