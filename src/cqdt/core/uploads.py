"""Checking uploaded files: the type from the content, size, pages and pixels; a malware scan.

Shared by the contexts that take files from the public (feedback photos, dossier attachments).
The type is sniffed from the first bytes, never taken from the name or the browser's
Content-Type, so a renamed executable is refused. Images are bounded in pixels *before*
decoding (a 400-megapixel PNG of one colour is small on disk and gigabytes decoded) and written
again without metadata (``clean_image``); PDFs are bounded in bytes and pages and must parse.

The malware scan is optional: with ``CQDT_CLAMD`` set (a Unix socket path, or ``host:port`` on
127.0.0.1) every file is streamed to ClamAV's daemon (``INSTREAM``) and refused when it answers
``FOUND``; without it no scan is made, and ``scan`` says so (``"skipped"``).
"""

from __future__ import annotations

import io
import os
import re
import socket
import struct
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from cqdt.core.errors import InvalidInput, RuleViolation

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
_MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))


def sniff(raw: bytes) -> str | None:
    """The media type the content itself declares (PDF, JPEG or PNG), else ``None``."""
    head = raw[:1024]
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    # A PDF may carry a few bytes before its header (ISO 32000-1, 7.5.2 tolerance in readers).
    return PDF if b"%PDF-" in head else None


def _named(name: str | None, vi: str, en: str) -> tuple[str, str]:
    if name:
        return f"Tệp “{name}”: {vi}", f"File “{name}”: {en}"
    return vi[:1].upper() + vi[1:], en[:1].upper() + en[1:]


def refuse(name: str | None, vi: str, en: str, *, field: str, code: str) -> InvalidInput:
    """An error about one uploaded file, naming it when its name is known."""
    named_vi, named_en = _named(name, vi, en)
    return InvalidInput(named_vi, named_en, field=field, code=code)


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int


def clean_image(
    raw: bytes,
    *,
    field: str,
    max_pixels: int,
    max_side: int,
    formats: frozenset[str],
    name: str | None = None,
    what: tuple[str, str] = ("Ảnh", "Photo"),
) -> CleanImage:
    """Decode, bound in pixels (from the header, before decoding) and re-encode as JPEG without
    metadata: EXIF (GPS included), XMP, ICC profile, comments and anything appended."""
    try:
        with Image.open(io.BytesIO(raw)) as probe:  # reads the header only
            fmt = probe.format
            width, height = probe.size
            if fmt not in formats:
                raise refuse(
                    name,
                    "chỉ nhận ảnh " + ", ".join(sorted(formats)) + ".",
                    "only " + ", ".join(sorted(formats)) + " images are accepted.",
                    field=field,
                    code="unsupported_type",
                )
            if width * height > max_pixels:
                raise _too_many_pixels(name, width * height, max_pixels, what, field)
            probe.verify()
        with Image.open(io.BytesIO(raw)) as opened:
            # A JPEG can be decoded at 1/2, 1/4 or 1/8 scale: no larger than the stored size
            # needs, so a 40-megapixel photo costs a quarter of its full decode (no-op otherwise).
            opened.draft("RGB", (max_side, max_side))
            # Keep the orientation the phone meant, then drop EXIF with everything else.
            upright = ImageOps.exif_transpose(opened)
            rgb = upright.convert("RGB")
            rgb.thumbnail((max_side, max_side))
            # ``convert`` copies ``info``, and Pillow's JPEG writer re-emits a comment, XMP and an
            # ICC profile it finds there: the copy must carry pixels and nothing else.
            rgb.info.clear()
            out = io.BytesIO()
            rgb.save(out, format="JPEG", quality=85, optimize=True, exif=b"", icc_profile=None)
            return CleanImage(out.getvalue(), rgb.width, rgb.height)
    except Image.DecompressionBombError as exc:
        # Pillow's own guard fired while reading the header (over twice Image.MAX_IMAGE_PIXELS):
        # the same refusal as ours, with the size its message gives.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = int(found.group(1)) if found else 2 * max_pixels
        raise _too_many_pixels(name, pixels, max_pixels, what, field) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise refuse(
            name,
            "tệp không phải là ảnh hợp lệ.",
            "the file is not a valid image.",
            field=field,
            code="invalid_image",
        ) from exc


def _too_many_pixels(
    name: str | None, pixels: int, max_pixels: int, what: tuple[str, str], field: str
) -> InvalidInput:
    mp, limit = pixels / 1_000_000, max_pixels // 1_000_000
    return refuse(
        name,
        f"{what[0]} quá nhiều điểm ảnh ({mp:.0f} triệu; tối đa {limit} triệu điểm ảnh).",
        f"{what[1]} has too many pixels ({mp:.0f} megapixels; {limit} megapixels at most).",
        field=field,
        code="too_many_pixels",
    )


def pdf_pages(raw: bytes, *, field: str, name: str | None, max_pages: int) -> int:
    """The page count of a PDF that parses, refusing one over ``max_pages`` pages."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pages = len(PdfReader(io.BytesIO(raw), strict=False).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise refuse(
            name,
            "tệp PDF bị hỏng hoặc không đọc được.",
            "the PDF is damaged or unreadable.",
            field=field,
            code="invalid_pdf",
        ) from exc
    if pages < 1 or pages > max_pages:
        raise refuse(
            name,
            f"tệp PDF có {pages} trang (tối đa {max_pages} trang).",
            f"the PDF has {pages} pages ({max_pages} pages at most).",
            field=field,
            code="too_many_pages",
        )
    return pages


def scan(raw: bytes, *, field: str, name: str | None) -> str:
    """Scan with ClamAV's daemon when ``CQDT_CLAMD`` is set: ``"clean"``, or ``"skipped"``
    without it. A file the daemon flags is refused; a daemon that does not answer refuses too
    (a configured scan is never silently skipped)."""
    where = os.environ.get("CQDT_CLAMD", "").strip()
    if not where:
        return "skipped"
    try:
        answer = _instream(where, raw)
    except OSError as exc:
        raise RuleViolation(
            "Không kiểm tra được mã độc cho tệp tải lên; vui lòng thử lại sau.",
            "The uploaded file could not be scanned for malware; please try again later.",
            field=field,
            code="scan_unavailable",
        ) from exc
    if answer.endswith("FOUND"):
        raise refuse(
            name,
            "tệp chứa mã độc và đã bị từ chối.",
            "the file contains malware and was refused.",
            field=field,
            code="malware_found",
        )
    return "clean"


def _instream(where: str, raw: bytes, chunk: int = 64 * 1024) -> str:
    """clamd's INSTREAM command: length-prefixed chunks, a zero-length end, one reply line."""
    if where.startswith("/"):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(30)
        conn.connect(where)
    else:
        host, _, port = where.rpartition(":")
        if host not in ("127.0.0.1", "localhost"):
            raise OSError("CQDT_CLAMD must be a local socket or 127.0.0.1:port")
        conn = socket.create_connection((host, int(port)), timeout=30)
    with conn:
        conn.sendall(b"zINSTREAM\0")
        for start in range(0, len(raw), chunk):
            part = raw[start : start + chunk]
            conn.sendall(struct.pack("!L", len(part)) + part)
        conn.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            data = conn.recv(4096)
            if not data:
                break
            reply += data
    return reply.rstrip(b"\0").decode(errors="replace").strip()
