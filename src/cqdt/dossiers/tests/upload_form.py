"""The online submit form of a dossier with a file per paper, as the web tests send it (the
kit of ``test_attachments`` and of the tests of what goes wrong on the way: a store down or full,
a kept file gone): the form's addresses, the applicant, the clock, files to send, a citizen's
browser on the form."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pypdf import PdfWriter

from cqdt.dossiers.tests.conftest import APPLICANT_FORM as FORM
from cqdt.dossiers.tests.conftest import submit_online, travel
from cqdt.testing import csrf_browser

__all__ = ["FORM", "travel"]

SUBMIT = "/procedures/chung-thuc-ban-sao/submit/"
CHECK = SUBMIT + "check/"


def stored(media) -> list[str]:
    return [p.name for p in media.rglob("*") if p.is_file()] if media.exists() else []


def pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_with_metadata() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (60, 40), (200, 10, 10))
    info = __import__("PIL.PngImagePlugin", fromlist=["PngInfo"]).PngInfo()
    info.add_text("Comment", "GPS 21.03,105.85")
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def huge_png_header(width: int = 20_000, height: int = 20_000) -> bytes:
    """A PNG announcing 400 megapixels in a few bytes (only the header is ever read)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def upload(name, data, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def browser() -> tuple[Client, str]:
    """A citizen's browser on the submit form, CSRF enforced, and its token."""
    return csrf_browser(SUBMIT)


def with_file(token: str) -> dict:
    """The submit form filled in, with the original's scan attached."""
    return FORM | {
        "documents": ["ban_chinh"],
        "attachments_ban_chinh": upload("ban-chinh.pdf", pdf()),
        "csrfmiddlewaretoken": token,
    }


def online(client, **files):
    body = dict(FORM) | {f"attachments_{code}": f for code, f in files.items()}
    return submit_online(client, SUBMIT, body)
