"""The registers' API and who may use it (issue 15, item 3): acts still decided above the ward
per ward at a date and by month, devolutions, recommendations, sector-law conflicts, and the
implementation plan's tasks with the readiness at a date."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.core.errors import InvalidInput
from cqdt.core.models import AuditEvent
from cqdt.monitoring import plan as plan_register
from cqdt.monitoring.models import ImplementationPlan, PlanTask, Recommendation
from cqdt.procedures import law_conflicts, rules
from cqdt.procedures.models import Procedure
from cqdt.testing import ProcedureFactory

SYSTEM = Actor.system("test")
WARD, WARD_B, DISTRICT = "00001", "00004", "001"
OTHER_WARD = "00037"  # in Quận Hoàn Kiếm (002)
API = "/api/v1/monitoring"
NOW = dt.datetime(2021, 9, 15, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(reference_data, django_user_model):
    with time_machine.travel(NOW, tick=False):
        chair_001 = testing.district_chairman(DISTRICT, "R-001")
        testing.district_chairman("002", "R-002")
        team = testing.ward_team(WARD, DISTRICT, chair_001, "RA", keys=("chair",))
        deputy = testing.elect_deputy(DISTRICT, "R-DB", number="1/BB")
        monitor = testing.city_monitor("R-CITY")
        users = {
            "ward_chair": testing.login_for(team["chair"], django_user_model, "r_chair"),
            "district_chair": testing.login_for(chair_001, django_user_model, "r_district"),
            "council_deputy": testing.login_for(deputy, django_user_model, "r_deputy"),
            "city_monitor": testing.login_for(monitor, django_user_model, "r_city"),
        }
    return users


@pytest.fixture
def above(people):
    procedure = ProcedureFactory(copy=True, valid_from=dt.date(2021, 1, 1))
    Procedure.objects.filter(pk=procedure.pk).update(competent_level="district")
    return procedure.slug


def devolution(procedure_slug: str) -> dict[str, str]:
    """The district's authorisation of WARD for the procedure: decision 12/QĐ-UBND of 10 August
    2021, in force from the 15th — the API's body, and the page's form's fields."""
    return {
        "procedure_slug": procedure_slug,
        "kind": "authorisation",
        "unit_code": WARD,
        "instrument": "12/QĐ-UBND",
        "instrument_date": "2021-08-10",
        "valid_from": "2021-08-15",
    }


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_counts_per_ward_at_a_date_and_by_month_follow_the_devolutions(people, above):
    city = client_for(people["city_monitor"])
    with time_machine.travel(NOW, tick=False):
        r = city.post(f"{API}/devolutions", devolution(above), content_type="application/json")
        assert r.status_code == 200, r.content
        july = city.get(f"{API}/units/{DISTRICT}/approval-above", {"on": "2021-07-31"}).json()
        sept = city.get(f"{API}/units/{DISTRICT}/approval-above", {"on": "2021-09-01"}).json()
        months = city.get(
            f"{API}/units/{DISTRICT}/approval-above/months",
            {"from": "2021-07-01", "to": "2021-09-30"},
        ).json()
        listed = city.get(f"{API}/units/{WARD}/devolutions").json()
    by_ward = lambda answer: {w["code"]: w for w in answer["wards"]}  # noqa: E731
    assert above in by_ward(july)[WARD]["above"]
    assert above not in by_ward(sept)[WARD]["above"] and above in by_ward(sept)[WARD]["devolved"]
    assert above in by_ward(sept)[WARD_B]["above"]  # only Phúc Xá received it
    series = {m["month"]: {w["ward"]: w["count"] for w in m["wards"]} for m in months["months"]}
    assert series["2021-07-01"][WARD] == series["2021-08-01"][WARD] + 1  # in force 15/8
    assert series["2021-08-01"][WARD_B] == series["2021-07-01"][WARD_B]
    assert [d["instrument"] for d in listed["devolutions"]] == ["12/QĐ-UBND"]
    assert AuditEvent.objects.filter(action="monitoring.devolution_record").count() == 1


