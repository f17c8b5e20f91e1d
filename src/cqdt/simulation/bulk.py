"""Bulk mode of the generator: N benchmark dossiers written straight into the dossier table.

BENCHMARK DATA ONLY. ``cqdt simulate --bulk 10000000 --from 2021-07-01 --to 2026-06-30`` loads
dossiers with the distributions of :mod:`cqdt.simulation.workload` (wards by population when
known, else uniform; field mix; online share over time; Tết and month-end seasons; lateness from
staff capacity; apologies; ratings; signatures under delegation where the ward has one) in
minutes, through the bulk loader the dossier bench uses too (:mod:`cqdt.simulation.loader`:
PostgreSQL's COPY, ``executemany`` on SQLite). It does **not** go through the services: no
timeline events, no audit events, no notifications. The officials,
delegations and desks it refers to are made through the services first (``staff.demo``), codes
follow ``<agency>-YYMMDD-XXXX`` with a gap-free daily sequence per desk (the ``DailySequence``
rows are written too), due dates come from the working-day calendar, and every row is marked
``is_demo``. Use it on a scratch database; the monitoring bench does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Max

from cqdt.authority.selectors import authority_check
from cqdt.dossiers import workflow
from cqdt.dossiers.models import DailySequence, Desk, Dossier
from cqdt.procedures.models import Procedure
from cqdt.simulation import loader, model, workload

LOCAL = loader.LOCAL_OFFSET
CHUNK = loader.CHUNK
OPEN_WINDOW_DAYS = 10  # dossiers received in the last days may still be open
OPEN_STATES = [
    workflow.ACCEPTED,
    workflow.ASSIGNED,
    workflow.PROCESSING,
    workflow.SUPPLEMENT,
    workflow.AWAITING_SIGNATURE,
    workflow.SIGNED,
]


BulkReport = loader.LoadReport


def _seasons(days: np.ndarray, calendar: Any) -> np.ndarray:
    return np.array([model.season(d, calendar) for d in days.astype(dt.date).tolist()])


def _authority_changes(ward: str) -> set[dt.date]:
    """Days on which someone's authority at the ward may change (read-only)."""
    from cqdt.authority.models import FieldAssignment
    from cqdt.authority.selectors import delegations_of_unit
    from cqdt.staff.selectors import appointments_of_unit

    one = dt.timedelta(days=1)
    days: set[dt.date] = set()
    for a in appointments_of_unit(ward):
        days.add(a.term_start)
        if a.term_end:
            days.add(a.term_end + one)
        if a.ended_on:
            days.add(a.ended_on)
    for d in delegations_of_unit(ward):
        days.update({d.valid_from, d.valid_to + one})
        if d.revoked_on:
            days.add(d.revoked_on)
    for f in FieldAssignment.objects.filter(unit_code=ward).values("valid_from", "valid_to"):
        days.add(f["valid_from"])
        if f["valid_to"]:
            days.add(f["valid_to"] + one)
    return days


