"""A ward with its desk, leaders and staff, and two procedures, built through the services.

Also the helpers the dossier tests share: Hanoi moments (``at``), intake and driving a dossier
along the main path through the services (``submit``, ``drive``), a second ward, a city monitor,
and ``counts`` of what a refused request must not have written.

The leaders' 5-year terms run from 1 July 2021 to 30 June 2026, so tests that involve them
travel to a day inside the term (February–March 2026: Tết 2026 is Sat 14 – Sun 22 Feb).
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.db.models import Sum

from cqdt.core.audit import Actor
from cqdt.core.models import AuditEvent, OutboxMessage
from cqdt.core.notify import MemorySender
from cqdt.dossiers import services, workflow
from cqdt.dossiers.models import DailySequence, Dossier, DossierEvent
from cqdt.procedures.models import Procedure
from cqdt.staff import posts
from cqdt.staff.models import Official
from cqdt.staff.services import appointment_create, official_create

SYSTEM = Actor.system("test")
WARD = "00001"  # Phường Phúc Xá, Quận Ba Đình (001)
WARD_B = "00004"  # Phường Trúc Bạch, Quận Ba Đình
DISTRICT = "001"
TERM = dt.date(2021, 7, 1)
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

MARITAL = "xac-nhan-tinh-trang-hon-nhan"
COPY = "chung-thuc-ban-sao"
ID_NUMBER = "001190012345"
APPLICANT = services.ApplicantIn(
    kind="person",
    name="Trần Thị Bích",
    id_number=ID_NUMBER,
    phone="0912345678",
    email="bich@example.vn",
    address="12 Phó Đức Chính",
)
# Distinct names, so that a test can look for any of them in a response.
NAMES = {
    "district_chair": "Phạm Quốc Huy",
    "chair": "Lê Minh Chính",
    "vice": "Đỗ Thu Phương",
    "desk": "Hoàng Thị Mai",
    "justice": "Vũ Đức Tường",
}


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment on ``day`` in Hanoi time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture(autouse=True)
def _fresh_cache_and_mailbox():
    """Rate-limit counters (keyed by client and minute) and sent mail do not leak between tests."""
    cache.clear()
    MemorySender.sent.clear()
    yield
    cache.clear()
    MemorySender.sent.clear()


@pytest.fixture
def frozen():
    """Time stands still on Monday 2 March 2026, 09:00 in Hanoi, until the test moves it."""
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False) as traveller:
        yield traveller


def _official(code, employer=DISTRICT, name="Nguyễn Văn A"):
    return official_create(
        actor=SYSTEM, full_name=name, civil_service_code=code, employer_unit_code=employer
    )


def counts() -> dict:
    """What a refused request must leave as it was."""
    return {
        "dossiers": Dossier.objects.count(),
        "events": DossierEvent.objects.count(),
        "sequence": DailySequence.objects.aggregate(s=Sum("last_value"))["s"] or 0,
        "audit": AuditEvent.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


def submit(
    ward,
    *,
    now,
    procedure=MARITAL,
    accept=True,
    unit=WARD,
    desk="desk",
    documents=None,
    applicant=APPLICANT,
    channel="counter",
):
    """Counter intake by the ward's desk officer (accepted at once unless ``accept=False``)."""
    docs = (
        documents
        if documents is not None
        else (["to_khai"] if procedure == MARITAL else ["ban_chinh"])
    )
    return services.dossier_submit(
        actor=Actor.of(ward[f"user_{desk}"]),
        unit_code=unit,
        procedure_slug=procedure,
        channel=channel,
        applicant=applicant,
        documents=docs,
        received_by=ward[desk] if channel == "counter" else None,
        accept_now=accept,
        now=now,
    )


MAIN_PATH = (
    workflow.ACCEPTED,
    workflow.ASSIGNED,
    workflow.PROCESSING,
    workflow.AWAITING_SIGNATURE,
    workflow.SIGNED,
    workflow.RETURNED,
)


def drive(
    ward, code: str, *, to: str, now: dt.datetime, processor="justice", signer="chair"
) -> Dossier:
    """Move a dossier along the main path, through the services, until it reaches ``to``."""
    d = Dossier.objects.get(code=code)
    while d.status != to:
        kw = {"code": code, "version": d.version, "now": now}
        if d.status == workflow.SUBMITTED:
            d = services.dossier_accept(actor=SYSTEM, official=ward["desk"], **kw)
        elif d.status == workflow.ACCEPTED:
            d = services.dossier_assign(
                actor=SYSTEM, official=ward["desk"], assignee=ward[processor], **kw
            )
        elif d.status == workflow.ASSIGNED:
            d = services.dossier_start_processing(actor=SYSTEM, official=ward[processor], **kw)
        elif d.status == workflow.PROCESSING:
            d = services.dossier_submit_for_signature(actor=SYSTEM, official=ward[processor], **kw)
        elif d.status == workflow.AWAITING_SIGNATURE:
            d = services.dossier_sign(actor=SYSTEM, official=ward[signer], **kw)
        elif d.status == workflow.SIGNED:
            d = services.dossier_return_result(actor=SYSTEM, official=ward["desk"], **kw)
        else:
            raise AssertionError(f"cannot drive a {d.status} dossier to {to}")
    return d


