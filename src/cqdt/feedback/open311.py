"""Open311 GeoReport v2 under /open311/v2/ — services, requests, tokens — in JSON and XML.

Field names, list shapes and the error format (``[{"code": 400, "description": "..."}]``, or
``<errors><error>…</error></errors>``) follow the published GeoReport v2 specification. The
jurisdiction is the city (``CQDT_OPEN311_JURISDICTION``). Reporter contact is never returned.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.core.open311_errors import described, error_list
from cqdt.core.ratelimit import TooManyRequests, rate_limit
from cqdt.core.web_errors import with_retry_after
from cqdt.feedback import photos as photo_rules
from cqdt.feedback import selectors, services, workflow
from cqdt.feedback.models import Category, Report, ReportPhoto
from cqdt.units import naming

MAX_RESULTS = 1000  # the spec's ceiling for one GET /requests
# Pages of GET /requests (an extension of GeoReport v2 many servers share: ``page``,
# ``page_size``): a client that asks for more gets at most PAGE_SIZE_MAX rows per request.
PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 200
GET_PER_MINUTE = 60
# The services' field names, for the Open311 argument names a client sent.
OPEN311_FIELDS = {"photos": "media", "address": "address_string", "ward": "address_id"}
DEFAULT_WINDOW = dt.timedelta(days=90)


def jurisdiction() -> str:
    return str(getattr(settings, "CQDT_OPEN311_JURISDICTION", "hanoi.gov.vn"))


class Open311Error(Exception):
    """A refusal of the protocol itself, with its words in Vietnamese and English
    (``core.open311_errors.described``)."""

    def __init__(self, status: int, vi: str, en: str) -> None:
        description = described("", vi, en)
        super().__init__(description)
        self.status = status
        self.description = description


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _xml(root: str, item: str, rows: list[dict[str, Any]]) -> str:
    parts = ['<?xml version="1.0" encoding="utf-8"?>', f"<{root}>"]
    for row in rows:
        parts.append(f"<{item}>")
        for key, value in row.items():
            if isinstance(value, list):
                parts.append(
                    f"<{key}>"
                    + "".join(
                        f"<{key[:-1] or key}>{_xml_value(v)}</{key[:-1] or key}>" for v in value
                    )
                    + f"</{key}>"
                )
            else:
                parts.append(f"<{key}>{_xml_value(value)}</{key}>")
        parts.append(f"</{item}>")
    parts.append(f"</{root}>")
    return "".join(parts)


def _respond(
    fmt: str, root: str, item: str, rows: list[dict[str, Any]], status: int = 200
) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            _xml(root, item, rows), content_type="text/xml; charset=utf-8", status=status
        )
    return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _guard(fmt: str, request: HttpRequest) -> None:
    if fmt not in ("json", "xml"):
        raise Open311Error(
            404, "Định dạng không hỗ trợ: dùng .json hoặc .xml", "Unknown format: use .json or .xml"
        )
    wanted = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if wanted and wanted != jurisdiction():
        raise Open311Error(
            404,
            f"jurisdiction_id không có: {wanted[:60]}",
            f"jurisdiction_id not found: {wanted[:60]}",
        )


View = Callable[..., HttpResponse]


def _handle(view: View) -> View:
    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            _guard(fmt, request)
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error_list(
                fmt if fmt in ("json", "xml") else "json", exc.status, exc.description
            )
        except TooManyRequests as exc:
            # Retry-After as every domain error's answer sets it (the limit's retry is >= 1 s).
            return with_retry_after(error_list(fmt, 429, described("", exc.vi, exc.en)), exc)
        except DomainError as exc:
            # The spec's codes: 404 for what does not exist (an unknown service_code among
            # them), 403 for the api_key, 400 for any other request that cannot be fulfilled.
            status = 404 if exc.code == "unknown_category" else exc.status
            field = OPEN311_FIELDS.get(exc.field or "", exc.field or "request")
            answer = error_list(
                fmt, 400 if status == 422 else status, described(field, exc.vi, exc.en)
            )
            return with_retry_after(answer, exc)  # the file store out of reach or full: 503

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def service_row(c: Category) -> dict[str, Any]:
    return {
        "service_code": c.code,
        "service_name": c.name,
        "description": c.description or c.name_en,
        "metadata": False,
        "type": "realtime",
        "keywords": c.keywords,
        "group": c.group,
    }


@require_http_methods(["GET"])
@_handle
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET /services — the categories citizens can report under."""
    rows = [service_row(c) for c in Category.objects.filter(active=True).order_by("group", "name")]
    return _respond(fmt, "services", "service", rows)


@require_http_methods(["GET"])
@_handle
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    """GET /services/{service_code} — no extra attributes are asked (metadata is false)."""
    category = Category.objects.filter(code=service_code[:60], active=True).first()
    if category is None:
        raise Open311Error(
            404,
            f"service_code không có: {service_code[:60]}",
            f"service_code not found: {service_code[:60]}",
        )
    body = {"service_code": category.code, "attributes": []}
    if fmt == "xml":
        xml = (
            '<?xml version="1.0" encoding="utf-8"?><service_definition>'
            f"<service_code>{escape(category.code)}</service_code><attributes></attributes></service_definition>"
        )
        return HttpResponse(xml, content_type="text/xml; charset=utf-8")
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


