"""Settings shared by every environment. Environment variables are read in ``config.env``."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF

from cqdt.config.env import PROJECT_ROOT, VAR_DIR, env_bool, env_list, env_str, tiles_origin
from cqdt.config.storage import storages_from_env
from cqdt.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parents[2]  # src/cqdt

SECRET_KEY = env_str("CQDT_SECRET_KEY", "")
# True only in settings.prod: commands that must never run as-is on a real deployment
# (load_demo_data) look at it, since DEBUG is off in the test settings too.
CQDT_PRODUCTION = False
DEBUG = env_bool("CQDT_DEBUG", False)
ALLOWED_HOSTS = env_list("CQDT_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Swagger UI from ninja's own static files, never a CDN (ninja renders its CDN template
    # when it is not an installed app).
    "ninja",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "cqdt.core",
    "cqdt.units",
    "cqdt.workdays",
    "cqdt.staff",
    "cqdt.accounts",
    "cqdt.authority",
    "cqdt.procedures",
    "cqdt.dossiers",
    "cqdt.documents",
    "cqdt.oversight",
    "cqdt.budget",
    "cqdt.feedback",
    "cqdt.monitoring",
    "cqdt.simulation",
    "cqdt.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the application server, compressed and hashed in production (prod.py).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "cqdt.core.middleware.RequestIdMiddleware",
    # Under /api/: an unknown path's 404 and a refused method's 405 in the API's error shape.
    "cqdt.core.middleware.ApiErrorShapeMiddleware",
    # Chooses a replica for lag-tolerant reads when CQDT_REPLICA_URLS names some.
    "cqdt.core.replicas.ReplicaReadsMiddleware",
    # A GET reads each watermark of the process's kept values once (core.table_versions).
    "cqdt.core.middleware.ReadVersionsOnceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF and the input guard, which read the body: an upload's temporary file with the
    # disk full is the file store's 503 (file_store_full), not a server error.
    "cqdt.core.file_store_uploads.UploadSpaceMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idle timeout and absolute lifetime of logged-in sessions.
    "cqdt.core.middleware.SessionLifetimeMiddleware",
    # Drops a session's second-factor verification after 15 minutes idle (issue 18).
    "cqdt.accounts.factors.ActivityMiddleware",
    # After CSRF and auth: refuses NUL bytes, lone surrogates and JSON NaN naming the field.
    "cqdt.core.middleware.InputGuardMiddleware",
    # API POSTs with an Idempotency-Key answered once, repeats from the stored answer (issue 13).
    "cqdt.core.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A domain error no view handled: its status, with a page or an htmx fragment.
    "cqdt.web.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cqdt.config.urls"
WSGI_APPLICATION = "cqdt.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'cqdt.sqlite3'}"


def database_from_url(url: str) -> dict:
    """One database from a URL; SQLite gets WAL, a busy timeout and IMMEDIATE transactions.

    IMMEDIATE makes a writing transaction take SQLite's write lock at BEGIN, so two writers
    queue on the busy timeout instead of failing with "database is locked" mid-transaction.
    """
    config: dict = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    else:
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": database_from_url(env_str("DATABASE_URL", DEFAULT_SQLITE_URL))}
# PostgreSQL streaming replicas for reads that tolerate lag (core.replicas): comma-separated URLs,
# aliases replica1, replica2, …; empty, every query goes to the primary.
CQDT_REPLICAS: list[str] = []
for _n, _url in enumerate(env_list("CQDT_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{_n}"] = database_from_url(_url) | {"TEST": {"MIRROR": "default"}}
    DATABASES[f"replica{_n}"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    CQDT_REPLICAS.append(f"replica{_n}")
DATABASE_ROUTERS = ["cqdt.core.replicas.ReplicaRouter"]
# A replica further behind than this is left out; a client that wrote reads on the primary for
# this long (read-your-writes); each process re-checks a replica's lag this often.
CQDT_REPLICA_MAX_LAG_SECONDS = float(env_str("CQDT_REPLICA_MAX_LAG_SECONDS", "5"))
CQDT_REPLICA_STICKY_SECONDS = float(env_str("CQDT_REPLICA_STICKY_SECONDS", "5"))
CQDT_REPLICA_CHECK_SECONDS = float(env_str("CQDT_REPLICA_CHECK_SECONDS", "1"))
# The GET requests whose reads may lag (regular expressions on the path): dashboards and
# exports, the citizen's lookup, public lists, Open311 lists.
CQDT_REPLICA_PATHS = env_list(
    "CQDT_REPLICA_PATHS",
    [
        r"/staff/monitoring/",
        r"/api/v1/public/(dossiers/[^/]+|procedures)$",
        r"/lookup/$",
        r"/procedures/$",
        r"/feedback/$",
        r"/open311/v2/(services|requests)\.",
    ],
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are a PostgreSQL optimisation; SQLite builds the same index
# without the extra columns, which is all W040 warns about.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [  # Django's rules with Vietnamese-first messages (issue 18)
    {"NAME": "cqdt.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "cqdt.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "cqdt.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "cqdt.accounts.passwords.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/IP before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's, refusing an official's account while they hold no post (issue 18).
    "cqdt.accounts.backends.PostHolderBackend",
    # Single sign-on at the city's OpenID Connect provider; answers nothing unless configured.
    "cqdt.accounts.sso.CityOidcBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A lockout outside the staff login form (the admin's login) says the staff page's message in
# the page's language, not axes' English line (QA Q16).
AXES_LOCKOUT_CALLABLE = "cqdt.staff.views.lockout_response"
LOGIN_URL = "/staff/login/"
LOGIN_REDIRECT_URL = "/staff/"
LOGOUT_REDIRECT_URL = "/"

# Single sign-on for officials at the city's OpenID Connect provider (issue 18, item 5;
# docs/decisions/0013): off unless the issuer, the client and the three endpoints are set.
CQDT_OIDC_ISSUER = env_str("CQDT_OIDC_ISSUER", "")
OIDC_RP_CLIENT_ID = env_str("CQDT_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("CQDT_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("CQDT_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("CQDT_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("CQDT_OIDC_JWKS_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = ""  # claims are read from the signed id_token, not from userinfo
# A claim whose value is the official's username (their civil-service code) and that the city's
# provider alone sets, e.g. "preferred_username": links an account at its first SSO login.
# Empty: an account is linked only from a logged-in session (Account security page).
CQDT_OIDC_USERNAME_CLAIM = env_str("CQDT_OIDC_USERNAME_CLAIM", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_STORE_ACCESS_TOKEN = False
OIDC_STORE_ID_TOKEN = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/staff/login/?sso=refused"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"

# Django's database sessions; the read each request makes is compiled once (core.sessions).
SESSION_ENGINE = "cqdt.core.sessions"
SESSION_COOKIE_HTTPONLY = True
# Logged-in sessions (staff): ended after this long without a request, and this long after
# login whatever happens (core.middleware.SessionLifetimeMiddleware); the cookie lives no longer.
CQDT_SESSION_IDLE_SECONDS = int(env_str("CQDT_SESSION_IDLE_SECONDS", "1800"))
CQDT_SESSION_MAX_SECONDS = int(env_str("CQDT_SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = CQDT_SESSION_MAX_SECONDS
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS-terminating proxy: the header (and value) it sets on HTTPS requests, e.g.
# "X-Forwarded-Proto: https". Only set it when the proxy overwrites that header from clients.
_proxy_ssl = env_str("CQDT_PROXY_SSL_HEADER", "")
SECURE_PROXY_SSL_HEADER = (
    (
        "HTTP_" + _proxy_ssl.split(":", 1)[0].strip().upper().replace("-", "_"),
        _proxy_ssl.split(":", 1)[1].strip(),
    )
    if ":" in _proxy_ssl
    else None
)

# Content Security Policy (django-csp 4, docs/decisions/0007): this site's own files only, no
# inline script, handler or style (templates load static files; config/tests/test_hardening.py
# scans them). Images may be data: URLs (charts, Swagger UI's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The map on the feedback form (issue 13 item 8, docs/decisions/0019): a tile URL template with
# {z}, {x}, {y} (and {s} for subdomains); empty: no tiles, the map shows the wards' centres and
# outlines only. Its origin is added to the CSP's img-src.
CQDT_MAP_TILES_URL = env_str("CQDT_MAP_TILES_URL", "")
CQDT_MAP_TILES_ATTRIBUTION = env_str("CQDT_MAP_TILES_ATTRIBUTION", "")
if tiles_origin(CQDT_MAP_TILES_URL):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(tiles_origin(CQDT_MAP_TILES_URL))
if OIDC_OP_AUTHORIZATION_ENDPOINT:
    # Linking a city identity posts a form that ends in a redirect to the provider: browsers
    # apply form-action to the redirect's target too.
    _OIDC_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(OIDC_OP_AUTHORIZATION_ENDPOINT))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(_OIDC_ORIGIN)

# The repository root, for commands that read or write files beside the code (bench output).
CQDT_PROJECT_ROOT = PROJECT_ROOT

# Logs through structlog (core.logs): CQDT_LOG_FORMAT "json" (production's default) or "console".
CQDT_LOG_FORMAT = env_str("CQDT_LOG_FORMAT", "console")
LOGGING = logging_config(CQDT_LOG_FORMAT, env_str("CQDT_LOG_LEVEL", "INFO"))
# pyHanko warns on every signature that it will not fetch revocation data: by design (no network;
# the CRLs it embeds are given to it).
LOGGING.setdefault("loggers", {})["pyhanko.sign.signers.pdf_signer"] = {"level": "ERROR"}
# /metrics (web.probes) answers the loopback address, or a bearer of this token when set.
CQDT_METRICS_TOKEN = env_str("CQDT_METRICS_TOKEN", "")

# Background work: django-tasks with its database backend (same code on SQLite and PostgreSQL);
# run `cqdt db_worker` beside the web process. Periodic jobs: `cqdt run_periodic` (cron/systemd).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CQDT_NOTIFY_BACKEND = env_str("CQDT_NOTIFY_BACKEND", "cqdt.core.notify.ConsoleSender")
# Public endpoints (lookup, rating, online submission): requests per minute per client address.
CQDT_PUBLIC_RATE_LIMIT = int(env_str("CQDT_PUBLIC_RATE_LIMIT", "30"))
# Online intake (docs/decisions/0006): per unit and day, the public may take at most this many of
# the day's 9,999 dossier numbers (the desk keeps the rest); per client address and day, at most
# this many online submissions.
CQDT_ONLINE_DAILY_CAP = int(env_str("CQDT_ONLINE_DAILY_CAP", "5000"))
CQDT_ONLINE_PER_ADDRESS_DAILY = int(env_str("CQDT_ONLINE_PER_ADDRESS_DAILY", "20"))
# The longest a request may run (the web server's worker timeout, where it has one): a web form's
# first send not finished by then was abandoned (its worker died) and the next click may take it
# over (core.idempotency.web_claim).
CQDT_REQUEST_TIMEOUT_SECONDS = int(env_str("CQDT_REQUEST_TIMEOUT_SECONDS", "120"))
# How stale a process may see reference rows on hot paths (core.refcache) and the holiday
# overrides (workdays.selectors): an edit in another process shows within this many seconds.
CQDT_REFERENCE_CACHE_SECONDS = float(env_str("CQDT_REFERENCE_CACHE_SECONDS", "2"))
# Load Hanoi's unit history to today (2025 arrangements, two-tier model) with the reference
# data; the test settings turn it off for contexts whose tests still run on the 2021 world
# (issue 19, items 3, 5 and 7 move them). units/staff/authority tests load it explicitly.
CQDT_UNITS_HISTORY = True
CQDT_CALENDAR_RECHECK_SECONDS = float(env_str("CQDT_CALENDAR_RECHECK_SECONDS", "2"))
# "default" is shared by every worker process (rate limits, lockouts, anything that must hold
# across processes): Redis when CQDT_REDIS_URL is set, else a database table (created by
# `cqdt createcachetable`, which `make run` runs). "local" is per process, for values that are
# safe to keep per worker (monitoring's rollup reads carry the rollups' watermark in their key).
CQDT_REDIS_URL = env_str("CQDT_REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CQDT_REDIS_URL}
        if CQDT_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cqdt_cache"}
    ),
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cqdt"},
}
# How many reverse proxies in front of the application append to X-Forwarded-For; the client's
# address is the one the outermost of them saw (core.clientip). 0: the header is ignored.
CQDT_TRUSTED_PROXIES = int(env_str("CQDT_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "cqdt.core.clientip.client_ip"

# Signed checkpoints of the audit chain's tip (core.checkpoints, docs/decisions/0007): a key the
# database never holds (falls back to one derived from SECRET_KEY, with a warning) and a directory
# outside the database. Ship the "audit checkpoint" log lines off the machine as well.
CQDT_AUDIT_CHECKPOINT_KEY = env_str("CQDT_AUDIT_CHECKPOINT_KEY", "")
CQDT_AUDIT_CHECKPOINT_DIR = Path(
    env_str("CQDT_AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints"))
)

MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files (attachments, photos, pending uploads): the filesystem, or S3-compatible
# storage with CQDT_STORAGE=s3 (config.storage, docs/decisions/0017).
STORAGES = storages_from_env(os.environ)
MEDIA_URL = "/media/"  # not served directly: photos go through a view that checks visibility
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# Larger uploads go to a temporary file while the body is read; that disk full is refused as the
# file store full (core.file_store_uploads), the file begun removed.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "cqdt.core.file_store_uploads.TemporaryFileUploadHandler",
]

# Outgoing documents (issue 12): the public address printed in QR codes, and where signing keys
# come from — "test_ca" (a clearly-labelled test CA made in CQDT_SIGNING_DIR, no legal effect)
# or "pkcs11" (a token through its PKCS#11 module: officials' USB tokens; SoftHSM2 in tests).
CQDT_PUBLIC_BASE_URL = env_str("CQDT_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
CQDT_SIGNING_BACKEND = env_str("CQDT_SIGNING_BACKEND", "test_ca")
CQDT_SIGNING_DIR = Path(env_str("CQDT_SIGNING_DIR", str(VAR_DIR / "signing-test-ca")))
CQDT_PKCS11_MODULE = env_str("CQDT_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
CQDT_PKCS11_TOKEN = env_str("CQDT_PKCS11_TOKEN", "")
CQDT_PKCS11_PIN = env_str("CQDT_PKCS11_PIN", "")
# Worker processes that render and sign a batch from the tray (documents.production): one per
# core. 0 or 1: every document is made in the requesting process. With a USB token that allows
# one session at a time, set 0.
CQDT_SIGNING_WORKERS = int(env_str("CQDT_SIGNING_WORKERS", "2"))
# Public verify page (the QR code's link): requests per minute per client address.
CQDT_VERIFY_RATE_LIMIT = int(env_str("CQDT_VERIFY_RATE_LIMIT", "120"))
# Issuer shown in authenticator apps (issue 18).
OTP_TOTP_ISSUER = "CQĐT"
