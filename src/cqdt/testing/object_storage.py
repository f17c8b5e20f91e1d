"""Uploads on S3-compatible object storage for the tests (docs/decisions/0017, 0021).

``STORAGES`` is built by ``config.storage.storages_from_env`` exactly as a deployment with
``CQDT_STORAGE=s3`` builds it, and django-storages' ``S3Storage`` talks to moto's S3, which answers
inside the test process (botocore's requests never leave it). What a test sees is the bucket as the
service holds it: the keys and their bytes.

The test thread's boto3 connection is made once for the whole process (:func:`install`), as a
deployment's one ``S3Storage`` keeps one per thread for its life (another thread — a live
server's, a race's — makes its own, as before, and it goes with the thread). Each test sets ``STORAGES``
anew, which gave it a new ``S3Storage`` and so a new boto3 session and client: ~0.12 s of CPU each
(botocore reads its JSON models and registers its handlers), 61 of them for the 53 tests that use
S3, 7.6 s. A connection's settings (keys, region, endpoint, client options) are its key: a test
never gets a connection made for other settings. Its event handlers are put back as they were
made when the test's storage goes, so a hook a test adds (:func:`fetches_fail`, a store that
drops after some deletes) never reaches the next test.
"""

from __future__ import annotations

import copy
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cqdt.config.storage import storages_from_env

BUCKET = "cqdt-uploads"
REGION = "ap-southeast-1"
PREFIX = "uploads"

# The test thread's boto3 connections, by their settings (:func:`install`).
_kept: dict[tuple[Any, ...], Any] = {}
# How many of this module's storages are in use (connections are kept only for them: one made
# elsewhere, before moto was imported say, is never handed to a test that uses moto's S3).
_within = [0]
# Every kept connection's event emitter, with a copy of its handlers as the connection was made.
_made: list[tuple[Any, Any]] = []
# A port of this machine bound for the process's life and never listened on (:func:`_closed_port`).
_refusing: list[socket.socket] = []
_TEST_THREAD = threading.main_thread()


