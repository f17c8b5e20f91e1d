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

A form that carries the lookup secret (the lookup, the rating, a report's close or reopen) keeps
its other fields only (``leave_out``): the secret is never kept here; its page takes it from the
lookup's own short-lived store (``core.lookup_session``), or asks for it again. Such a form may
name another page than its own (``path``: a POST-only URL has no GET to go back to), and a
refusal said outside the form (``message``) is kept with it.

What was typed is personal data (a name, an ID number, a phone, an address): it stays no longer
than the form needs it. Dropped when the form goes through (:func:`forget`), when the form is
opened afresh (a GET without the flag: the citizen started over) and, for a form left for good,
``TTL`` after it was kept, at the next write of the session.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorList
from django.http import HttpRequest, QueryDict
from django.utils.translation import get_language

FLAG = "again"
_KEY = "form_recall:"
TTL = 30 * 60  # seconds: as long as a kept lookup secret (core.lookup_session.TTL)


@dataclass(frozen=True)
class Recalled:
    data: QueryDict
    errors: dict[str, list[str]]
    status: int
    message: str = ""  # a refusal said outside the form
    left_out: tuple[str, ...] = ()  # fields never kept (the lookup secret)


def keep(
    request: HttpRequest,
    key: str,
    form: forms.Form,
    status: int,
    *,
    leave_out: Collection[str] = (),
    path: str = "",
    message: str = "",
) -> str:
    """Keep ``form``'s typed fields (files and ``leave_out`` excepted) and its errors under
    ``key``, with ``message``; the URL the page's history entry takes in their place: ``path``
    (the form's page by default) with the flag."""
    files = {name for name, field in form.fields.items() if isinstance(field, forms.FileField)}
    data = {
        name: request.POST.getlist(name)
        for name in form.fields
        if name in request.POST and name not in files and name not in leave_out
    }
    errors = {
        field: [str(e["message"]) for e in entries]
        for field, entries in form.errors.get_json_data().items()
    }
    _drop_stale(request)
    request.session[_KEY + key] = {
        "data": data,
        "errors": errors,
        "status": status,
        "language": get_language(),
        "message": str(message),
        "left_out": sorted(leave_out),
        "until": time.time() + TTL,
    }
    return f"{path or request.path}?{FLAG}=1"


def forget(request: HttpRequest, key: str) -> None:
    """The form went through, or is opened afresh: nothing to show again (and kept entries past
    their ``TTL`` go too)."""
    if _KEY + key in request.session:
        request.session.pop(_KEY + key, None)
    _drop_stale(request)


def _drop_stale(request: HttpRequest) -> None:
    """Drop the entries of forms left for good (kept more than ``TTL`` ago)."""
    now = time.time()
    for name in [k for k in request.session.keys() if k.startswith(_KEY)]:  # noqa: SIM118 (no __iter__)
        kept = request.session.get(name)
        if not isinstance(kept, dict) or float(kept.get("until") or 0) <= now:
            del request.session[name]


def recalled(request: HttpRequest, key: str) -> Recalled | None:
    """What :func:`keep` kept under ``key``, on a GET with the flag; else None (a GET without
    it opens the form afresh: what was kept is dropped)."""
    if request.method != "GET":
        return None
    if request.GET.get(FLAG) != "1":
        forget(request, key)
        return None
    kept: Any = request.session.get(_KEY + key)
    if not isinstance(kept, dict) or float(kept.get("until") or 0) <= time.time():
        return None
    data = QueryDict(mutable=True)
    for name, values in dict(kept.get("data") or {}).items():
        data.setlist(str(name), [str(v) for v in values])
    errors = {str(k): [str(m) for m in v] for k, v in dict(kept.get("errors") or {}).items()}
    message = str(kept.get("message") or "")
    if kept.get("language") != get_language():  # the page's language changed: its checks only
        errors, message = {}, ""
    left_out = tuple(str(n) for n in kept.get("left_out") or ())
    return Recalled(data, errors, int(kept.get("status") or 422), message, left_out)


def with_values(data: QueryDict, **values: str) -> QueryDict:
    """``data`` with ``values`` set: a left-out field (the secret) given back by its own store."""
    given = data.copy()
    for name, value in values.items():
        given[name] = value
    return given


def show_errors(
    form: forms.Form, errors: dict[str, list[str]], left_out: Collection[str] = ()
) -> None:
    """``form``, bound to the kept data, validated, with the kept errors its validation does not
    find again (a refused file's, the service's, a rate limit's). A field left out of what was
    kept (``left_out``: the secret) is empty now through no fault of the citizen's: it shows
    its kept errors only."""
    form.is_valid()
    for blank in left_out:
        form.errors.pop(blank, None)
    for field, messages in errors.items():
        name = None if field == NON_FIELD_ERRORS else field
        if name is not None and name not in form.fields:
            continue
        present = [str(m) for m in form.errors.get(field, ErrorList())]
        for message in messages:
            if message not in present:
                form.add_error(name, message)
