"""A dossier's file asked for is audited as viewed only when it was served: the reading was
written to the audit log before the file was opened, so a file missing from the store (404
``file_missing``) or a store out of reach (503) still left an ``attachment_view`` event saying
someone had read the paper. Now the file is opened first; no file served, no view recorded."""

import pytest
from django.core.files.storage import default_storage

from cqdt.core.models import AuditEvent
from cqdt.dossiers.models import Attachment
from cqdt.dossiers.tests.test_attachments_api import ONLINE, ONLINE_BODY, multipart
from cqdt.dossiers.tests.test_file_missing import _filed
from cqdt.dossiers.tests.upload_form import pdf, travel, upload
from cqdt.testing import logged_in, object_storage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _views() -> int:
    return AuditEvent.objects.filter(action="attachment_view").count()


@travel
def test_a_file_served_through_the_api_is_audited_as_viewed_once(client, ward):
    code, a, token = _filed(client, ward)
    answer = client.get(f"/api/v1/dossiers/{code}/attachments/{a.public_id}", **token)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content).startswith(b"%PDF")
    assert _views() == 1


@travel
def test_a_file_missing_from_the_store_is_not_audited_as_viewed_on_the_api(client, ward):
    code, a, token = _filed(client, ward)
    default_storage.delete(a.file.name)
    answer = client.get(f"/api/v1/dossiers/{code}/attachments/{a.public_id}", **token)
    assert answer.status_code == 404 and answer.json()["code"] == "file_missing"
    assert _views() == 0


@travel
def test_a_file_missing_from_the_store_is_not_audited_as_viewed_on_the_staff_page(client, ward):
    code, a, _ = _filed(client, ward)
    default_storage.delete(a.file.name)
    browser = logged_in(ward["user_desk"])
    page = browser.get(f"/staff/dossiers/{code}/attachments/{a.public_id}/")
    assert page.status_code == 404
    assert _views() == 0


@travel
def test_a_file_asked_for_while_the_store_is_down_is_not_audited_as_viewed(
    client, ward, settings, s3
):
    code, a, token = _filed(client, ward)
    with object_storage.s3_unreachable(settings):
        answer = client.get(f"/api/v1/dossiers/{code}/attachments/{a.public_id}", **token)
    assert answer.status_code == 503 and answer.json()["code"] == "file_store_unavailable"
    assert _views() == 0
    served = client.get(f"/api/v1/dossiers/{code}/attachments/{a.public_id}", **token)
    assert served.status_code == 200 and b"".join(served.streaming_content) == pdf_bytes(a)
    assert _views() == 1


def pdf_bytes(a: Attachment) -> bytes:
    with default_storage.open(a.file.name, "rb") as f:
        return f.read()


@travel
def test_the_applicants_file_missing_from_the_store_is_not_audited_as_viewed(client, ward):
    sent = multipart(
        client, ONLINE, ONLINE_BODY, {"attachments.ban_chinh": upload("ban-chinh.pdf", pdf())}
    )
    assert sent.status_code == 200, sent.content
    code, secret = sent.json()["code"], sent.json()["lookup_secret"]
    a = Attachment.objects.get()
    url = f"/api/v1/public/dossiers/{code}/attachments/{a.public_id}"
    served = client.post(url, {"secret": secret}, content_type="application/json")
    assert served.status_code == 200 and _views() == 1
    default_storage.delete(a.file.name)
    missing = client.post(url, {"secret": secret}, content_type="application/json")
    assert missing.status_code == 404 and missing.json()["code"] == "file_missing"
    assert _views() == 1
