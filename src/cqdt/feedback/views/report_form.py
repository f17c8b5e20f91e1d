"""The citizen's report form (category, ward or address or a pin on its map, description, photos,
contact) and the confirmation after it.

A refused try shows every error at once — the form's, the photos', the service's — and keeps the
photos that passed for the next try (``core.pending_uploads``); Back to it shows the same form and
errors (``core.form_recall``); a double click files one report (``core.idempotency``).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cqdt.core import confirmations, file_store, form_recall, idempotency, pending_uploads
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.core.ratelimit import rate_limit
from cqdt.core.web_errors import with_retry_after
from cqdt.feedback import photos as photo_rules
from cqdt.feedback import selectors, services
from cqdt.feedback.forms import ReportForm
from cqdt.feedback.views.follow_up import FOLLOW_UP

# The service's field names, for the form's.
FORM_FIELDS = {
    "service_code": "category",
    "phone": "reporter_phone",
    "email": "reporter_email",
    "lat": "lat",
    "long": "lon",
}
FORM_KEY = "feedback"
SESSION_MARK = "feedback:form"


def _form_error(form: Any, exc: DomainError, mapping: dict[str, str] | None = None) -> None:
    field = (mapping or {}).get(exc.field or "", exc.field or "")
    form.add_error(field if field in form.fields else None, exc.message)


def _report_form(
    request: HttpRequest,
    groups: list[tuple[str, list[Any]]] | None = None,
    *,
    recalled: Any = None,
) -> ReportForm:
    """The report form, bound to the POST, or to what a try answered with errors left when
    Back returns to it (``recalled``, ``core.form_recall``)."""
    groups = selectors.wards_by_district() if groups is None else groups
    return ReportForm(
        request.POST or recalled or None,
        request.FILES or None,
        initial={"once": secrets.token_urlsafe(16)},
        category_choices=[(c.code, c.label) for c in selectors.categories()],
        ward_choices=[(district, [(w.code, w.name) for w in units]) for district, units in groups],
        two_level=not selectors.under_districts(groups),
    )


def _map(groups: list[tuple[str, list[Any]]]) -> dict[str, Any]:
    """The form's map: tiles from ``CQDT_MAP_TILES_URL`` (none when empty: the map then shows
    the wards' centres and outlines or approximate areas only) and the wards' geodata."""
    return {
        "tiles_url": settings.CQDT_MAP_TILES_URL,
        "attribution": settings.CQDT_MAP_TILES_ATTRIBUTION,
        "wards": selectors.map_wards(groups),
    }


def _checked_photos(request: HttpRequest, form: ReportForm) -> tuple[list[bytes], list[Any]]:
    """(the photos to send: kept from an earlier refused try, then the new ones that passed;
    the new ones that passed, to keep if this try is refused too). A refused photo is named
    on the photos field; more than the limit in all is refused there too."""
    kept = pending_uploads.listed(request, FORM_KEY).get("photos", [])
    photos: list[bytes] = []
    for k in kept:
        try:
            found = pending_uploads.read(request, FORM_KEY, k.token)
        except pending_uploads.Gone as exc:  # gone from the store: said, not left out
            form.add_error("photos", exc.message)
            continue
        if found is not None:
            photos.append(found[1])
    new: list[Any] = []
    for upload in request.FILES.getlist("photos"):
        try:
            raw = photo_rules.read_uploads([upload])[0]
            new.append((str(upload.name or "anh.jpg")[:200], photo_rules.clean_photo(raw).data))
        except DomainError as exc:
            form.add_error("photos", f"{upload.name}: {exc.message}")
    new, left_out = photo_rules.beside_kept(len(photos), new)
    if left_out:
        form.add_error(
            "photos",
            _("Tối đa %(n)d ảnh (kể cả ảnh đã tải lên).") % {"n": photo_rules.MAX_PHOTOS},
        )
    return photos + [data for _name, data in new], new


def _service_problems(form: ReportForm) -> None:
    """What the service would refuse (``services.report_problems``), each on its field unless
    the form has already said something there."""
    data = form.cleaned_data
    for problem in services.report_problems(
        category_code=data.get("category") or "",
        address=data.get("address") or "",
        ward_code=data.get("ward") or "",
        lat=data.get("lat"),
        lon=data.get("lon"),
        reporter_phone=data.get("reporter_phone") or "",
    ):
        field = FORM_FIELDS.get(problem.field or "", problem.field or "")
        if field not in form.errors:
            _form_error(form, problem, FORM_FIELDS)


def _file(
    request: HttpRequest, data: dict[str, Any], photos: list[bytes]
) -> HttpResponse | DomainError:
    """File the report once: the redirect to its confirmation (or, for a second click, to
    where the first one went), or the service's refusal, its claim let go."""
    try:
        sent = idempotency.web_send_once(
            request,
            f"feedback:{data['once']}" if data.get("once") else None,
            lambda record: services.report_submit(
                actor=Actor.system("citizen"),
                category_code=data["category"],
                description=data["description"],
                address=data["address"],
                ward_code=data["ward"],
                lat=data.get("lat"),
                lon=data.get("lon"),
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                reporter_email=data["reporter_email"],
                photos=photos,
                channel="web",
                recorded=record,
            ),
            lambda filed: reverse("feedback:submitted", args=[filed.report.code]),
        )
    except DomainError as exc:  # refused, its claim let go: a corrected try may send it
        return exc
    submitted = sent.result
    if submitted is None:  # a second click: the first one filed it (or files it)
        return redirect(sent.location)
    pending_uploads.clear(request, FORM_KEY)
    form_recall.forget(request, FORM_KEY)
    confirmations.remember(request, "report", code=submitted.report.code, secret=submitted.secret)
    return redirect(sent.location)


