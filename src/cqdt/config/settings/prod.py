"""Production: a secret key is required, debug is off, cookies are secure."""

from django.core.exceptions import ImproperlyConfigured

from cqdt.config.env import env_bool, env_str
from cqdt.core.logs import logging_config

from .base import *  # noqa: F403
from .base import SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("CQDT_SECRET_KEY must be set in production.")
# Django's own deploy check (security.W009) asks for 50 characters, 5 distinct ones and not the
# generated development prefix; here a key that fails it is not a warning but a refusal to start.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        f"CQDT_SECRET_KEY is too weak for production ({len(SECRET_KEY)} characters): use at "
        "least 50 random characters, e.g. python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(60))'."
    )
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
    **STORAGES,  # noqa: F405  # the uploads' storage from the environment (filesystem or S3; config.storage)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# HTTP is redirected to HTTPS (a proxy that terminates TLS must set CQDT_PROXY_SSL_HEADER, or
# every request looks like HTTP); false when the proxy itself redirects. The health checks
# stay reachable over plain HTTP for the load balancer, and /metrics for a scraper on 127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("CQDT_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
