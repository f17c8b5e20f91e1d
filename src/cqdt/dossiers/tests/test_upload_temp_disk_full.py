"""An upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE is written to a temporary file while the
request's body is read; with that disk full (ENOSPC) the request was a server error (500),
raised in the CSRF middleware's reading of the form. It is the file store full's answer: 503
``file_store_full`` with Retry-After, in Vietnamese and English, as a page on the site and as
the API's error JSON; the temporary file begun is removed and nothing is recorded."""

import errno
import io
import logging
import os
import tempfile

import pytest
from django.core.files import uploadedfile
from django.core.files.uploadedfile import TemporaryUploadedFile

from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.tests import upload_form as form
from cqdt.dossiers.tests.test_api import INTAKE
from cqdt.dossiers.tests.test_attachments_api import STAFF, bearer, multipart

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

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


def _desk_sends(client, ward, data=None, **headers):
    """The ward's desk sends a dossier with its declaration's scan (``data``, a one-page PDF by
    default) to the staff intake API, by bearer token."""
    return multipart(
        client,
        STAFF,
        INTAKE,
        {"attachments.to_khai": form.upload("to-khai.pdf", data or form.pdf())},
        **bearer(ward["user_desk"]),
        **headers,
    )


@form.travel
def test_a_large_file_sent_with_the_form_while_the_temp_disk_is_full_is_a_503(
    ward, temp_disk_full, caplog
):
    browser, token = form.browser()
    with caplog.at_level(logging.WARNING):
        answer = browser.post(form.SUBMIT, form.with_file(token))
        english = browser.post(form.SUBMIT, form.with_file(token), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 503, answer.content.decode()[:500]
    assert FULL_VI in answer.content.decode() and answer["Retry-After"] == "300"
    assert english.status_code == 503 and FULL_EN in english.content.decode().replace("&#x27;", "'")
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert list(temp_disk_full.iterdir()) == []  # the temporary files begun are removed
    assert len(_full_lines(caplog)) == 2


@form.travel
def test_a_large_file_sent_to_the_api_while_the_temp_disk_is_full_is_a_503(
    client, ward, temp_disk_full, caplog
):
    with caplog.at_level(logging.WARNING):
        answer = _desk_sends(client, ward)
    assert answer.status_code == 503, answer.content
    body = answer.json()
    assert body["code"] == "file_store_full" and answer["Retry-After"] == "300"
    assert body["messages"]["vi"].startswith(FULL_VI)
    assert body["messages"]["en"].startswith(FULL_EN)
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert list(temp_disk_full.iterdir()) == []
    assert len(_full_lines(caplog)) == 1


@form.travel
def test_a_large_file_is_filed_when_the_temp_disk_has_room(client, ward, settings, tmp_path):
    """The handler writes as Django's does: a file through a temporary file is filed whole."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    data = form.pdf()
    answer = _desk_sends(client, ward, data)
    assert answer.status_code == 200, answer.content
    assert Attachment.objects.get().file.read() == data


class _FullRaw(io.RawIOBase):
    """A file on a disk with ``room`` bytes left: a write past it fails with ENOSPC, as the
    kernel answers (nothing of that write is taken)."""

    def __init__(self, path, room):
        self.fd = os.open(path, os.O_RDWR)
        self.room = room

    def writable(self):
        return True

    def readable(self):
        return True

    def seekable(self):
        return True

    def write(self, b):
        if len(b) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(b)
        return os.write(self.fd, b)

    def readinto(self, b):
        data = os.read(self.fd, len(b))
        b[: len(data)] = data
        return len(data)

    def seek(self, pos, whence=0):
        return os.lseek(self.fd, pos, whence)

    def close(self):
        if not self.closed:
            os.close(self.fd)
        super().close()


@pytest.fixture
def disk_with_room(settings, tmp_path, monkeypatch):
    """Uploads through temporary files (under ``tmp_path``) on a disk with ``room`` bytes left,
    written through Python's buffer as the real ones are: what a failed write left buffered is
    flushed again — and fails again — when the file is closed."""

    def make(room):
        settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100

        def named(*args, **kwargs):
            fd, path = tempfile.mkstemp(suffix=kwargs.get("suffix", ""), dir=kwargs.get("dir"))
            os.close(fd)
            buffered = io.BufferedRandom(_FullRaw(path, room))
            return tempfile._TemporaryFileWrapper(buffered, path, delete=True)

        monkeypatch.setattr(uploadedfile.tempfile, "NamedTemporaryFile", named)
        return tmp_path

    return make


@form.travel
def test_the_disk_full_at_a_files_last_bytes_is_a_503_not_a_500(
    client, ward, disk_with_room, caplog
):
    """The tail (smaller than the 8 KiB buffer) is buffered; its flush fails at the seek that
    completes the file, and closing the file begun flushes it again, failing again."""
    data = form.pdf()
    temp = disk_with_room(len(data) - 50)
    with caplog.at_level(logging.WARNING):
        answer = _desk_sends(client, ward, data)
    assert answer.status_code == 503, answer.content
    assert answer.json()["code"] == "file_store_full" and answer["Retry-After"] == "300"
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert list(temp.iterdir()) == []
    assert len(_full_lines(caplog)) == 1


@form.travel
def test_an_api_upload_with_an_idempotency_key_while_the_temp_disk_is_full_is_a_503(
    client, ward, temp_disk_full, caplog
):
    """IdempotencyMiddleware reads a multipart body (its fingerprint) in its ``__call__``,
    before any middleware's ``process_view``: the refusal is answered before it runs."""
    from cqdt.core.models import IdempotentRequest

    with caplog.at_level(logging.WARNING):
        answer = _desk_sends(client, ward, HTTP_IDEMPOTENCY_KEY="retry-me-1")
    assert answer.status_code == 503, answer.content
    assert answer.json()["code"] == "file_store_full" and answer["Retry-After"] == "300"
    assert Dossier.objects.count() == 0 and IdempotentRequest.objects.count() == 0
    assert list(temp_disk_full.iterdir()) == []
    assert len(_full_lines(caplog)) == 1
