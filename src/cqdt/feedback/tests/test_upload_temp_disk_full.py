"""A photo sent through Open311 larger than FILE_UPLOAD_MAX_MEMORY_SIZE with the temporary disk
full (ENOSPC while Django writes the upload's temporary file): a server error before; now
Open311's error list with 503 and Retry-After, as the store full answers, and no report."""

import errno

from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from cqdt.feedback.tests.conftest import counts, jpeg
from cqdt.feedback.tests.test_open311 import post_request


def test_a_photo_sent_through_open311_with_the_temp_disk_full_is_a_503(
    client, wards, api_key, frozen, settings, tmp_path, monkeypatch
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(TemporaryUploadedFile, "write", write, raising=False)
    before = counts()
    photo = SimpleUploadedFile("anh-via-he.jpg", jpeg(), content_type="image/jpeg")
    answer = post_request(client, api_key, media=photo)
    assert answer.status_code == 503, answer.content
    (error,) = answer.json()
    assert (
        error["code"] == 503 and "The platform's file store is out of space" in error["description"]
    )
    assert answer["Retry-After"] == "300"
    assert counts() == before and list(tmp_path.iterdir()) == []
