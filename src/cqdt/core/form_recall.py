"""A citizen's form answered with errors, kept so that Back to it shows it again instead of the
browser's "Confirm Form Resubmission" (docs/decisions/0022).

A page that answers a POST with its errors is a POST in the browser's history: in Chromium, Back
to it from the page after (the check page, once the citizen fixed the form) ends on
``net::ERR_CACHE_MISS`` — "Confirm Form Resubmission" — and Reload asks to send the form again,
files included. A redirect after the errors (Post/Redirect/Get) would change every form's answer
from 422 to 303; instead the answer stays as it is and the page's history entry becomes a GET:

* :func:`keep` puts what was typed (the form's own fields, never its files: ``core
  .pending_uploads`` keeps those) and the errors shown in the session — server side, as the
  online form's answers already are between the form and its check page — and names the URL of
  the entry: the form's path with ``?again=1``, a flag and nothing the citizen typed;
* ``site.js`` replaces the POST's history entry with that URL (``data-history-url``);
* a GET of it (:func:`recalled`, :func:`show_errors`) binds the form to what was kept and shows
  the same errors again, with the same status. Without the flag, or once the form went through
  (:func:`forget`), the form opens as it would.

Reload of the error page itself still sends the POST again in Chromium (measured): as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorList
from django.http import HttpRequest, QueryDict
from django.utils.translation import get_language

FLAG = "again"
_KEY = "form_recall:"


@dataclass(frozen=True)
class Recalled:
    data: QueryDict
    errors: dict[str, list[str]]
    status: int


def keep(request: HttpRequest, key: str, form: forms.Form, status: int) -> str:
    """Keep ``form``'s typed fields (files excepted) and its errors under ``key``; the URL the
    page's history entry takes in their place."""
    files = {name for name, field in form.fields.items() if isinstance(field, forms.FileField)}
    data = {
        name: request.POST.getlist(name)
        for name in form.fields
        if name in request.POST and name not in files
    }
    errors = {
        field: [str(e["message"]) for e in entries]
        for field, entries in form.errors.get_json_data().items()
    }
    request.session[_KEY + key] = {
        "data": data,
        "errors": errors,
        "status": status,
        "language": get_language(),
    }
    return f"{request.path}?{FLAG}=1"


def forget(request: HttpRequest, key: str) -> None:
    """The form went through: nothing to show again."""
    request.session.pop(_KEY + key, None)


def recalled(request: HttpRequest, key: str) -> Recalled | None:
    """What :func:`keep` kept under ``key``, on a GET with the flag; else None."""
    if request.method != "GET" or request.GET.get(FLAG) != "1":
        return None
    kept: Any = request.session.get(_KEY + key)
    if not isinstance(kept, dict):
        return None
    data = QueryDict(mutable=True)
    for name, values in dict(kept.get("data") or {}).items():
        data.setlist(str(name), [str(v) for v in values])
    errors = {str(k): [str(m) for m in v] for k, v in dict(kept.get("errors") or {}).items()}
    if kept.get("language") != get_language():  # the page's language changed: its checks only
        errors = {}
    return Recalled(data, errors, int(kept.get("status") or 422))


def show_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    """``form``, bound to the kept data, validated, with the kept errors its validation does not
    find again (a refused file's, the service's, a rate limit's)."""
    form.is_valid()
    for field, messages in errors.items():
        name = None if field == NON_FIELD_ERRORS else field
        if name is not None and name not in form.fields:
            continue
        present = [str(m) for m in form.errors.get(field, ErrorList())]
        for message in messages:
            if message not in present:
                form.add_error(name, message)
