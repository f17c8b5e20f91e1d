"""Where uploaded files live: ``STORAGES`` from the environment (issue 13, docs/decisions/0017).

By default the filesystem under ``MEDIA_ROOT``. With ``CQDT_STORAGE=s3`` the default storage is
S3-compatible object storage through django-storages (``storages.backends.s3.S3Storage``; the
optional ``s3`` extra: ``pip install 'cqdt[s3]'``): ``CQDT_S3_BUCKET`` (required),
``CQDT_S3_ENDPOINT_URL`` (MinIO, Ceph, a Vietnamese cloud's S3 endpoint; empty for AWS),
``CQDT_S3_REGION``, ``CQDT_S3_ACCESS_KEY_ID`` and ``CQDT_S3_SECRET_ACCESS_KEY`` (empty: boto3's
own chain — instance role, environment), ``CQDT_S3_PREFIX``. Files are private (no ACL, signed
URLs that expire) and never overwritten. Static files stay with WhiteNoise either way.
Building the configuration touches no network: the backend connects on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# Django's, removing what it began to write when the disk fills up (core.file_store)
FILESYSTEM = "cqdt.core.file_store.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def storages_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Django's ``STORAGES`` for ``env`` (``os.environ``)."""
    kind = (env.get("CQDT_STORAGE") or "filesystem").strip().lower()
    if kind in ("", "filesystem", "file", "local"):
        return {"default": {"BACKEND": FILESYSTEM}, "staticfiles": STATIC}
    if kind != "s3":
        raise ImproperlyConfigured(f"CQDT_STORAGE must be 'filesystem' or 's3', not {kind!r}.")
    bucket = (env.get("CQDT_S3_BUCKET") or "").strip()
    if not bucket:
        raise ImproperlyConfigured("CQDT_STORAGE=s3 needs CQDT_S3_BUCKET.")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": None,  # private objects: the bucket's policy, no public-read
        "querystring_auth": True,  # links are signed and expire
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    optional = {
        "endpoint_url": "CQDT_S3_ENDPOINT_URL",
        "region_name": "CQDT_S3_REGION",
        "access_key": "CQDT_S3_ACCESS_KEY_ID",
        "secret_key": "CQDT_S3_SECRET_ACCESS_KEY",
        "location": "CQDT_S3_PREFIX",
    }
    for option, name in optional.items():
        value = (env.get(name) or "").strip()
        if value:
            options[option] = value
    return {"default": {"BACKEND": S3, "OPTIONS": options}, "staticfiles": STATIC}
