"""Uploads on S3-compatible object storage for the tests (docs/decisions/0017, 0021).

``STORAGES`` is built by ``config.storage.storages_from_env`` exactly as a deployment with
``CQDT_STORAGE=s3`` builds it, and django-storages' ``S3Storage`` talks to moto's S3, which answers
inside the test process (botocore's requests never leave it). What a test sees is the bucket as the
service holds it: the keys and their bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cqdt.config.storage import storages_from_env

BUCKET = "cqdt-uploads"
REGION = "ap-southeast-1"
PREFIX = "uploads"


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

    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
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
    import socket

    from botocore.config import Config

    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
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
        yield
    finally:
        settings.STORAGES = before


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
