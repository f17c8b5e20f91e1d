"""Attachments through the JSON API (issue 13): multipart uploads, the same checks as the forms.

Three writes take ``multipart/form-data``: a ``payload`` part with the JSON body the JSON-only
endpoint takes, and a file part per paper named ``attachments.<document code>`` (a paper may
take several parts):

- ``POST /api/v1/dossiers/with-attachments`` — intake at the desk (bearer token or session with
  CSRF; a read-only token is refused; the unit must be in the caller's scope);
- ``POST /api/v1/public/dossiers/with-attachments`` — online submission, no account;
- ``POST /api/v1/public/dossiers/{code}/supplement`` — the applicant answers a supplement
  request (Mẫu 02) with the missing papers (parts ``secret`` and the files); the clock resumes.

Every file goes through ``services.check_file`` as on the web (type from the content, size,
pages, pixels, re-encoding, the optional ClamAV scan): a bad file is refused with a message
naming it and nothing is stored. ``Idempotency-Key`` is honoured as on every API POST (the
fingerprint covers the files' contents). Staff read a dossier's files with
``GET /api/v1/dossiers/{code}/attachments`` and ``…/attachments/{public_id}``, the applicant with
``POST /api/v1/public/dossiers/{code}/attachments/{public_id}`` (the secret in the body, never in
the URL); every read is an audit event, as on the web.
"""

from __future__ import annotations

from typing import Any

import pydantic
from django.http import HttpRequest
from ninja import Router, Schema

from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.api_errors import check_in_words
from cqdt.core.audit import Actor
from cqdt.core.errors import InvalidInput
from cqdt.core.ratelimit import rate_limit
from cqdt.core.schemas import LookupSecret
from cqdt.dossiers import schemas, selectors, services
from cqdt.dossiers.api import IntakeIn, OnlineIn, online_intake, public_out, staff_intake
from cqdt.dossiers.files import file_response
from cqdt.staff.access import policy

router = Router(auth=STAFF_AUTH)
public_router = Router()

PART = "attachments."
MAX_FILES = 20  # more than any procedure's papers [C]
MULTIPART = "multipart/form-data"


def _body(payload_schema: type[Schema] | None, required: list[str], extra: dict[str, Any]) -> Any:
    """The OpenAPI ``requestBody`` of a multipart write (ninja cannot declare per-paper parts)."""
    properties: dict[str, Any] = dict(extra)
    if payload_schema is not None:
        properties["payload"] = {
            "type": "string",
            "description": f"JSON: the {payload_schema.__name__} body of the JSON-only endpoint.",
        }
    return {
        "requestBody": {
            "required": True,
            "content": {
                MULTIPART: {
                    "schema": {
                        "type": "object",
                        "required": required,
                        "properties": properties,
                        "additionalProperties": {
                            "type": "string",
                            "format": "binary",
                            "description": "A file part named attachments.<document code>: "
                            "PDF, JPEG or PNG (judged by content), 10 MB, 50 pages, 40 megapixels.",
                        },
                    }
                }
            },
        }
    }


def _multipart(request: HttpRequest) -> None:
    if request.content_type != MULTIPART:
        raise InvalidInput(
            "Hãy gửi yêu cầu dạng multipart/form-data (phần payload và các tệp).",
            "Send the request as multipart/form-data (a payload part and the files).",
            field="request",
            code="multipart_required",
        )


def uploaded_files(request: HttpRequest) -> list[services.AttachmentIn]:
    """The file parts ``attachments.<code>`` as files to check; any other part name refused."""
    _multipart(request)
    files: list[services.AttachmentIn] = []
    for name in request.FILES:
        code = name.removeprefix(PART)[:60]
        if not name.startswith(PART) or not code:
            raise InvalidInput(
                f"Phần tệp “{name[:60]}” không hợp lệ: tên phần phải là attachments.<mã giấy tờ>.",
                f"File part “{name[:60]}” is not valid: name it attachments.<document code>.",
                field=name[:60] or "attachments",
                code="unknown_part",
            )
        files += [services.read_upload(code, upload) for upload in request.FILES.getlist(name)]
    if len(files) > MAX_FILES:
        raise InvalidInput(
            f"Quá nhiều tệp ({len(files)}; tối đa {MAX_FILES}).",
            f"Too many files ({len(files)}; {MAX_FILES} at most).",
            field="attachments",
            code="too_many_files",
        )
    return files


