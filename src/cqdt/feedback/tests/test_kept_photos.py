"""A refused report keeps its good photos and its values, and shows every error at once."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cqdt.feedback.models import Report, ReportPhoto
from cqdt.feedback.tests.conftest import SIDEWALK, WARD, jpeg

pytestmark = pytest.mark.django_db


def test_a_refused_report_keeps_the_photo_and_says_every_error(client, categories, media):
    refused = client.post(
        "/feedback/new/",
        {
            "category": SIDEWALK,
            "address": "Một nơi không rõ phường",
            "description": "",
            "reporter_phone": "12",
            "photos": [SimpleUploadedFile("via-he.jpg", jpeg(), content_type="image/jpeg")],
        },
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    # The form's error (description), and the service's (phone, ward from the address), at once.
    for field in ("description", "reporter_phone", "address"):
        assert f'id="id_{field}_error"' in html, field
    assert "đã tải lên: via-he.jpg" in html and "Một nơi không rõ phường" in html
    assert Report.objects.count() == 0
    done = client.post(
        "/feedback/new/",
        {
            "category": SIDEWALK,
            "ward": WARD,
            "address": "Một nơi không rõ phường",
            "description": "Lấn chiếm vỉa hè.",
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    assert ReportPhoto.objects.filter(report=Report.objects.get()).count() == 1
    assert not [p for p in media.rglob("pending/*") if p.is_file()]
    again = client.get("/feedback/new/").content.decode()
    assert not re.search(r"đã tải lên", again)
