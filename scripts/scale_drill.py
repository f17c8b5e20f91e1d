"""`make scale-drill`: a primary and a hot standby of our own, a failover, and what survives it.

Issue 17, item 5. Never touches the machine's own PostgreSQL: under ``var/scale-drill/`` it
makes a primary (initdb, WAL for a standby, synchronous commit to it) and a hot standby
(pg_basebackup -R), each on a free port on 127.0.0.1, run as the ``postgres`` system user when
started as root (initdb refuses root). Then:

1. seeds the primary as ``make bench-http`` does (services' seed, bulk-loaded history, desk
   officers' tokens) and starts the production server (granian, production settings) with the
   standby in ``CQDT_REPLICA_URLS``;
2. sends counter intakes (several threads, each remembering the codes acknowledged with 200)
   and citizens' lookups, and checks the lookups were read on the standby (its
   ``pg_stat_database`` transactions grow);
3. while the intakes go on, stops the primary hard (``pg_ctl stop -m immediate``), promotes the
   standby (``pg_ctl promote``) and restarts the server on it;
4. checks every acknowledged intake is on the new primary and the audit chain verifies
   (``cqdt audit_verify``).

Prints the figures; exits non-zero when an acknowledged intake is missing, the chain is broken
or no read reached the standby. Synchronous replication (``synchronous_standby_names``) is what
makes "acknowledged" mean "on the standby too"; the drill shows it holds through the failover.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

from bench_http import granian, stop, wait_ready  # noqa: E402

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
HOME = ROOT / "var" / "scale-drill"
AS_POSTGRES = os.geteuid() == 0
SIZE = int(os.environ.get("SCALE_DRILL_DOSSIERS", "5000"))
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    command = [str(PG_BIN / args[0]), *args[1:]]
    if AS_POSTGRES:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, check=check)  # noqa: S603


def say(message: str) -> None:
    print(f"scale-drill: {message}", flush=True)


def make_primary(data: Path, port: int) -> None:
    pg("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    with open(data / "postgresql.conf", "a") as conf:
        conf.write(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{data}'\n"
            "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
            "synchronous_commit = on\n"
        )
    with open(data / "pg_hba.conf", "a") as hba:
        hba.write("host replication postgres 127.0.0.1/32 trust\n")
    pg("pg_ctl", "-D", str(data), "-l", str(data / "log"), "-w", "start")


def make_standby(primary_port: int, data: Path, port: int) -> None:
    pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres", "-D",
       str(data), "-R", "-X", "stream")  # fmt: skip
    with open(data / "postgresql.conf", "a") as conf:
        conf.write(f"port = {port}\nunix_socket_directories = '{data}'\n")
    pg("pg_ctl", "-D", str(data), "-l", str(data / "log"), "-w", "start")


def sql(port: int, query: str, db: str = "cqdt", params: Any = None) -> Any:
    import psycopg

    with psycopg.connect(f"postgres://postgres@127.0.0.1:{port}/{db}", autocommit=True) as c:
        cursor = c.execute(query, params)
        return cursor.fetchall() if cursor.description else []


class Intakes(threading.Thread):
    """Counter intakes in a loop; remembers what was acknowledged (200)."""

    def __init__(self, port: int, plan: dict[str, Any], desk: dict[str, str]) -> None:
        super().__init__(daemon=True)
        self.port, self.plan, self.desk = port, plan, desk
        self.acknowledged: list[str] = []
        self.failed = 0
        self.running = True

    def run(self) -> None:
        body = json.dumps({**self.plan["intake_body"], "unit": self.desk["unit"]}).encode()
        while self.running:
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/api/v1/dossiers",
                data=body,
                headers={
                    "Authorization": f"Bearer {self.desk['token']}",
                    "Content-Type": "application/json",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as r:  # noqa: S310 - loopback
                    self.acknowledged.append(json.loads(r.read())["code"])
            except (urllib.error.URLError, OSError, ValueError):
                self.failed += 1
                time.sleep(0.2)


def lookups(port: int, plan: dict[str, Any], n: int) -> int:
    ok = 0
    for code, secret in plan["lookups"][:n]:
        url = f"http://127.0.0.1:{port}/api/v1/public/dossiers/{code}?secret={secret}"
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                ok += r.status == 200
        except (urllib.error.URLError, OSError):
            pass
    return ok


def main() -> int:
    if HOME.exists():
        for data in ("primary", "standby"):
            if (HOME / data / "postmaster.pid").exists():
                pg("pg_ctl", "-D", str(HOME / data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(HOME)
    HOME.mkdir(parents=True)
    if AS_POSTGRES:
        shutil.chown(HOME, "postgres", "postgres")
    p_port, s_port, web = free_port(), free_port(), free_port()
    primary, standby = HOME / "primary", HOME / "standby"
    failures: list[str] = []
    server = None
    try:
        make_primary(primary, p_port)
        sql(p_port, "CREATE DATABASE cqdt", db="postgres")
        make_standby(p_port, standby, s_port)
        # From now on a commit on the primary waits for the standby to have it.
        sql(p_port, "ALTER SYSTEM SET synchronous_standby_names = '*'", db="postgres")
        sql(p_port, "SELECT pg_reload_conf()", db="postgres")
        say(f"primary on {p_port}, hot standby on {s_port} (synchronous), under {HOME}")
        primary_url = f"postgres://postgres@127.0.0.1:{p_port}/cqdt"
        standby_url = f"postgres://postgres@127.0.0.1:{s_port}/cqdt"
        base = {
            **os.environ,
            "CQDT_VAR_DIR": str(HOME / "app"),
            "CQDT_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "CQDT_PUBLIC_RATE_LIMIT": "1000000000",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH)]),
            "CQDT_LOG_LEVEL": "WARNING",
        }
        plan_file = HOME / "plan.json"
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [sys.executable, str(BENCH / "bench_http.py"), "--setup", str(SIZE), str(plan_file)],
            env={**base, "DATABASE_URL": primary_url, "DJANGO_SETTINGS_MODULE": "bench_settings"},
            check=True,
        )
        plan = json.loads(plan_file.read_text())
        say(f"seeded with {SIZE:,} bulk-loaded dossiers in {time.perf_counter() - started:.0f} s")
        prod = {
            **base,
            "DJANGO_SETTINGS_MODULE": "cqdt.config.settings.prod",
            "CQDT_SECRET_KEY": "drill-only-" + "x" * 40 + "yz",
            "CQDT_SECURE_SSL_REDIRECT": "false",
        }
        subprocess.run(  # noqa: S603
            [str(BIN / "cqdt"), "createcachetable"],
            env={**prod, "DATABASE_URL": primary_url},
            check=True,
        )

        def serve(url: str, replicas: str) -> subprocess.Popen:
            env = {**prod, "DATABASE_URL": url, "CQDT_REPLICA_URLS": replicas}
            log = open(HOME / "server.log", "a")  # noqa: SIM115 - the server's for its life
            proc = subprocess.Popen(  # noqa: S603
                granian("wsgi", "cqdt.config.wsgi:application", web),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            wait_ready(proc, f"http://127.0.0.1:{web}/readyz")
            return proc

        server = serve(primary_url, standby_url)
        reads = "SELECT sum(xact_commit) FROM pg_stat_database"
        before = sql(s_port, reads)[0][0]
        ok = lookups(web, plan, 200)
        # PostgreSQL 15 flushes a backend's statistics when it goes idle, at most once a second,
        # and an idle pooled connection only after up to 10 s (PGSTAT_IDLE_INTERVAL): wait for
        # the count rather than a fixed delay (0.7 s saw 4 of 200 one run, 196 the next).
        on_standby, waited = 0, 0.0
        while waited < 15:
            time.sleep(0.5)
            waited += 0.5
            on_standby = sql(s_port, reads)[0][0] - before
            if on_standby >= 200:
                break
        say(f"{ok}/200 lookups answered; {on_standby} transactions on the standby meanwhile")
        if ok != 200 or on_standby < 100:
            failures.append("the lookups did not read on the standby")

        writers = [Intakes(web, plan, desk) for desk in plan["desks"][:4]]
        for w in writers:
            w.start()
        time.sleep(5)
        before_failover = sum(len(w.acknowledged) for w in writers)
        say(f"{before_failover} intakes acknowledged in 5 s; stopping the primary (immediate)")
        pg("pg_ctl", "-D", str(primary), "-m", "immediate", "stop")
        failed_over = time.perf_counter()
        pg("pg_ctl", "-D", str(standby), "-w", "promote")
        stop(server)
        server = serve(standby_url, "")
        say(
            f"standby promoted and the server back on it in {time.perf_counter() - failed_over:.1f} s"
        )
        time.sleep(5)
        for w in writers:
            w.running = False
        for w in writers:
            w.join(15)
        acknowledged = [c for w in writers for c in w.acknowledged]
        found = {
            row[0]
            for row in sql(
                s_port,
                "SELECT code FROM dossiers_dossier WHERE code = ANY(%s)",
                params=[acknowledged],
            )
        }
        lost = sorted(set(acknowledged) - found)
        say(
            f"{len(acknowledged)} intakes acknowledged in all ({before_failover} before the "
            f"failover), {sum(w.failed for w in writers)} refused or unanswered during it; "
            f"lost after the failover: {len(lost)}"
        )
        if lost:
            failures.append(f"{len(lost)} acknowledged intakes lost: {lost[:5]}")
        verify = subprocess.run(  # noqa: S603
            [str(BIN / "cqdt"), "audit_verify"],
            env={**prod, "DATABASE_URL": standby_url},
            capture_output=True,
            text=True,
            check=False,
        )
        say(f"audit chain on the new primary: {(verify.stdout or verify.stderr).strip()[-300:]}")
        if verify.returncode != 0:
            failures.append("the audit chain does not verify")
    finally:
        if server is not None:
            stop(server)
        for data in (primary, standby):
            if (data / "postmaster.pid").exists():
                pg("pg_ctl", "-D", str(data), "-m", "fast", "stop", check=False)
    for failure in failures:
        say(f"FAILED: {failure}")
    say("passed" if not failures else "failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
