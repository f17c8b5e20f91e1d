"""The raw reference of ``bench_http``: the hot paths' database work with no framework.

A minimal ASGI application (granian, 2 workers) with psycopg's async connections held in a small
per-worker pool. It does what the platform's answer needs from the database and no more:

* ``GET /api/v1/public/dossiers/<code>?secret=`` — counts the hit in the rate-limit table (the
  same upsert as ``core.ratelimit``), reads the dossier with its procedure, compares the secret's
  SHA-256 in constant time, reads the timeline, answers the same JSON shape;
* ``POST /api/v1/dossiers`` — finds the bearer token's official, then in one transaction writes
  what the platform's intake wrote when the set-up captured it (``RAW_PLAN``'s ``intake_sql``,
  ``intake_template``): the ward's number of the day, the dossier, its timeline events and the
  audit events on the chain (its lock and tip), each with this request's values; no checks
  (procedure in force, posts, documents) and no reference reads beyond that;
* the queue, the dossier page, the dashboard and the signing page — replays the SQL the platform
  sent for one such request (``RAW_PLAN``'s ``sql``, captured by the set-up) and answers a small body; likewise
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
from dataclasses import dataclass
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
        cursor = await conn.execute(sql)
        if cursor.description:
            rows += len(await cursor.fetchall())
    return 200, {"rows": rows}


# --- the counter intake: the platform's own writes, replayed with this request's values --------

_TIMESTAMP = re.compile(r"'(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d:\d\d)'::timestamptz")
_KEY_HASH = re.compile(r"(\"core_apitoken\"\.\"key_hash\" = )'[0-9a-f]{64}'")
GENESIS = "0" * 64


class TemplateError(RuntimeError):
    """The platform's intake sends something the raw reference does not know how to replay."""


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _tuples(text: str) -> tuple[list[list[str]], str]:
    """The literals of the ``(…), (…)`` that ``text`` begins with, as psycopg inlines them
    (quoted strings, E'' strings with backslash escapes, casts, numbers, NULL), and the rest."""
    rows: list[list[str]] = []
    row: list[str] = []
    depth = start = i = 0
    quote = ""  # "'" inside a standard string, "E" inside an escape string
    while i < len(text):
        c = text[i]
        if quote:
            if (c == "\\" and quote == "E") or (c == "'" and text.startswith("''", i)):
                i += 1  # an escaped character or a doubled quote: still inside
            elif c == "'":
                quote = ""
        elif c == "'":
            quote = "E" if text[i - 1 : i] in ("E", "e") else "'"
        elif c == "(":
            depth += 1
            if depth == 1:
                start, row = i + 1, []
        elif c == ")":
            depth -= 1
            if depth == 0:
                rows.append([*row, text[start:i].strip()])
        elif c == "," and depth == 1:
            row.append(text[start:i].strip())
            start = i + 1
        elif depth == 0 and not c.isspace() and c != ",":
            return rows, " " + text[i:]
        i += 1
    return rows, ""


