"""A refused report keeps its good photos and its values, and shows every error at once."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cqdt.core import pending_uploads
from cqdt.feedback.models import Report, ReportPhoto
from cqdt.feedback.tests.conftest import SIDEWALK, WARD, jpeg

pytestmark = pytest.mark.django_db


def send_refused(client, **more):
    """A report with a photo, refused: no description, and an address that names no ward."""
    return client.post(
        "/feedback/new/",
        {
            "category": SIDEWALK,
            "address": "Một nơi không rõ phường",
            "description": "",
            "photos": [SimpleUploadedFile("via-he.jpg", jpeg(), content_type="image/jpeg")],
            **more,
        },
    )


def send_corrected(client):
    """The report sent again with what was refused corrected, and no photo: the kept one."""
    return client.post(
        "/feedback/new/",
        {
            "category": SIDEWALK,
            "ward": WARD,
            "address": "Một nơi không rõ phường",
            "description": "Lấn chiếm vỉa hè.",
        },
    )


def test_a_refused_report_keeps_the_photo_and_says_every_error(client, categories, media):
    refused = send_refused(client, reporter_phone="12")
    assert refused.status_code == 422
    html = refused.content.decode()
    # The form's error (description), and the service's (phone, ward from the address), at once.
    for field in ("description", "reporter_phone", "address"):
        assert f'id="id_{field}_error"' in html, field
    assert "đã tải lên: via-he.jpg" in html and "Một nơi không rõ phường" in html
    assert Report.objects.count() == 0
    done = send_corrected(client)
    assert done.status_code == 302, done.content.decode()[:2000]
    assert ReportPhoto.objects.filter(report=Report.objects.get()).count() == 1
    assert not [p for p in media.rglob("pending/*") if p.is_file()]
    again = client.get("/feedback/new/").content.decode()
    assert not re.search(r"đã tải lên", again)


def test_on_s3_the_kept_photo_waits_in_the_bucket_and_becomes_the_reports(client, categories, s3):
    """CQDT_STORAGE=s3 (docs/decisions/0017, 0021): the kept photo is an object under
    ``pending/``, the report's photo an object of its own, served from the bucket."""
    refused = send_refused(client)
    assert refused.status_code == 422 and "đã tải lên: via-he.jpg" in refused.content.decode()
    pending = s3.keys("pending/")
    assert len(pending) == 1
    kept = s3.read(pending[0])
    done = send_corrected(client)
    assert done.status_code == 302, done.content.decode()[:2000]
    photo = ReportPhoto.objects.get(report=Report.objects.get())
    assert s3.keys("pending/") == []  # the kept object is removed once used
    assert s3.keys() == [f"uploads/{photo.image.name}"]
    stored = s3.read(f"uploads/{photo.image.name}")
    assert stored.startswith(b"\xff\xd8\xff") and b"PhoneMaker" not in stored
    assert b"PhoneMaker" not in kept  # kept only once cleaned: no camera, no position
    served = client.get(f"/feedback/photos/{photo.public_id}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == stored


def test_on_s3_kept_photos_are_purged_after_the_ttl(client, categories, s3):
    """The purge lists ``pending/`` through the storage API, which on S3 is a listing by prefix
    (no directories, no modification time asked: the moment is in the key)."""
    assert pending_uploads.purge_expired(timezone.now()) == pending_uploads.Purged(
        0
    )  # nothing kept yet: no prefix
    send_refused(client)
    assert len(s3.keys("pending/")) == 1
    assert pending_uploads.purge_expired(timezone.now()) == pending_uploads.Purged(
        0
    )  # within the TTL
    later = timezone.now() + dt.timedelta(seconds=pending_uploads.TTL + 60)
    assert pending_uploads.purge_expired(later) == pending_uploads.Purged(1)
    assert s3.keys() == []
