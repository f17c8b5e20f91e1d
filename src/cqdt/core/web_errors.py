"""The one way from a domain error (``core.errors``) to a web response.

Three cases, each with one helper:

* A refused **form**: :func:`form_error` puts the message on the field at fault (or on the form
  when the field is not one of the form's) and returns the error's own status — 403 for a
  ``PermissionDenied``, 404 for a ``NotFound``, 409 for a ``Conflict``, 422 for invalid input or
  a rule, 429 when capacity is reached — for the view to render the form with.
* A **lookup** of what the page is about: :func:`or_404` turns any ``DomainError`` (not found,
  or not visible to the caller: both give the same answer) into Django's ``Http404``.
* Anything else a view does not handle: :func:`error_page` answers with the error's status and
  a page, or for an htmx request (``HX-Request``) a fragment, that says the message (Vietnamese
  first). ``cqdt.web.middleware.DomainErrorMiddleware`` answers a view's exception with it, and
  ``core.file_store_uploads.refusal`` a full temporary disk before any view ran.

The API's answer is ``core.api_errors.error_json`` (the same statuses as JSON), Open311's
``core.open311_errors.error_list``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cqdt.core.errors import DomainError

P = ParamSpec("P")
R = TypeVar("R")
Answer = TypeVar("Answer", bound=HttpResponse)


def form_error(form: forms.Form, exc: DomainError) -> int:
    """Show ``exc`` on ``form`` (on its field when the form has it: ``applicant.name`` is the
    form's ``applicant_name``); the status to answer."""
    field = (exc.field or "").replace(".", "_")
    form.add_error(field if field in form.fields else None, exc.message)
    return exc.status


def form_saved(form: forms.Form, save: Callable[[dict[str, Any]], object]) -> int | None:
    """Validate ``form`` and ``save(form.cleaned_data)``: ``None`` once saved, else the status to
    render the form with — 422 for invalid input, the domain error's own (:func:`form_error`)."""
    if not form.is_valid():
        return 422
    try:
        save(form.cleaned_data)
    except DomainError as exc:
        return form_error(form, exc)
    return None


def with_retry_after(response: Answer, exc: DomainError | None) -> Answer:
    """``response`` (a form rendered with ``exc``'s status) with ``Retry-After`` when ``exc``
    says when to try again (the file store out of reach or full: ``core.file_store``), as the
    middleware's page and the API's answer carry it."""
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The site's answer to ``error``, the one builder of it: with the error's status, the
    fragment ``web/_domain_error.html`` for an htmx request, else the site's 403 or 429 page
    with the message, else the page ``web/domain_error.html``; ``Retry-After`` when the error
    says when to try again. The templates are the site's (``web/templates``), named here:
    ``core`` renders them without importing ``web``."""
    if is_htmx(request):
        template = "web/_domain_error.html"
    elif error.status in (403, 429):  # the site's 403 and 429 pages, with the message
        template = f"{error.status}.html"
    else:
        template = "web/domain_error.html"
    context = {"error": error, "retry_after": getattr(error, "retry_after", None)}
    return with_retry_after(render(request, template, context, status=error.status), error)


def or_404(find: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``find(*args, **kwargs)``, a ``DomainError`` raised as ``Http404``."""
    try:
        return find(*args, **kwargs)
    except DomainError:
        raise Http404 from None


def is_htmx(request: Any) -> bool:
    return request.headers.get("HX-Request") == "true"
