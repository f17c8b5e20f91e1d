"""Photo intake: type and size limits, decoding, and re-encoding without metadata.

Uploaded bytes are never stored as they came: the image is decoded with Pillow (which rejects
what is not a JPEG, PNG or WebP image), bounded in pixels, and written again as JPEG without any
of the original's metadata: EXIF (including GPS), XMP, ICC profile, JPEG comments (COM segments)
and anything appended to the file.

Pixels are bounded *before* decoding: a 70-megapixel PNG of one colour is 68 KB on disk and
~500 MB once decoded, so the size is read from the header (``Image.open`` decodes nothing) and a
picture over :data:`MAX_PIXELS` is refused as it stands. Pillow's own guard
(``Image.MAX_IMAGE_PIXELS``) only warns up to twice its limit, so it is a second line, not the rule.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PIL import Image, ImageOps, UnidentifiedImageError

from cqdt.core.errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 3
MAX_SIDE = 2048
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo is the largest honest upload
# Pillow's guard: warns above the limit, raises above twice it; ours refuses above MAX_PIXELS first.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    width: int
    height: int


def clean_photo(raw: bytes, field: str = "photos") -> CleanPhoto:
    if len(raw) > MAX_BYTES:
        raise InvalidInput(
            "Ảnh quá lớn (tối đa 5 MB).", "Photo too large (5 MB at most).", field=field
        )
    try:
        with Image.open(io.BytesIO(raw)) as probe:  # reads the header only
            fmt = probe.format
            width, height = probe.size
            if fmt not in ALLOWED_FORMATS:
                raise InvalidInput(
                    "Chỉ nhận ảnh JPEG, PNG hoặc WebP.",
                    "Only JPEG, PNG or WebP photos.",
                    field=field,
                )
            _refuse_too_many_pixels(width, height, field)
            probe.verify()
        with Image.open(io.BytesIO(raw)) as opened:
            # A JPEG can be decoded at 1/2, 1/4 or 1/8 scale: no larger than the stored size
            # needs, so a 40-megapixel photo costs a quarter of its full decode (no-op otherwise).
            opened.draft("RGB", (MAX_SIDE, MAX_SIDE))
            # Keep the orientation the phone meant, then drop EXIF with everything else.
            upright = ImageOps.exif_transpose(opened)
            rgb = upright.convert("RGB")
            rgb.thumbnail((MAX_SIDE, MAX_SIDE))
            # ``convert`` copies ``info``, and Pillow's JPEG writer re-emits a comment, XMP and an
            # ICC profile it finds there: the copy must carry pixels and nothing else.
            rgb.info.clear()
            out = io.BytesIO()
            rgb.save(out, format="JPEG", quality=85, optimize=True, exif=b"", icc_profile=None)
            return CleanPhoto(out.getvalue(), rgb.width, rgb.height)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise InvalidInput(
            "Tệp không phải là ảnh hợp lệ.", "The file is not a valid image.", field=field
        ) from exc


def _refuse_too_many_pixels(width: int, height: int, field: str) -> None:
    if width * height > MAX_PIXELS:
        megapixels = width * height / 1_000_000
        raise InvalidInput(
            f"Ảnh quá nhiều điểm ảnh ({megapixels:.0f} triệu; tối đa "
            f"{MAX_PIXELS // 1_000_000} triệu điểm ảnh).",
            f"Photo has too many pixels ({megapixels:.0f} megapixels; "
            f"{MAX_PIXELS // 1_000_000} megapixels at most).",
            field=field,
            code="too_many_pixels",
        )


class Upload(Protocol):
    """What an uploaded file offers (Django's ``UploadedFile``)."""

    @property
    def size(self) -> int | None: ...

    def read(self) -> bytes: ...


def read_uploads(files: Sequence[Upload], field: str = "photos") -> list[bytes]:
    """The uploaded photos' bytes, refusing too many files or a too large one before reading it.

    Django spools large uploads to disk; reading a 100 MB file into memory only to refuse it
    would cost the server what the limit is there to spare.
    """
    if len(files) > MAX_PHOTOS:
        raise InvalidInput("Tối đa 3 ảnh.", "At most 3 photos.", field=field)
    for upload in files:
        if (upload.size or 0) > MAX_BYTES:
            raise InvalidInput(
                "Ảnh quá lớn (tối đa 5 MB).", "Photo too large (5 MB at most).", field=field
            )
    return [upload.read() for upload in files]
