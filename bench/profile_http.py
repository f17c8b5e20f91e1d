"""Where one hot-path request spends its time, in process (issue 17, item 2).

Runs the bench's requests (lookup, intake, queue; the pages: dossier_page, dashboard,
signing_page) through Django's test client with the production
settings against a kept ``bench_http`` database and prints, per path, the queries and milliseconds
per request and cProfile's top functions by own and cumulative time. The machine is shared, so
compare the breakdown (shares, query counts), not the absolute milliseconds across runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cqdt_h17hot \\
    PROFILE_PLAN=<kept run directory>/plan.json .venv/bin/python bench/profile_http.py [paths] [n]

Writes to that database (intakes): never point it at a database you want to keep unchanged.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
# PROFILE_SRC: another tree's src/ (e.g. main before a change) for a before/after breakdown.
sys.path[:0] = [os.environ.get("PROFILE_SRC", str(HERE.parent / "src")), str(HERE)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt.config.settings.prod")
os.environ.setdefault("CQDT_SECRET_KEY", "bench-only-" + "x" * 40 + "yz")
os.environ.setdefault("CQDT_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("CQDT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("CQDT_PUBLIC_RATE_LIMIT", "1000000000")
os.environ.setdefault("CQDT_LOG_LEVEL", "WARNING")


# Where a request's time goes: (label, file suffix, function) whose cumulative times are summed.
# The parts overlap (the database and the compile are inside the view, the view inside "all").
PARTS = (
    ("all (middleware, ninja, view)", "django/core/handlers/base.py", "get_response"),
    ("bearer auth", "cqdt/core/api_auth.py", "__call__"),
    ("ninja output check+render", "ninja/operation.py", "_result_to_response"),
    ("database (psycopg wait)", "psycopg/connection.py", "wait"),
    ("ORM compile (compiler as_sql)", "django/db/models/sql/compiler.py", "as_sql"),
)


def _breakdown(stats: pstats.Stats, n: int) -> str:
    """ms per request of each of ``PARTS``."""
    sums: dict[str, float] = {}
    for (path, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        for label, suffix, name in PARTS:
            if func == name and path.endswith(suffix):
                sums[label] = sums.get(label, 0.0) + ct
    parts = [
        f"{label} {sums.get(label, 0.0) * 1000 / n:.1f}"
        for label in dict.fromkeys(p[0] for p in PARTS)
    ]
    return ", ".join(parts) + " ms per request (cProfile; parts overlap)"


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    plan = json.loads(Path(os.environ["PROFILE_PLAN"]).read_text())
    paths = (sys.argv[1] if len(sys.argv) > 1 else "lookup,intake,queue").split(",")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    rng = random.Random(5)
    client = Client()

    def lookup() -> int:
        code, secret = rng.choice(plan["lookups"])
        return client.get(f"/api/v1/public/dossiers/{code}?secret={secret}").status_code

    def intake() -> int:
        desk = rng.choice(plan["desks"])
        body = json.dumps({**plan["intake_body"], "unit": desk["unit"]})
        return client.post(
            "/api/v1/dossiers",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {desk['token']}",
        ).status_code

    def queue() -> int:
        return client.get(
            "/api/v1/dossiers?limit=50", HTTP_AUTHORIZATION=f"Bearer {plan['queue_token']}"
        ).status_code

    calls = {"lookup": lookup, "intake": intake, "queue": queue}
    # The HTML pages, in the desk officer's session the plan keeps (bench_http.PAGES).
    from bench_http import PAGES

    client.cookies["sessionid"] = plan["session"]

    def page(url: str) -> Callable[[], int]:
        return lambda: client.get(url).status_code

    for kind, url in PAGES.items():
        calls[kind.replace(" ", "_")] = page(url.format(**plan))
    for name in paths:
        call = calls[name]
        for _ in range(10):  # warm: caches, compiled templates, connections
            assert call() == 200, name
        sent: list[str] = []

        def note(execute, sql, params, many, context, sent=sent):  # type: ignore[no-untyped-def]
            sent.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note):
            call()
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for _ in range(n):
            call()
        profile.disable()
        elapsed = (time.perf_counter() - started) * 1000 / n
        load = "/".join(f"{x:.1f}" for x in os.getloadavg()[:2])
        print(
            f"== {name}: {len(sent)} queries, {elapsed:.1f} ms per request "
            f"under cProfile ({n} requests, load {load})"
        )
        print("   " + _breakdown(pstats.Stats(profile), n))
        for sort in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(sort).print_stats(25)
            print(out.getvalue().split("\n", 6)[-1])
        if os.environ.get("PROFILE_SQL"):
            for sql in sent:
                print("  SQL", sql[:200])


if __name__ == "__main__":
    main()
