"""Open311 GeoReport v2's error list, the one builder of it.

Open311 answers every refusal with a list of errors, each a ``code`` (the HTTP status) and a
``description``, as JSON or XML by the path's ending (``.json``, ``.xml``). It is built here, in
``core``, because it is given both by the Open311 views (``feedback.open311``) and before any
view ran, by middleware that may not import ``feedback``: the input guard
(``core.middleware.input_error_response``) and a full temporary disk
(``core.file_store_uploads.refusal``).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.http import HttpRequest, HttpResponse, JsonResponse


def format_of(request: HttpRequest) -> str:
    """``xml`` or ``json``: the format an Open311 path asks for (JSON unless it ends ``.xml``)."""
    return "xml" if request.path.endswith(".xml") else "json"


def described(field: str, vi: str, en: str) -> str:
    """An error's ``description``: the field at fault, then the message in Vietnamese and in
    English ("lat: Điểm … — The point is …"). GeoReport v2 gives an error one description, and
    the answer says ``Content-Language: vi``: the Vietnamese comes first, the English after for
    the clients that read it (QA Q13: every description was English only); the field first, as
    the rest of the API names it."""
    text = f"{vi} — {en}" if vi and vi != en else en
    return f"{field}: {text}" if field else text


def error_list(fmt: str, status: int, description: str) -> HttpResponse:
    """The error list of one error, ``status`` as its code and the answer's status, in ``fmt``
    (``xml``, else JSON): the bytes of every other Open311 answer (``feedback.open311``), UTF-8
    unescaped in JSON, ``&``, ``<`` and ``>`` escaped in XML."""
    if fmt == "xml":
        body = (
            '<?xml version="1.0" encoding="utf-8"?><errors><error>'
            f"<code>{status}</code><description>{escape(description)}</description>"
            "</error></errors>"
        )
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(
        [{"code": status, "description": description}],
        safe=False,
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
