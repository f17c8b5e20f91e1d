"""An upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE is written to a temporary file while the
request's body is read; with that disk full (ENOSPC) the request was a server error (500),
raised in the CSRF middleware's reading of the form. It is the file store full's answer: 503
``file_store_full`` with Retry-After, in Vietnamese and English, as a page on the site and as
the API's error JSON; the temporary file begun is removed and nothing is recorded."""

import errno
import logging

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.tests.test_api import INTAKE
from cqdt.dossiers.tests.test_attachments import (
    SUBMIT,
    form_browser,
    form_with_file,
    media,
    pdf,
    travel,
    upload,
)
from cqdt.dossiers.tests.test_attachments_api import STAFF, bearer, multipart

pytestmark = pytest.mark.django_db
__all__ = ["media"]  # the autouse fixture: files under tmp_path

FULL_VI = "Kho lưu trữ tệp của hệ thống đã hết dung lượng"
FULL_EN = "The platform's file store is out of space"


@pytest.fixture
def temp_disk_full(settings, tmp_path, monkeypatch):
    """Every upload goes to a temporary file (under ``tmp_path``), and the disk fills up after
    its first bytes are written; the temporary directory."""
    temp = tmp_path / "upload-temp"
    temp.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100

    def write(self, data):
        self.file.write(data[:10])
        self.file.flush()
        raise OSError(errno.ENOSPC, "No space left on device", str(temp / "ban-chinh.pdf"))

    monkeypatch.setattr(TemporaryUploadedFile, "write", write, raising=False)
    return temp


def _full_lines(caplog) -> list[str]:
    lines = [r.getMessage() for r in caplog.records if "storage_full" in r.getMessage()]
    for line in lines:
        assert "upload_temp" in line and "ENOSPC" in line
        assert "ban-chinh" not in line and "to-khai" not in line and "upload-temp" not in line
    return lines


@travel
def test_a_large_file_sent_with_the_form_while_the_temp_disk_is_full_is_a_503(
    ward, temp_disk_full, caplog
):
    browser, token = form_browser()
    with caplog.at_level(logging.WARNING):
        answer = browser.post(SUBMIT, form_with_file(token))
        english = browser.post(SUBMIT, form_with_file(token), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 503, answer.content.decode()[:500]
    assert FULL_VI in answer.content.decode() and answer["Retry-After"] == "300"
    assert english.status_code == 503 and FULL_EN in english.content.decode().replace("&#x27;", "'")
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert list(temp_disk_full.iterdir()) == []  # the temporary files begun are removed
    assert len(_full_lines(caplog)) == 2


@travel
def test_a_large_file_sent_to_the_api_while_the_temp_disk_is_full_is_a_503(
    client, ward, temp_disk_full, caplog
):
    token = bearer(ward["user_desk"])
    with caplog.at_level(logging.WARNING):
        answer = multipart(
            client, STAFF, INTAKE, {"attachments.to_khai": upload("to-khai.pdf", pdf())}, **token
        )
    assert answer.status_code == 503, answer.content
    body = answer.json()
    assert body["code"] == "file_store_full" and answer["Retry-After"] == "300"
    assert body["messages"]["vi"].startswith(FULL_VI)
    assert body["messages"]["en"].startswith(FULL_EN)
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert list(temp_disk_full.iterdir()) == []
    assert len(_full_lines(caplog)) == 1


@travel
def test_a_large_file_is_filed_when_the_temp_disk_has_room(client, ward, settings, tmp_path):
    """The handler writes as Django's does: a file through a temporary file is filed whole."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    token = bearer(ward["user_desk"])
    data = pdf()
    answer = multipart(
        client, STAFF, INTAKE, {"attachments.to_khai": upload("to-khai.pdf", data)}, **token
    )
    assert answer.status_code == 200, answer.content
    assert Attachment.objects.get().file.read() == data
