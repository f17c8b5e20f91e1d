"""Lookups by POST (issue 13): the secret travels in a POST body and stays in the session.

A citizen looks a dossier or a report up with its code and secret. The secret must never be in
a URL — not in the form's action, not in a redirect, not in a link — since URLs end up in the
browser's history, in proxies' and servers' logs and in ``Referer`` headers. The lookup form
posts (with its CSRF token); on a match the view keeps the secret in the visitor's session under
the code for a short while (``TTL``) and redirects to ``/…/<code>/``, a GET page that reads it
back from here: refreshing it or coming back to it works, and the secret is in no URL. After the
TTL the page asks for the secret again. The session keeps at most ``MAX_KEPT`` codes per kind.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from cqdt.core import confirmations, form_recall
from cqdt.core.errors import DomainError
from cqdt.core.ratelimit import rate_limit
from cqdt.core.web_errors import or_404

TTL = (
    30 * 60
)  # seconds; as the idle timeout of a staff session (settings.CQDT_SESSION_IDLE_SECONDS)
MAX_KEPT = 5
_PREFIX = "lookup:"


def keep(request: HttpRequest, kind: str, code: str, secret: str) -> None:
    """Remember ``secret`` for ``code`` (a matched lookup of ``kind``) for ``TTL`` seconds."""
    now = time.time()
    kept = {
        c: v
        for c, v in dict(request.session.get(_PREFIX + kind) or {}).items()
        if isinstance(v, dict) and v.get("until", 0) > now and c != code
    }
    kept[code] = {"secret": secret, "until": now + TTL}
    request.session[_PREFIX + kind] = dict(list(kept.items())[-MAX_KEPT:])


def kept(request: HttpRequest, kind: str, code: str) -> str | None:
    """The secret kept for ``code``, or None when there is none or it has expired."""
    entry = (request.session.get(_PREFIX + kind) or {}).get(code)
    if not isinstance(entry, dict) or entry.get("until", 0) <= time.time():
        return None
    return str(entry.get("secret") or "") or None


def forget(request: HttpRequest, kind: str, code: str) -> None:
    kept_ = dict(request.session.get(_PREFIX + kind) or {})
    if kept_.pop(code, None) is not None:
        request.session[_PREFIX + kind] = kept_


def shown_again(
    context: dict[str, Any],
    name: str,
    build: Callable[[QueryDict], forms.Form],
    secret: str,
    recalled: form_recall.Recalled,
    *,
    offered: bool,
) -> bool:
    """A form of the record's page refused before (:meth:`LookupPages.move_refused`) put in
    ``context[name]`` as it was sent — ``build(data)``, the secret given back — with its errors,
    while the record still offers it (``offered``: a record moved since shows its state
    instead), or, offered or not, when the refusal was said outside the form: the page says it
    at the top (``context["error"]``; an earlier form's stands when this one said none). Whether
    it was shown, as the ``moves`` of :meth:`LookupPages.result_with_moves` answer."""
    if not (recalled.message or offered):
        return False
    form = build(form_recall.with_values(recalled.data, secret=secret))
    form_recall.show_errors(form, recalled.errors, recalled.left_out)
    context[name] = form
    if recalled.message:
        context["error"] = recalled.message
    return True


@dataclass(frozen=True)
class LookupPages:
    """The two pages of a citizen's lookup of one ``kind`` (a dossier, a report): the form that
    posts code and secret, and the record's GET page that reads the secret kept here.

    ``find(code, secret)`` is the context's lookup service (a miss raises its ``DomainError``,
    the same for a wrong secret and an unknown code); ``rate_key`` the rate limit's bucket;
    ``result_url`` the URL name of the record's page; ``code_length`` the code field's size."""

    kind: str
    form: type[forms.Form]
    code_length: int
    find: Callable[[str, str], Any]
    rate_key: str
    template: str
    result_url: str

    def lookup(self, request: HttpRequest) -> HttpResponse:
        """The form; a POST that matches keeps the secret and redirects to the record's page,
        a miss answers the form again with the reason (and its status), a bad form 422.

        Answered with errors, the page's history entry becomes a GET that shows it again
        (``core.form_recall``, docs/decisions/0022): the code typed and the errors are kept, the
        secret never — that page asks for it again."""
        posted = request.method == "POST"
        recall_key = f"lookup:{self.kind}"
        again = form_recall.recalled(request, recall_key)
        form = self.form(
            request.POST if posted else again.data if again else None,
            initial={"code": request.GET.get("code", "")[: self.code_length]},
        )
        context: dict[str, Any] = {"form": form}
        status = 200
        if again:
            form_recall.show_errors(form, again.errors, again.left_out)
            context["error"], status = again.message, again.status
        if posted and form.is_valid():
            secret = form.cleaned_data["secret"]
            try:
                rate_limit(request, self.rate_key)
                found = self.find(form.cleaned_data["code"].strip(), secret)
            except DomainError as exc:
                context["error"] = exc.message
                status = exc.status
            else:
                form_recall.forget(request, recall_key)
                keep(request, self.kind, found.code, secret)
                return redirect(reverse(self.result_url, args=[found.code]))
        elif posted:
            status = 422
        if posted:
            context["history_url"] = form_recall.keep(
                request,
                recall_key,
                form,
                status,
                leave_out={"secret"},
                message=str(context.get("error") or ""),
            )
        return render(request, self.template, context, status=status)

    def submitted(self, request: HttpRequest, code: str) -> tuple[Any, str]:
        """The record the confirmation page after its submission shows, and its secret: what
        this session remembered of it (``core.confirmations``, else 404), found by the secret
        (a miss: 404) — which is kept for the record's page, so that its "look it up" link
        needs no secret in a URL."""
        facts = confirmations.recall(request, self.kind, code)
        secret = facts["secret"]
        found = or_404(self.find, code, secret)
        keep(request, self.kind, found.code, secret)
        return found, secret

    def result(
        self, request: HttpRequest, code: str, page: Callable[[Any, str], dict[str, Any]]
    ) -> HttpResponse:
        """The record's page with ``page(record, secret)`` (and the status ``page`` gives as
        ``answer_status``, 200 by default: a form of the page shown again with its errors,
        ``core.form_recall``); without a kept secret, or once it has expired, the form asks
        again; a secret that no longer matches is forgotten."""
        context: dict[str, Any] = {"form": self.form(initial={"code": code})}
        secret = kept(request, self.kind, code)
        if secret is None:
            context["expired"] = True
            return render(request, self.template, context)
        try:
            rate_limit(request, self.rate_key)
            found = self.find(code, secret)
        except DomainError as exc:
            forget(request, self.kind, code)
            context["error"] = exc.message
            return render(request, self.template, context, status=exc.status)
        context.update(page(found, secret))
        status = int(context.pop("answer_status", 200))
        return render(request, self.template, context, status=status)

    def result_with_moves(
        self,
        request: HttpRequest,
        code: str,
        page: Callable[[Any, str], dict[str, Any]],
        moves: Mapping[str, Callable[[Any, str, dict[str, Any], form_recall.Recalled], bool]],
    ) -> HttpResponse:
        """The record's page (:func:`result`) with each form of it that was refused
        (:func:`move_refused` under a key of ``moves``) shown again as it was sent, with its
        errors, when the page is asked with the flag: ``moves[key](record, secret, context,
        recalled)`` puts that form in the page's ``context`` and says whether it did — a record
        moved since shows its state instead. The page answers with the highest status of the
        forms shown again, 200 when none is."""
        kept = {key: self.recalled_move(request, key, code) for key in moves}
        again = {key: k for key, k in kept.items() if k is not None}
        if not again:
            return self.result(request, code, page)

        def with_moves(found: Any, secret: str) -> dict[str, Any]:
            context = page(found, secret)
            shown = [k.status for key, k in again.items() if moves[key](found, secret, context, k)]
            context["answer_status"] = max(shown, default=200)
            return context

        return self.result(request, code, with_moves)

    def move_refused(
        self,
        request: HttpRequest,
        key: str,
        code: str,
        form: forms.Form,
        status: int,
        message: str = "",
    ) -> str:
        """A form of the record's page (a rating, a close) posted to its own POST-only URL and
        answered with errors: what was typed (the secret never) and the errors kept under
        ``key``; the URL its history entry takes — the record's page with the flag, where
        :func:`recalled_move` shows that form again."""
        return form_recall.keep(
            request,
            f"{key}:{self.kind}:{code}",
            form,
            status,
            leave_out={"secret"},
            path=reverse(self.result_url, args=[code]),
            message=message,
        )

    def recalled_move(
        self, request: HttpRequest, key: str, code: str
    ) -> form_recall.Recalled | None:
        """What :func:`move_refused` kept for the record's page now asked with the flag."""
        return form_recall.recalled(request, f"{key}:{self.kind}:{code}")

    def move_done(self, request: HttpRequest, key: str, code: str) -> None:
        form_recall.forget(request, f"{key}:{self.kind}:{code}")
