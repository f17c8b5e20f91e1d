"""Production servers compared with wrk: gunicorn, granian and uvicorn on the same two requests.

Run alone with ``BENCH=bench_server make bench`` (docs/decisions/0011 keeps the figures).

A scratch PostgreSQL database (``BENCH_SERVER_DATABASE``, default ``cqdt_bench_server`` on the
machine's 127.0.0.1:5432) is seeded through the services and given ``BENCH_SERVER_DOSSIERS``
(default 20,000) dossiers of bulk-loaded history (``_dossier_setup``). Each server then runs the
production settings (``cqdt.config.settings.prod``: JSON access log, whitenoise, persistent
connections) with 2 workers, the machine's core count, and wrk (2 threads, 16 connections,
``BENCH_SERVER_SECONDS`` each, after a warm-up) measures:

* a small read: ``GET /api/v1/public/procedures`` (procedures in force, a few rows);
* a dossier lookup: ``GET /api/v1/public/dossiers/<code>?secret=...`` (the citizen's lookup,
  constant-time secret check), rate limit lifted for the run.

wrk shares the 2 cores with the server, and the machine is shared, so the figures compare the
servers with each other on one run; they are not capacity figures.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import _common
from bench_http import granian, stop, wait_ready

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = ROOT / "src"
BIN = Path(sys.executable).parent
PORT = 8765

SERVERS: dict[str, list[str]] = {
    "gunicorn (sync, 2 workers)": [
        str(BIN / "gunicorn"),
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{PORT}",
        "cqdt.config.wsgi:application",
    ],
    "gunicorn (gthread, 2 workers x 4 threads)": [
        str(BIN / "gunicorn"),
        "--workers",
        "2",
        "--threads",
        "4",
        "--bind",
        f"127.0.0.1:{PORT}",
        "cqdt.config.wsgi:application",
    ],
    "granian (wsgi, 2 workers)": granian("wsgi", "cqdt.config.wsgi:application", PORT),
    "uvicorn (asgi, 2 workers)": [
        str(BIN / "uvicorn"),
        "--workers",
        "2",
        "--host",
        "127.0.0.1",
        "--port",
        str(PORT),
        "--no-access-log",
        "cqdt.config.asgi:application",
    ],
}


def _env(database_url: str, var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "CQDT_VAR_DIR": var_dir,
            "CQDT_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CQDT_PUBLIC_RATE_LIMIT": "1000000000",
            "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)]),
        }
    )
    return env


def _setup_phase(size: int, out: str) -> None:
    """Child process: migrate, seed, bulk-load, and write a few (code, secret) pairs to ``out``."""
    seeded, history = _common.seeded_history(size, "server bench setup")
    picks = [(history.code(i, seeded.wards), str(history.secrets[i])) for i in range(0, size, 997)]
    Path(out).write_text(json.dumps(picks[:1]))


def _wrk(url: str, seconds: int) -> tuple[float, str, str]:
    subprocess.run(  # noqa: S603 - warm-up
        ["wrk", "-t2", "-c16", "-d2s", url],  # noqa: S607
        capture_output=True,
        check=False,
    )
    done = subprocess.run(  # noqa: S603
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    text = done.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} non-2xx responses\n{text}")
    return (
        float(rps.group(1)) if rps else 0.0,
        p50.group(1) if p50 else "?",
        p99.group(1) if p99 else "?",
    )


def _wait_ready(proc: subprocess.Popen, seconds: float = 120) -> None:
    wait_ready(proc, f"http://127.0.0.1:{PORT}/readyz", seconds)


def run() -> list[str]:
    if shutil.which("wrk") is None:
        return ["server: wrk not installed; skipped"]
    name = os.environ.get("BENCH_SERVER_DATABASE", "cqdt_bench_server")
    size = int(os.environ.get("BENCH_SERVER_DOSSIERS", "20000"))
    seconds = int(os.environ.get("BENCH_SERVER_SECONDS", "10"))
    admin = "postgres://postgres@127.0.0.1:5432/postgres"
    database_url = f"postgres://postgres@127.0.0.1:5432/{name}"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    lines: list[str] = []
    var_dir = tempfile.mkdtemp(prefix="cqdt-bench-server-")
    try:
        picks = Path(var_dir) / "picks.json"
        env = _env(database_url, var_dir)
        subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--setup", str(size), str(picks)],
            env={**env, "DJANGO_SETTINGS_MODULE": "bench_settings"},
            check=True,
        )
        [(code, secret)] = json.loads(picks.read_text())
        prod = {
            **env,
            "DJANGO_SETTINGS_MODULE": "cqdt.config.settings.prod",
            "CQDT_SECRET_KEY": "bench-only-" + "x" * 40,
            "CQDT_SECURE_SSL_REDIRECT": "false",
            "CQDT_LOG_LEVEL": "INFO",
        }
        for step in (["createcachetable"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([str(BIN / "cqdt"), *step], env=prod, check=True)  # noqa: S603
        urls = {
            "small read (public procedures)": f"http://127.0.0.1:{PORT}/api/v1/public/procedures",
            "dossier lookup (code + secret)": (
                f"http://127.0.0.1:{PORT}/api/v1/public/dossiers/{code}?secret={secret}"
            ),
        }
        lines.append(
            f"server: {size:,} dossiers on PostgreSQL, wrk -t2 -c16 -d{seconds}s, "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at start"
        )
        for label, command in SERVERS.items():
            log = open(Path(var_dir) / "server.log", "w")  # noqa: SIM115
            proc = subprocess.Popen(  # noqa: S603
                command, env=prod, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                _wait_ready(proc)
                for what, url in urls.items():
                    rps, p50, p99 = _wrk(url, seconds)
                    lines.append(
                        f"server: {label:<44} {what:<32} {rps:>8,.0f} req/s  p50 {p50:>8}  p99 {p99:>8}"
                    )
            except RuntimeError as exc:
                lines.append(f"server: {label} FAILED: {exc}")
            finally:
                stop(proc)
                log.close()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return lines


if __name__ == "__main__":
    _common.main(_setup_phase, run)
