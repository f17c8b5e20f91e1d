"""Three wards in two districts with one of every object, built through the services.

Ward A (00001 Phúc Xá) and ward B (00004 Trúc Bạch) are in Quận Ba Đình (001); ward C (00037
Phúc Tân) is in Quận Hoàn Kiếm (002). Each ward has a chairman, a vice-chairman, a desk officer
and a justice officer; each district a chairman, a council and a deputy with a login. Each ward
holds a delegation, a field assignment, a dossier, a feedback report, a voter meeting with a
petition, a question with a commitment, a dialogue conference and a citizen-reception log.
Everything happens on Monday 4 March 2024 (``NOW``), inside every term.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from cqdt import testing
from cqdt.budget import demo as budget_demo
from cqdt.core.audit import Actor
from cqdt.core.tokens import token_issue
from cqdt.documents import services as document_services
from cqdt.dossiers import services as dossier_services
from cqdt.feedback import services as feedback_services
from cqdt.monitoring import plan as plan_register
from cqdt.monitoring import registers
from cqdt.oversight import services as oversight
from cqdt.procedures.models import Procedure
from cqdt.staff.models import Appointment
from cqdt.testing import at, reference

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2024, 3, 4, 9, 0, tzinfo=TZ)
SYSTEM = Actor.system("test")
PROCEDURE = "test-xac-nhan-tinh-trang-hon-nhan"
WARDS = {"A": ("00001", "001"), "B": ("00004", "001"), "C": ("00037", "002")}
APPLICANT = dossier_services.ApplicantIn(
    kind="person",
    name="Trần Thị Bích",
    id_number="001190012345",
    phone="0912345678",
    email="bich@example.vn",
    address="12 Phó Đức Chính",
)


@dataclass
class WardObjects:
    code: str
    district: str
    team: dict[str, Any]
    ids: dict[str, str] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    wards: dict[str, WardObjects]
    users: dict[str, Any]
    districts: dict[str, Any]


def build_world(django_user_model: Any) -> World:
    """Build the world; call with the clock frozen at ``NOW``."""
    reference.one_stop()  # the catalog and the desks (cqdt.testing.reference)
    Procedure.objects.get_or_create(
        slug=PROCEDURE,
        defaults={
            "name": "Xác nhận tình trạng hôn nhân (thủ tục thử nghiệm)",
            "competent_level": "commune",
            "valid_from": dt.date(2021, 1, 1),
            "legal_basis": "test",
            "result_type": "Kết quả",
            "verified": False,
            "field": "civil_status",
            "time_kind": "working_days",
            "time_value": 3,
            "sign_act": "register_civil_status",
            "required_documents": [{"code": "to_khai", "name": "Tờ khai", "required": True}],
        },
    )
    feedback_services.categories_load()
    districts: dict[str, Any] = {}
    for district in ("001", "002"):
        chair = testing.district_chairman(district, f"W-{district}")
        deputy = testing.elect_deputy(district, f"W-DB-{district}", number=f"{district}/BB-UBBC")
        constituency = [code for code, d in WARDS.values() if d == district]
        council, seat = testing.seat_deputy(
            deputy,
            constituency,
            district,
            council_name=f"HĐND quận {district}, nhiệm kỳ 2021–2026",
            actor=SYSTEM,
        )
        districts[district] = {"chair": chair, "deputy": deputy, "council": council, "seat": seat}
    wards: dict[str, WardObjects] = {}
    for key, (code, district) in WARDS.items():
        team = testing.ward_team(code, district, districts[district]["chair"], f"W{key}")
        wards[key] = WardObjects(code=code, district=district, team=team)
    monitor = testing.city_monitor("W-CITY")
    users = {
        "ward_desk": testing.login_for(wards["A"].team["desk"], django_user_model, "a_desk"),
        "ward_justice": testing.login_for(
            wards["A"].team["justice"], django_user_model, "a_justice"
        ),
        "ward_chair": testing.login_for(wards["A"].team["chair"], django_user_model, "a_chair"),
        "district_chair": testing.login_for(
            districts["001"]["chair"], django_user_model, "bd_chair"
        ),
        "council_deputy": testing.login_for(
            districts["001"]["deputy"], django_user_model, "bd_deputy"
        ),
        "city_monitor": testing.login_for(monitor, django_user_model, "city"),
        "admin": django_user_model.objects.create_superuser(username="root", password="x"),
    }
    for ward in wards.values():
        _fill(ward, districts[ward.district])
    return World(wards=wards, users=users, districts=districts)


def _fill(ward: WardObjects, district: dict[str, Any]) -> None:
    team, day = ward.team, NOW.date()
    ids, objects = ward.ids, ward.objects
    ids["official"] = str(team["justice"].public_id)
    appointment = Appointment.objects.get(official=team["justice"], unit_code=ward.code)
    ids["appointment"] = str(appointment.public_id)
    start, end = dt.date(2024, 1, 2), dt.date(2024, 12, 31)
    delegation = testing.delegate(
        team, start, unit=ward.code, number=f"{ward.code}/QĐ-UQ", valid_to=end
    )
    ids["delegation"] = str(delegation.public_id)
    assignment = testing.assign_field(
        team, start, unit=ward.code, number=f"{ward.code}/QĐ-PC", valid_to=end
    )
    ids["assignment"] = str(assignment.public_id)
    intake = dossier_services.dossier_submit(
        actor=SYSTEM,
        unit_code=ward.code,
        procedure_slug=PROCEDURE,
        channel="counter",
        applicant=APPLICANT,
        documents=["to_khai"],
        received_by=team["desk"],
        accept_now=True,
        now=NOW,
    )
    ids["dossier"] = intake.dossier.code
    objects["dossier"] = intake.dossier
    objects["dossier_secret"] = intake.secret
    document = document_services.document_issue(
        actor=SYSTEM,
        unit_code=ward.code,
        now=NOW,
        doc=document_services.DocumentIn(
            kind="confirmation", title="Về việc thử", body="Nội dung.", dossier=intake.dossier
        ),
    )
    ids["document"] = str(document.public_id)
    report = feedback_services.report_submit(
        actor=SYSTEM,
        category_code="trat-tu-do-thi",
        description="Lấn chiếm vỉa hè",
        ward_code=ward.code,
        now=NOW,
    )
    ids["report"] = report.report.code
    objects["report_secret"] = report.secret
    council = district["council"]
    ids["council"] = str(council.public_id)
    ids["deputy"] = str(district["seat"].public_id)
    meeting = oversight.voter_meeting_record(
        actor=SYSTEM,
        official=district["deputy"],
        council=council,
        ward_code=ward.code,
        held_at=at(dt.date(2024, 1, 10), 19),
        location="Nhà văn hóa tổ 5",
        deputies=[district["seat"]],
        attendees=80,
        now=at(dt.date(2024, 1, 10), 22),
    )
    ids["meeting"] = str(meeting.public_id)
    petition = oversight.petition_receive(
        actor=SYSTEM,
        official=district["deputy"],
        meeting=meeting,
        content="Sửa đường ngõ 5",
        routed_level="ward",
        now=at(dt.date(2024, 1, 10), 22),
    )
    ids["petition"] = str(petition.public_id)
    objects["petition"] = petition
    question = oversight.question_ask(
        actor=SYSTEM,
        official=district["deputy"],
        council=council,
        session_date=dt.date(2024, 2, 20),
        ward_code=ward.code,
        addressed_to=team["chair"],
        question="Vì sao chậm giải quyết hồ sơ?",
        now=at(dt.date(2024, 2, 20), 10),
    )
    ids["question"] = str(question.public_id)
    commitment = oversight.commitment_make(
        actor=SYSTEM,
        official=team["chair"],
        question=question,
        text="Rút ngắn thời gian",
        due_date=dt.date(2024, 6, 30),
        now=at(dt.date(2024, 2, 20), 11),
    )
    ids["commitment"] = str(commitment.public_id)
    objects["commitment"] = commitment
    conference = oversight.conference_announce(
        actor=SYSTEM,
        official=team["chair"],
        ward_code=ward.code,
        scheduled_at=at(day + dt.timedelta(days=10), 8),
        topic="Đối thoại",
        channels=["residential_group_heads", "website"],
        announced_at=at(day, 8),
        now=at(day, 8),
    )
    ids["conference"] = str(conference.public_id)
    objects["conference"] = conference
    oversight.reception_log(
        actor=SYSTEM,
        official=team["chair"],
        ward_code=ward.code,
        date=dt.date(2024, 3, 1),
        citizens_received=3,
        matters=2,
        now=at(day, 8),
    )
    estimate = budget_demo.estimate(ward.code, 2024, day=dt.date(2023, 12, 20), is_demo=False)
    ids["estimate"] = str(estimate.public_id)
    ids["line"] = str(estimate.lines.order_by("item_code").first().public_id)
    key, _ = token_issue(actor=SYSTEM, kind="open311", name=ward.code, scope_unit_code=ward.code)
    ids["api_key"] = str(key.pk)
    ids["unit"] = ward.code
    recommendation = registers.recommendation_raise(
        actor=SYSTEM,
        rule="other",
        unit_code=ward.code,
        raised_on=dt.date(2024, 2, 1),
        shortcoming="Bất cập",
        proposal="Đề xuất",
    )
    ids["recommendation"] = str(recommendation.public_id)
    objects["recommendation"] = recommendation
    task = plan_register.plan_task_record(
        actor=SYSTEM,
        plan=plan_register.current_plan(),
        task="Nhiệm vụ",
        owner_unit_code=ward.code,
        deadline=dt.date(2024, 6, 30),
    )
    ids["plan_task"] = str(task.public_id)
    objects["plan_task"] = task
