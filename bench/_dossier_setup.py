"""Scratch-database set-up for ``bench_dossiers``: seed through the services, bulk-load history.

Imported only by the benchmark's per-database subprocess, after ``django.setup()``.

Two kinds of data, kept apart on purpose:

* The seed (reference units, desks, three procedures, one district chairman per pilot district,
  one desk officer and one chairman per pilot ward) is built with the tests' kit
  (``cqdt.testing``: factories over the services), so the rows, appointments and audit events
  are the real ones.
* The history (``bulk_load``) is BENCHMARK DATA written straight into the tables by the bulk
  loader ``cqdt simulate --bulk`` uses too (``cqdt.simulation.loader``: COPY on PostgreSQL,
  ``executemany`` on SQLite): no services, no audit events, no outbox. Its shape
  is meant to be plausible for the 175 pilot wards since 1 July 2021 (see ``generate``), its
  codes follow ``<agency>-YYMMDD-XXXX`` with a gap-free daily sequence per agency, its due
  dates come from the real working-day calendar, and each dossier gets the timeline events of
  the moves that took it to its status. Plain indexes are dropped for the load and rebuilt
  after it, and foreign-key checks are off during it (the generator only writes valid keys).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.management import call_command
from django.utils import timezone

from cqdt import testing
from cqdt.core.citizen_names import FAMILY, FAMILY_SHARES, GIVEN, MIDDLE
from cqdt.dossiers import workflow
from cqdt.dossiers.models import Desk
from cqdt.dossiers.reference import desks_load
from cqdt.procedures.models import Procedure
from cqdt.simulation import loader
from cqdt.staff.models import Official
from cqdt.testing import ProcedureFactory
from cqdt.units.models import Unit
from cqdt.units.reference import pilot_ward_codes, read_units_csv, reference_data_load
from cqdt.workdays.selectors import calendar_for

TERM = testing.TERM  # the pilot's first day; history starts here
CHUNK = loader.CHUNK
SECRET_ALPHABET = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))

# The kit's three procedures (unverified times, marked as such) and their share of the history.
SHARES = {"copy": 0.55, "marital": 0.27, "marriage": 0.18}
SPEC = ("slug", "name", "field", "time_kind", "time_value", "sign_act", "required_documents")
PROCEDURES: list[dict[str, Any]] = [
    {**{f: getattr(ProcedureFactory.build(**{trait: True}), f) for f in SPEC}, "share": share}
    for trait, share in SHARES.items()
]

STREETS = [
    "Phố Huế",
    "Hàng Bông",
    "Kim Mã",
    "Láng Hạ",
    "Nguyễn Trãi",
    "Giải Phóng",
    "Trường Chinh",
    "Xuân Thủy",
    "Lạc Long Quân",
    "Minh Khai",
    "Tôn Đức Thắng",
    "Hoàng Quốc Việt",
]

# Statuses of the history: 95% closed, 5% still open (recent).
CLOSED = [
    (workflow.RETURNED, 0.975),
    (workflow.REFUSED, 0.01),
    (workflow.WITHDRAWN, 0.01),
    (workflow.CANCELLED, 0.005),
]
OPEN = [
    (workflow.SUBMITTED, 0.03),
    (workflow.INTAKE_SUPPLEMENT, 0.02),
    (workflow.ACCEPTED, 0.15),
    (workflow.ASSIGNED, 0.20),
    (workflow.PROCESSING, 0.30),
    (workflow.SUPPLEMENT, 0.10),
    (workflow.AWAITING_SIGNATURE, 0.12),
    (workflow.SIGNED, 0.08),
]
OPEN_SHARE = 0.05
STATUSES = [s for s, _ in CLOSED + OPEN]
S = {s: i for i, s in enumerate(STATUSES)}

# --- seed through the services -------------------------------------------------------------------


@dataclass
class Ward:
    code: str
    agency: str
    name: str
    desk_official_id: int
    desk_user_id: int
    chair_official_id: int


@dataclass
class Seed:
    wards: list[Ward]
    procedures: list[Procedure]
    seconds: dict[str, float]


def seed(progress: Callable[[str], None]) -> Seed:
    """Migrate, load the reference data and build the pilot wards' staff through the services."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    seconds["migrate"] = time.perf_counter() - started
    started = time.perf_counter()
    reference_data_load()
    desks_load()
    procedures = [ProcedureFactory(**{trait: True}, legal_basis="bench") for trait in SHARES]
    seconds["reference"] = time.perf_counter() - started
    progress("reference data loaded; building staff through the services")

    started = time.perf_counter()
    codes = sorted(pilot_ward_codes(read_units_csv()))
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    desks = dict(
        Desk.objects.filter(unit_code__in=codes).values_list("unit_code", "agency_identifier")
    )
    district_chairs: dict[str, Official] = {}
    wards = []
    for code in codes:
        district = units[code].parent_code
        if district not in district_chairs:
            district_chairs[district] = testing.district_chairman(
                district, f"B-DC-{district}", name="Nguyễn Văn Huyện"
            )
        desk = testing.ward_team(
            code,
            district,
            district_chairs[district],
            f"B-{code}",
            names={"desk": "Trần Thị Một Cửa"},
            keys=("desk",),
        )["desk"]
        user = testing.login_for(desk, username=f"bench_desk_{code}")
        # The signer of the history's results: an official record only (no appointment needed
        # for rows that are already history).
        chair = testing.official(f"B-CT-{code}", district, "Lê Văn Chủ Tịch")
        wards.append(Ward(code, desks[code], units[code].name, desk.pk, user.pk, chair.pk))
    seconds["staff"] = time.perf_counter() - started
    return Seed(wards, procedures, seconds)


