"""A citizen's photo with the object storage (S3-compatible, CQDT_STORAGE=s3) out of reach: the
dossier side was tested (dossiers/tests/test_storage_down.py), the feedback side was not. Storing
a report's photo through the form, the API and Open311, and reading one back, answer 503 with a
sentence saying the file store cannot be reached (Vietnamese, English too) and Retry-After; no
report is filed and nothing is kept aside; the log says the operation, never the reporter."""

import logging

import pytest

from cqdt.feedback.models import Report, ReportPhoto
from cqdt.feedback.tests.conftest import REPORTER, SIDEWALK, WARD, counts, jpeg, submit
from cqdt.feedback.tests.test_kept_photos import send_corrected, send_refused
from cqdt.feedback.tests.test_open311 import post_request
from cqdt.testing import csrf_browser, object_storage

pytestmark = pytest.mark.django_db

DOWN_VI = "Kho lưu trữ tệp tạm thời không truy cập được"
DOWN_EN = "The file store cannot be reached at the moment"
FORM = {"category": SIDEWALK, "ward": WARD, "description": "Vỉa hè bị lấn chiếm."} | REPORTER


def upload(name: str = "anh-via-he.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, jpeg(), content_type="image/jpeg")


def _down_lines(caplog) -> list[str]:
    lines = [r.getMessage() for r in caplog.records if "storage_unavailable" in r.getMessage()]
    for line in lines:
        assert not any(value in line for value in REPORTER.values()), line
        assert "anh-via-he" not in line and "feedback/" not in line, line
    return lines


def test_a_photo_sent_with_the_form_while_the_store_is_down_is_a_503_and_nothing_is_filed(
    categories, settings, caplog
):
    browser, token = csrf_browser("/feedback/new/")
    before = counts()
    sent = FORM | {"csrfmiddlewaretoken": token}
    with object_storage.s3_unreachable(settings), caplog.at_level(logging.WARNING):
        page = browser.post("/feedback/new/", sent | {"photos": [upload()]})
        english = browser.post(
            "/feedback/new/", sent | {"photos": [upload()]}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert page.status_code == 503, page.content.decode()[:500]
    assert DOWN_VI in page.content.decode() and page["Retry-After"] == "30"
    assert english.status_code == 503 and DOWN_EN in english.content.decode()
    assert counts() == before
    assert not any(k.startswith("pending_uploads:") for k, _ in browser.session.items())
    lines = _down_lines(caplog)
    assert len(lines) == 2 and all("photo_store" in line for line in lines)  # one per send
    # The form is shown again, its values kept, for a later try.
    assert 'name="description"' in page.content.decode()


def test_a_photo_sent_through_the_api_while_the_store_is_down_is_a_503(
    client, categories, settings, caplog
):
    before = counts()
    with object_storage.s3_unreachable(settings), caplog.at_level(logging.WARNING):
        answer = client.post("/api/v1/public/feedback", FORM | {"photos": [upload()]})
    assert answer.status_code == 503, answer.content
    body = answer.json()
    assert body["code"] == "file_store_unavailable" and answer["Retry-After"] == "30"
    assert body["messages"]["vi"].startswith(DOWN_VI)
    assert body["messages"]["en"].startswith(DOWN_EN)
    assert counts() == before
    assert len(_down_lines(caplog)) == 1


def test_a_photo_sent_through_open311_while_the_store_is_down_is_a_503(
    client, wards, api_key, frozen, settings
):
    before = counts()
    with object_storage.s3_unreachable(settings):
        answer = post_request(client, api_key, media=upload())
    assert answer.status_code == 503, answer.content
    (error,) = answer.json()
    assert error["code"] == 503 and DOWN_EN in error["description"]
    assert answer["Retry-After"] == "30"
    assert counts() == before


def test_a_kept_photo_with_the_store_down_at_the_corrected_send_files_nothing(
    client, categories, settings, s3
):
    """The photo was kept aside (refused form) while the store was up; the corrected send
    cannot read it back: 503, no report without its photo; the kept photo waits."""
    assert send_refused(client).status_code == 422
    kept = s3.keys("pending/")
    assert len(kept) == 1
    with object_storage.s3_unreachable(settings):
        answer = send_corrected(client)
    assert answer.status_code == 503, answer.content.decode()[:500]
    assert DOWN_VI in answer.content.decode() and answer["Retry-After"] == "30"
    assert Report.objects.count() == 0 and s3.keys("pending/") == kept
    done = send_corrected(client)  # the store back
    assert done.status_code == 302 and ReportPhoto.objects.count() == 1


def _stored_photo(s3) -> ReportPhoto:
    r = submit(photos=[jpeg()]).report
    photo = r.photos.get()
    assert s3.keys() == [f"uploads/{photo.image.name}"]
    return photo


def test_a_photo_asked_for_while_the_store_is_down_is_a_503(
    client, categories, settings, s3, caplog
):
    photo = _stored_photo(s3)
    url = f"/feedback/photos/{photo.public_id}/"
    with object_storage.s3_unreachable(settings), caplog.at_level(logging.WARNING):
        answer = client.get(url)
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 503
    assert DOWN_VI in answer.content.decode() and answer["Retry-After"] == "30"
    assert english.status_code == 503 and DOWN_EN in english.content.decode()
    assert [line for line in _down_lines(caplog) if "photo_read" in line]
    served = client.get(url)  # the store back
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"\xff\xd8")


def test_a_photo_whose_store_drops_between_its_open_and_its_fetch_is_a_503(
    client, categories, s3, caplog
):
    from django.core.files.storage import default_storage

    photo = _stored_photo(s3)
    asked = object_storage.fetches_fail(default_storage)
    with caplog.at_level(logging.WARNING):
        answer = client.get(f"/feedback/photos/{photo.public_id}/")
    assert asked and answer.status_code == 503
    assert DOWN_VI in answer.content.decode() and answer["Retry-After"] == "30"
    (line,) = _down_lines(caplog)
    assert "photo_read" in line and str(photo.public_id) not in line
