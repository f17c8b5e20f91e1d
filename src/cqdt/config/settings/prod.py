"""Production: a secret key is required, debug is off, cookies are secure."""

from django.core.exceptions import ImproperlyConfigured

from cqdt.config.env import env_bool

from .base import *  # noqa: F403
from .base import SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("CQDT_SECRET_KEY must be set in production.")
CQDT_PRODUCTION = True
DEBUG = env_bool("CQDT_DEBUG", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
