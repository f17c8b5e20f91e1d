"""Photos: stored re-encoded without metadata; non-images, large files and a fourth photo refused.

Checked through the service, the public API (multipart) and the web form; every refusal names
the field ``photos`` and writes nothing (no report, no file).
"""

import io

import pytest
from PIL import Image

from cqdt.core.errors import InvalidInput
from cqdt.feedback import photos as photo_rules
from cqdt.feedback.models import Report, ReportPhoto
from cqdt.feedback.tests.conftest import SIDEWALK, WARD, counts, jpeg, submit

pytestmark = pytest.mark.django_db

TOO_LARGE = b"\xff\xd8\xff\xe0" + b"\0" * (5 * 1024 * 1024)  # a JPEG header and 5 MB of zeros
NOT_AN_IMAGE = b"%PDF-1.4 not an image at all"


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_a_jpeg_with_gps_exif_is_stored_without_any_exif(categories, media):
    original = jpeg(gps=True)
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(0x8825), "the test photo must carry a GPS position"
        assert image.getexif()[0x010F] == "PhoneMaker"
    r = submit(photos=[original, jpeg(gps=False, color=(0, 90, 200))]).report
    assert r.photos.count() == 2
    for item in r.photos.all():
        with item.image.open("rb") as handle, Image.open(handle) as stored:
            assert stored.format == "JPEG"
            assert len(stored.getexif()) == 0
            assert "exif" not in stored.info and "icc_profile" not in stored.info
            assert (stored.width, stored.height) == (item.width, item.height) == (64, 48)
        assert item.image.name.startswith("feedback/2022/03/") and item.image.name.endswith(".jpg")
        assert item.size == item.image.size
    raw = b"".join(p.read_bytes() for p in stored_files(media))
    assert b"PhoneMaker" not in raw and b"Exif" not in raw


def test_png_and_webp_are_stored_as_jpeg(categories, media):
    images = []
    for fmt in ("PNG", "WEBP"):
        out = io.BytesIO()
        Image.new("RGBA", (30, 20), (10, 200, 10, 128)).save(out, format=fmt)
        images.append(out.getvalue())
    r = submit(photos=images).report
    assert r.photos.count() == 2  # else the loop below checks nothing
    for item in r.photos.all():
        with item.image.open("rb") as handle, Image.open(handle) as stored:
            assert stored.format == "JPEG" and stored.mode == "RGB"
            assert (stored.width, stored.height) == (30, 20)


def test_large_photos_are_scaled_down(categories, media):
    r = submit(photos=[jpeg(size=(4000, 1000), gps=False)]).report
    item = r.photos.get()
    assert (item.width, item.height) == (photo_rules.MAX_SIDE, 512)


@pytest.mark.parametrize(
    "photos",
    [
        [NOT_AN_IMAGE],
        [TOO_LARGE],
        [jpeg(), jpeg(), jpeg(), jpeg()],
        [jpeg(), b"GIF89a" + b"\0" * 100],
    ],
    ids=["not-an-image", "over-5MB", "four-photos", "one-bad-of-two"],
)
def test_refused_photos_write_nothing(categories, media, photos):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        submit(photos=photos)
    assert refused.value.field == "photos"
    assert counts() == before
    assert stored_files(media) == []


class _Unread:
    """An upload that fails the test if it is read."""

    size = 1

    def read(self) -> bytes:
        raise AssertionError("a fourth photo must be refused before any photo is read")


def test_a_fourth_photo_is_one_refusal_whether_sent_as_bytes_or_as_uploads(categories, media):
    """One rule (``photos.check_count``): the service's bytes and the API's uploads give the same
    error, before any photo is decoded or read."""
    with pytest.raises(InvalidInput) as by_service:
        submit(photos=[NOT_AN_IMAGE] * (photo_rules.MAX_PHOTOS + 1))
    with pytest.raises(InvalidInput) as by_upload:
        photo_rules.read_uploads([_Unread()] * (photo_rules.MAX_PHOTOS + 1))
    with pytest.raises(InvalidInput) as by_open311:
        photo_rules.read_uploads([_Unread()] * (photo_rules.MAX_PHOTOS + 1), field="media")
    for refused, field in ((by_service, "photos"), (by_upload, "photos"), (by_open311, "media")):
        assert (refused.value.vi, refused.value.en, refused.value.field) == (
            "Tối đa 3 ảnh.",
            "At most 3 photos.",
            field,
        )
    assert stored_files(media) == []


