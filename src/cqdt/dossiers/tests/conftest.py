"""A ward with its desk, leaders and staff, and two procedures, built through the services."""

import datetime as dt

import pytest

from cqdt.core.audit import Actor
from cqdt.procedures.models import Procedure
from cqdt.staff import posts
from cqdt.staff.services import appointment_create, official_create

SYSTEM = Actor.system("test")
WARD = "00001"  # Phường Phúc Xá, Quận Ba Đình (001)
DISTRICT = "001"
TERM = dt.date(2021, 7, 1)


def _official(code, employer=DISTRICT, name="Nguyễn Văn A"):
    return official_create(actor=SYSTEM, full_name=name, civil_service_code=code, employer_unit_code=employer)


@pytest.fixture
def procedures(one_stop_reference):
    common = {
        "competent_level": "commune", "valid_from": dt.date(2021, 1, 1), "legal_basis": "test",
        "result_type": "Kết quả", "verified": False,
    }
    marital = Procedure.objects.create(
        slug="xac-nhan-tinh-trang-hon-nhan", name="Xác nhận tình trạng hôn nhân", field="civil_status",
        time_kind="working_days", time_value=3, sign_act="register_civil_status",
        required_documents=[{"code": "to_khai", "name": "Tờ khai", "required": True},
                            {"code": "giay_to_khac", "name": "Giấy tờ khác", "required": False}],
        **common,
    )
    copy = Procedure.objects.create(
        slug="chung-thuc-ban-sao", name="Chứng thực bản sao từ bản chính", field="certification",
        time_kind="same_day", time_value=0, sign_act="certify_copy",
        required_documents=[{"code": "ban_chinh", "name": "Bản chính", "required": True}], **common,
    )
    return {"marital": marital, "copy": copy}


@pytest.fixture
def ward(procedures, django_user_model):
    """District chairman, ward chairman, a vice-chairman, a desk officer and a justice officer."""
    district_chair = _official("T-DC")
    appointment_create(actor=SYSTEM, official=district_chair, unit_code=DISTRICT, post=posts.CHAIRMAN,
                       kind="election", decision_number="1/NQ-HĐND", decision_date=TERM, term_start=TERM,
                       deciding_official=None, deciding_unit_code=DISTRICT)
    people = {"district_chair": district_chair}
    for key, post, code in [
        ("chair", posts.CHAIRMAN, "T-CT"), ("vice", posts.VICE_CHAIRMAN, "T-PCT"),
        ("desk", posts.OFFICE_STATISTICS, "T-VP"), ("justice", posts.JUSTICE_CIVIL_STATUS, "T-TP"),
    ]:
        official = _official(code)
        appointment_create(actor=SYSTEM, official=official, unit_code=WARD, post=post,
                           decision_number=f"{code}/QĐ-UBND", decision_date=TERM, term_start=TERM,
                           deciding_official=district_chair, deciding_unit_code=DISTRICT)
        people[key] = official
    appointment_create(actor=SYSTEM, official=people["desk"], unit_code=WARD, post=posts.ONE_STOP_DESK,
                       kind="assignment", decision_number="MC/QĐ", decision_date=TERM, term_start=TERM,
                       deciding_official=district_chair, deciding_unit_code=DISTRICT)
    for key, official in list(people.items()):
        user = django_user_model.objects.create_user(username=f"u_{key}", password="x")
        official.user = user
        official.save(update_fields=["user"])
        people[f"user_{key}"] = user
    return people
