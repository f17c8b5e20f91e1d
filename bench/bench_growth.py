"""Figures for the growth plan (issue 17, item 6; docs/decisions/0015).

Run alone with ``BENCH=bench_growth make bench`` on a database the HTTP bench loaded and kept
(``BENCH_HTTP_DOSSIERS=100000 BENCH_HTTP_KEEP=1 make bench-http``, or its ``--setup`` phase
alone), named in ``BENCH_GROWTH_DATABASE``. Two measurements, never asserted in tests:

* **bytes per row** — for the dossiers, their timeline events and the audit log:
  ``pg_table_size`` (heap, TOAST, free-space and visibility maps) and ``pg_indexes_size`` over
  ``count(*)``, after ``VACUUM ANALYZE``. The bulk loader writes no audit events, so the audit
  log's figure is over whatever events the database holds (the seed's, or a simulation's).
* **the audit chain's serial ceiling** — the part of an audited write that holds the chain's lock
  (``core.audit.audit_record_many``: advisory lock, read of the tip, one INSERT of the
  intake's two events, COMMIT with its WAL flush), run by ``BENCH_GROWTH_CLIENTS`` connections
  (default 8) for ``BENCH_GROWTH_SECONDS`` (default 5) each way, on a scratch copy of the audit
  table filled with copies of a real event:

  - ``one chain`` — today: one advisory lock for every writer;
  - ``per-unit chains`` — one lock and one tip per unit (each client its own unit);
  - ``no chain`` — the same INSERT and COMMIT without lock or tip (the floor of the disk);
  - ``batched`` — one writer appending ``BENCH_GROWTH_BATCH`` events (default 100) per
    transaction, as a queue-draining appender would.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import _common

TABLES = {
    "dossier": "dossiers_dossier",
    "timeline event": "dossiers_dossierevent",
    "audit event": "core_auditevent",
}
SCRATCH = "bench_growth_chain"


def sizes(conn: Any) -> list[str]:
    lines = []
    for label, table in TABLES.items():
        conn.execute(f"VACUUM ANALYZE {table}")
        rows, heap, index = conn.execute(
            f"SELECT count(*), pg_table_size('{table}'), pg_indexes_size('{table}') FROM {table}"  # noqa: S608 - fixed names
        ).fetchone()
        if not rows:
            lines.append(f"growth: {label:<15} no rows")
            continue
        lines.append(
            f"growth: {label:<15} {rows:>10,} rows  table {heap / rows:7.0f} B/row  "
            f"indexes {index / rows:6.0f} B/row  total {(heap + index) / rows:7.0f} B/row"
        )
    return lines


def _chain(url: str, mode: str, clients: int, seconds: float, batch: int) -> float:
    """Audited transactions a second (events a second for ``batched``)."""
    import psycopg

    done = [0] * clients
    stop = time.perf_counter() + seconds

    def work(n: int) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            per_tx = batch if mode == "batched" else 2
            values = ",".join(["(%s,%s,%s,%s,%s,%s,%s)"] * per_tx)
            row = conn.execute(
                f"SELECT occurred_at, action, object_type, object_id, after::text FROM {SCRATCH} LIMIT 1"  # noqa: S608
            ).fetchone()
            while time.perf_counter() < stop:
                with conn.transaction():
                    stream = n if mode == "per-unit chains" else 0
                    if mode != "no chain":
                        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", [424242, stream])
                        conn.execute(
                            f"SELECT hash FROM {SCRATCH} WHERE stream = %s ORDER BY id DESC LIMIT 1",  # noqa: S608
                            [stream],
                        )
                    params: list[Any] = []
                    for _ in range(per_tx):
                        params += [stream, *row, "0" * 64]
                    conn.execute(
                        f"INSERT INTO {SCRATCH} (stream, occurred_at, action, object_type, "  # noqa: S608
                        f"object_id, after, hash) VALUES {values}",
                        params,
                    )
                done[n] += per_tx if mode == "batched" else 1

    threads = [
        threading.Thread(target=work, args=(n,)) for n in range(1 if mode == "batched" else clients)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started)


def chain(conn: Any, url: str) -> list[str]:
    clients = _common.env_int("BENCH_GROWTH_CLIENTS", 8)
    seconds = float(os.environ.get("BENCH_GROWTH_SECONDS", "5"))
    batch = _common.env_int("BENCH_GROWTH_BATCH", 100)
    settings = {
        name: conn.execute(f"SHOW {name}").fetchone()[0]
        for name in ("synchronous_commit", "fsync", "wal_sync_method", "server_version")
    }
    conn.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
    conn.execute(
        f"CREATE TABLE {SCRATCH} (id bigserial PRIMARY KEY, stream int NOT NULL, "
        "occurred_at timestamptz NOT NULL, action text NOT NULL, object_type text NOT NULL, "
        "object_id text NOT NULL, after jsonb, hash char(64) NOT NULL)"
    )
    conn.execute(f"CREATE INDEX ON {SCRATCH} (stream, id)")
    conn.execute(
        f"INSERT INTO {SCRATCH} (stream, occurred_at, action, object_type, object_id, after, hash) "  # noqa: S608
        "SELECT 0, occurred_at, action, object_type, object_id, after, hash "
        "FROM core_auditevent ORDER BY id DESC LIMIT 1"
    )
    lines = [
        "growth: audit chain's serial section (lock, tip, INSERT of 2 events, COMMIT), "
        f"{clients} clients, {seconds:.0f} s each; "
        + ", ".join(f"{k}={v}" for k, v in settings.items())
    ]
    try:
        for mode in ("one chain", "per-unit chains", "no chain", "batched"):
            rate = _chain(url, mode, clients, seconds, batch)
            unit = f"events/s (1 writer, {batch} a transaction)" if mode == "batched" else "tx/s"
            lines.append(f"growth: {mode:<16} {rate:8,.0f} {unit}  load {os.getloadavg()[0]:.1f}")
    finally:
        conn.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
    return lines


def run() -> list[str]:
    name = os.environ.get("BENCH_GROWTH_DATABASE")
    if not name:
        return [
            "growth: skipped (set BENCH_GROWTH_DATABASE to a database the HTTP bench kept: "
            "BENCH_HTTP_KEEP=1)"
        ]
    import psycopg

    pg = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    url = f"{pg}/{name}"
    with psycopg.connect(url, autocommit=True) as conn:
        return sizes(conn) + chain(conn, url)


if __name__ == "__main__":
    for line in run():
        print(line)
