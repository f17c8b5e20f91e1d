"""The test kit's S3 (cqdt.testing.object_storage): the test thread's boto3 connection is made once
and kept from one test's storage to the next, as a deployment's ``S3Storage`` keeps one per
thread; a hook a test adds to it is gone for the next, and other settings get their own."""

import threading

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cqdt.testing import object_storage


def _saved(name: str) -> str:
    return default_storage.save(name, ContentFile(b"x"))


def test_the_next_storage_gets_the_same_connection_without_the_hooks_added_to_it(settings):
    with object_storage.s3_uploads(settings):
        first = default_storage.connection
        key = _saved("kept/a.txt")
        asked = object_storage.fetches_fail(default_storage)
        with pytest.raises(EndpointConnectionError), default_storage.open(key) as dropped:
            dropped.read()
        assert len(asked) == 1
    with object_storage.s3_uploads(settings) as bucket:
        assert default_storage.connection is first  # a new S3Storage, the kept connection
        assert bucket.keys() == []  # moto's S3 anew
        key = _saved("kept/b.txt")
        with default_storage.open(key) as kept:
            assert kept.read() == b"x"  # the hook that failed every fetch is gone
    assert len(asked) == 1


def test_other_settings_and_other_threads_get_connections_of_their_own(settings):
    with object_storage.s3_uploads(settings):
        moto = default_storage.connection
        with object_storage.s3_unreachable(settings):
            down = default_storage.connection
            assert down is not moto
            assert down.meta.client.meta.endpoint_url.startswith("http://127.0.0.1:")
        others: list[object] = []
        thread = threading.Thread(target=lambda: others.append(default_storage.connection))
        thread.start()
        thread.join()
        assert others[0] is not moto
    with object_storage.s3_unreachable(settings):
        assert default_storage.connection is down  # the same refusing port for the process
