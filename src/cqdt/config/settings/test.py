"""Test settings: the database comes from DATABASE_URL (SQLite file under var/ by default)."""

from cqdt.config.env import env_str

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
# WhiteNoise indexes STATIC_ROOT whenever a handler loads the middleware (every test client) and
# warns when the directory is missing, as it is on a fresh checkout: ~500 identical warnings per
# run that buried the others. Tests serve no collected files, so an empty directory is the same.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed, tests only

# A file, not :memory:, so tests with several connections (threads) share one database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CQDT_NOTIFY_BACKEND = "cqdt.core.notify.MemorySender"
# The reference rows and the calendar's fingerprint are kept as in production, but until a
# statement may change them rather than for a time: tests edit rows directly (QuerySet.update),
# so every write to a reference table and every rollback empties both caches
# (cqdt.testing.caches), and each test starts with them empty. A test that commits runs with
# both off (cqdt.conftest).
CQDT_CALENDAR_RECHECK_SECONDS = 3600.0
CQDT_REFERENCE_CACHE_SECONDS = 3600.0
# Per-process cache in tests: tests that need no database (pure rules) still clear it. The
# shared store that matters for limits is the database counter table (core.ratelimit), which
# every test sees through its own transaction.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test"},
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
}
# The dossiers, feedback, oversight, monitoring and web tests were written on Hanoi's 2021 units
# with the pilot wards in force open-ended; until issue 19 items 3/5/7 move them to the two-tier
# world, ``reference_data_load()`` gives them that world. The units, staff and authority tests
# load the real history (``reference_data_load(history=True)``).
CQDT_UNITS_HISTORY = False
# One test CA for every test worker (made once, under a file lock).
CQDT_SIGNING_DIR = VAR_DIR / "test-signing-ca"  # noqa: F405
CQDT_SIGNING_WORKERS = 0  # documents made in the test process (one test starts the pool)
# Tests log in once and then move the clock by days (time-machine): sessions must outlive that.
# The idle timeout and lifetime are tested with the production values set explicitly
# (config/tests/test_hardening.py).
CQDT_SESSION_IDLE_SECONDS = 10 * 365 * 86400
CQDT_SESSION_MAX_SECONDS = 10 * 365 * 86400
SESSION_COOKIE_AGE = CQDT_SESSION_MAX_SECONDS
# PostgreSQL: a test database need not survive a crash, so no commit waits for its WAL to reach
# the disk (the database creation's ~70 migrations and every commit of the transactional tests).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
# A second alias on the same test database, for the replica router's tests (core.replicas);
# nothing is routed to it unless a test sets CQDT_REPLICAS.
DATABASES["replica"] = DATABASES["default"] | {"TEST": {"MIRROR": "default"}}  # noqa: F405
# The dashboards' stored reads (monitoring/stored_reads.py, issue 15): a refresh computes about a
# hundred bundles (the city and every district over every standard period) so that production's
# first request after it stays fast. The suite refreshes hundreds of times on worlds where one
# district has data, and the dashboards answer the same figures live (test_stored_reads.py proves
# the two equal, before and after 1 July 2025, and turns storing back on): off here, ~23% of the
# monitoring, oversight and feedback tests' CPU.
MONITORING_STORED_READS = False
# Logs: warnings and errors only, unless CQDT_LOG_LEVEL says otherwise (development and production
# keep INFO: config/tests/test_prod_settings.py). Every request wrote an INFO line ("request",
# core.middleware) through structlog's processors, the console renderer and pytest's capture
# handlers, about 90 µs each, read by no test. A test that reads INFO lines turns INFO on for
# itself (``caplog.at_level(logging.INFO)``, core/tests/test_logs.py's ``json_lines``) and asserts
# the lines it expects are there, so a test of what stays out of the logs cannot pass on no log.
LOGGING["root"]["level"] = env_str("CQDT_LOG_LEVEL", "WARNING")  # noqa: F405