def test_a_district_records_its_own_devolutions_and_never_another_districts(people, above):
    district = client_for(people["district_chair"])
    body = {
        "procedure_slug": above,
        "kind": "decentralisation",
        "unit_code": DISTRICT,
        "instrument": "3/QĐ-UBND",
        "instrument_date": "2021-08-01",
        "valid_from": "2021-08-01",
    }
    with time_machine.travel(NOW, tick=False):
        own = district.post(f"{API}/devolutions", body, content_type="application/json")
        other = district.post(
            f"{API}/devolutions", body | {"unit_code": OTHER_WARD}, content_type="application/json"
        )
        deputy = client_for(people["council_deputy"]).post(
            f"{API}/devolutions", body, content_type="application/json"
        )
    assert own.status_code == 200
    assert other.status_code == 404  # as a missing unit
    assert deputy.status_code == 403  # councillors read only
    assert AuditEvent.objects.filter(action="monitoring.devolution_record").count() == 1


def test_only_the_department_of_home_affairs_records_recommendations(people):
    body = {
        "rule": "late_rate",
        "unit_code": WARD,
        "raised_on": "2021-08-02",
        "shortcoming": "2/4 hồ sơ quá hạn.",
        "proposal": "Rà soát quy trình nội bộ.",
    }
    with time_machine.travel(NOW, tick=False):
        for role in ("ward_chair", "district_chair", "council_deputy"):
            r = client_for(people[role]).post(
                f"{API}/recommendations", body, content_type="application/json"
            )
            assert r.status_code == 403, role
        assert not Recommendation.objects.exists()
        city = client_for(people["city_monitor"])
        made = city.post(f"{API}/recommendations", body, content_type="application/json")
        assert made.status_code == 200
        rec = made.json()
        answer = {
            "version": 1,
            "status": "adjusted",
            "adjustment": "Sửa quy trình nội bộ.",
            "instrument": "15/QĐ-UBND",
            "instrument_date": "2021-09-01",
            "changed": "Ngưỡng late_rate phiên bản 2",
        }
        refused = client_for(people["district_chair"]).post(
            f"{API}/recommendations/{rec['id']}/answer", answer, content_type="application/json"
        )
        done = city.post(
            f"{API}/recommendations/{rec['id']}/answer", answer, content_type="application/json"
        )
        seen = {
            role: client_for(people[role]).get(f"{API}/units/{WARD}/recommendations")
            for role in people
        }
    assert refused.status_code == 403
    assert done.status_code == 200 and done.json()["status"] == "adjusted"
    assert done.json()["changed"] == "Ngưỡng late_rate phiên bản 2"
    for role, r in seen.items():  # every role in scope reads it (councillors read only)
        assert r.status_code == 200, role
        assert [x["id"] for x in r.json()["recommendations"]] == [rec["id"]]


def test_a_ward_cannot_read_another_wards_or_the_citys_registers(people):
    chair = client_for(people["ward_chair"])
    with time_machine.travel(NOW, tick=False):
        assert chair.get(f"{API}/units/{WARD}/law-conflicts").status_code == 200
        for code in (WARD_B, DISTRICT, "01"):
            for path in ("approval-above", "recommendations", "law-conflicts", "devolutions"):
                assert chair.get(f"{API}/units/{code}/{path}").status_code == 404, (code, path)


def test_law_conflicts_count_the_wards_lacking_the_actor_on_the_day(people, above):
    law_conflicts.law_conflict_record(
        actor=SYSTEM, procedure_slug=above, law="Luật Z", actor_named=rules.COMMUNE_COUNCIL
    )
    city = client_for(people["city_monitor"])
    with time_machine.travel(NOW, tick=False):
        during = city.get(f"{API}/units/{DISTRICT}/law-conflicts", {"on": "2022-01-01"}).json()
        before = city.get(f"{API}/units/{DISTRICT}/law-conflicts", {"on": "2021-06-30"}).json()
    [row] = during["conflicts"]
    assert row["verified"] is False and row["article"] == ""
    assert row["wards_without_actor"] == row["wards_known"] > 0
    assert before["conflicts"][0]["wards_without_actor"] == 0