def test_a_gif_is_refused_even_when_pillow_can_read_it(categories, media):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(InvalidInput) as refused:
        submit(photos=[out.getvalue()])
    assert refused.value.field == "photos" and "JPEG" in refused.value.en


# --- through the public API and the web form ------------------------------------------------------


def upload(name: str, data: bytes, content_type: str = "image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


FORM = {"category": SIDEWALK, "ward": WARD, "description": "Vỉa hè bị lấn chiếm."}


@pytest.mark.parametrize(
    "files",
    [
        [("giay-to.pdf", NOT_AN_IMAGE, "application/pdf")],
        [("lon.jpg", TOO_LARGE, "image/jpeg")],
        [(f"anh{i}.jpg", jpeg(), "image/jpeg") for i in range(4)],
    ],
    ids=["not-an-image", "over-5MB", "four-photos"],
)
def test_the_api_and_the_form_refuse_bad_photos_on_the_photos_field(
    client, categories, media, files
):
    before = counts()
    response = client.post(
        "/api/v1/public/feedback", {**FORM, "photos": [upload(*f) for f in files]}
    )
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "photos"
    page = client.post("/feedback/new/", {**FORM, "photos": [upload(*f) for f in files]})
    assert page.status_code == 422
    html = page.content.decode()
    assert 'id="id_photos_error"' in html  # the message stands next to the field
    assert counts() == before
    # Nothing is stored for a report. The form keeps the good photos, up to the limit, as the
    # visitor's pending uploads for the next try (issue 13: files kept after an error); a bad
    # file is never kept.
    stored = stored_files(media)
    kept = [p for p in stored if "pending" in p.parts]
    assert [p for p in stored if "pending" not in p.parts] == []
    if len(files) > photo_rules.MAX_PHOTOS:
        assert len(kept) == photo_rules.MAX_PHOTOS
        assert html.count('name="pending_remove"') == photo_rules.MAX_PHOTOS
    else:
        assert kept == []


def test_the_api_stores_clean_photos_and_serves_them_as_jpeg(client, categories, media):
    response = client.post(
        "/api/v1/public/feedback",
        {**FORM, "photos": [upload("a.jpg", jpeg()), upload("b.jpg", jpeg())]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["photos"]) == 2
    served = client.get(body["photos"][0].replace("http://testserver", ""))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert len(image.getexif()) == 0
    assert ReportPhoto.objects.filter(report=Report.objects.get(code=body["code"])).count() == 2


# --- decompression bombs and metadata that survives a naive re-encode (issue 10, item 6) ----------


def bomb_png(size=(10_000, 7_000)) -> bytes:
    """A 70-megapixel PNG of a few kilobytes: one colour compresses to almost nothing."""
    out = io.BytesIO()
    Image.new("1", size, 0).save(out, format="PNG", optimize=True)
    return out.getvalue()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_70_megapixel_png_of_a_few_kilobytes_is_refused_before_decoding(
    categories, media, monkeypatch
):
    bomb = bomb_png()
    assert len(bomb) < 100 * 1024, "the bomb must be small on disk"
    decoded = []
    real_load = Image.Image.load

    def spy_load(self):
        decoded.append(self.size)
        return real_load(self)

    monkeypatch.setattr(Image.Image, "load", spy_load)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        submit(photos=[bomb])
    assert refused.value.field == "photos"
    assert "megapixel" in refused.value.en and "điểm ảnh" in refused.value.vi
    assert decoded == [], "the pixels must not be decoded to find out"
    assert counts() == before and stored_files(media) == []


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_the_api_refuses_a_pixel_bomb_on_the_photos_field(client, categories, media):
    response = client.post(
        "/api/v1/public/feedback",
        {**FORM, "photos": [upload("bom.png", bomb_png(), "image/png")]},
    )
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "photos"


@pytest.mark.parametrize(
    ("kept", "new", "fit", "left_out"),
    [(0, 3, 3, False), (2, 1, 1, False), (2, 2, 1, True), (3, 1, 0, True), (4, 0, 0, True)],
)
def test_new_photos_fit_beside_the_kept_ones_under_one_limit(kept, new, fit, left_out):
    # A refused try keeps its photos; the next try's new ones count with them (MAX_PHOTOS).
    assert photo_rules.beside_kept(kept, list(range(new))) == (list(range(fit)), left_out)


def test_the_pixel_limit_is_inclusive(monkeypatch):
    # The boundary with a small limit: decoding 40 real megapixels in a test costs ~150 MB.
    monkeypatch.setattr(photo_rules, "MAX_PIXELS", 100 * 100)
    at_limit = io.BytesIO()
    Image.new("RGB", (100, 100)).save(at_limit, format="PNG")
    assert photo_rules.clean_photo(at_limit.getvalue()).width == 100
    over = io.BytesIO()
    Image.new("RGB", (101, 100)).save(over, format="PNG")
    with pytest.raises(InvalidInput) as refused:
        photo_rules.clean_photo(over.getvalue())
    assert refused.value.code == "too_many_pixels"


def test_a_jpeg_comment_xmp_and_icc_profile_do_not_survive(categories, media):
    from PIL import ImageCms

    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SECRET-XMP nguoi-chup</x:xmpmeta>'
    Image.new("RGB", (40, 30), (1, 2, 3)).save(
        out, format="JPEG", comment=b"SECRET-COMMENT 0912345678", icc_profile=icc, xmp=xmp
    )
    original = out.getvalue()
    with Image.open(io.BytesIO(original)) as image:
        assert image.info.get("comment") == b"SECRET-COMMENT 0912345678"
    cleaned = photo_rules.clean_photo(original)
    assert b"SECRET" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as stored:
        assert "comment" not in stored.info
        assert "xmp" not in stored.info and "icc_profile" not in stored.info
    r = submit(photos=[original]).report
    raw = b"".join(p.read_bytes() for p in stored_files(media))
    assert r.photos.count() == 1 and b"SECRET" not in raw
    # No COM (0xFFFE) segment at all in what is stored.
    assert b"\xff\xfe" not in cleaned.data.split(b"\xff\xda", 1)[0]


def test_a_report_that_fails_after_its_photos_are_stored_leaves_no_photo(
    categories, media, monkeypatch
):
    """A failure after the first photo is stored — the second photo, or the report's event —
    rolls the report back and removes the photos already written (hfix noticed they stayed in
    the store, rowless: a photo may show a person)."""
    from cqdt.feedback.services import intake

    store = intake._store_photo
    calls = []

    def second_fails(report, photo, stored):
        calls.append(photo)
        if len(calls) == 2:
            raise OSError("disk full")
        return store(report, photo, stored)

    monkeypatch.setattr(intake, "_store_photo", second_fails)
    with pytest.raises(OSError):
        submit(photos=[jpeg(gps=False), jpeg(gps=False, color=(0, 90, 200))])
    assert len(calls) == 2 and stored_files(media) == []
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()

    monkeypatch.setattr(intake, "_store_photo", store)

    def event_fails(*args, **kwargs):
        raise RuntimeError("the timeline could not be written")

    monkeypatch.setattr(intake, "_event", event_fails)
    with pytest.raises(RuntimeError):
        submit(photos=[jpeg(gps=False)])
    assert stored_files(media) == [] and not Report.objects.exists()


def test_a_photo_whose_row_fails_to_save_is_removed_from_the_store(categories, media, monkeypatch):
    """The file is counted as stored as soon as it is written, before its row is saved (found
    in review of 5ea7180): a row that fails leaves no file."""

    def row_fails(self, *args, **kwargs):
        raise RuntimeError("the photo's row could not be written")

    monkeypatch.setattr(ReportPhoto, "save", row_fails)
    with pytest.raises(RuntimeError):
        submit(photos=[jpeg(gps=False)])
    assert stored_files(media) == [] and not Report.objects.exists()
