"""One bulk history loader: benchmark dossiers written straight into the tables.

BENCHMARK DATA ONLY. Shared by ``cqdt simulate --bulk`` (:mod:`cqdt.simulation.bulk`) and the
dossier benchmark (``bench/_dossier_setup.py``): each generates its history as numpy columns
with its own distributions and hands the rows to :func:`write`, which is the one path into the
tables. It does not go through the services: no audit events, no outbox; the timeline events,
when asked for (:class:`Timeline`), are the moves of each dossier's path to its status written
by one ``INSERT … SELECT``. Plain indexes are dropped for the load and rebuilt after it;
foreign-key checks are off during it (the generators only write valid keys); PostgreSQL gets
COPY, SQLite ``executemany`` on the raw connection; then the id sequences are reset and the
tables analysed.

Codes follow ``<agency>-YYMMDD-XXXX`` with a gap-free daily sequence per desk
(:func:`daily_sequences`, as Decree 61/2018/NĐ-CP's receipt numbering asks of a one-stop desk);
times are written as the text both backends store, UTC.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, transaction

from cqdt.dossiers import workflow
from cqdt.dossiers.models import DailySequence, Dossier, DossierEvent

LOCAL_OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh, no daylight saving since 1975
CHUNK = 20_000
DOSSIER_COLUMNS = [str(f.column) for f in Dossier._meta.concrete_fields]
SEQUENCE_COLUMNS = [str(f.column) for f in DailySequence._meta.concrete_fields if f.column != "id"]
Rows = list[tuple[Any, ...]]


@dataclass
class LoadReport:
    dossiers: int = 0
    events: int = 0
    sequences: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def __str__(self) -> str:
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())
        events = f"{self.events:,} events, " if self.events else ""
        return f"{self.dossiers:,} dossiers, {events}{self.sequences:,} daily sequences ({steps})"


# --- columns as text -----------------------------------------------------------------------------


def nulls() -> tuple[Any, str]:
    """How this database's bulk path writes NULL, and the suffix of a UTC time."""
    return ("\\N", "+00") if connection.vendor == "postgresql" else (None, "")


def times(epoch: np.ndarray, null: Any, suffix: str) -> list[Any]:
    """Epoch seconds as the text both backends store (``YYYY-MM-DD HH:MM:SS``, UTC); -1 is NULL."""
    text = np.datetime_as_string(np.where(epoch < 0, 0, epoch).astype("datetime64[s]"), unit="s")
    chars = text.astype("<U19").view(np.uint32).reshape(-1, 19)
    chars[:, 10] = ord(" ")  # SQLite compares the text: Django writes a space, not "T"
    text = chars.view("<U19").ravel()
    if suffix:
        text = np.char.add(text, suffix)
    out = text.astype(object)
    out[epoch < 0] = null
    return list(out.tolist())


def ints(values: np.ndarray, null: Any, mask: np.ndarray | None = None) -> list[Any]:
    """Integers as text; ``null`` where ``mask`` is false."""
    out = np.asarray(values, dtype=np.int64).astype("U20").astype(object)
    if mask is not None:
        out[~mask] = null
    return list(out.tolist())