_LOCAL = ZoneInfo(settings.TIME_ZONE)
_NO_PHOTO = uuid.UUID(int=0)
# What a list row reads of a report: no reporter contact is even loaded.
ROW_FIELDS = (
    "code",
    "status",
    "resolution_note",
    "description",
    "unit_code",
    "address",
    "lat",
    "lon",
    "submitted_at",
    "updated_at",
    "resolve_due_at",
    "resolved_at",
    "closed_at",
    "category",
    "category__code",
    "category__name",
)


OUTSIDE_NOTICE = "Xử lý ngoài nền tảng: cơ quan nhận trả lời trên hệ thống của mình."


def _w3c(moment: dt.datetime) -> str:
    """W3C datetime with its offset and whole seconds, as in the spec (2010-04-14T06:37:38-08:00)."""
    return moment.astimezone(_LOCAL).replace(microsecond=0).isoformat()


def photo_ids(reports: list[Report]) -> dict[int, uuid.UUID]:
    """The first photo of each report, in one query. (``prefetch_related`` would clone its
    ``IN (…)`` queryset once per report, which costs more than the rows at 1,000 reports.)"""
    first: dict[int, uuid.UUID] = {}
    rows = ReportPhoto.objects.filter(report_id__in=[r.pk for r in reports]).order_by(
        "report_id", "pk"
    )
    for report_id, public_id in rows.values_list("report_id", "public_id"):
        first.setdefault(report_id, public_id)
    return first


def request_row(
    r: Report,
    request: HttpRequest,
    names: dict[int, selectors.ReportNames] | None = None,
    photos: dict[int, uuid.UUID] | None = None,
    photo_url: str | None = None,
) -> dict[str, Any]:
    """One service request. In lists, ``names`` (``selectors.report_names`` of the unit
    responsible, by report), ``photos`` (``photo_ids``) and ``photo_url``
    (``photo_url_template``) spare the queries and URL building per row."""
    names = names if names is not None else selectors.report_names([r], "unit")
    unit_name = names[r.pk].unit
    photo = (photos if photos is not None else photo_ids([r])).get(r.pk)
    template = photo_url or photo_url_template(request)
    outside = selectors.is_held_outside(r, timezone.localdate())
    return {
        "service_request_id": r.code,
        "status": workflow.open311_status(r.status),
        "status_notes": r.resolution_note or workflow.LABELS[r.status][0],
        "service_name": r.category.name,
        "service_code": r.category.code,
        "description": r.description,
        "agency_responsible": f"UBND {naming.in_text(unit_name)}" if unit_name else r.unit_code,
        # Forwarded to the City, which answers it in its own system: no expected moment the
        # platform cannot follow, and the notice says why (docs/decisions/0026).
        "service_notice": OUTSIDE_NOTICE if outside else "",
        "requested_datetime": _w3c(r.submitted_at),
        "updated_datetime": _w3c(r.updated_at),
        "expected_datetime": "" if outside else _w3c(r.resolve_due_at),
        "address": r.address,
        "address_id": "",
        "zipcode": "",
        "lat": float(r.lat) if r.lat is not None else None,
        "long": float(r.lon) if r.lon is not None else None,
        "media_url": template.replace(str(_NO_PHOTO), str(photo)) if photo else "",
    }


def photo_url_template(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("feedback:photo", args=[_NO_PHOTO]))