@dataclass
class Insert:
    """One captured INSERT: its rows as literals by column, re-filled for each request."""

    table: str
    head: str  # INSERT INTO "table" (…) VALUES
    columns: list[str]
    rows: list[list[str]]
    tail: str  # ON CONFLICT …, RETURNING …

    @classmethod
    def parse(cls, sql: str) -> Insert:
        head, values, rest = sql.partition(" VALUES ")
        found = re.fullmatch(r'INSERT INTO "(\w+)" \((.*)\)', head)
        if not values or not found:
            start = sql[:120]
            raise TemplateError(f"cannot read the rows this statement writes: {start}")
        columns = [c.strip().strip('"') for c in found.group(2).split(",")]
        rows, tail = _tuples(rest)
        if not rows or any(len(row) != len(columns) for row in rows):
            raise TemplateError(f"{found.group(1)}: values do not match the columns: {sql[:120]}")
        return cls(found.group(1), head + " VALUES ", columns, rows, tail)

    def cell(self, column: str) -> str:
        return self.rows[0][self.columns.index(column)]

    def render(self, fills: dict[str, str], texts: dict[str, str], moved: dt.timedelta) -> str:
        """The statement with this request's values: ``fills`` by column, ``texts`` replaced
        inside any literal (the dossier's code in the audit snapshots), every timestamp moved
        by ``moved`` (the time since the capture), a new ``public_id`` per row, and the rows
        of an audit insert re-chained from the tip in ``fills["tip"]``."""
        chained = "hash" in self.columns and "prev_hash" in self.columns
        tip = fills.get("tip", GENESIS)
        out = []
        for row in self.rows:
            cells = []
            for column, value in zip(self.columns, row, strict=True):
                if value == "NULL":
                    pass
                elif column == "public_id":
                    value = f"'{uuid.uuid4().hex}'::uuid"
                elif column in fills:
                    value = fills[column]
                elif found := _TIMESTAMP.fullmatch(value):
                    at = dt.datetime.fromisoformat(found.group(1)) + moved
                    value = f"'{at.isoformat(sep=' ')}'::timestamptz"
                else:
                    for old, new in texts.items():
                        value = value.replace(old, new)
                cells.append(value)
            if chained:
                at_prev, at_hash = self.columns.index("prev_hash"), self.columns.index("hash")
                cells[at_prev] = _quoted(tip)
                payload = ", ".join(c for i, c in enumerate(cells) if i != at_hash)
                tip = hashlib.sha256((tip + payload).encode()).hexdigest()
                cells[at_hash] = _quoted(tip)
            out.append(f"({', '.join(cells)})")
        return self.head + ", ".join(out) + self.tail


@dataclass
class IntakeTemplate:
    """The platform's intake as the raw reference replays it: the token's read (its holder and
    official in the same row), then, in one transaction, every row the platform writes (the
    day's number, the dossier, its timeline, the audit events) with the audit chain's lock and
    tip. Left out: the platform's checks and reference reads (posts, unit, procedure, desk,
    calendar) and savepoints — the framework's and the services' own cost."""

    token: str
    user_at: int
    username_at: int
    official_at: int
    steps: list[Insert | str]
    captured_at: dt.datetime  # the dossier's submission in the captured intake
    code: str  # the captured dossier's code and ward
    unit: str
    sent: int  # statements the platform sent for the captured intake

    @property
    def replayed(self) -> int:
        return 1 + len(self.steps) + 2  # the token's read, the steps, BEGIN and COMMIT


def intake_template(captured: list[str]) -> IntakeTemplate:
    """The template of ``captured`` (one warm intake's SQL), or TemplateError saying what in
    the platform's statements the raw reference no longer matches."""
    token = next((s for s in captured if s.startswith("SELECT") and '"core_apitoken"' in s), "")
    if not _KEY_HASH.search(token):
        raise TemplateError("no read of the bearer token by its key hash among the statements")
    selected = [c.strip() for c in token[len("SELECT ") : token.index(" FROM ")].split(",")]
    try:
        at = [selected.index(c) for c in ('"auth_user"."id"', '"auth_user"."username"')]
        at.append(selected.index('"staff_official"."id"'))
    except ValueError:
        raise TemplateError(
            "the token's read no longer brings its user and official in one row"
        ) from None
    if "BEGIN" not in captured or "COMMIT" not in captured:
        raise TemplateError("the intake's statements hold no BEGIN … COMMIT")
    begin, commit = captured.index("BEGIN"), captured.index("COMMIT")
    writes = ("INSERT", "UPDATE", "DELETE")
    outside = [s for s in captured[:begin] + captured[commit:] if s.startswith(writes)]
    steps: list[Insert | str] = []
    for sql in captured[begin + 1 : commit]:
        if sql.startswith("INSERT INTO"):
            steps.append(Insert.parse(sql))
        elif sql.startswith(("UPDATE", "DELETE")):
            outside.append(sql)
        elif "pg_advisory" in sql or (sql.startswith("SELECT") and '"core_auditevent"' in sql):
            steps.append(sql)  # the chain's lock and its tip
    if outside:
        raise TemplateError(
            f"the intake also writes, which the raw reference cannot: {outside[0][:120]}"
        )
    tables = {s.table: s for s in steps if isinstance(s, Insert)}
    for needed in ("dossiers_dailysequence", "dossiers_dossier", "core_auditevent"):
        if needed not in tables:
            raise TemplateError(f"no INSERT INTO {needed} in the intake's transaction")
    dossier = tables["dossiers_dossier"]
    found = _TIMESTAMP.fullmatch(dossier.cell("submitted_at"))
    if not found or "RETURNING" not in dossier.tail:
        raise TemplateError("the dossier's INSERT has no submission time or returns no id")
    chain = [i for i, s in enumerate(steps) if isinstance(s, str) and "core_auditevent" in s]
    if not chain or chain[0] > steps.index(tables["core_auditevent"]):
        raise TemplateError("no read of the audit chain's tip before its INSERT")
    return IntakeTemplate(
        token=token,
        user_at=at[0],
        username_at=at[1],
        official_at=at[2],
        steps=steps,
        captured_at=dt.datetime.fromisoformat(found.group(1)),
        code=dossier.cell("code").strip("'"),
        unit=dossier.cell("unit_code").strip("'"),
        sent=len(captured),
    )