def _kept_connection(key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """The connection for ``key``, made by ``make()`` the first time."""
    if key not in _kept:
        made = _kept[key] = make()
        client = getattr(made.meta, "client", made)  # a resource's client, or the client
        emitter = client.meta.events._emitter  # botocore's emitter behind the event aliases
        _made.append((emitter, copy.copy(emitter)))
    return _kept[key]


def _handlers_as_made() -> None:
    """Every kept connection's event handlers as they were when it was made."""
    for emitter, as_made in _made:
        emitter.__dict__.update(copy.copy(as_made).__dict__, _lookup_cache={})


def _settings_of(storage: Any) -> tuple[Any, ...]:
    """What a connection of ``storage`` is made from (``S3Storage.connection``'s arguments)."""
    config = storage.client_config
    options = sorted(
        (k, repr(v)) for k, v in vars(config).get("_user_provided_options", {}).items()
    )
    return (
        storage.session_profile,
        storage.access_key,
        storage.secret_key,
        storage.security_token,
        storage.region_name,
        storage.use_ssl,
        storage.endpoint_url,
        storage.verify,
        tuple(options),
    )


def install() -> None:
    """``S3Storage.connection`` of the test process: in the test thread, the connection made for
    the same settings, kept from one test to the next (module docstring); django-storages' own
    makes it."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # the 's3' extra is not installed: nothing to keep
        return
    make = S3Storage.connection.fget

    def connection(self: Any) -> Any:
        kept = getattr(self._connections, "connection", None)
        if kept is None and not (_within[0] and threading.current_thread() is _TEST_THREAD):
            return make(self)
        if kept is None:
            kept = _kept_connection(("storage", *_settings_of(self)), lambda: make(self))
            self._connections.connection = kept
        return kept

    S3Storage.connection = property(connection)


@contextmanager
def _keeping() -> Iterator[None]:
    """Within: the storages' connections are kept (:func:`install`); on leaving the outermost,
    their event handlers are put back as they were made."""
    _within[0] += 1
    try:
        yield
    finally:
        _within[0] -= 1
        if not _within[0]:
            _handlers_as_made()


@dataclass(frozen=True)
class Bucket:
    """The test bucket as S3 holds it."""

    client: Any
    name: str = BUCKET

    def keys(self, under: str = "") -> list[str]:
        """Every key below ``PREFIX/under``, sorted."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=f"{PREFIX}/{under}"
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@contextmanager
def s3_uploads(settings: Any) -> Iterator[Bucket]:
    """Within: the default storage is S3 (a private bucket, signed links, no overwrite), served by
    moto; ``settings`` is pytest-django's fixture, which puts ``STORAGES`` back afterwards."""
    import boto3
    from moto import mock_aws

    with mock_aws(), _keeping():
        client = _kept_connection(("bucket",), lambda: boto3.client("s3", region_name=REGION))
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        settings.STORAGES = storages_from_env(
            {
                "CQDT_STORAGE": "s3",
                "CQDT_S3_BUCKET": BUCKET,
                "CQDT_S3_REGION": REGION,
                "CQDT_S3_ACCESS_KEY_ID": "test-key",
                "CQDT_S3_SECRET_ACCESS_KEY": "test-secret",
                "CQDT_S3_PREFIX": PREFIX,
            }
        )
        yield Bucket(client)


@contextmanager
def s3_unreachable(settings: Any) -> Iterator[None]:
    """Within: the default storage is S3 as configured, at an endpoint nobody answers (a closed
    port on this machine: every request is refused at once, one attempt, no retries) — an
    object storage that is down."""
    from botocore.config import Config

    port = _closed_port()
    storages = storages_from_env(
        {
            "CQDT_STORAGE": "s3",
            "CQDT_S3_BUCKET": BUCKET,
            "CQDT_S3_REGION": REGION,
            "CQDT_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "CQDT_S3_ACCESS_KEY_ID": "test-key",
            "CQDT_S3_SECRET_ACCESS_KEY": "test-secret",
            "CQDT_S3_PREFIX": PREFIX,
        }
    )
    storages["default"]["OPTIONS"]["client_config"] = Config(
        retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=1, read_timeout=1
    )
    before = settings.STORAGES
    settings.STORAGES = storages
    try:
        with _keeping():
            yield
    finally:
        settings.STORAGES = before


def _closed_port() -> int:
    """A port of this machine that refuses every connection: bound by this process for its life
    and never listened on, so that nothing else can listen there (one port, so that the
    connections to it are kept like any other)."""
    if not _refusing:
        bound = socket.socket()
        bound.bind(("127.0.0.1", 0))
        _refusing.append(bound)
    return int(_refusing[0].getsockname()[1])


def fetches_fail(storage: Any) -> list[str]:
    """From now on the S3 ``storage`` (the ``s3`` fixture's) answers the head of an object but
    cannot be reached for its body: a store that drops between a file's open (HEAD) and the
    fetch of its content (GET). The fetches asked for, by path (botocore's hook on the
    storage's client, for this thread's connection)."""
    from botocore.exceptions import EndpointConnectionError

    asked: list[str] = []

    def dropped(**kwargs: Any) -> None:
        asked.append(kwargs["params"]["url_path"])
        raise EndpointConnectionError(endpoint_url="http://s3.invalid")

    storage.connection.meta.client.meta.events.register("before-call.s3.GetObject", dropped)
    return asked


def vanishes_before_fetch(storage: Any, bucket: Bucket, key: str) -> list[str]:
    """From now on the object ``key`` of the S3 ``storage`` (the ``s3`` fixture's) is deleted
    from ``bucket`` just before its body is fetched: a file whose head was found (the open) and
    whose content is gone by the fetch (``NoSuchKey``). The fetches asked for, by path."""
    asked: list[str] = []

    def gone(**kwargs: Any) -> None:
        asked.append(kwargs["params"]["url_path"])
        bucket.client.delete_object(Bucket=bucket.name, Key=key)

    storage.connection.meta.client.meta.events.register("before-call.s3.GetObject", gone)
    return asked
