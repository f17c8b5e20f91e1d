"""A dossier's file whose row is there and whose file is not in the store (lost, or removed by
hand): serving it was a server error (500) — FileNotFoundError on the filesystem, botocore's 404
or NoSuchKey on S3. It is a 404 with a sentence saying the file is not available and the
administrators have been told (Vietnamese, English too), and one log line at error level naming
the operation and the file's public id — never its name, its key or the applicant."""

import logging

import pytest
from django.core.files.storage import default_storage

from cqdt.dossiers.models import Attachment
from cqdt.dossiers.tests.test_api import INTAKE
from cqdt.dossiers.tests.test_attachments_api import STAFF, bearer, multipart
from cqdt.dossiers.tests.upload_form import pdf, travel, upload
from cqdt.testing import object_storage
from cqdt.testing.missing_files import MISSING_EN, MISSING_VI, missing_file_lines, missing_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _filed(client, ward) -> tuple[str, Attachment, dict]:
    token = bearer(ward["user_desk"])
    sent = multipart(
        client, STAFF, INTAKE, {"attachments.to_khai": upload("to-khai.pdf", pdf())}, **token
    )
    assert sent.status_code == 200, sent.content
    return sent.json()["code"], Attachment.objects.get(), token


def _missing_lines(caplog, a: Attachment) -> list[logging.LogRecord]:
    hidden = ["to-khai", "dossiers/", a.file.name, INTAKE["applicant"]["name"]]
    return missing_file_lines(caplog, "attachment_read", a.public_id, hidden)


@pytest.fixture(params=["filesystem", "s3"])
def store(request):
    """The uploads' store: the filesystem (tmp_path), or S3 (moto) — the bucket then."""
    return request.getfixturevalue("s3") if request.param == "s3" else None


@travel
def test_a_file_gone_from_the_store_is_a_404_that_says_so_on_the_api(client, ward, store, caplog):
    code, a, token = _filed(client, ward)
    default_storage.delete(a.file.name)
    url = f"/api/v1/dossiers/{code}/attachments/{a.public_id}"
    with caplog.at_level(logging.WARNING):
        answer = client.get(url, **token)
    assert answer.status_code == 404, answer.content
    body = answer.json()
    assert body["code"] == "file_missing"
    assert body["messages"]["vi"].startswith(MISSING_VI)
    assert body["messages"]["en"].startswith(MISSING_EN)
    assert len(_missing_lines(caplog, a)) == 1


@travel
def test_a_file_gone_from_the_store_is_a_404_that_says_so_on_the_staff_page(
    client, ward, store, caplog
):
    code, a, _ = _filed(client, ward)
    default_storage.delete(a.file.name)
    client.force_login(ward["user_desk"])
    url = f"/staff/dossiers/{code}/attachments/{a.public_id}/"
    missing_page(client, url, caplog)
    assert len(_missing_lines(caplog, a)) == 2  # one per request


@travel
def test_a_file_gone_between_its_open_and_its_fetch_is_a_404(client, ward, s3, caplog):
    """On S3 the open asks for the object's head, the fetch for its body: gone in between,
    NoSuchKey."""
    code, a, token = _filed(client, ward)
    asked = object_storage.vanishes_before_fetch(
        default_storage, s3, f"{object_storage.PREFIX}/{a.file.name}"
    )
    with caplog.at_level(logging.WARNING):
        answer = client.get(f"/api/v1/dossiers/{code}/attachments/{a.public_id}", **token)
    assert asked and answer.status_code == 404, answer.content
    assert answer.json()["code"] == "file_missing"
    assert len(_missing_lines(caplog, a)) == 1
    assert s3.keys("dossiers/") == []
