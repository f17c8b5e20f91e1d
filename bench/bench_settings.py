"""Benchmark settings: the test settings, with the production caching rules.

The tests re-read the calendar and reference rows on every call (they edit rows directly);
production keeps them for ``CQDT_*_SECONDS`` (2 s by default, see settings/base.py). A bench
measures what production does.
"""

import os

from cqdt.config.settings.test import *  # noqa: F403

CQDT_CALENDAR_RECHECK_SECONDS = 2.0
CQDT_REFERENCE_CACHE_SECONDS = 2.0

# The HTTP bench logs a session in here and serves it under the production settings: both must
# sign with the same key (BENCH_SECRET_KEY, set by bench_http for both).
SECRET_KEY = os.environ.get("BENCH_SECRET_KEY") or SECRET_KEY  # noqa: F405
# Batch signing in worker processes as production does (the tests make documents in-process).
CQDT_SIGNING_WORKERS = int(env_str("CQDT_SIGNING_WORKERS", "2"))  # noqa: F405
