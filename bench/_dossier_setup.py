"""Scratch-database set-up for ``bench_dossiers``: seed through the services, bulk-load history.

Imported only by the benchmark's per-database subprocess, after ``django.setup()``.

Two kinds of data, kept apart on purpose:

* The seed (reference units, desks, three procedures, one district chairman per pilot district,
  one desk officer and one chairman per pilot ward) goes through the services, as the tests'
  conftest does, so the rows, appointments and audit events are the real ones.
* The history (``bulk_load``) is BENCHMARK DATA written straight into the tables with COPY
  (PostgreSQL) or ``executemany`` (SQLite): no services, no audit events, no outbox. Its shape
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
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from cqdt.core.audit import Actor
from cqdt.dossiers import workflow
from cqdt.dossiers.models import DailySequence, Desk, Dossier, DossierEvent
from cqdt.dossiers.reference import desks_load
from cqdt.procedures.models import Procedure
from cqdt.staff import posts
from cqdt.staff.services import appointment_create, official_create
from cqdt.units.models import Unit
from cqdt.units.reference import pilot_ward_codes, read_units_csv, reference_data_load
from cqdt.workdays.selectors import calendar_for

SYSTEM = Actor.system("bench")
TERM = dt.date(2021, 7, 1)  # the pilot's first day; history starts here
LOCAL_OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh, no daylight saving since 1975
CHUNK = 20_000
SECRET_ALPHABET = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))

# Three procedures in the shape of the tests' conftest (unverified times, marked as such).
PROCEDURES: list[dict[str, Any]] = [
    {
        "slug": "chung-thuc-ban-sao",
        "name": "Chứng thực bản sao từ bản chính",
        "field": "certification",
        "time_kind": "same_day",
        "time_value": 0,
        "sign_act": "certify_copy",
        "required_documents": [{"code": "ban_chinh", "name": "Bản chính", "required": True}],
        "share": 0.55,
    },
    {
        "slug": "xac-nhan-tinh-trang-hon-nhan",
        "name": "Xác nhận tình trạng hôn nhân",
        "field": "civil_status",
        "time_kind": "working_days",
        "time_value": 3,
        "sign_act": "register_civil_status",
        "required_documents": [
            {"code": "to_khai", "name": "Tờ khai", "required": True},
            {"code": "giay_to_khac", "name": "Giấy tờ khác", "required": False},
        ],
        "share": 0.27,
    },
    {
        "slug": "dang-ky-ket-hon",
        "name": "Đăng ký kết hôn",
        "field": "civil_status",
        "time_kind": "working_days",
        "time_value": 5,
        "sign_act": "register_civil_status",
        "required_documents": [
            {"code": "to_khai", "name": "Tờ khai đăng ký kết hôn", "required": True},
            {
                "code": "xac_nhan_hon_nhan",
                "name": "Giấy xác nhận tình trạng hôn nhân",
                "required": True,
            },
        ],
        "share": 0.18,
    },
]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
FAMILY_P = np.array([38, 11, 9.5, 7, 5.1, 2.1, 4.5, 3.9, 1.5, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5])
MIDDLE = [
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Ngọc",
    "Thu",
    "Quang",
    "Hữu",
    "Thanh",
    "Thị Thu",
    "Xuân",
    "Hoàng",
]
GIVEN = [
    "Anh",
    "Bình",
    "Châu",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Ngọc",
    "Phương",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Việt",
    "Yến",
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

# Timeline moves: (action, from, to, actor: desk/chair/none, public note).
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
        (
            "request_supplement",
            workflow.PROCESSING,
            workflow.SUPPLEMENT,
            "desk",
            "Đề nghị bổ sung, hoàn thiện hồ sơ (tạm dừng tính thời hạn giải quyết)",
        ),
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
    common = {
        "competent_level": "commune",
        "valid_from": dt.date(2021, 1, 1),
        "legal_basis": "bench",
        "result_type": "Kết quả",
        "verified": False,
    }
    procedures = [
        Procedure.objects.create(**{k: v for k, v in spec.items() if k != "share"}, **common)
        for spec in PROCEDURES
    ]
    seconds["reference"] = time.perf_counter() - started
    progress("reference data loaded; building staff through the services")

    started = time.perf_counter()
    codes = sorted(pilot_ward_codes(read_units_csv()))
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    desks = dict(
        Desk.objects.filter(unit_code__in=codes).values_list("unit_code", "agency_identifier")
    )
    user_model = get_user_model()
    district_chairs = {}
    wards = []
    for code in codes:
        district = units[code].parent_code
        if district not in district_chairs:
            chair = official_create(
                actor=SYSTEM,
                full_name="Nguyễn Văn Huyện",
                civil_service_code=f"B-DC-{district}",
                employer_unit_code=district,
            )
            appointment_create(
                actor=SYSTEM,
                official=chair,
                unit_code=district,
                post=posts.CHAIRMAN,
                kind="election",
                decision_number=f"{district}/NQ-HĐND",
                decision_date=TERM,
                term_start=TERM,
                deciding_official=None,
                deciding_unit_code=district,
            )
            district_chairs[district] = chair
        deciding = district_chairs[district]
        desk = official_create(
            actor=SYSTEM,
            full_name="Trần Thị Một Cửa",
            civil_service_code=f"B-VP-{code}",
            employer_unit_code=district,
        )
        appointment_create(
            actor=SYSTEM,
            official=desk,
            unit_code=code,
            post=posts.OFFICE_STATISTICS,
            decision_number=f"VP-{code}/QĐ-UBND",
            decision_date=TERM,
            term_start=TERM,
            deciding_official=deciding,
            deciding_unit_code=district,
        )
        appointment_create(
            actor=SYSTEM,
            official=desk,
            unit_code=code,
            post=posts.ONE_STOP_DESK,
            kind="assignment",
            decision_number=f"MC-{code}/QĐ-UBND",
            decision_date=TERM,
            term_start=TERM,
            deciding_official=deciding,
            deciding_unit_code=district,
        )
        user = user_model.objects.create_user(username=f"bench_desk_{code}")
        desk.user = user
        desk.save(update_fields=["user"])
        # The signer of the history's results: an official record only (no appointment needed
        # for rows that are already history).
        chair = official_create(
            actor=SYSTEM,
            full_name="Lê Văn Chủ Tịch",
            civil_service_code=f"B-CT-{code}",
            employer_unit_code=district,
        )
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


def _local_day(epoch: np.ndarray) -> np.ndarray:
    return ((epoch + LOCAL_OFFSET) // 86400).astype("datetime64[D]")


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
    submitted = local_submit - LOCAL_OFFSET
    receipt = np.where(online, submitted + rng.integers(30 * 60, 8 * 3600, n), submitted)
    no_receipt = np.isin(
        status, [S[workflow.SUBMITTED], S[workflow.INTAKE_SUPPLEMENT], S[workflow.REFUSED]]
    )
    receipt = np.where(no_receipt, -1, receipt)

    # Due dates on the real calendar: working days for 3- and 5-day procedures; same day
    # before the 15:00 cut-off, else the next working day; always at 17:00 local.
    local_receipt = (np.where(no_receipt, submitted, receipt) + LOCAL_OFFSET).astype(
        "datetime64[s]"
    )
    periods = np.array([p["time_value"] for p in PROCEDURES])[proc]
    same_day = np.array([p["time_kind"] == "same_day" for p in PROCEDURES])[proc]
    due_wd = calendar.due_for_working_days_bulk(local_receipt.astype("datetime64[m]"), periods)
    shifted = (local_receipt + np.timedelta64(9 * 3600, "s")).astype("datetime64[D]")
    due_sd = np.busday_offset(shifted, 0, roll="forward", busdaycal=busdaycal)
    due_day = np.where(same_day, due_sd, due_wd)
    original_due = due_day.astype("datetime64[s]").astype(np.int64) + 17 * 3600 - LOCAL_OFFSET
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
    code_day = _local_day(submitted)
    key = ward.astype(np.int64) * 100_000 + (code_day - np.datetime64(TERM)).astype(np.int64)
    order = np.lexsort((submitted, key))
    sorted_key = key[order]
    starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    positions = np.arange(n)
    group_start = np.maximum.accumulate(np.where(starts, positions, 0))
    seq = np.empty(n, dtype=np.int32)
    seq[order] = positions - group_start + 1
    if seq.max() > 9999:
        raise ValueError("more than 9,999 dossiers in one agency-day; lower BENCH_DOSSIERS")
    ends = np.r_[starts[1:], True]
    sequences = [
        (int(k // 100_000), np.datetime64(TERM) + int(k % 100_000), int(v))
        for k, v in zip(sorted_key[ends], (positions - group_start + 1)[ends], strict=True)
    ]
    secrets = SECRET_ALPHABET[rng.integers(0, len(SECRET_ALPHABET), (n, 10))].view("<U10").ravel()
    chain_length = np.array([len(CHAINS[s]) for s in STATUSES])
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


def _times(epoch: np.ndarray, null: Any, suffix: str) -> list[Any]:
    """Epoch seconds as the text both backends store (``YYYY-MM-DD HH:MM:SS``, UTC)."""
    text = np.datetime_as_string(np.where(epoch < 0, 0, epoch).astype("datetime64[s]"), unit="s")
    chars = text.astype("<U19").view(np.uint32).reshape(-1, 19)
    chars[:, 10] = ord(" ")  # SQLite compares the text: Django writes a space, not "T"
    text = chars.view("<U19").ravel()
    if suffix:
        text = np.char.add(text, suffix)
    out = text.astype(object)
    out[epoch < 0] = null
    return out.tolist()


def _ints(values: np.ndarray, null: Any, mask: np.ndarray | None = None) -> list[Any]:
    out = np.asarray(values, dtype=np.int64).astype("U20").astype(object)
    if mask is not None:
        out[~mask] = null
    return out.tolist()


DOSSIER_COLUMNS = [f.column for f in Dossier._meta.concrete_fields]
SEQUENCE_COLUMNS = [f.column for f in DailySequence._meta.concrete_fields if f.column != "id"]


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
    family = rng.choice(len(FAMILY), m, p=FAMILY_P / FAMILY_P.sum())
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
    submitted_t = _times(h.submitted[a:b], null, suffix)
    columns: dict[str, list[Any]] = {
        "id": _ints(np.arange(h.first_id + a, h.first_id + b), null),
        "created_at": submitted_t,
        "updated_at": _times(h.last[a:b], null, suffix),
        "public_id": _uuid4_hex(rng, m),
        "code": [
            f"{wards[w].agency}-{d}-{s:04d}"
            for w, d, s in zip(wl, _yymmdd(h.code_day[a:b]), h.seq[a:b].tolist(), strict=True)
        ],
        "unit_code": [wards[w].code for w in wl],
        "procedure_id": [str(procedure_ids[p]) for p in proc.tolist()],
        "channel": ["online" if o else "counter" for o in online.tolist()],
        "status": status_names,
        "version": _ints(events, null),
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
        "valid_receipt_at": _times(h.receipt[a:b], null, suffix),
        "due_at": _times(h.due[a:b], null, suffix),
        "original_due_at": _times(h.original_due[a:b], null, suffix),
        "returned_at": _times(h.returned[a:b], null, suffix),
        "closed_at": _times(h.closed[a:b], null, suffix),
        "received_by_id": _ints(desk_ids, null, ~online | has_receipt),
        "assigned_to_id": _ints(desk_ids, null, assigned_mask),
        "signed_by_id": _ints(chair_ids, null, signed_mask),
        "signed_at": _times(h.signed[a:b], null, suffix),
        "signature_basis": [
            basis[p] if s else null
            for p, s in zip(proc.tolist(), signed_mask.tolist(), strict=True)
        ],
        "signature_block": ["CHỦ TỊCH" if s else "" for s in signed_mask.tolist()],
        "result_note": [""] * m,
        "paused_working_days": _ints(h.paused[a:b], null),
        "apology_count": _ints(h.apologies[a:b], null),
        "at_risk_since": [null] * m,
        "lookup_secret_hash": lookup,
        "rating": _ints(rating, null, rating > 0),
        "rating_comment": [""] * m,
        "rated_at": _times(h.rated[a:b], null, suffix),
        "is_demo": ["0"] * m,
    }
    missing = set(DOSSIER_COLUMNS) - set(columns)
    if missing:
        raise RuntimeError(
            f"bench generator misses columns {sorted(missing)}; update _dossier_setup"
        )
    return list(zip(*(columns[c] for c in DOSSIER_COLUMNS), strict=True))


def _uuid4_hex(rng: np.random.Generator, m: int) -> list[str]:
    """``m`` random version-4 UUIDs as 32 hex digits (how SQLite stores them; PostgreSQL reads it)."""
    raw = np.frombuffer(rng.bytes(16 * m), dtype=np.uint8).reshape(m, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    text = raw.tobytes().hex()
    return [text[i : i + 32] for i in range(0, 32 * m, 32)]


def _yymmdd(days: np.ndarray) -> list[str]:
    text = np.datetime_as_string(days, unit="D").tolist()
    return [t[2:4] + t[5:7] + t[8:10] for t in text]


# --- writers -------------------------------------------------------------------------------------


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


def _copy_pg(table: str, columns: list[str], chunks: Iterator[list[tuple[Any, ...]]]) -> int:
    rows = 0
    with (
        connection.cursor() as cur,
        cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for chunk in chunks:
            copy.write("\n".join("\t".join(r) for r in chunk) + "\n")
            rows += len(chunk)
    return rows


def _insert_sqlite(table: str, columns: list[str], chunks: Iterator[list[tuple[Any, ...]]]) -> int:
    rows = 0
    raw = connection.connection
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
    for chunk in chunks:
        raw.executemany(sql, chunk)
        rows += len(chunk)
    return rows


def _write_events(wards: list[Ward], first_id: int) -> int:
    """Each loaded dossier's timeline, written by the database from a small table of moves.

    A dossier's k moves are spread evenly from its submission to its last move (``updated_at``)
    and inserted in time order, as the service would have written them over the years.
    """
    pg = connection.vendor == "postgresql"
    moves = [
        (status, position, len(CHAINS[status]), action, before, after, int(actor == "chair"), note)
        for status in STATUSES
        for position, (action, before, after, actor, note) in enumerate(CHAINS[status])
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
            "CREATE TEMP TABLE bench_moves (status varchar(40), pos integer, k integer, action varchar(40), "
            "from_status varchar(40), to_status varchar(40), by_chair integer, note varchar(1000))"
        )
        cur.executemany("INSERT INTO bench_moves VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", moves)
        cur.execute(
            "CREATE TEMP TABLE bench_wards (unit_code varchar(8), desk_id bigint, chair_id bigint)"
        )
        cur.executemany(
            "INSERT INTO bench_wards VALUES (%s, %s, %s)",
            [(w.code, w.desk_official_id, w.chair_official_id) for w in wards],
        )
        cur.execute(
            f"INSERT INTO {DossierEvent._meta.db_table} (dossier_id, at, action, from_status, to_status, "  # noqa: S608
            "actor_official_id, actor_role, public_note, data) "
            f"SELECT d.id, {at}, m.action, m.from_status, m.to_status, "
            f"CASE WHEN {portal} THEN NULL WHEN m.by_chair = 1 THEN w.chair_id ELSE w.desk_id END, "
            f"CASE WHEN {portal} THEN 'Cổng dịch vụ công' WHEN m.by_chair = 1 THEN '{ROLE['chair']}' "
            f"ELSE '{ROLE['desk']}' END, "
            f"CASE WHEN {portal} THEN 'Hồ sơ đã được nộp.' ELSE m.note END, '{{}}' "
            f"FROM {Dossier._meta.db_table} d JOIN bench_moves m ON m.status = d.status "
            "JOIN bench_wards w ON w.unit_code = d.unit_code WHERE d.id >= %s ORDER BY 2",
            [first_id],
        )
        written = cur.rowcount
        cur.execute("DROP TABLE bench_moves")
        cur.execute("DROP TABLE bench_wards")
    return written


@dataclass
class LoadReport:
    dossiers: int
    events: int
    sequences: int
    seconds: dict[str, float]


def bulk_load(
    h: History, wards: list[Ward], procedure_ids: list[int], progress: Callable[[str], None]
) -> LoadReport:
    """Write the history (COPY or executemany; events by INSERT … SELECT), rebuild the plain
    indexes dropped for the load, then ANALYZE."""
    pg = connection.vendor == "postgresql"
    null, suffix = ("\\N", "+00") if pg else (None, "")
    rng = np.random.default_rng(11)
    seconds: dict[str, float] = {}
    tables = [Dossier._meta.db_table, DossierEvent._meta.db_table, DailySequence._meta.db_table]
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
    seconds["drop indexes"] = time.perf_counter() - started

    write = _copy_pg if pg else _insert_sqlite

    def dossier_chunks() -> Iterator[list[tuple[Any, ...]]]:
        for a in range(0, h.n, CHUNK):
            yield dossier_rows(h, wards, procedure_ids, a, min(a + CHUNK, h.n), null, suffix, rng)
            if (a // CHUNK) % 10 == 9:
                progress(f"dossiers {min(a + CHUNK, h.n):,}/{h.n:,}")

    def sequence_chunks() -> Iterator[list[tuple[Any, ...]]]:
        rows = [(wards[w].agency, str(day), str(v)) for w, day, v in h.sequences]
        for a in range(0, len(rows), CHUNK):
            yield rows[a : a + CHUNK]

    started = time.perf_counter()
    with transaction.atomic():
        dossiers = write(Dossier._meta.db_table, DOSSIER_COLUMNS, dossier_chunks())
        sequences = write(DailySequence._meta.db_table, SEQUENCE_COLUMNS, sequence_chunks())
    seconds["dossiers"] = time.perf_counter() - started
    progress("events")
    started = time.perf_counter()
    with transaction.atomic():
        events = _write_events(wards, h.first_id)
    seconds["events"] = time.perf_counter() - started

    progress("rebuilding indexes")
    started = time.perf_counter()
    with connection.cursor() as cur:
        if pg:
            cur.execute("SET session_replication_role = DEFAULT")
        else:
            cur.execute("PRAGMA foreign_keys = ON")
        for indexes in dropped.values():
            for _, sql in indexes:
                cur.execute(sql)
        for sql in connection.ops.sequence_reset_sql(
            no_style(), [Dossier, DossierEvent, DailySequence]
        ):
            cur.execute(sql)
        if pg:
            cur.execute("RESET maintenance_work_mem")
            cur.execute("RESET work_mem")
        else:
            cur.execute("PRAGMA cache_size = -2000")  # SQLite's default again for the requests
    seconds["indexes"] = time.perf_counter() - started
    progress("VACUUM ANALYZE" if pg else "ANALYZE")
    started = time.perf_counter()
    with connection.cursor() as cur:
        if pg:  # as autovacuum would leave the tables, and no autovacuum run during the requests
            cur.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
        cur.execute("ANALYZE")
    seconds["vacuum analyze" if pg else "analyze"] = time.perf_counter() - started
    return LoadReport(dossiers, events, sequences, seconds)
