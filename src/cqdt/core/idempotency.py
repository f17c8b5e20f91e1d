"""``Idempotency-Key`` on API POSTs: a retried request gets the first answer, never a second write.

A client that sends ``Idempotency-Key: <key>`` with a POST under ``/api/`` gets, for 24 hours,
the same answer to the same request (method, path, query and body): the first request runs, its
successful answer is kept, and every repeat is answered from it (``Idempotent-Replayed: true``)
without running the view again. The same key with a different request is refused (422), and a
repeat that arrives while the first is still running gets 409. Keys belong to one client — the
bearer token, else the logged-in user, else the address — so clients never see each other's
answers. Only successful answers (2xx) are kept: a refused request may be corrected and retried
under the same key. An answer marked ``Cache-Control: no-store`` (one that carries a secret shown
once, such as a new API key) is never kept, and a bearer token that no longer authenticates gets
no replay. The pattern is the IETF draft "The Idempotency-Key HTTP Header Field"
(draft-ietf-httpapi-idempotency-key-header) and Stripe's API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from cqdt.core.errors import Conflict, DomainError, InvalidInput
from cqdt.core.models import TokenKind
from cqdt.core.ratelimit import client_key
from cqdt.core.tokens import token_lookup

log = structlog.get_logger(__name__)

HEADER = "Idempotency-Key"
KEEP = dt.timedelta(hours=24)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as the draft's sf-string allows


def client_of(request: HttpRequest) -> str:
    """Whose key it is: a hash of the bearer token, else the logged-in user, else the address."""
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:40]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "addr:" + client_key(request)


def fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path()):
        digest.update(part.encode() + b"\0")
    if request.content_type == "multipart/form-data":
        _multipart_print(request, digest)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _multipart_print(request: HttpRequest, digest: Any) -> None:
    """A multipart body by its parsed parts: the fields, then each file's part name, file name
    and content. Not ``request.body``: files larger than DATA_UPLOAD_MAX_MEMORY_SIZE are
    streamed to disk, never held whole (and the view still reads the parsed parts)."""
    for name, values in sorted(request.POST.lists()):
        for value in values:
            digest.update(f"{name}\0{value}\0".encode())
    for name, files in sorted(request.FILES.lists()):
        for upload in files:
            digest.update(f"{name}\0{upload.name}\0".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            digest.update(b"\0")


def _refusal(exc: DomainError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status)


def key_reused() -> InvalidInput:
    return InvalidInput(
        "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác trong 24 giờ qua; "
        "hãy dùng khóa mới cho yêu cầu mới.",
        "This Idempotency-Key was used for a different request in the last 24 hours; "
        "use a new key for a new request.",
        code="idempotency_key_reused",
        field=HEADER,
    )


def in_progress() -> Conflict:
    return Conflict(
        "Yêu cầu với khóa Idempotency-Key này đang được xử lý; vui lòng thử lại sau giây lát.",
        "A request with this Idempotency-Key is still being processed; retry in a moment.",
        code="idempotency_in_progress",
        field=HEADER,
    )


def bad_key() -> InvalidInput:
    return InvalidInput(
        "Khóa Idempotency-Key phải gồm 1–255 ký tự ASCII nhìn thấy được.",
        "The Idempotency-Key must be 1–255 visible ASCII characters.",
        code="idempotency_key_invalid",
        field=HEADER,
    )


class IdempotencyMiddleware:
    """Honours ``Idempotency-Key`` on POSTs under ``/api/`` (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not _KEY.match(key):
            return _refusal(bad_key())
        if _revoked_bearer(request):
            return self.get_response(request)  # no replay: authentication refuses it at once
        return self._once(request, client_of(request), key, fingerprint(request))

    def _once(self, request: HttpRequest, client: str, key: str, print_: str) -> HttpResponse:
        from cqdt.core.models import IdempotentRequest

        now = timezone.now()
        IdempotentRequest.objects.filter(client=client, key=key, expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    client=client, key=key, fingerprint=print_, expires_at=now + KEEP
                )
        except IntegrityError:
            first = IdempotentRequest.objects.filter(client=client, key=key).first()
            if first is None:  # expired and purged in between: run it afresh
                return self._once(request, client, key, print_)
            if first.fingerprint != print_:
                return _refusal(key_reused())
            if first.status is None:
                return _refusal(in_progress())
            replay = HttpResponse(
                bytes(first.body), status=first.status, content_type=first.content_type or None
            )
            replay["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = self.get_response(request)
        except BaseException:
            record.delete()
            raise
        keep = "no-store" not in response.get("Cache-Control", "")  # e.g. a key's secret
        if 200 <= response.status_code < 300 and not response.streaming and keep:
            record.status = response.status_code
            record.content_type = response.get("Content-Type", "")[:100]
            record.body = response.content
            record.save(update_fields=["status", "content_type", "body"])
        else:
            record.delete()
        return response


# A web form's send that must act once: two POSTs in flight (a double click on a plain
# form button) both read the session before either changed it, and both acted.
# A repeat waits this long for the first to finish — most sends take well under a second —
# and is then sent to a page that says the form is being processed (:func:`web_pending_path`),
# so that a slow first send (large files) does not hold a server worker per click.
WEB_WAIT_SECONDS = 1.5
WEB_CLIENT = "web-form"
_WEB_KEY = re.compile(r"^(online|feedback):[A-Za-z0-9_-]{16,64}$")


def web_pending_path(key: str) -> str:
    """The page a repeat is sent to while the first send is still being processed: a GET, so
    that reloading it sends nothing; it goes on to where the first send went once it is done
    (``web.views.form_sent``)."""
    return f"/forms/sent/{quote(key, safe=':')}/"


def web_abandoned_before(now: dt.datetime | None = None) -> dt.datetime:
    """A first send claimed before this moment and not finished was abandoned: the worker or
    process handling it died (no request runs longer than ``CQDT_REQUEST_TIMEOUT_SECONDS``)."""
    return (now or timezone.now()) - dt.timedelta(seconds=settings.CQDT_REQUEST_TIMEOUT_SECONDS)


class ClaimLost(Exception):
    """The claim of a send was taken over by a later click (it was held past the request
    timeout): this send must write nothing, the later one acts."""


def web_state(key: str) -> tuple[str, Any]:
    """Where the send claimed under ``key`` stands: ``("done", location)``, ``("pending",
    None)``, ``("refused", refusal)`` — refused after a repeat had already been sent to wait, with
    the refusal kept for it (:func:`web_release`): ``{"status", "vi", "en", "field", "back",
    "retry_after"}`` —
    or ``("none", None)``: never claimed, let go, or expired."""
    from cqdt.core.models import IdempotentRequest

    if not _WEB_KEY.match(key):
        return "none", None
    first = (
        IdempotentRequest.objects.filter(client=WEB_CLIENT, key=key, expires_at__gt=timezone.now())
        .only("status", "body")
        .first()
    )
    if first is None:
        return "none", None
    if first.status is None:
        # Abandoned (its worker died): nothing will come of it; the next click may send again.
        return ("none", None) if first.created_at < web_abandoned_before() else ("pending", None)
    if first.status >= 400:
        return "refused", json.loads(bytes(first.body).decode()) | {"status": first.status}
    return "done", bytes(first.body).decode()


def web_claim(request: HttpRequest, key: str) -> tuple[Any, str | None]:
    """Claim ``key`` (it holds a random nonce the form was served with): ``(claim, None)`` for
    the first request, which acts and then calls :func:`web_done` (or :func:`web_release` when
    refused); ``(None, location)`` for a repeat: where the first one went once it is done, or,
    when the first is still at work after :data:`WEB_WAIT_SECONDS`, the page that says so
    (:func:`web_pending_path`) — the repeat never acts, and never holds its worker longer.

    A first send not finished within the request timeout (:func:`web_abandoned_before`) was
    abandoned — its worker or process died, and it wrote nothing, since the send and its
    :func:`web_done` are one transaction (:func:`web_act`) — so a repeat takes its claim over
    and acts, once: of two repeats at the same moment one deletes the abandoned claim and the
    other finds the new one. The abandoned send, if it was alive after all, finds its claim
    gone when it would finish and writes nothing (:class:`ClaimLost`).

    Not keyed by the session: a visitor's first POSTs arrive before any session cookie, each
    in a session of its own. The nonce is as unguessable as a session key, and where the first
    one went shows only what the visitor's own session holds (``core.confirmations``)."""
    from cqdt.core.models import IdempotentRequest

    client = WEB_CLIENT
    now = timezone.now()
    IdempotentRequest.objects.filter(client=client, key=key, expires_at__lte=now).delete()
    try:
        with transaction.atomic():
            claim = IdempotentRequest.objects.create(
                client=client, key=key, fingerprint="", expires_at=now + KEEP
            )
        return claim, None
    except IntegrityError:
        pass
    waited = 0.0
    while waited < WEB_WAIT_SECONDS:
        first = IdempotentRequest.objects.filter(client=client, key=key).first()
        if first is None:  # the first was refused and let go: act afresh
            return web_claim(request, key)
        if first.status is not None and first.status >= 400:
            # Refused, its refusal kept for a repeat sent to wait: this click acts afresh (a
            # corrected or later try may pass where the first was refused).
            IdempotentRequest.objects.filter(pk=first.pk, status=first.status).delete()
            return web_claim(request, key)
        if first.status is not None:
            return None, bytes(first.body).decode()
        if first.created_at < web_abandoned_before():
            taken, _ = IdempotentRequest.objects.filter(pk=first.pk, status__isnull=True).delete()
            if taken:
                log.warning("web_claim_abandoned", kind=key.split(":", 1)[0])
            return web_claim(request, key)
        time.sleep(0.1)
        waited += 0.1
    return None, web_pending_path(key)


R = TypeVar("R")


def web_act(
    claim: Any, act: Callable[[Callable[[R], None]], R], where: Callable[[R], str]
) -> tuple[R, str]:
    """Run the claimed send and record where it went in the send's own transaction: ``act(record)``
    writes and calls ``record(result)`` inside its transaction once the submission is written
    (the services' ``recorded`` hook), which marks the claim done (``where(result)``). So a
    send that dies before its commit leaves neither the submission nor a done claim (a later
    click takes the claim over, :func:`web_claim`), one that commits leaves both; and a send
    whose claim was taken over meanwhile raises :class:`ClaimLost` and writes nothing. ``claim``
    None: no claim (answers kept before the nonce existed), nothing recorded."""
    went: list[str] = []

    def record(result: R) -> None:
        went.append(where(result))
        web_done(claim, went[-1])

    result = act(record)
    return result, went[-1] if went else where(result)


@dataclass(frozen=True)
class WebSent(Generic[R]):
    """Where a web form's send goes (``location``, a redirect) and what it filed (``result``);
    ``result`` None when this click did not act (:func:`web_send_once`)."""

    location: str
    result: R | None = None


def web_send_once(
    request: HttpRequest,
    key: str | None,
    act: Callable[[Callable[[R], None]], R],
    where: Callable[[R], str],
) -> WebSent[R]:
    """A web form's send that acts once for a double click (the citizen's report form, the
    online dossier's "Gửi hồ sơ"): ``act(record)`` run under the claim of ``key``
    (:func:`web_claim`, :func:`web_act`), its result and where it went; or, when this click
    does not act, only where to go: a repeat goes where the first send went or to the page that
    says it is being processed (:func:`web_pending_path`), and so does a send whose claim a
    later click took over (:class:`ClaimLost`, it wrote nothing). ``key`` None (no nonce:
    answers kept before it existed): no claim, the send acts.

    A refusal (:class:`DomainError`) raised by ``act`` lets the claim go with the refusal kept
    for a repeat already sent to wait, linking back to ``request.path`` (:func:`web_release`),
    and is raised again for the form to show; any other error lets the claim go and is raised.
    What runs inside ``act`` before the service call (a rate limit, reading kept files) is
    thus part of the send; what the caller runs before this call is not."""
    claim, went = web_claim(request, key) if key else (None, None)
    if went is not None:  # a second click: the first one acted, go where it went
        return WebSent(went)
    try:
        result, went = web_act(claim, act, where)
    except ClaimLost:  # the later click acts: wait for where it goes
        return WebSent(web_pending_path(key or ""))
    except BaseException as exc:
        refusal = exc if isinstance(exc, DomainError) else None
        # Let go: a corrected try may send it (a refusal kept for a waiting repeat).
        web_release(claim, refusal, back=request.path, request=request)
        raise
    return WebSent(went, result)


def web_done(claim: Any, location: str) -> None:
    """Record that the claimed send went to ``location``; :class:`ClaimLost` when its claim
    was taken over meanwhile. Called in the send's transaction (:func:`web_act`)."""
    from cqdt.core.models import IdempotentRequest

    if claim is None:
        return
    done = IdempotentRequest.objects.filter(pk=claim.pk, status__isnull=True).update(
        status=302, body=location.encode()
    )
    if not done:
        raise ClaimLost
    claim.status, claim.body = 302, location.encode()


# How long a refusal is kept for the "being processed" page of a repeat sent to wait.
WEB_REFUSAL_KEPT = dt.timedelta(minutes=15)


def web_release(
    claim: Any, refusal: DomainError | None = None, back: str = "", request: Any = None
) -> None:
    """Let the claim go: a later click may act. With ``refusal`` (the first send was refused),
    its message is kept a while, so that a repeat already sent to the "being processed" page
    (:func:`web_pending_path`) shows why and links ``back`` to the form, instead of "not found";
    the next click still acts afresh (:func:`web_claim`). It is kept with its own status and
    its ``retry_after`` (a service out of reach, ``core.file_store``: 503 and Retry-After, as
    the first send answered). A refusal may name what the visitor sent (a file's name): it is
    shown only to the browser session that sent it (:func:`refusal_for`), never to whoever else
    opens the page's address."""
    from cqdt.core.models import IdempotentRequest

    if claim is None:
        return
    mine = IdempotentRequest.objects.filter(pk=claim.pk, status__isnull=True)
    if refusal is None:
        mine.delete()  # not a claim taken over by a later click
        return
    body = {
        "vi": refusal.vi,
        "en": refusal.en,
        "field": refusal.field or "",
        "back": back,
        "owner": _session_mark(request),
        "retry_after": getattr(refusal, "retry_after", None) or 0,
    }
    mine.update(
        # Its own status, a 503 too (the file store down or full: not the visitor's fault, and
        # not a refusal to correct): the repeat answers as the first send did.
        status=refusal.status if 400 <= refusal.status < 600 else 422,
        body=json.dumps(body, ensure_ascii=False).encode(),
        expires_at=timezone.now() + WEB_REFUSAL_KEPT,
    )


def _session_mark(request: Any) -> str:
    """A one-way mark of the request's session (empty without one)."""
    key = getattr(getattr(request, "session", None), "session_key", None) or ""
    return hashlib.sha256(key.encode()).hexdigest() if key else ""


def refusal_for(request: HttpRequest, refusal: dict[str, Any]) -> dict[str, Any] | None:
    """The kept refusal when ``request`` comes from the session that sent the refused form."""
    owner = refusal.get("owner", "")
    return refusal if owner and owner == _session_mark(request) else None


def _revoked_bearer(request: HttpRequest) -> bool:
    """A bearer token that no longer authenticates (revoked, expired, unknown) gets no replay of
    an answer kept for it: the request goes on to authentication, which refuses it."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return token_lookup(secret.strip(), TokenKind.STAFF) is None


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the keys older than 24 hours (run by the periodic jobs)."""
    from cqdt.core.models import IdempotentRequest

    deleted, _ = IdempotentRequest.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
