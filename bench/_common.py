"""What the benchmarks share: one subprocess per scratch database, progress lines, percentiles.

Each benchmark runs its measurements in a child process per database (Django can be set up only
once per process): a file in a temporary directory for SQLite, a database created and dropped
on ``BENCH_PG_URL`` (default ``postgres://postgres@127.0.0.1:5432``) for PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
T0 = time.perf_counter()
Child = Callable[[str, str], list[str]]  # (database URL, var dir) -> output lines


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)).replace("_", ""))


def child(script: str, label: str, engine: str, url: str, var_dir: str, *args: str) -> list[str]:
    """Run ``script --phase engine *args`` on the database ``url``; its output lines."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DATABASE_URL": url,
            "CQDT_VAR_DIR": var_dir,
            "CQDT_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
            "CQDT_LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE), env.get("PYTHONPATH", "")]).rstrip(
                os.pathsep
            ),
        }
    )
    command = [sys.executable, str(Path(script).resolve()), "--phase", engine, *args]
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0:
        lines.append(f"{label}: [{engine}] FAILED (exit code {done.returncode}; see stderr)")
    return lines


def on_postgresql(
    label: str, database: str, prefix: str, run: Child, *, template: str = ""
) -> list[str]:
    """``run`` on a scratch PostgreSQL database, created first (a copy of ``template`` when
    named) and dropped after."""
    import psycopg

    try:
        admin = psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        return [f"{label}: [postgresql] skipped: cannot connect to {PG_URL} ({type(exc).__name__})"]
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {database}" + (f" TEMPLATE {template}" if template else ""))
        try:
            with tempfile.TemporaryDirectory(prefix=prefix) as var_dir:
                return run(f"{PG_URL}/{database}", var_dir)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def main(setup: Callable[[int, str], None], run: Callable[[], list[str]]) -> None:
    """A bench module run as a script: ``--setup N FILE`` is its set-up phase (a child process
    with the bench settings), anything else the bench itself, its lines printed."""
    if len(sys.argv) == 4 and sys.argv[1] == "--setup":
        setup(int(sys.argv[2]), sys.argv[3])
    else:
        for line in run():
            print(line, flush=True)


def on_sqlite(prefix: str, run: Child) -> list[str]:
    """``run`` on a scratch SQLite file in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix=prefix) as var_dir:
        return run(f"sqlite:///{var_dir}/bench.sqlite3", var_dir)


def progress(engine: str) -> Callable[[str], None]:
    """Progress lines on stderr, with the seconds since the benchmark started."""

    def say(message: str) -> None:
        print(
            f"  [{engine} {time.perf_counter() - T0:6.1f} s] {message}", file=sys.stderr, flush=True
        )

    return say


def seeded_history(size: int, label: str) -> tuple[Any, Any]:
    """A set-up child's first steps: Django set up (once a process), then the seed and ``size``
    dossiers of history bulk-loaded (``_dossier_setup.seeded_history``), its progress on stderr
    as ``  <label>: …``."""
    import django

    django.setup()
    import _dossier_setup as setup

    def say(message: str) -> None:
        print(f"  {label}: {message}", file=sys.stderr, flush=True)

    return setup.seeded_history(size, say)


def printer(prefix: str = "") -> Callable[[str], None]:
    """Result lines on stdout, flushed as they come (the parent collects a child's stdout)."""

    def out(line: str) -> None:
        print(f"{prefix}{line}", flush=True)

    return out


def database(connection: Any) -> str:
    """What the measurements ran on: the engine and its version, the scratch database, and the
    setting that most changes write timings (PostgreSQL's synchronous_commit, SQLite's journal
    mode)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            version = cur.fetchone()[0]
            cur.execute("SHOW synchronous_commit")
            return (
                f"PostgreSQL {version}, scratch database {connection.settings_dict['NAME']} "
                f"(synchronous_commit={cur.fetchone()[0]})"
            )
        cur.execute("PRAGMA journal_mode")
        return (
            f"SQLite {connection.Database.sqlite_version}, scratch file, "
            f"journal_mode={cur.fetchone()[0]}"
        )


def ms(values: list[float]) -> tuple[float, float, float, float]:
    """p50, p95, p99 and the worst of ``values`` (seconds), in milliseconds."""
    a = np.asarray(values) * 1000
    p50, p95, p99 = np.percentile(a, [50, 95, 99])
    return float(p50), float(p95), float(p99), float(a.max())