def uuid4_hex(rng: np.random.Generator, m: int) -> list[str]:
    """``m`` random version-4 UUIDs as 32 hex digits (how SQLite stores them; PostgreSQL reads it)."""
    raw = np.frombuffer(rng.bytes(16 * m), dtype=np.uint8).reshape(m, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    text = raw.tobytes().hex()
    return [text[i : i + 32] for i in range(0, 32 * m, 32)]


def codes(agencies: list[str], ward: np.ndarray, days: np.ndarray, seq: np.ndarray) -> list[str]:
    """``<agency>-YYMMDD-XXXX`` for each row (``days`` as ``datetime64[D]``)."""
    text = np.datetime_as_string(days, unit="D").tolist()
    return [
        f"{agencies[w]}-{t[2:4]}{t[5:7]}{t[8:10]}-{s:04d}"
        for w, t, s in zip(ward.tolist(), text, seq.tolist(), strict=True)
    ]


def local_day(epoch: np.ndarray) -> np.ndarray:
    """The Hanoi calendar day of each UTC epoch second."""
    return ((epoch + LOCAL_OFFSET) // 86400).astype("datetime64[D]")


def daily_sequences(
    ward: np.ndarray, submitted: np.ndarray, start: np.datetime64
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, np.datetime64, int]]]:
    """Each dossier's number in its desk's gap-free daily sequence, in order of submission.

    Returns (the local day of each code, the numbers, and one ``(ward, day, last number)`` per
    desk and day for the ``DailySequence`` rows). Days are counted from ``start``.
    """
    n = len(ward)
    code_day = local_day(submitted)
    key = ward.astype(np.int64) * 100_000 + (code_day - start).astype(np.int64)
    order = np.lexsort((submitted, key))
    sorted_key = key[order]
    starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]] if n else np.zeros(0, bool)
    positions = np.arange(n)
    group_start = np.maximum.accumulate(np.where(starts, positions, 0)) if n else positions
    seq = np.empty(n, dtype=np.int64)
    seq[order] = positions - group_start + 1
    if n and seq.max() > 9999:
        raise RuntimeError("more than 9,999 dossiers at one desk on one day: lower N")
    ends = np.r_[starts[1:], True] if n else starts
    sequences = [
        (int(k // 100_000), start + int(k % 100_000), int(v))
        for k, v in zip(sorted_key[ends], (positions - group_start + 1)[ends], strict=True)
    ]
    return code_day, seq, sequences


def checked(columns: dict[str, list[Any]], who: str) -> Rows:
    """The rows of ``columns`` in ``DOSSIER_COLUMNS`` order; a generator missing one fails."""
    missing = set(DOSSIER_COLUMNS) - set(columns)
    if missing:
        raise RuntimeError(f"{who} misses dossier columns {sorted(missing)}")
    return list(zip(*(columns[c] for c in DOSSIER_COLUMNS), strict=True))


# --- timeline ------------------------------------------------------------------------------------

# Timeline moves: (action, from, to, actor: desk/chair, public note).
_SUBMIT = ("submit", "", workflow.SUBMITTED, "desk", "Hồ sơ đã được nộp tại bộ phận một cửa.")
_FULL = [
    _SUBMIT,
    ("accept", workflow.SUBMITTED, workflow.ACCEPTED, "desk", "Đã tiếp nhận hồ sơ."),
    (
        "assign",
        workflow.ACCEPTED,
        workflow.ASSIGNED,
        "desk",
        "Đã chuyển hồ sơ tới công chức xử lý.",
    ),
    ("start_processing", workflow.ASSIGNED, workflow.PROCESSING, "desk", "Hồ sơ đang được xử lý."),
    (
        "submit_for_signature",
        workflow.PROCESSING,
        workflow.AWAITING_SIGNATURE,
        "desk",
        "Hồ sơ đã được trình lãnh đạo ký.",
    ),
    ("sign", workflow.AWAITING_SIGNATURE, workflow.SIGNED, "chair", "Đã có kết quả giải quyết."),
    ("return_result", workflow.SIGNED, workflow.RETURNED, "desk", "Đã trả kết quả."),
]
SUPPLEMENT_NOTE = "Đề nghị bổ sung, hoàn thiện hồ sơ (tạm dừng tính thời hạn giải quyết)"
CHAINS: dict[str, list[tuple[str, str, str, str, str]]] = {
    workflow.SUBMITTED: _FULL[:1],
    workflow.INTAKE_SUPPLEMENT: [
        _SUBMIT,
        (
            "request_supplement",
            workflow.SUBMITTED,
            workflow.INTAKE_SUPPLEMENT,
            "desk",
            "Đề nghị bổ sung, hoàn thiện hồ sơ: thiếu bản sao.",
        ),
    ],
    workflow.REFUSED: [
        _SUBMIT,
        (
            "refuse",
            workflow.SUBMITTED,
            workflow.REFUSED,
            "desk",
            "Từ chối tiếp nhận: không thuộc thẩm quyền.",
        ),
    ],
    workflow.ACCEPTED: _FULL[:2],
    workflow.ASSIGNED: _FULL[:3],
    workflow.PROCESSING: _FULL[:4],
    workflow.SUPPLEMENT: [
        *_FULL[:4],
        ("request_supplement", workflow.PROCESSING, workflow.SUPPLEMENT, "desk", SUPPLEMENT_NOTE),
    ],
    workflow.AWAITING_SIGNATURE: _FULL[:5],
    workflow.SIGNED: _FULL[:6],
    workflow.RETURNED: _FULL[:7],
    workflow.WITHDRAWN: [
        *_FULL[:3],
        (
            "withdraw",
            workflow.ASSIGNED,
            workflow.WITHDRAWN,
            "desk",
            "Hồ sơ được rút theo đề nghị của người nộp.",
        ),
    ],
    workflow.CANCELLED: [
        *_FULL[:4],
        ("cancel", workflow.PROCESSING, workflow.CANCELLED, "chair", "Hồ sơ bị hủy: trùng hồ sơ."),
    ],
}
ROLE = {"desk": "Bộ phận một cửa", "chair": "Lãnh đạo UBND"}


@dataclass
class Timeline:
    """Write each loaded dossier's timeline: the moves of ``CHAINS[status]``, by the ward's desk
    officer or chairman (``(unit_code, desk official id, chair official id)`` per ward)."""

    wards: list[tuple[str, int, int]]

    def write(self, first_id: int) -> int:
        """A dossier's k moves are spread evenly from its submission to its last move
        (``updated_at``) and inserted in time order, as the service would have written them."""
        pg = connection.vendor == "postgresql"
        moves = [
            (status, pos, len(chain), action, before, after, int(actor == "chair"), note)
            for status, chain in CHAINS.items()
            for pos, (action, before, after, actor, note) in enumerate(chain)
        ]
        if pg:
            at = "d.submitted_at + (d.updated_at - d.submitted_at) * (m.pos::float8 / GREATEST(m.k - 1, 1))"
        else:
            at = (
                "datetime(julianday(d.submitted_at) + (julianday(d.updated_at) - julianday(d.submitted_at))"
                " * m.pos / MAX(m.k - 1, 1))"
            )
        portal = "d.channel = 'online' AND m.pos = 0"
        with connection.cursor() as cur:
            cur.execute(
                "CREATE TEMP TABLE bulk_moves (status varchar(40), pos integer, k integer, action varchar(40), "
                "from_status varchar(40), to_status varchar(40), by_chair integer, note varchar(1000))"
            )
            cur.executemany("INSERT INTO bulk_moves VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", moves)
            cur.execute(
                "CREATE TEMP TABLE bulk_wards (unit_code varchar(8), desk_id bigint, chair_id bigint)"
            )
            cur.executemany("INSERT INTO bulk_wards VALUES (%s, %s, %s)", self.wards)
            cur.execute(
                f"INSERT INTO {DossierEvent._meta.db_table} (dossier_id, at, action, from_status, to_status, "  # noqa: S608
                "actor_official_id, actor_role, public_note, data) "
                f"SELECT d.id, {at}, m.action, m.from_status, m.to_status, "
                f"CASE WHEN {portal} THEN NULL WHEN m.by_chair = 1 THEN w.chair_id ELSE w.desk_id END, "
                f"CASE WHEN {portal} THEN 'Cổng dịch vụ công' WHEN m.by_chair = 1 THEN '{ROLE['chair']}' "
                f"ELSE '{ROLE['desk']}' END, "
                f"CASE WHEN {portal} THEN 'Hồ sơ đã được nộp.' ELSE m.note END, '{{}}' "
                f"FROM {Dossier._meta.db_table} d JOIN bulk_moves m ON m.status = d.status "
                "JOIN bulk_wards w ON w.unit_code = d.unit_code WHERE d.id >= %s ORDER BY 2",
                [first_id],
            )
            written = cur.rowcount
            cur.execute("DROP TABLE bulk_moves")
            cur.execute("DROP TABLE bulk_wards")
        return int(written)


# --- the writer ----------------------------------------------------------------------------------


def _plain_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes that back no constraint."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint)",
                [table],
            )
        else:
            cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
        return [(name, sql) for name, sql in cur.fetchall()]


def _copy_pg(table: str, columns: list[str], chunks: Iterable[Rows]) -> int:
    rows = 0
    with (
        connection.cursor() as cur,
        cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for chunk in chunks:
            copy.write("\n".join("\t".join(r) for r in chunk) + "\n")
            rows += len(chunk)
    return rows


def _insert_sqlite(table: str, columns: list[str], chunks: Iterable[Rows]) -> int:
    rows = 0
    raw = connection.connection
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
    for chunk in chunks:
        raw.executemany(sql, chunk)
        rows += len(chunk)
    return rows


def write(
    dossier_chunks: Iterator[Rows],
    sequences: Rows,
    *,
    first_id: int,
    timeline: Timeline | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadReport:
    """Write the dossiers (rows of text in ``DOSSIER_COLUMNS`` order, ids from ``first_id``) and
    the ``DailySequence`` rows (``SEQUENCE_COLUMNS``), then the timeline if asked; rebuild the
    plain indexes dropped for the load, reset the id sequences and analyse the tables."""
    say = progress or (lambda _m: None)
    pg = connection.vendor == "postgresql"
    report = LoadReport()
    models = [Dossier, DossierEvent, DailySequence]
    tables = [m._meta.db_table for m in models]
    connection.ensure_connection()

    started = time.perf_counter()
    dropped = {t: _plain_indexes(t) for t in tables}
    with connection.cursor() as cur:
        for indexes in dropped.values():
            for name, _ in indexes:
                cur.execute(f'DROP INDEX "{name}"')
        if pg:
            cur.execute("SET session_replication_role = replica")  # no FK triggers for the load
            cur.execute("SET maintenance_work_mem = '256MB'")
            cur.execute("SET work_mem = '256MB'")  # the events' sort by time
        else:
            cur.execute("PRAGMA foreign_keys = OFF")
            cur.execute("PRAGMA cache_size = -262144")  # 256 MB while loading; reset after
    report.seconds["drop indexes"] = time.perf_counter() - started

    rows = _copy_pg if pg else _insert_sqlite
    started = time.perf_counter()
    with transaction.atomic():
        report.dossiers = rows(Dossier._meta.db_table, DOSSIER_COLUMNS, dossier_chunks)
        chunks = (sequences[a : a + CHUNK] for a in range(0, len(sequences), CHUNK))
        report.sequences = rows(DailySequence._meta.db_table, SEQUENCE_COLUMNS, chunks)
    report.seconds["dossiers"] = time.perf_counter() - started
    if timeline is not None:
        say("events")
        started = time.perf_counter()
        with transaction.atomic():
            report.events = timeline.write(first_id)
        report.seconds["events"] = time.perf_counter() - started

    say("rebuilding indexes")
    started = time.perf_counter()
    with connection.cursor() as cur:
        if pg:
            cur.execute("SET session_replication_role = DEFAULT")
        else:
            cur.execute("PRAGMA foreign_keys = ON")
        for indexes in dropped.values():
            for _, sql in indexes:
                cur.execute(sql)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cur.execute(sql)
        if pg:
            cur.execute("RESET maintenance_work_mem")
            cur.execute("RESET work_mem")
        else:
            cur.execute("PRAGMA cache_size = -2000")  # SQLite's default again for the requests
    report.seconds["indexes"] = time.perf_counter() - started
    vacuum = pg and not connection.in_atomic_block  # VACUUM cannot run inside a transaction
    say("VACUUM ANALYZE" if vacuum else "ANALYZE")
    started = time.perf_counter()
    with connection.cursor() as cur:
        if vacuum:  # as autovacuum would leave the tables, and no autovacuum run during requests
            cur.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
        cur.execute(f"ANALYZE {', '.join(tables)}" if pg else "ANALYZE")
    report.seconds["vacuum analyze" if vacuum else "analyze"] = time.perf_counter() - started
    return report
