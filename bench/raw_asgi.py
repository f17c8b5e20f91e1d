"""The raw reference of ``bench_http``: the hot paths' database work with no framework.

A minimal ASGI application (granian, 2 workers) with psycopg's async connections held in a small
per-worker pool. It does what the platform's answer needs from the database and no more:

* ``GET /api/v1/public/dossiers/<code>?secret=`` — counts the hit in the rate-limit table (the
  same upsert as ``core.ratelimit``), reads the dossier with its procedure, compares the secret's
  SHA-256 in constant time, reads the timeline, answers the same JSON shape;
* ``POST /api/v1/dossiers`` — finds the bearer token's official, then in one transaction takes
  the day's number, inserts the dossier, its two timeline events and two audit events on the
  chain; no checks (procedure in force, posts, documents) beyond that;
* the queue, the dossier page, the dashboard and the signing page — replays the SQL the platform sent for one such
  request (``RAW_PLAN``'s ``sql``, captured by the set-up) and answers a small body; likewise
  ``bench_city``'s city answer (``/api/v1/monitoring/units/01``) and the city's page.

Benchmark code only: it trusts its input and is never served to anyone.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import psycopg

DSN = os.environ.get("RAW_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cqdt_bench_http")
PLAN = json.loads(Path(os.environ["RAW_PLAN"]).read_text()) if "RAW_PLAN" in os.environ else {}
POOL_SIZE = int(os.environ.get("RAW_POOL_SIZE", "8"))
HANOI = dt.timezone(dt.timedelta(hours=7))
NO_MATCH = "0" * 64


class Pool:
    """A fixed set of autocommit connections, opened on first use, handed out in turn."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.free: asyncio.Queue[psycopg.AsyncConnection] | None = None

    async def get(self) -> psycopg.AsyncConnection:
        if self.free is None:
            self.free = asyncio.Queue()
            for _ in range(self.size):
                self.free.put_nowait(await psycopg.AsyncConnection.connect(DSN, autocommit=True))
        return await self.free.get()

    def put(self, conn: psycopg.AsyncConnection) -> None:
        assert self.free is not None
        self.free.put_nowait(conn)


POOL = Pool(POOL_SIZE)


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(HANOI).isoformat() if value else None


RATE = (
    "INSERT INTO core_ratecounter (key, window_no, hits, expires_at) VALUES (%s, %s, 1, %s) "
    "ON CONFLICT (key, window_no) DO UPDATE SET hits = core_ratecounter.hits + 1 RETURNING hits"
)
DOSSIER = (
    "SELECT d.id, d.code, d.status, d.submitted_at, d.valid_receipt_at, d.due_at, d.returned_at, "
    "d.rated_at, d.rating, d.lookup_secret_hash, p.name, p.code FROM dossiers_dossier d "
    "JOIN procedures_procedure p ON p.id = d.procedure_id WHERE d.code = %s LIMIT 1"
)
EVENTS = (
    "SELECT at, action, to_status, actor_role, public_note FROM dossiers_dossierevent "
    "WHERE dossier_id = %s ORDER BY at, id"
)
OPEN_CLOCK = {"accepted", "assigned", "processing", "awaiting_signature", "signed"}


