"""A report's photo whose row is there and whose file is not in the store (lost, or removed by
hand): serving it was a server error (500) — FileNotFoundError on the filesystem, botocore's 404
or NoSuchKey on S3. It is a 404 with a sentence saying the file is not available and the
administrators have been told (Vietnamese, English too), and one log line at error level naming
the operation and the photo's public id — never the file's key nor the reporter. The dossier
side: dossiers/tests/test_file_missing.py."""

import logging

import pytest
from django.core.files.storage import default_storage

from cqdt.feedback.models import ReportPhoto
from cqdt.feedback.tests.conftest import REPORTER, jpeg, submit
from cqdt.testing import object_storage
from cqdt.testing.missing_files import MISSING_VI, missing_file_lines, missing_page

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["filesystem", "s3"])
def store(request):
    """The uploads' store: the filesystem (tmp_path), or S3 (moto) — the bucket then."""
    return request.getfixturevalue("s3" if request.param == "s3" else "media")


def _photo() -> ReportPhoto:
    return submit(photos=[jpeg()]).report.photos.get()


def _missing_lines(caplog, photo: ReportPhoto) -> list[logging.LogRecord]:
    hidden = [photo.image.name, "feedback/", *REPORTER.values()]
    return missing_file_lines(caplog, "photo_read", photo.public_id, hidden)


def test_a_photo_gone_from_the_store_is_a_404_that_says_so(client, categories, store, caplog):
    photo = _photo()
    default_storage.delete(photo.image.name)
    url = f"/feedback/photos/{photo.public_id}/"
    page = missing_page(client, url, caplog)
    assert not page.has_header("Retry-After")  # nothing a retry mends
    assert len(_missing_lines(caplog, photo)) == 2  # one per request


def test_a_photo_gone_between_its_open_and_its_fetch_is_a_404(client, categories, s3, caplog):
    """On S3 the open asks for the object's head, the fetch for its body: gone in between,
    NoSuchKey."""
    photo = _photo()
    asked = object_storage.vanishes_before_fetch(
        default_storage, s3, f"{object_storage.PREFIX}/{photo.image.name}"
    )
    with caplog.at_level(logging.WARNING):
        page = client.get(f"/feedback/photos/{photo.public_id}/")
    assert asked and page.status_code == 404 and MISSING_VI in page.content.decode()
    assert len(_missing_lines(caplog, photo)) == 1
    assert s3.keys("feedback/") == []
