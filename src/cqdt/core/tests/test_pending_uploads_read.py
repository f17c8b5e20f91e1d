"""A kept file read back for the form's next send (``pending_uploads.read``): gone between the
open (HEAD) and the fetch (GET) on S3 — purged at its expiry meanwhile — botocore's NoSuchKey was
a server error. Gone before the open or after it, it is refused as gone (422 naming its field,
``kept_file_missing``): the form must not go on without a file the visitor was shown as kept."""

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.files.storage import default_storage
from django.test import RequestFactory

from cqdt.core import pending_uploads
from cqdt.core.errors import InvalidInput
from cqdt.testing import object_storage


@pytest.mark.django_db
def test_a_kept_file_gone_between_its_open_and_its_fetch_reads_as_gone(s3):
    request = RequestFactory().post("/feedback/new/")
    request.session = SessionStore()
    kept = pending_uploads.keep(request, "feedback", "photos", "anh.jpg", b"x")
    assert pending_uploads.read(request, "feedback", kept.token) == ("anh.jpg", b"x")
    (key,) = s3.keys("pending/")
    asked = object_storage.vanishes_before_fetch(default_storage, s3, key)
    with pytest.raises(InvalidInput) as gone:
        pending_uploads.read(request, "feedback", kept.token)
    assert gone.value.field == "photos" and gone.value.code == "kept_file_missing"
    assert asked and s3.keys("pending/") == []


@pytest.mark.django_db
def test_a_kept_file_gone_before_its_open_reads_as_gone(s3):
    request = RequestFactory().post("/feedback/new/")
    request.session = SessionStore()
    kept = pending_uploads.keep(request, "feedback", "photos", "anh.jpg", b"x")
    (key,) = s3.keys("pending/")
    s3.client.delete_object(Bucket=s3.name, Key=key)
    with pytest.raises(InvalidInput) as gone:
        pending_uploads.read(request, "feedback", kept.token)
    assert gone.value.field == "photos" and "anh.jpg" in gone.value.vi
