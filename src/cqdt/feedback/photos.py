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

from collections.abc import Sequence
from typing import Protocol, TypeVar

from PIL import Image

from cqdt.core import uploads
from cqdt.core.errors import InvalidInput

MAX_MB = 5  # a photo's size at most, as the forms and refusals say it
MAX_BYTES = MAX_MB * 1024 * 1024
MAX_PHOTOS = 3
MAX_SIDE = 2048
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo is the largest honest upload
# Pillow's guard: warns above the limit, raises above twice it; ours refuses above MAX_PIXELS first.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


CleanPhoto = uploads.CleanImage
T = TypeVar("T")


def check_size(size: int, field: str = "photos") -> None:
    """A photo is at most :data:`MAX_BYTES`, whether its bytes are read (:func:`clean_photo`) or
    only its upload's size is known (:func:`read_uploads`): the one place the rule is written."""
    if size > MAX_BYTES:
        raise InvalidInput(
            f"Ảnh quá lớn (tối đa {MAX_MB} MB).",
            f"Photo too large ({MAX_MB} MB at most).",
            field=field,
        )


def clean_photo(raw: bytes, field: str = "photos") -> CleanPhoto:
    check_size(len(raw), field)
    return uploads.clean_image(
        raw,
        field=field,
        max_pixels=MAX_PIXELS,
        max_side=MAX_SIDE,
        formats=frozenset(ALLOWED_FORMATS),
    )


def check_count(count: int, field: str = "photos") -> None:
    """A report carries at most :data:`MAX_PHOTOS` photos, however they came (a form's uploads,
    the API's bytes): the one place the rule is written."""
    if count > MAX_PHOTOS:
        raise InvalidInput(
            f"Tối đa {MAX_PHOTOS} ảnh.", f"At most {MAX_PHOTOS} photos.", field=field
        )


def beside_kept(kept: int, new: list[T]) -> tuple[list[T], bool]:
    """The new photos of a form's try that fit beside the ``kept`` ones of an earlier refused
    try, and whether any was left out: :data:`MAX_PHOTOS` counts them all (:func:`check_count`)."""
    if kept + len(new) <= MAX_PHOTOS:
        return new, False
    return new[: max(MAX_PHOTOS - kept, 0)], True


def clean_photos(photos: Sequence[bytes], field: str = "photos") -> list[CleanPhoto]:
    """At most :data:`MAX_PHOTOS` photos, each decoded and re-encoded without its metadata."""
    check_count(len(photos), field)
    return [clean_photo(raw, field) for raw in photos]


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
    check_count(len(files), field)
    for upload in files:
        check_size(upload.size or 0, field)
    return [upload.read() for upload in files]