def load(
    *,
    n: int,
    start: dt.date,
    end: dt.date,
    seed: int = 1,
    wards: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> BulkReport:
    """Write ``n`` dossiers received in [start, end] (see the module docstring)."""
    say = progress or (lambda _m: None)
    report = BulkReport()
    t0 = time.perf_counter()
    codes = tuple(sorted(wards)) if wards else tuple(sorted(workload.pilot_ward_codes(start)))
    sim = workload.Simulation(
        model.Params(seed, start, end, 1.0, codes),
        now=dt.datetime.combine(end, dt.time(23, 59), workload.TZ),
    )
    say("reference data and officials through the services")
    sim.prepare()
    report.seconds["prepare"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ward_list = list(sim.wards.values())
    if not ward_list:
        return report
    rng = np.random.default_rng(seed)
    cal = sim.calendar
    busday = cal.busdaycal
    days = np.arange(np.datetime64(start), np.datetime64(end) + 1, dtype="datetime64[D]")
    working = np.is_busday(days, busdaycal=busday)
    season = _seasons(days, cal)
    online_p = np.array([model.online_share(d) for d in days.astype(dt.date).tolist()])
    # Day weights: counter arrivals on working days only, online ones a quarter on days off.
    day_w = season * (working * (1 - online_p) + online_p * np.where(working, 1.0, 0.25))
    rates = np.array([w.real_rate for w in ward_list])
    ward = rng.choice(len(ward_list), n, p=rates / rates.sum()).astype(np.int32)
    day_i = rng.choice(len(days), n, p=day_w / day_w.sum())
    p_online_day = online_p * np.where(working, 1.0, 0.25)
    p_online = np.where(
        working[day_i], p_online_day[day_i] / (1 - online_p[day_i] + p_online_day[day_i]), 1.0
    )
    fields = [f for f in model.FIELD_WEIGHTS if f in sim.by_field]
    fw = np.array([model.FIELD_WEIGHTS[f] for f in fields], dtype=float)
    field_i = rng.choice(len(fields), n, p=fw / fw.sum())
    procs: list[Procedure] = []
    proc_i = np.empty(n, dtype=np.int32)
    for k, name in enumerate(fields):
        mask = field_i == k
        base = len(procs)
        procs += sim.by_field[name]
        proc_i[mask] = base + rng.integers(0, len(sim.by_field[name]), int(mask.sum()))
    online_ok = np.array([p.online_allowed for p in procs])[proc_i]
    online = (rng.random(n) < p_online) & online_ok
    online |= ~working[day_i] & online_ok  # days off: online only
    keep = online | working[day_i]
    day_i, ward, proc_i, online = day_i[keep], ward[keep], proc_i[keep], online[keep]
    n = int(keep.sum())
    day = days[day_i]
    day_s = day.astype("datetime64[s]").astype(np.int64) - LOCAL
    counter_min = (
        np.where(rng.random(n) < 0.5, rng.integers(0, 240, n), rng.integers(300, 540, n)) + 8 * 60
    )
    online_min = rng.integers(6 * 60, 23 * 60, n)
    submitted = day_s + np.where(online, online_min, counter_min) * 60 + rng.integers(0, 60, n)
    # Refusals and intake supplements never reach a receipt.
    refused = rng.random(n) < 0.02
    receipt = np.where(online, submitted + rng.integers(600, 6 * 3600, n), submitted)
    receipt = np.where(refused, -1, receipt)
    local_receipt = (np.where(refused, submitted, receipt) + LOCAL).astype("datetime64[s]")
    kinds = np.array([p.time_kind for p in procs])[proc_i]
    periods = np.array([p.time_value for p in procs])[proc_i]
    hours = kinds == "working_hours"
    due_wd = cal.due_for_working_days_bulk(
        local_receipt.astype("datetime64[m]"),
        np.where(hours, np.ceil(periods / 8), periods).astype(np.int64),
    )
    cutoff = (local_receipt + np.timedelta64(9 * 3600, "s")).astype("datetime64[D]")
    due_sd = np.busday_offset(cutoff, 0, roll="forward", busdaycal=busday)
    # A period in days (not working days) runs from the day after receipt and, when its last
    # day is off, ends on the next working day (Civil Code 2015 Art. 147-148), as
    # ``Calendar.due_for_calendar_days`` counts it for the services.
    receipt_day = local_receipt.astype("datetime64[D]")
    due_cd = np.busday_offset(
        receipt_day + periods.astype("timedelta64[D]"), 0, roll="forward", busdaycal=busday
    )
    due_day = np.where(
        kinds == "same_day", due_sd, np.where(kinds == "calendar_days", due_cd, due_wd)
    )
    due = due_day.astype("datetime64[s]").astype(np.int64) + 17 * 3600 - LOCAL
    due = np.where(refused, -1, due)
    # Lateness from capacity, as in the service-driven simulation.
    cs = np.array([w.civil_servants for w in ward_list])[ward]
    load_ = rates[ward] * season[day_i] / (cs * sim.a.cs_capacity)
    late_p = np.minimum(
        sim.a.late_max,
        sim.a.late_base + sim.a.late_slope * np.maximum(0.0, load_ - sim.a.busy_from),
    )
    late = (rng.random(n) < late_p) & ~refused
    apologised = late & (rng.random(n) < sim.a.apology_when_late)
    horizon = int(dt.datetime.combine(end, dt.time(23, 59), workload.TZ).timestamp())
    span = np.maximum(due - receipt, 1800)
    finish = np.where(
        late,
        due + rng.integers(3600, 3 * 86400, n),
        receipt + (span * rng.uniform(0.2, 0.95, n)).astype(np.int64),
    )
    returned = finish + rng.integers(300, 3600, n)
    returned = np.where(late, returned, np.minimum(returned, due - 60))
    final_due = np.where(apologised, np.maximum(due + 86400, returned + 3600), due)
    withdrawn = ~refused & (rng.random(n) < sim.a.withdraw)
    open_ = ~refused & ~withdrawn & (returned > horizon)
    status = np.full(n, workflow.RETURNED, dtype=object)
    status[refused] = workflow.REFUSED
    status[withdrawn] = workflow.WITHDRAWN
    status[open_] = rng.choice(OPEN_STATES, int(open_.sum()))
    is_returned = status == workflow.RETURNED
    signed_at = np.where(is_returned, finish, -1)
    signed_at = np.where(status == workflow.SIGNED, np.minimum(finish, horizon - 60), signed_at)
    returned = np.where(is_returned, returned, -1)
    closed = np.where(is_returned, returned, np.where(refused, submitted + 1800, -1))
    closed = np.where(withdrawn, receipt + span // 3, closed)
    rated = is_returned & (rng.random(n) < sim.a.rated)
    rating = np.where(
        late,
        rng.choice([5, 4, 3, 2, 1], n, p=[0.25, 0.25, 0.2, 0.15, 0.15]),
        rng.choice([5, 4, 3, 2, 1], n, p=[0.6, 0.25, 0.1, 0.03, 0.02]),
    )
    rated_at = np.where(rated, np.minimum(returned + rng.integers(1800, 30 * 3600, n), horizon), -1)
    updated = np.maximum.reduce([submitted, receipt, closed, signed_at, rated_at])
    # Signers: who may sign changes only when a post, a field assignment or a delegation of the
    # ward starts or ends; ask the resolver once per ward, act and stretch between such days.
    say("signers by ward, act and stretch of unchanged authority")
    sign_acts = np.array([p.sign_act for p in procs])
    signer_id = np.full(n, -1, dtype=np.int64)
    basis_i = np.zeros(n, dtype=np.int8)
    bases = ["", "appointment", "acting_assignment", "field_assignment", "delegation"]
    needs = signed_at >= 0
    sign_day = ((np.where(needs, signed_at, submitted) + LOCAL) // 86400).astype("datetime64[D]")
    segment = np.zeros(n, dtype=np.int64)
    starts_by_ward = []
    for w_i, w in enumerate(ward_list):
        cuts = sorted({start, *(d for d in _authority_changes(w.code) if start < d <= end)})
        starts = np.array(cuts, dtype="datetime64[D]")
        starts_by_ward.append(cuts)
        mask = ward == w_i
        segment[mask] = np.searchsorted(starts, sign_day[mask], side="right") - 1
    keys = np.unique(np.stack([ward[needs], proc_i[needs], segment[needs]]).T, axis=0)
    answers: dict[tuple[int, str, int], tuple[int, int]] = {}
    for w_i, p_i, seg in keys.tolist():
        act = str(sign_acts[p_i])
        key = (w_i, act, seg)
        if key in answers:
            continue
        at = dt.datetime.combine(starts_by_ward[w_i][max(seg, 0)], dt.time(10), workload.TZ)
        found = (-1, 0)
        for official in ward_list[w_i].signers.order:
            decision = authority_check(official, act, ward_list[w_i].code, at)
            if decision.allowed:
                found = (official.pk, bases.index(decision.basis or "appointment"))
                break
        answers[key] = found
    for idx in np.flatnonzero(needs):
        sid, b = answers[(int(ward[idx]), str(sign_acts[proc_i[idx]]), int(segment[idx]))]
        signer_id[idx], basis_i[idx] = sid, b
    no_signer = needs & (signer_id < 0)
    signed_at = np.where(no_signer, -1, signed_at)
    # Codes: a gap-free daily sequence per desk, in order of submission.
    desks = dict(
        # The open desk of each unit (a unit's earlier desks closed when units were arranged).
        Desk.objects.filter(
            unit_code__in=[w.code for w in ward_list], valid_to__isnull=True
        ).values_list("unit_code", "agency_identifier")
    )
    agency = [desks[w.code] for w in ward_list]
    existing = DailySequence.objects.filter(
        agency_identifier__in=agency, day__gte=start, day__lte=end
    )
    if existing.exists():
        raise RuntimeError("bulk mode needs a period with no dossiers yet at these desks")
    code_day, seq, day_ends = loader.daily_sequences(ward, submitted, np.datetime64(start))
    sequences = [(agency[w], str(d), str(v)) for w, d, v in day_ends]
    report.seconds["generate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pg = connection.vendor == "postgresql"
    null, suffix = loader.nulls()
    first_id = (Dossier.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    proc_ids = np.array([p.pk for p in procs])
    desk_ids = np.array([w.desk.pk for w in ward_list])
    processor_ids = np.array([next(iter(w.processors.values()), w.desk).pk for w in ward_list])
    secret_hash = hashlib.sha256(b"BULKBULK00").hexdigest()  # benchmark rows: no usable secret
    say_every = max(n // 20, CHUNK)

    def rows(a: int, b: int) -> list[tuple[Any, ...]]:
        m = b - a
        sl = slice(a, b)
        st = status[sl].tolist()
        sub = loader.times(submitted[sl], null, suffix)
        basis_json = [
            json.dumps({"basis": bases[x], "act": str(sign_acts[p])}) if s >= 0 else null
            for x, p, s in zip(
                basis_i[sl].tolist(), proc_i[sl].tolist(), signed_at[sl].tolist(), strict=True
            )
        ]
        has_receipt = receipt[sl] >= 0
        assigned = (
            np.isin(status[sl], [workflow.ACCEPTED, workflow.REFUSED], invert=True) & has_receipt
        )
        cols: dict[str, list[Any]] = {
            "id": [str(i) for i in range(first_id + a, first_id + b)],
            "created_at": sub,
            "updated_at": loader.times(updated[sl], null, suffix),
            "public_id": loader.uuid4_hex(rng, m),
            "code": loader.codes(agency, ward[sl], code_day[sl], seq[sl]),
            "unit_code": [ward_list[w].code for w in ward[sl].tolist()],
            "procedure_id": [str(x) for x in proc_ids[proc_i[sl]].tolist()],
            "channel": ["online" if o else "counter" for o in online[sl].tolist()],
            "status": st,
            "version": ["1"] * m,
            "applicant_kind": ["person"] * m,
            "applicant_name": ["Người nộp (dữ liệu benchmark)"] * m,
            "applicant_id_number": [""] * m,
            "organisation_name": [""] * m,
            "applicant_phone": [""] * m,
            "applicant_email": [""] * m,
            "applicant_address": [""] * m,
            "documents": ["[]"] * m,
            "note": [""] * m,
            "submitted_at": sub,
            "valid_receipt_at": loader.times(receipt[sl], null, suffix),
            "due_at": loader.times(np.where(receipt[sl] >= 0, final_due[sl], -1), null, suffix),
            "original_due_at": loader.times(np.where(receipt[sl] >= 0, due[sl], -1), null, suffix),
            "returned_at": loader.times(returned[sl], null, suffix),
            "closed_at": loader.times(closed[sl], null, suffix),
            "received_by_id": [
                str(x) if (not o or r) else null
                for x, o, r in zip(
                    desk_ids[ward[sl]].tolist(),
                    online[sl].tolist(),
                    has_receipt.tolist(),
                    strict=True,
                )
            ],
            "assigned_to_id": [
                str(x) if f else null
                for x, f in zip(processor_ids[ward[sl]].tolist(), assigned.tolist(), strict=True)
            ],
            "signed_by_id": [
                str(x) if s >= 0 else null
                for x, s in zip(signer_id[sl].tolist(), signed_at[sl].tolist(), strict=True)
            ],
            "signed_at": loader.times(signed_at[sl], null, suffix),
            "signature_basis": basis_json,
            "signature_block": [""] * m,
            "result_note": [""] * m,
            "paused_working_days": ["0"] * m,
            "apology_count": ["1" if x else "0" for x in apologised[sl].tolist()],
            "at_risk_since": [null] * m,
            "lookup_secret_hash": [secret_hash] * m,
            "rating": [
                str(r) if f else null
                for r, f in zip(rating[sl].tolist(), rated[sl].tolist(), strict=True)
            ],
            "rating_comment": [""] * m,
            "rated_at": loader.times(rated_at[sl], null, suffix),
            "is_demo": ["t" if pg else "1"] * m,
        }
        return loader.checked(cols, "bulk mode")

    def chunks() -> Iterator[list[tuple[Any, ...]]]:
        for a in range(0, n, CHUNK):
            yield rows(a, min(a + CHUNK, n))
            if (a + CHUNK) % say_every < CHUNK:
                say(f"dossiers {min(a + CHUNK, n):,}/{n:,}")

    written = loader.write(chunks(), sequences, first_id=first_id, progress=say)
    report.dossiers = written.dossiers
    report.sequences = written.sequences
    report.seconds["write"] = time.perf_counter() - t0
    return report
