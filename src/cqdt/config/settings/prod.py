"""Production: a secret key is required, debug is off, cookies are secure."""

from django.core.exceptions import ImproperlyConfigured

from cqdt.config.env import env_bool, env_str
from cqdt.core.logs import logging_config

from .base import *  # noqa: F403
from .base import SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("CQDT_SECRET_KEY must be set in production.")
CQDT_PRODUCTION = True
DEBUG = env_bool("CQDT_DEBUG", False)
# One JSON object per line for the log collector (core.logs); "console" to read by eye.
CQDT_LOG_FORMAT = env_str("CQDT_LOG_FORMAT", "json")
LOGGING = logging_config(CQDT_LOG_FORMAT, env_str("CQDT_LOG_LEVEL", "INFO"))
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
# `cqdt collectstatic` writes hashed, gzip- and brotli-compressed copies that whitenoise serves
# with far-future cache headers (docs/decisions/0011).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