INTAKE = intake_template(PLAN["intake_sql"]) if PLAN.get("intake_sql") else None
AGENCIES = {desk["unit"]: desk["agency"] for desk in PLAN.get("desks", [])}


async def intake(conn: psycopg.AsyncConnection, token: str, body: dict[str, Any]) -> Any:
    """The platform's writes for one counter intake at the body's ward, by the token's holder
    (request values by column: the officer's ids, the ward, its agency and today, the secret's
    hash, the request id): the day's number, the dossier, its timeline, the audit events."""
    assert INTAKE is not None
    now = dt.datetime.now(dt.UTC)
    today = now.astimezone(HANOI).date()
    key_hash = hashlib.sha256(token.encode()).hexdigest()
    holder = await (await conn.execute(_KEY_HASH.sub(rf"\1'{key_hash}'", INTAKE.token))).fetchone()
    unit = body.get("unit", "")
    if holder is None:
        return 401, {"detail": "unauthorised"}
    if unit not in AGENCIES:
        return 404, {"detail": "not found"}
    secret = secrets.token_hex(5)
    fills = {
        "unit_code": _quoted(unit),
        "received_by_id": str(holder[INTAKE.official_at]),
        "actor_official_id": str(holder[INTAKE.official_at]),
        "actor_user_id": str(holder[INTAKE.user_at]),
        "actor_label": _quoted(holder[INTAKE.username_at]),
        "agency_identifier": _quoted(AGENCIES[unit]),
        "day": f"'{today.isoformat()}'::date",
        "lookup_secret_hash": _quoted(hashlib.sha256(secret.upper().encode()).hexdigest()),
        "request_id": _quoted(uuid.uuid4().hex),
    }
    # The captured dossier's code and ward inside any literal (the audit events' snapshots).
    texts = {f'"unit_code": "{INTAKE.unit}"': f'"unit_code": "{unit}"'}
    moved = now - INTAKE.captured_at
    code = ""
    await conn.execute("BEGIN")
    try:
        for step in INTAKE.steps:
            if isinstance(step, str):
                cursor = await conn.execute(step)
                if '"core_auditevent"' in step:
                    fills["tip"] = ((await cursor.fetchone()) or (GENESIS,))[0]
                continue
            cursor = await conn.execute(step.render(fills, texts, moved))
            if step.table == "dossiers_dailysequence":
                number = (await cursor.fetchone())[0]
                code = f"{AGENCIES[unit]}-{today:%y%m%d}-{number:04d}"
                texts[INTAKE.code] = code
            elif step.table == "dossiers_dossier":
                fills["dossier_id"] = str((await cursor.fetchone())[0])
        await conn.execute("COMMIT")
    except BaseException:
        await conn.execute("ROLLBACK")
        raise
    return 200, {"code": code, "lookup_secret": secret, "unit": unit}


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
