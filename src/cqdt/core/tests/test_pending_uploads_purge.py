"""Kept files are purged after the TTL on any storage, including one that cannot tell a file's
modification time (S3-compatible backends need not): the moment is in the file's name."""

import datetime as dt
import logging
from collections.abc import Callable

import pytest
import time_machine
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.utils import timezone

from cqdt.core import pending_uploads


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
    assert pending_uploads.purge_expired(timezone.now()) == pending_uploads.Purged(
        0
    )  # still within the TTL
    assert len(files(media)) == 1
    later = timezone.now() + dt.timedelta(seconds=pending_uploads.TTL + 60)
    assert pending_uploads.purge_expired(later) == pending_uploads.Purged(1)
    assert files(media) == []


# The purge is a background job: with the object storage out of reach it failed with botocore's
# error (its listing and its deletes were guarded against OSError only).

LATER = dt.timedelta(seconds=pending_uploads.TTL + 60)


def _kept_on_s3(count: int) -> list[str]:
    from django.core.files.base import ContentFile

    stamp = int(timezone.now().timestamp())
    return [
        default_storage.save(f"pending/{stamp}-token{i}", ContentFile(b"x")) for i in range(count)
    ]


def _store_drops_after(deletes: int) -> tuple[list[str], Callable[[], None]]:
    """From the ``deletes + 1``-th delete on, the store cannot be reached: (the deletes asked
    for, a call that brings the store back)."""
    from botocore.exceptions import EndpointConnectionError

    calls: list[str] = []

    def down(**kwargs):
        calls.append(kwargs["params"]["url_path"])
        if len(calls) > deletes:
            raise EndpointConnectionError(endpoint_url="http://s3.invalid")

    events = default_storage.connection.meta.client.meta.events
    events.register("before-call.s3.DeleteObject", down)
    return calls, lambda: events.unregister("before-call.s3.DeleteObject", down)


def _purge_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "pending_purge" in r.getMessage()]


@pytest.mark.django_db
def test_the_purge_with_the_store_down_reports_it_reached_nothing(settings, caplog):
    from cqdt.testing import object_storage

    with object_storage.s3_unreachable(settings), caplog.at_level(logging.WARNING):
        purged = pending_uploads.purge_expired(timezone.now() + LATER)
    assert purged == pending_uploads.Purged(removed=0, left=0, reached=False)
    (line,) = _purge_lines(caplog)
    assert "EndpointConnectionError" in line and "pending/" not in line


@pytest.mark.django_db
def test_the_store_dropping_during_the_purge_leaves_the_rest_to_the_next_run(s3, caplog):
    _kept_on_s3(3)
    calls, back = _store_drops_after(1)
    with caplog.at_level(logging.WARNING):
        purged = pending_uploads.purge_expired(timezone.now() + LATER)
    assert purged == pending_uploads.Purged(removed=1, left=2)
    assert len(calls) == 2  # once down, the store is asked nothing more
    assert len(s3.keys("pending/")) == 2
    (line,) = _purge_lines(caplog)
    assert "token" not in line and "pending/" not in line
    # The next run, the store back, takes what was left.
    back()
    assert pending_uploads.purge_expired(timezone.now() + LATER) == pending_uploads.Purged(2)
    assert s3.keys("pending/") == []


@pytest.mark.django_db
def test_the_purge_task_says_what_it_did(s3):
    from cqdt.core.tasks import purge_pending_uploads_task

    _kept_on_s3(2)
    _store_drops_after(0)
    with time_machine.travel(timezone.now() + LATER):
        done = purge_pending_uploads_task.call()
    assert done == {"removed": 0, "left": 2, "reached": True}


# A file kept before names carried the moment (``pending/<token>``) has its age asked of the
# store; one that vanished between the listing and that question (its form sent, removed, or a
# second run) failed the purge on S3 with botocore's 404 ("Not Found").


class _ListedThenGone:
    """The store, whose listing answers as it was, after which every file listed is deleted
    before the purge looks at it."""

    def __init__(self, storage):
        self.storage = storage
        self.vanished: list[str] = []

    def __getattr__(self, name):
        return getattr(self.storage, name)

    def listdir(self, path):
        dirs, names = self.storage.listdir(path)
        for name in names:
            self.storage.delete(f"{path}/{name}")
            self.vanished.append(name)
        return dirs, names


def _old_style_gone_after_the_listing(monkeypatch) -> _ListedThenGone:
    from django.core.files.base import ContentFile

    assert default_storage.save("pending/oldstyletoken", ContentFile(b"x")) == (
        "pending/oldstyletoken"
    )
    store = _ListedThenGone(default_storage)
    monkeypatch.setattr(pending_uploads, "default_storage", store)
    return store


@pytest.fixture(params=[pytest.param("s3", marks=pytest.mark.django_db), "media"])
def kept_pending(request):
    """The names under ``pending/`` left in the store, on S3 and on the filesystem."""
    if request.param == "s3":
        s3 = request.getfixturevalue("s3")
        return lambda: s3.keys("pending/")
    media = request.getfixturevalue("media")
    return lambda: files(media)


def test_an_old_style_file_gone_before_the_purge_asks_its_age_is_purged_already(
    kept_pending, monkeypatch, caplog
):
    store = _old_style_gone_after_the_listing(monkeypatch)
    with caplog.at_level(logging.WARNING):
        purged = pending_uploads.purge_expired(timezone.now() + LATER)
    assert store.vanished == ["oldstyletoken"]
    assert purged == pending_uploads.Purged(removed=0, left=0, reached=True)
    assert kept_pending() == [] and _purge_lines(caplog) == []