def _whole(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise Open311Error(
            400,
            f"{name} phải là số nguyên từ {low} đến {high}",
            f"{name} must be a whole number from {low} to {high}",
        )
    return int(raw)


def _page(request: HttpRequest) -> tuple[int, int]:
    """(page, page_size) of GET /requests; pages end at the spec's 1,000th request."""
    size = _whole(request, "page_size", PAGE_SIZE_DEFAULT, 1, PAGE_SIZE_MAX)
    return _whole(request, "page", 1, 1, MAX_RESULTS // size or 1), size


def _parse_date(value: str, name: str) -> dt.datetime:
    try:
        parsed = parse_datetime(value.replace(" ", "+")) if value else None
    except ValueError:  # well formed but no such moment: 30 February, month 13, hour 25
        parsed = None
    if parsed is None:
        raise Open311Error(
            400,
            f"{name} phải là thời điểm theo W3C (ví dụ 2026-11-26T08:00:00+07:00)",
            f"{name} must be a W3C datetime (e.g. 2026-11-26T08:00:00+07:00)",
        )
    try:
        aware = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        aware.astimezone(dt.UTC)  # the database compares in UTC: year 0 or 10000 cannot be
    except OverflowError:
        raise Open311Error(
            400,
            f"{name} nằm ngoài lịch khi đổi sang giờ UTC",
            f"{name} is outside the calendar once expressed in UTC",
        ) from None
    return aware


def _filtered(request: HttpRequest) -> QuerySet[Report]:
    qs = Report.objects.select_related("category").only(*ROW_FIELDS)
    ids = request.GET.get("service_request_id")
    if ids:  # "This overrides all other arguments."
        wanted = [i.strip() for i in ids.split(",")][:MAX_RESULTS]
        return qs.filter(code__in=wanted).order_by("-submitted_at", "-id")
    codes = request.GET.get("service_code")
    if codes:
        qs = qs.filter(category__code__in=[c.strip() for c in codes.split(",")])
    end = (
        _parse_date(request.GET["end_date"], "end_date")
        if request.GET.get("end_date")
        else timezone.now()
    )
    if request.GET.get("start_date"):
        start = _parse_date(request.GET["start_date"], "start_date")
    else:
        try:
            start = end - DEFAULT_WINDOW
        except OverflowError:  # an end_date in the calendar's first days: from its start
            start = dt.datetime.min.replace(tzinfo=dt.UTC)
    if start > end:
        raise Open311Error(
            400, "start_date phải trước end_date", "start_date must be before end_date"
        )
    qs = qs.filter(submitted_at__gte=start, submitted_at__lte=end)
    statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status phải là open hoặc closed", "status must be open or closed")
    if statuses == {"open"}:
        qs = qs.exclude(status__in=(workflow.RESOLVED, workflow.CLOSED))
    elif statuses == {"closed"}:
        qs = qs.filter(status__in=(workflow.RESOLVED, workflow.CLOSED))
    return qs.order_by("-submitted_at", "-id")


def _api_key(request: HttpRequest) -> str:
    """The Open311 key a POST carries: ``Authorization: Bearer <key>``, the staff API's way
    (and a header keeps the key out of request bodies that proxies log; QA Q13), else the
    spec's form field ``api_key``."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return str(request.POST.get("api_key", ""))


@csrf_exempt  # Open311 clients authenticate with api_key, not cookies
@require_http_methods(["GET", "POST"])
@_handle
def requests_collection(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET /requests (the spec's filters) and POST /requests (with ``api_key``)."""
    if request.method == "GET":
        rate_limit(request, "open311_get", per_minute=GET_PER_MINUTE)
        number, size = _page(request)
        start = (number - 1) * size
        page = list(_filtered(request)[start : min(start + size, MAX_RESULTS)])
        names = selectors.report_names(page, "unit")
        firsts, url = photo_ids(page), photo_url_template(request)
        rows = [request_row(r, request, names, firsts, url) for r in page]
        return _respond(fmt, "service_requests", "request", rows)
    rate_limit(request, "open311_post", per_minute=60)
    data = request.POST
    key = services.open311_key(_api_key(request))
    if key is None:
        raise Open311Error(
            403,
            "api_key thiếu, không đúng, đã hết hạn hoặc đã bị thu hồi",
            "api_key is missing, invalid, expired or revoked",
        )
    if key.read_only:
        raise Open311Error(
            403,
            "api_key chỉ được đọc, không được gửi phản ánh",
            "api_key is read-only and may not create a service request",
        )
    if not data.get("service_code"):
        raise Open311Error(400, "service_code: cần chọn lĩnh vực", "service_code is required")
    if (
        not (data.get("lat") and data.get("long"))
        and not data.get("address_string")
        and not data.get("address_id")
    ):
        raise Open311Error(
            400,
            "cần vị trí: lat và long, hoặc address_string",
            "a location is required: lat and long, or address_string",
        )
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p)
    photos = photo_rules.read_uploads(request.FILES.getlist("media"), field="media")
    submitted = services.report_submit(
        actor=Actor.system("open311"),
        category_code=data["service_code"],
        description=data.get("description", ""),
        address=data.get("address_string", ""),
        ward_code=data.get("address_id", ""),
        lat=data.get("lat"),
        lon=data.get("long"),
        reporter_name=name,
        reporter_phone=data.get("phone", ""),
        reporter_email=data.get("email", ""),
        photos=photos,
        channel="open311",
        within=services.open311_key_scope(key),
    )
    row = {
        "service_request_id": submitted.report.code,
        "service_notice": f"Mã theo dõi: {submitted.secret}",
        "account_id": None,
    }
    return _respond(fmt, "service_requests", "request", [row])


@require_http_methods(["GET"])
@_handle
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    r = (
        Report.objects.select_related("category")
        .only(*ROW_FIELDS)
        .filter(code=request_id[:30])
        .first()
    )
    if r is None:
        raise Open311Error(
            404,
            f"service_request_id không có: {request_id[:30]}",
            f"service_request_id not found: {request_id[:30]}",
        )
    return _respond(fmt, "service_requests", "request", [request_row(r, request)])


@require_http_methods(["GET"])
@_handle
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    try:
        r = Report.objects.filter(token=token).only("code", "token").first()
    except (ValueError, ValidationError):  # a malformed UUID is simply not found
        r = None
    if r is None:
        raise Open311Error(404, "token không có", "token not found")
    return _respond(
        fmt, "service_requests", "request", [{"service_request_id": r.code, "token": str(r.token)}]
    )