async def lookup(conn: psycopg.AsyncConnection, code: str, secret: str, client: str) -> Any:
    now = dt.datetime.now(dt.UTC)
    window = int(now.timestamp() // 60)
    key = "lookup:" + hashlib.sha256(client.encode()).hexdigest()[:16]
    expires = dt.datetime.fromtimestamp((window + 1) * 60, tz=dt.UTC)
    await conn.execute(RATE, (key, window, expires))
    row = await (await conn.execute(DOSSIER, (code[:40],))).fetchone()
    given = hashlib.sha256(secret.strip().upper().encode()).hexdigest()
    if not hmac.compare_digest(row[9] if row else NO_MATCH, given) or not row:
        return 404, {"detail": "not found"}
    events = await (await conn.execute(EVENTS, (row[0],))).fetchall()
    status, due, returned = row[2], row[5], row[6]
    overdue = bool(
        due
        and (
            returned > due
            if status == "returned" and returned
            else status in OPEN_CLOCK and now > due
        )
    )
    return 200, {
        "code": row[1],
        "procedure": {"name": row[10], "code": row[11] or None},
        "status": status,
        "status_label": status,
        "status_label_en": status,
        "submitted_at": _iso(row[3]),
        "valid_receipt_at": _iso(row[4]),
        "due_at": _iso(due),
        "returned_at": _iso(returned),
        "overdue": overdue,
        "history": [
            {"at": _iso(e[0]), "action": e[1], "status": e[2] or None, "by": e[3], "note": e[4]}
            for e in events
        ],
        "can_rate": status == "returned" and row[7] is None,
        "rating": row[8],
    }


async def replay(conn: psycopg.AsyncConnection, kind: str) -> Any:
    rows = 0
    for sql in PLAN["sql"][kind]:
        cursor = await conn.execute(sql.replace("%", "%%"))
        if cursor.description:
            rows += len(await cursor.fetchall())
    return 200, {"rows": rows}


def _intake_template() -> list[str]:
    """The platform's own statements for one counter intake, minus the reads it keeps cached
    (unit, procedure, desk, calendar) and the checks (posts, papers): token, official, then the
    transaction's counter, dossier, timeline and audit rows."""
    keep = (
        '"core_apitoken"',
        'FROM "staff_official" WHERE "staff_official"."user_id"',
        "BEGIN",
        "COMMIT",
        '"dossiers_dailysequence"',
        'INSERT INTO "dossiers_dossier"',
        'INSERT INTO "dossiers_dossierevent"',
        "pg_advisory_xact_lock",
        'SELECT hash FROM "core_auditevent"',
        'INSERT INTO "core_auditevent"',
    )
    out, official = [], False
    for sql in PLAN.get("intake_sql", []):
        if not any(k in sql for k in keep):
            continue
        if 'FROM "staff_official"' in sql:
            if official:
                continue
            official = True
        out.append(sql)
    return out


INTAKE = _intake_template()
CAPTURED_CODE = next(
    (m.group(1) for s in INTAKE if (m := re.search(r"'([^']+-\d{6}-\d{4})'", s))), ""
)
CAPTURED_ID = next(
    (m.group(1) for s in INTAKE if (m := re.search(r'dossierevent".*?VALUES \((\d+),', s))), ""
)


def _chained(sql: str, tip: str) -> str:
    """The audit rows' (prev_hash, hash) pairs re-linked onto the chain's current ``tip``."""
    captured = re.findall(r"'([0-9a-f]{64})'", sql)
    mapping, prev = {}, tip
    for old_prev, old_hash in zip(captured[::2], captured[1::2], strict=True):
        mapping.setdefault(old_prev, prev)
        prev = mapping[old_hash] = hashlib.sha256((prev + sql).encode()).hexdigest()
    return re.sub(r"'([0-9a-f]{64})'", lambda m: f"'{mapping.get(m.group(1), m.group(1))}'", sql)


async def intake(conn: psycopg.AsyncConnection, token: str, body: dict[str, Any]) -> Any:
    """The captured statements with this request's token, a new code, public id and row id."""
    key_hash = hashlib.sha256(token.encode()).hexdigest()
    code = dossier_id = tip = ""
    for template in INTAKE:
        sql = template
        if "core_apitoken" in sql:
            sql = re.sub(r"key_hash\" = '[0-9a-f]{64}'", f"key_hash\" = '{key_hash}'", sql)
        if code:
            sql = sql.replace(CAPTURED_CODE, code)
        if dossier_id:
            sql = sql.replace(f"VALUES ({CAPTURED_ID},", f"VALUES ({dossier_id},").replace(
                f"), ({CAPTURED_ID},", f"), ({dossier_id},"
            )
        if sql.startswith('INSERT INTO "dossiers_dossier"'):
            sql = re.sub(r"'[0-9a-f]{32}'::uuid", f"'{uuid.uuid4().hex}'::uuid", sql, count=1)
        if sql.startswith('INSERT INTO "core_auditevent"'):
            sql = _chained(sql, tip)
        try:
            cursor = await conn.execute(sql.replace("%", "%%"))
        except psycopg.Error:
            await conn.execute("ROLLBACK")
            raise
        if sql.startswith('SELECT hash FROM "core_auditevent"'):
            tip = ((await cursor.fetchone()) or ("0" * 64,))[0]
        elif "dailysequence" in sql:
            value = (await cursor.fetchone())[0]
            code = f"{CAPTURED_CODE.rsplit('-', 1)[0]}-{value:04d}"
        elif sql.startswith('INSERT INTO "dossiers_dossier"'):
            dossier_id = str((await cursor.fetchone())[0])
    return 200, {"code": code, "lookup_secret": secrets.token_hex(5), "unit": body.get("unit")}


async def _body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    path: str = scope["path"]
    headers = dict(scope["headers"])
    html = False
    if path == "/healthz":
        status, answer = 200, {"ok": True}
    else:
        conn = await POOL.get()
        try:
            if path.startswith("/api/v1/public/dossiers/"):
                query = parse_qs(scope["query_string"].decode())
                status, answer = await lookup(
                    conn,
                    path.rsplit("/", 1)[1],
                    query.get("secret", [""])[0],
                    (scope.get("client") or ("?",))[0],
                )
            elif path == "/api/v1/dossiers" and scope["method"] == "POST":
                token = headers.get(b"authorization", b"").decode().partition(" ")[2]
                status, answer = await intake(conn, token, json.loads(await _body(receive)))
            elif path == "/api/v1/dossiers":
                status, answer = await replay(conn, "queue")
            elif path.startswith("/staff/dossiers/"):
                status, answer = await replay(conn, "dossier page")
                html = True
            elif path.startswith("/staff/monitoring/"):
                # bench_city's plan names the city's page, bench_http's a ward's dashboard
                page = "city page" if "city page" in PLAN["sql"] else "dashboard"
                status, answer = await replay(conn, page)
                html = True
            elif path.startswith("/api/v1/monitoring/units/"):
                status, answer = await replay(conn, "city api")
            elif path.startswith("/staff/units/") and path.endswith("/signing/"):
                status, answer = await replay(conn, "signing page")
                html = True
            else:
                status, answer = 404, {"detail": "no such path"}
        finally:
            POOL.put(conn)
    if html:
        data = f"<!doctype html><title>raw</title><p>{answer}</p>".encode()
        kind = b"text/html; charset=utf-8"
    else:
        data = json.dumps(answer, ensure_ascii=False).encode()
        kind = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), (b"content-length", str(len(data)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": data})
