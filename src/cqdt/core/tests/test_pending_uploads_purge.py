"""Kept files are purged after the TTL on any storage, including one that cannot tell a file's
modification time (S3-compatible backends need not): the moment is in the file's name."""

import datetime as dt

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.utils import timezone

from cqdt.core import pending_uploads


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def files(media):
    return sorted(p.name for p in media.rglob("pending/*") if p.is_file())


def test_a_kept_file_is_purged_after_the_ttl_without_modification_times(media, monkeypatch):
    request = RequestFactory().post("/feedback/new/")
    request.session = SessionStore()
    kept = pending_uploads.keep(request, "feedback", "photos", "anh.jpg", b"x")
    assert pending_uploads.listed(request, "feedback")["photos"][0].token == kept.token
    assert len(files(media)) == 1

    def cannot_tell(name):
        raise NotImplementedError("this storage keeps no modification times")

    monkeypatch.setattr(default_storage, "get_modified_time", cannot_tell)
    assert pending_uploads.purge_expired(timezone.now()) == 0  # still within the TTL
    assert len(files(media)) == 1
    later = timezone.now() + dt.timedelta(seconds=pending_uploads.TTL + 60)
    assert pending_uploads.purge_expired(later) == 1
    assert files(media) == []
