"""Loading unit data: Hanoi with its history, and the whole country, on a scratch database.

For each engine a subprocess migrates a scratch database and times, through the importer the
commands use (``units.reference``): Hanoi's history from empty (what ``cqdt load_reference_data``
runs for units: 769 versions, 794 links, governance), the same again (idempotent, nothing
written), the country on top of it (``cqdt load_units --country``), and the country from empty.
Targets (issue 19): under 10 s for Hanoi, under 60 s for the country. ``BENCH_UNITS_ENGINES``
(default ``sqlite``; add ``postgresql`` with ``BENCH_PG_URL``) chooses the databases.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PG_DB = "cqdt_bench_units"

CHILD = r"""
import time, django
django.setup()
from django.core.management import call_command
from django.db import connection
from cqdt.units.models import Unit, UnitSuccession
call_command("migrate", verbosity=0)
from cqdt.units.reference import reference_data_load, country_load

def timed(label, fn):
    t = time.perf_counter(); r = fn(); s = time.perf_counter() - t
    print(f"{label}: {s:.2f} s (units created {r.units_created}, links {r.successions_created})", flush=True)

timed("hanoi history, empty database", lambda: reference_data_load(history=True))
timed("hanoi history again (idempotent)", lambda: reference_data_load(history=True))
timed("country on top of hanoi", country_load)
print(f"rows: {Unit.objects.count()} unit versions, {UnitSuccession.objects.count()} links", flush=True)
with connection.cursor() as c:
    for t in ("units_unitsuccession", "units_governanceassignment", "units_unit", "units_referencedataset"):
        c.execute(f"DELETE FROM {t}")
timed("country, empty database", country_load)
"""


def _run(engine: str, url: str) -> list[str]:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cqdt.config.settings.dev")
    env["PYTHONPATH"] = str(SRC)
    started = time.perf_counter()
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=False
    )
    lines = [f"[{engine}] {line}" for line in out.stdout.splitlines()]
    if out.returncode:
        lines.append(f"[{engine}] failed: {out.stderr.strip().splitlines()[-1:]}")
    lines.append(f"[{engine}] total with migrations {time.perf_counter() - started:.1f} s")
    return lines


def run() -> list[str]:
    engines = os.environ.get("BENCH_UNITS_ENGINES", "sqlite").split(",")
    lines: list[str] = []
    if "sqlite" in engines:
        with tempfile.TemporaryDirectory() as tmp:
            lines += _run("sqlite", f"sqlite:///{Path(tmp) / 'units.sqlite3'}")
    if "postgresql" in engines:
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        try:
            lines += _run("postgresql", f"{PG_URL}/{PG_DB}")
        finally:
            with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