def test_plan_tasks_readiness_at_a_date_and_who_may_write(people):
    plan = plan_register.current_plan()
    assert plan is not None and plan.verified is False and plan.instrument == ""
    assert not PlanTask.objects.exists()  # nothing seeded that could not be sourced
    city = client_for(people["city_monitor"])
    body = {
        "task": "Bố trí công chức tư pháp – hộ tịch",
        "owner_unit_code": WARD,
        "deadline": "2021-08-31",
    }
    with time_machine.travel(NOW, tick=False):
        refused = client_for(people["district_chair"]).post(
            f"{API}/plan/tasks", body, content_type="application/json"
        )
        first = city.post(f"{API}/plan/tasks", body, content_type="application/json").json()
        city.post(
            f"{API}/plan/tasks",
            body
            | {"task": "Báo cáo sơ kết", "owner_unit_code": DISTRICT, "deadline": "2021-12-31"},
            content_type="application/json",
        )
        city.post(
            f"{API}/plan/tasks",
            body | {"task": "Việc của quận khác", "owner_unit_code": "002"},
            content_type="application/json",
        )
        not_done = city.post(
            f"{API}/plan/tasks/{first['id']}/progress",
            {"version": 1, "status": "done", "done_on": "2021-08-20"},
            content_type="application/json",
        )
        done = city.post(
            f"{API}/plan/tasks/{first['id']}/progress",
            {"version": 1, "status": "done", "done_on": "2021-08-20", "evidence": "QĐ 20/QĐ"},
            content_type="application/json",
        )
        aug = city.get(f"{API}/plan", {"on": "2021-08-10"}).json()
        sept = city.get(f"{API}/plan", {"on": "2021-09-05"}).json()
        district = client_for(people["district_chair"]).get(f"{API}/plan", {"on": "2021-09-05"})
    assert refused.status_code == 403
    assert not_done.status_code == 422  # done needs its evidence
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert aug["readiness"] == {"on": "2021-08-10", "total": 3, "done": 0, "overdue": 0, "open": 3}
    assert sept["readiness"] == {"on": "2021-09-05", "total": 3, "done": 1, "overdue": 1, "open": 1}
    own = district.json()
    assert {t["owner_unit_code"] for t in own["tasks"]} == {WARD, DISTRICT}  # not 002's
    assert own["readiness"]["total"] == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"monitoring.plan_task_record", "monitoring.plan_task_progress"} <= actions


def test_a_stale_version_is_a_conflict_and_changes_nothing(people):
    """Two officers answer from the same read: the first wins, the second gets 409
    ``stale_version`` on ``version`` (the one kernel's answer), and the first answer stands."""
    city = client_for(people["city_monitor"])
    task = {"task": "Bố trí công chức", "owner_unit_code": WARD, "deadline": "2021-08-31"}
    rec = {
        "rule": "late_rate",
        "unit_code": WARD,
        "raised_on": "2021-08-02",
        "shortcoming": "2/4 hồ sơ quá hạn.",
        "proposal": "Rà soát quy trình.",
    }
    with time_machine.travel(NOW, tick=False):
        t = city.post(f"{API}/plan/tasks", task, content_type="application/json").json()
        r = city.post(f"{API}/recommendations", rec, content_type="application/json").json()
        progress = f"{API}/plan/tasks/{t['id']}/progress"
        first = city.post(
            progress,
            {"version": 1, "status": "done", "done_on": "2021-08-20", "evidence": "QĐ 20/QĐ"},
            content_type="application/json",
        )
        second = city.post(
            progress, {"version": 1, "status": "open"}, content_type="application/json"
        )
        answer = f"{API}/recommendations/{r['id']}/answer"
        won = city.post(
            answer,
            {"version": 1, "status": "declined", "adjustment": "Đã đủ."},
            content_type="application/json",
        )
        lost = city.post(
            answer,
            {"version": 1, "status": "declined", "adjustment": "Khác."},
            content_type="application/json",
        )
    assert first.status_code == 200 and won.status_code == 200
    for late in (second, lost):
        assert late.status_code == 409, late.content
        assert (late.json()["code"], late.json()["field"]) == ("stale_version", "version")
    row = PlanTask.objects.get(public_id=t["id"])
    assert (row.status, row.evidence, row.version) == ("done", "QĐ 20/QĐ", 2)
    answered = Recommendation.objects.get(public_id=r["id"])
    assert (answered.adjustment, answered.version) == ("Đã đủ.", 2)
    assert AuditEvent.objects.filter(action="monitoring.plan_task_progress").count() == 1
    assert AuditEvent.objects.filter(action="monitoring.recommendation_answer").count() == 1


def test_demo_tasks_stay_in_a_demo_plan(people):
    demo = ImplementationPlan.objects.create(title="Kế hoạch minh họa", is_demo=True)
    with pytest.raises(InvalidInput):
        plan_register.plan_task_record(
            actor=SYSTEM, plan=demo, task="x", owner_unit_code=WARD, deadline=dt.date(2021, 9, 1)
        )
    row = plan_register.plan_task_record(
        actor=SYSTEM,
        plan=demo,
        task="x",
        owner_unit_code=WARD,
        deadline=dt.date(2021, 9, 1),
        is_demo=True,
    )
    assert row.is_demo and plan_register.current_plan() != demo
