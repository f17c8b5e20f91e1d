"""STORAGES from the environment (config.storage): filesystem by default, S3 through
django-storages when configured; built without touching the network."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cqdt.config.storage import FILESYSTEM, S3, storages_from_env


def test_the_filesystem_is_the_default():
    assert storages_from_env({})["default"] == {"BACKEND": FILESYSTEM}


def test_s3_settings_build_the_backend_config_without_network():
    env = {
        "CQDT_STORAGE": "s3",
        "CQDT_S3_BUCKET": "cqdt-uploads",
        "CQDT_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "CQDT_S3_ACCESS_KEY_ID": "minio",
        "CQDT_S3_SECRET_ACCESS_KEY": "minio-secret",
        "CQDT_S3_REGION": "ap-southeast-1",
    }
    default = storages_from_env(env)["default"]
    assert default["BACKEND"] == S3 == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "cqdt-uploads",
        "endpoint_url": "http://127.0.0.1:9000",
        "access_key": "minio",
        "secret_key": "minio-secret",
        "region_name": "ap-southeast-1",
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    s3 = pytest.importorskip("storages.backends.s3")  # the optional 's3' extra
    storage = s3.S3Storage(**default["OPTIONS"])  # no request is made until a file is used
    assert storage.bucket_name == "cqdt-uploads"


@pytest.mark.parametrize(
    "env", [{"CQDT_STORAGE": "s3"}, {"CQDT_STORAGE": "ftp"}], ids=["no-bucket", "unknown"]
)
def test_a_wrong_storage_setting_stops_the_start(env):
    with pytest.raises(ImproperlyConfigured):
        storages_from_env(env)