def _send(request: HttpRequest, form: ReportForm) -> HttpResponse | tuple[int, DomainError | None]:
    """A POST of the form: filed (a redirect), or the status to answer it again with and the
    service's refusal if there was one; the new photos that passed are kept for the next try,
    unless the store refused (it would refuse them too)."""
    pending_uploads.remove(request, FORM_KEY, request.POST.getlist("pending_remove"))
    try:
        rate_limit(request, "feedback_submit", per_minute=10)
    except DomainError as exc:
        _form_error(form, exc, FORM_FIELDS)
        return exc.status, None
    valid = form.is_valid()
    photos, new = _checked_photos(request, form)
    _service_problems(form)
    status, refused = 422, None
    if valid and not form.errors:
        filed = _file(request, form.cleaned_data, photos)
        if not isinstance(filed, DomainError):
            return filed
        _form_error(form, filed, FORM_FIELDS)
        status, refused = filed.status, filed
    if refused is None or not file_store.refused_by_store(refused):
        for name, content in new:  # (the store that refused them would refuse these)
            pending_uploads.keep(request, FORM_KEY, "photos", name, content)
    return status, refused


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The citizen's report form: category, ward or address (or a pin), description, photos,
    contact. A refused try shows every error at once — the form's, the photos', the service's
    — and keeps the photos that passed for the next try (``core.pending_uploads``)."""
    groups = selectors.wards_by_district()
    # Back to a page answered with errors: the same form and errors, not a resubmission.
    again = form_recall.recalled(request, FORM_KEY)
    form = _report_form(request, groups, recalled=again.data if again else None)
    status = 200
    history_url = None
    if again:
        form_recall.show_errors(form, again.errors)
        status = again.status
    refused: DomainError | None = None  # the service's refusal, for its Retry-After
    if request.method == "GET" and request.session.session_key is None:
        # The form's POSTs share one session from the start: a double click's second POST is
        # sent to the first one's confirmation, which that session holds.
        request.session[SESSION_MARK] = True
    if request.method == "POST":
        sent = _send(request, form)
        if isinstance(sent, HttpResponse):
            return sent
        status, refused = sent
        history_url = form_recall.keep(request, FORM_KEY, form, status)
    form.fields["photos"].kept = pending_uploads.listed(request, FORM_KEY).get("photos", [])  # type: ignore[attr-defined]
    page = render(
        request,
        "feedback/new.html",
        {"form": form, "map": _map(groups), "history_url": history_url},
        status=status,
    )
    return with_retry_after(page, refused)


@require_safe
def report_submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation after a report (a GET: refreshing it files nothing)."""
    r, secret = FOLLOW_UP.submitted(request, code)
    return render(
        request,
        "feedback/submitted.html",
        {
            "r": r,
            "secret": secret,
            "nearby": selectors.nearby_open_reports(
                category_id=r.category_id,
                lat=float(r.lat),
                lon=float(r.lon),
                at=r.submitted_at,
                exclude_code=r.code,
            )
            if r.lat is not None and r.lon is not None
            else [],
            "unit_name": selectors.report_names([r], "unit")[r.pk].unit or r.unit_code,
        },
    )