def _payload(request: HttpRequest, schema: type[pydantic.BaseModel]) -> Any:
    """The ``payload`` part read as ``schema``; a bad value names its field (payload.<loc>)."""
    _multipart(request)
    raw = request.POST.get("payload")
    if raw is None:
        raise InvalidInput(
            "Thiếu phần “payload” (nội dung hồ sơ dạng JSON).",
            "The “payload” part (the dossier as JSON) is missing.",
            field="payload",
        )
    try:
        return schema.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = ".".join(["payload", *(str(p) for p in error["loc"])])
        first: dict[str, Any] = dict(error)
        vi_detail, en_detail = check_in_words(first)  # the JSON API's words for the check
        raise InvalidInput(
            f"Dữ liệu không hợp lệ ở trường “{field}”: {vi_detail}. Vui lòng sửa và gửi lại.",
            f"Invalid value for “{field}”: {en_detail}. Please correct it and try again.",
            field=field,
        ) from exc


FILE_ANSWER = {
    "responses": {
        # An int, as ninja's own keys: a "200" string beside ninja's 200 became a duplicated key
        # in the served JSON, which Swagger UI's parser refuses (/api/v1/docs stayed blank).
        200: {
            "description": "The file as stored (PDF or JPEG).",
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
}


# --- staff --------------------------------------------------------------------------------------


@router.post(
    "/dossiers/with-attachments",
    response=schemas.DossierCreated,
    summary="Intake at the one-stop desk with a file per paper (multipart)",
    openapi_extra=_body(IntakeIn, ["payload"], {}),
)
def intake_with_attachments(request: HttpRequest) -> dict[str, Any]:
    payload = _payload(request, IntakeIn)
    return staff_intake(request, payload, uploaded_files(request))


@router.get(
    "/dossiers/{code}/attachments",
    response=list[schemas.AttachmentOut],
    summary="A dossier's files (names, types, sizes); the reading audited",
)
def attachment_list(request: HttpRequest, code: str) -> list[Any]:
    # a ward's own code over its holding (0025)
    d = policy.act_scope(request.user).find(selectors.dossier_for, code)
    return services.attachments_listed(actor=Actor.of(request.user), d=d, reader="staff")


@router.get(
    "/dossiers/{code}/attachments/{public_id}",
    summary="One file of a dossier (its bytes); the reading audited",
    openapi_extra=FILE_ANSWER,
)
def attachment_file(request: HttpRequest, code: str, public_id: str) -> Any:
    # a ward's own code over its holding (0025)
    d = policy.act_scope(request.user).find(selectors.dossier_for, code)
    row = services.attachment_read(
        actor=Actor.of(request.user), d=d, public_id=public_id, reader="staff"
    )
    return file_response(row)


# --- citizens -------------------------------------------------------------------------------------


@public_router.post(
    "/dossiers/with-attachments",
    response=schemas.PublicDossierCreated,
    summary="Submit a dossier online with a file per paper (multipart, no account needed)",
    openapi_extra=_body(OnlineIn, ["payload"], {}),
)
def online_with_attachments(request: HttpRequest) -> dict[str, Any]:
    payload = _payload(request, OnlineIn)
    return online_intake(request, payload, uploaded_files(request))


@public_router.post(
    "/dossiers/{code}/supplement",
    response=schemas.PublicDossierOut,
    summary="Answer a supplement request (Mẫu 02) with the missing papers (multipart)",
    openapi_extra=_body(
        None,
        ["secret"],
        {"secret": {"type": "string", "description": "The lookup secret (never in the URL)."}},
    ),
)
def supplement(request: HttpRequest, code: str) -> dict[str, Any]:
    rate_limit(request, "submit", per_minute=10)
    files = uploaded_files(request)
    secret = str(request.POST.get("secret", ""))[:100]
    if not secret:
        raise InvalidInput(
            "Thiếu mã tra cứu (phần “secret”).",
            "The lookup secret (the “secret” part) is missing.",
            field="secret",
        )
    moved = services.dossier_supplement_online(code=code, secret=secret, attachments=files)
    return public_out(moved)


class SecretIn(Schema):
    secret: LookupSecret


@public_router.post(
    "/dossiers/{code}/attachments/{public_id}",
    summary="One file of a dossier for its applicant, the secret in the body; the reading audited",
    openapi_extra=FILE_ANSWER,
)
def public_attachment_file(
    request: HttpRequest, code: str, public_id: str, payload: SecretIn
) -> Any:
    rate_limit(request, "lookup")
    d = services.public_dossier(code, payload.secret)
    row = services.attachment_read(
        actor=Actor.system("applicant"), d=d, public_id=public_id, reader="applicant"
    )
    return file_response(row)