# --- benchmark history ---------------------------------------------------------------------------


@dataclass
class History:
    """The generated dossiers as columns (epoch seconds, UTC; -1 is NULL)."""

    n: int
    first_id: int
    ward: np.ndarray
    proc: np.ndarray
    status: np.ndarray
    online: np.ndarray
    submitted: np.ndarray
    receipt: np.ndarray
    due: np.ndarray
    original_due: np.ndarray
    returned: np.ndarray
    closed: np.ndarray
    signed: np.ndarray
    rated: np.ndarray
    rating: np.ndarray
    apologies: np.ndarray
    paused: np.ndarray
    seq: np.ndarray
    code_day: np.ndarray  # local day (datetime64[D]) of the code
    last: np.ndarray  # time of the last move
    secrets: np.ndarray  # '<U10'
    event_counts: np.ndarray
    sequences: list[tuple[int, np.datetime64, int]]  # (ward, day, last value)

    def code(self, i: int, wards: list[Ward]) -> str:
        day = self.code_day[i].astype(dt.date)
        return f"{wards[self.ward[i]].agency}-{day:%y%m%d}-{self.seq[i]:04d}"


def generate(n: int, wards: list[Ward], now: dt.datetime, first_id: int, seed: int = 7) -> History:
    """Plausible history for the pilot wards from 1 July 2021 to yesterday (local).

    Ward sizes are log-normal (σ 0.6: the busiest ward takes several times the median); 55%
    certified copies (same day), 27% marital-status confirmations (3 working days), 18%
    marriage registrations (5 working days). 95% of dossiers are closed (97.5% of those
    returned, the rest refused, withdrawn or cancelled) and spread over the working days of the
    whole period; 5% are open and were received in the last few weeks (exponential, mean 3
    working days), so whether they are overdue follows from their procedure's time. Counter
    dossiers (75%) arrive in office hours; online ones at any hour and are accepted later. 4%
    of returned results are late; 1% of dossiers with a due date got an apology (+3 days); 3%
    paused for supplements. 20% of returned dossiers are rated.
    """
    rng = np.random.default_rng(seed)
    calendar = calendar_for()
    busdaycal = calendar.busdaycal
    today = timezone.localdate(now)
    days = np.arange(np.datetime64(TERM), np.datetime64(today), dtype="datetime64[D]")
    working = days[np.is_busday(days, busdaycal=busdaycal)]
    w = len(wards)
    weights = rng.lognormal(0.0, 0.6, w)
    ward = rng.choice(w, n, p=weights / weights.sum()).astype(np.int32)
    proc = rng.choice(len(PROCEDURES), n, p=[p["share"] for p in PROCEDURES]).astype(np.int8)
    is_open = rng.random(n) < OPEN_SHARE
    status = np.where(
        is_open,
        rng.choice([S[s] for s, _ in OPEN], n, p=[p for _, p in OPEN]),
        rng.choice([S[s] for s, _ in CLOSED], n, p=[p for _, p in CLOSED]),
    ).astype(np.int8)
    online = rng.random(n) < 0.25

    # Receipt day: closed ones anywhere in the period but the last three weeks; open ones recent.
    closed_day = working[rng.integers(0, len(working) - 15, n)]
    back = np.minimum(rng.exponential(3.0, n).astype(np.int64), 25)
    open_day = working[len(working) - 1 - back]
    day = np.where(is_open, open_day, closed_day)
    counter_minute = rng.integers(7 * 60 + 30, 16 * 60 + 45, n)
    online_minute = rng.integers(0, 24 * 60, n)
    minute = np.where(online, online_minute, counter_minute)
    second = rng.integers(0, 60, n)
    local_submit = day.astype("datetime64[s]").astype(np.int64) + minute * 60 + second
    submitted = local_submit - loader.LOCAL_OFFSET
    receipt = np.where(online, submitted + rng.integers(30 * 60, 8 * 3600, n), submitted)
    no_receipt = np.isin(
        status, [S[workflow.SUBMITTED], S[workflow.INTAKE_SUPPLEMENT], S[workflow.REFUSED]]
    )
    receipt = np.where(no_receipt, -1, receipt)

    # Due dates on the real calendar: working days for 3- and 5-day procedures; same day
    # before the 15:00 cut-off, else the next working day; always at 17:00 local.
    local_receipt = (np.where(no_receipt, submitted, receipt) + loader.LOCAL_OFFSET).astype(
        "datetime64[s]"
    )
    periods = np.array([p["time_value"] for p in PROCEDURES])[proc]
    same_day = np.array([p["time_kind"] == "same_day" for p in PROCEDURES])[proc]
    due_wd = calendar.due_for_working_days_bulk(local_receipt.astype("datetime64[m]"), periods)
    shifted = (local_receipt + np.timedelta64(9 * 3600, "s")).astype("datetime64[D]")
    due_sd = np.busday_offset(shifted, 0, roll="forward", busdaycal=busdaycal)
    due_day = np.where(same_day, due_sd, due_wd)
    original_due = (
        due_day.astype("datetime64[s]").astype(np.int64) + 17 * 3600 - loader.LOCAL_OFFSET
    )
    original_due = np.where(no_receipt, -1, original_due)
    paused = np.where(
        (~no_receipt) & ((rng.random(n) < 0.03) | (status == S[workflow.SUPPLEMENT])),
        rng.integers(1, 6, n),
        0,
    )
    apologies = np.where((~no_receipt) & (rng.random(n) < 0.01), 1, 0)
    due = np.where(no_receipt, -1, original_due + (paused * 7 // 5 + apologies * 3) * 86400)

    now_s = int(now.timestamp())
    status_is = {s: status == S[s] for s in STATUSES}
    span = np.maximum(due - receipt, 3600)
    late = rng.random(n) < 0.04
    returned = np.where(
        late,
        due + rng.integers(3600, 4 * 86400, n),
        receipt + (span * rng.uniform(0.2, 1.0, n)).astype(np.int64),
    )
    returned = np.where(status_is[workflow.RETURNED], np.minimum(returned, now_s - 3600), -1)
    signed = np.where(
        status_is[workflow.RETURNED],
        returned - ((returned - receipt) * rng.uniform(0.05, 0.5, n)).astype(np.int64),
        -1,
    )
    signed = np.where(
        status_is[workflow.SIGNED],
        receipt + ((now_s - receipt) * rng.uniform(0.5, 0.95, n)).astype(np.int64),
        signed,
    )
    closed = np.full(n, -1, dtype=np.int64)
    closed = np.where(status_is[workflow.RETURNED], returned, closed)
    closed = np.where(status_is[workflow.REFUSED], submitted + rng.integers(300, 3600, n), closed)
    quit_at = receipt + (span * rng.uniform(0.1, 0.9, n)).astype(np.int64)
    closed = np.where(
        status_is[workflow.WITHDRAWN] | status_is[workflow.CANCELLED], quit_at, closed
    )
    rated_mask = status_is[workflow.RETURNED] & (rng.random(n) < 0.20)
    rated = np.where(rated_mask, returned + rng.integers(600, 3 * 86400, n), -1)
    rated = np.where(rated >= now_s, now_s - 60, rated)
    rating = np.where(rated_mask, rng.choice([5, 4, 3, 2, 1], n, p=[0.7, 0.2, 0.05, 0.03, 0.02]), 0)

    # Codes: a gap-free daily sequence per agency, in order of submission.
    code_day, seq, sequences = loader.daily_sequences(ward, submitted, np.datetime64(TERM))
    secrets = SECRET_ALPHABET[rng.integers(0, len(SECRET_ALPHABET), (n, 10))].view("<U10").ravel()
    chain_length = np.array([len(loader.CHAINS[s]) for s in STATUSES])
    # The last move: closing, signing, or (open dossiers) some time between receipt and now.
    moved = np.maximum(submitted, receipt) + (
        (now_s - np.maximum(submitted, receipt)) * rng.uniform(0.3, 0.9, n)
    )
    last = np.where(closed >= 0, closed, np.where(signed >= 0, signed, moved.astype(np.int64)))
    arrays = {
        "ward": ward,
        "proc": proc,
        "status": status,
        "online": online,
        "submitted": submitted,
        "receipt": receipt,
        "due": due,
        "original_due": original_due,
        "returned": returned,
        "closed": closed,
        "signed": signed,
        "rated": rated,
        "rating": rating,
        "apologies": apologies,
        "paused": paused,
        "seq": seq,
        "code_day": code_day,
        "last": last,
        "secrets": secrets,
        "event_counts": chain_length[status],
    }
    by_time = np.argsort(submitted, kind="stable")  # ids grow with time, as they do in service
    return History(
        n=n, first_id=first_id, sequences=sequences, **{k: v[by_time] for k, v in arrays.items()}
    )


def dossier_rows(
    h: History,
    wards: list[Ward],
    procedure_ids: list[int],
    a: int,
    b: int,
    null: Any,
    suffix: str,
    rng: np.random.Generator,
) -> list[tuple[Any, ...]]:
    """Rows ``a:b`` of the history in ``DOSSIER_COLUMNS`` order, as text (``null`` for NULL)."""
    m = b - a
    ward, proc, status = h.ward[a:b], h.proc[a:b], h.status[a:b]
    wl = ward.tolist()
    online = h.online[a:b]
    status_names = [STATUSES[s] for s in status.tolist()]
    org = rng.random(m) < 0.05
    shares = np.array(FAMILY_SHARES)
    family = rng.choice(len(FAMILY), m, p=shares / shares.sum())
    names = [
        f"{FAMILY[f]} {MIDDLE[g]} {GIVEN[k]}"
        for f, g, k in zip(
            family.tolist(),
            rng.integers(0, len(MIDDLE), m).tolist(),
            rng.integers(0, len(GIVEN), m).tolist(),
            strict=True,
        )
    ]
    province = np.where(
        rng.random(m) < 0.8, 1, rng.choice([2, 4, 22, 26, 30, 33, 34, 36, 38, 40], m)
    )
    ids = [
        "" if o else f"{p:03d}{c}{y:02d}{r:06d}"
        for o, p, c, y, r in zip(
            org.tolist(),
            province.tolist(),
            rng.integers(0, 4, m).tolist(),
            rng.integers(0, 100, m).tolist(),
            rng.integers(0, 1_000_000, m).tolist(),
            strict=True,
        )
    ]
    has_phone = rng.random(m) < 0.9
    phones = [
        f"09{v:08d}" if p else ""
        for v, p in zip(rng.integers(0, 10**8, m).tolist(), has_phone.tolist(), strict=True)
    ]
    has_email = rng.random(m) < 0.25
    emails = [f"nguoidan{a + i}@example.vn" if e else "" for i, e in enumerate(has_email.tolist())]
    addresses = [
        f"Số {no}, {STREETS[s]}, {wards[w].name}"
        for no, s, w in zip(
            rng.integers(1, 300, m).tolist(),
            rng.integers(0, len(STREETS), m).tolist(),
            wl,
            strict=True,
        )
    ]
    documents = [json.dumps(sorted(d["code"] for d in p["required_documents"])) for p in PROCEDURES]
    secrets = h.secrets[a:b].tolist()
    lookup = [hashlib.sha256(s.encode()).hexdigest() for s in secrets]
    has_receipt = h.receipt[a:b] >= 0
    desk_ids = np.array([w.desk_official_id for w in wards])[ward]
    chair_ids = np.array([w.chair_official_id for w in wards])[ward]
    assigned_mask = np.isin(
        status,
        [
            S[s]
            for s in (
                workflow.ASSIGNED,
                workflow.PROCESSING,
                workflow.SUPPLEMENT,
                workflow.AWAITING_SIGNATURE,
                workflow.SIGNED,
                workflow.RETURNED,
                workflow.WITHDRAWN,
                workflow.CANCELLED,
            )
        ],
    )
    signed_mask = h.signed[a:b] >= 0
    sign_acts = [p["sign_act"] for p in PROCEDURES]
    basis = [json.dumps({"act": act, "basis": "own_post", "post": "chairman"}) for act in sign_acts]
    events = h.event_counts[a:b]
    rating = h.rating[a:b]
    submitted_t = loader.times(h.submitted[a:b], null, suffix)
    columns: dict[str, list[Any]] = {
        "id": loader.ints(np.arange(h.first_id + a, h.first_id + b), null),
        "created_at": submitted_t,
        "updated_at": loader.times(h.last[a:b], null, suffix),
        "public_id": loader.uuid4_hex(rng, m),
        "code": loader.codes([w.agency for w in wards], ward, h.code_day[a:b], h.seq[a:b]),
        "unit_code": [wards[w].code for w in wl],
        "procedure_id": [str(procedure_ids[p]) for p in proc.tolist()],
        "channel": ["online" if o else "counter" for o in online.tolist()],
        "status": status_names,
        "version": loader.ints(events, null),
        "applicant_kind": ["organisation" if o else "person" for o in org.tolist()],
        "applicant_name": names,
        "applicant_id_number": ids,
        "organisation_name": [
            f"Công ty TNHH {n.split()[-1]} Hà Nội" if o else ""
            for n, o in zip(names, org.tolist(), strict=True)
        ],
        "applicant_phone": phones,
        "applicant_email": emails,
        "applicant_address": addresses,
        "documents": [documents[p] for p in proc.tolist()],
        "note": [""] * m,
        "submitted_at": submitted_t,
        "valid_receipt_at": loader.times(h.receipt[a:b], null, suffix),
        "due_at": loader.times(h.due[a:b], null, suffix),
        "original_due_at": loader.times(h.original_due[a:b], null, suffix),
        "returned_at": loader.times(h.returned[a:b], null, suffix),
        "closed_at": loader.times(h.closed[a:b], null, suffix),
        "received_by_id": loader.ints(desk_ids, null, ~online | has_receipt),
        "assigned_to_id": loader.ints(desk_ids, null, assigned_mask),
        "signed_by_id": loader.ints(chair_ids, null, signed_mask),
        "signed_at": loader.times(h.signed[a:b], null, suffix),
        "signature_basis": [
            basis[p] if s else null
            for p, s in zip(proc.tolist(), signed_mask.tolist(), strict=True)
        ],
        "signature_block": ["CHỦ TỊCH" if s else "" for s in signed_mask.tolist()],
        "result_note": [""] * m,
        "paused_working_days": loader.ints(h.paused[a:b], null),
        "apology_count": loader.ints(h.apologies[a:b], null),
        "at_risk_since": [null] * m,
        "lookup_secret_hash": lookup,
        "rating": loader.ints(rating, null, rating > 0),
        "rating_comment": [""] * m,
        "rated_at": loader.times(h.rated[a:b], null, suffix),
        "is_demo": ["0"] * m,
    }
    return loader.checked(columns, "the bench generator (_dossier_setup)")


def bulk_load(
    h: History, wards: list[Ward], procedure_ids: list[int], progress: Callable[[str], None]
) -> loader.LoadReport:
    """Write the history through the shared bulk loader (``cqdt.simulation.loader``: COPY or
    executemany, events by INSERT … SELECT, indexes rebuilt, ANALYZE)."""
    null, suffix = loader.nulls()
    rng = np.random.default_rng(11)

    def dossier_chunks() -> Iterator[list[tuple[Any, ...]]]:
        for a in range(0, h.n, CHUNK):
            yield dossier_rows(h, wards, procedure_ids, a, min(a + CHUNK, h.n), null, suffix, rng)
            if (a // CHUNK) % 10 == 9:
                progress(f"dossiers {min(a + CHUNK, h.n):,}/{h.n:,}")

    sequences = [(wards[w].agency, str(day), str(v)) for w, day, v in h.sequences]
    timeline = loader.Timeline([(w.code, w.desk_official_id, w.chair_official_id) for w in wards])
    return loader.write(
        dossier_chunks(), sequences, first_id=h.first_id, timeline=timeline, progress=progress
    )


def seeded_history(size: int, progress: Callable[[str], None]) -> tuple[Seed, History]:
    """The seed, then ``size`` dossiers of history bulk-loaded after the seed's own rows."""
    from cqdt.dossiers.models import Dossier

    seeded = seed(progress)
    first_id = (Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    history = generate(size, seeded.wards, timezone.now(), first_id)
    bulk_load(history, seeded.wards, [p.pk for p in seeded.procedures], progress)
    return seeded, history