@pytest.fixture
def procedures(one_stop_reference):
    common = {
        "competent_level": "commune",
        "valid_from": dt.date(2021, 1, 1),
        "legal_basis": "test",
        "result_type": "Kết quả",
        "verified": False,
    }
    marital = Procedure.objects.create(
        slug=MARITAL,
        name="Xác nhận tình trạng hôn nhân",
        field="civil_status",
        time_kind="working_days",
        time_value=3,
        sign_act="register_civil_status",
        required_documents=[
            {"code": "to_khai", "name": "Tờ khai", "required": True},
            {"code": "giay_to_khac", "name": "Giấy tờ khác", "required": False},
        ],
        **common,
    )
    copy = Procedure.objects.create(
        slug=COPY,
        name="Chứng thực bản sao từ bản chính",
        field="certification",
        time_kind="same_day",
        time_value=0,
        sign_act="certify_copy",
        required_documents=[{"code": "ban_chinh", "name": "Bản chính", "required": True}],
        **common,
    )
    return {"marital": marital, "copy": copy}


def _link_users(people, django_user_model, prefix="u"):
    for key, official in list(people.items()):
        if not isinstance(official, Official):
            continue
        user = django_user_model.objects.create_user(
            username=f"{prefix}_{key}", password="x", email=f"{prefix}_{key}@example.vn"
        )
        official.user = user
        official.save(update_fields=["user"])
        people[f"user_{key}"] = user
    return people


@pytest.fixture
def ward(procedures, django_user_model):
    """District chairman, ward chairman, a vice-chairman, a desk officer and a justice officer."""
    district_chair = _official("T-DC", name=NAMES["district_chair"])
    appointment_create(
        actor=SYSTEM,
        official=district_chair,
        unit_code=DISTRICT,
        post=posts.CHAIRMAN,
        kind="election",
        decision_number="1/NQ-HĐND",
        decision_date=TERM,
        term_start=TERM,
        deciding_official=None,
        deciding_unit_code=DISTRICT,
    )
    people = {"district_chair": district_chair}
    for key, post, code in [
        ("chair", posts.CHAIRMAN, "T-CT"),
        ("vice", posts.VICE_CHAIRMAN, "T-PCT"),
        ("desk", posts.OFFICE_STATISTICS, "T-VP"),
        ("justice", posts.JUSTICE_CIVIL_STATUS, "T-TP"),
    ]:
        official = _official(code, name=NAMES[key])
        appointment_create(
            actor=SYSTEM,
            official=official,
            unit_code=WARD,
            post=post,
            decision_number=f"{code}/QĐ-UBND",
            decision_date=TERM,
            term_start=TERM,
            deciding_official=district_chair,
            deciding_unit_code=DISTRICT,
        )
        people[key] = official
    appointment_create(
        actor=SYSTEM,
        official=people["desk"],
        unit_code=WARD,
        post=posts.ONE_STOP_DESK,
        kind="assignment",
        decision_number="MC/QĐ",
        decision_date=TERM,
        term_start=TERM,
        deciding_official=district_chair,
        deciding_unit_code=DISTRICT,
    )
    return _link_users(people, django_user_model)


@pytest.fixture
def ward_b(ward, django_user_model):
    """A second ward of the same district (Trúc Bạch) with its own chairman and desk officer."""
    people = {}
    for key, post, code, name in [
        ("chair", posts.CHAIRMAN, "B-CT", "Ngô Văn Bảo"),
        ("desk", posts.OFFICE_STATISTICS, "B-VP", "Trịnh Thị Bình"),
    ]:
        official = _official(code, name=name)
        appointment_create(
            actor=SYSTEM,
            official=official,
            unit_code=WARD_B,
            post=post,
            decision_number=f"{code}/QĐ-UBND",
            decision_date=TERM,
            term_start=TERM,
            deciding_official=ward["district_chair"],
            deciding_unit_code=DISTRICT,
        )
        people[key] = official
    appointment_create(
        actor=SYSTEM,
        official=people["desk"],
        unit_code=WARD_B,
        post=posts.ONE_STOP_DESK,
        kind="assignment",
        decision_number="MC-B/QĐ",
        decision_date=TERM,
        term_start=TERM,
        deciding_official=ward["district_chair"],
        deciding_unit_code=DISTRICT,
    )
    return _link_users(people, django_user_model, prefix="b")


@pytest.fixture
def monitor(ward, django_user_model):
    """A Department of Home Affairs officer monitoring the city (sees all, no personal data)."""
    official = _official("T-SNV", employer="01", name="Lý Thị Giám")
    appointment_create(
        actor=SYSTEM,
        official=official,
        unit_code="01",
        post=posts.CITY_MONITOR,
        kind="assignment",
        decision_number="1234/QĐ-SNV",
        decision_date=TERM,
        term_start=TERM,
        deciding_official=None,
        deciding_unit_code="01",
    )
    return _link_users({"monitor": official}, django_user_model, prefix="m")
