"""The registers' staff pages (issue 15, item 3): who sees them, who gets the forms, and that a
post by a reader changes nothing."""

import datetime as dt

import pytest
import time_machine

from cqdt.core.audit import Actor
from cqdt.core.models import AuditEvent
from cqdt.monitoring.models import PlanTask, Recommendation
from cqdt.monitoring.tests.test_registers_api import (  # noqa: F401
    DISTRICT,
    NOW,
    WARD,
    WARD_B,
    client_for,
    people,
)
from cqdt.procedures import law_conflicts, rules
from cqdt.procedures.models import Procedure
from cqdt.testing import ProcedureFactory

PAGES = ("decentralisation", "recommendations", "law-conflicts")


@pytest.fixture
def conflict(people):  # noqa: F811
    p = ProcedureFactory(copy=True, valid_from=dt.date(2021, 1, 1))
    Procedure.objects.filter(pk=p.pk).update(competent_level="district")
    law_conflicts.law_conflict_record(
        actor=Actor.system("t"),
        procedure_slug=p.slug,
        law="Luật Q",
        actor_named=rules.COMMUNE_COUNCIL,
    )
    return p


def test_pages_by_role_and_scope(people, conflict):  # noqa: F811
    q = {"from": "2021-07", "to": "2021-09"}
    with time_machine.travel(NOW, tick=False):
        city = client_for(people["city_monitor"])
        for page in PAGES:
            r = city.get(f"/staff/monitoring/01/{page}/", q)
            assert r.status_code == 200, page
        html = city.get(f"/staff/monitoring/{DISTRICT}/law-conflicts/", q).content.decode()
        assert "chưa kiểm chứng" in html and "Luật Q" in html
        for role in ("district_chair", "council_deputy"):
            c = client_for(people[role])
            for page in PAGES:
                assert c.get(f"/staff/monitoring/{DISTRICT}/{page}/", q).status_code == 200
                assert c.get(f"/staff/monitoring/01/{page}/", q).status_code == 404
                assert c.get(f"/staff/monitoring/002/{page}/", q).status_code == 404
        ward = client_for(people["ward_chair"])
        assert ward.get(f"/staff/monitoring/{WARD}/decentralisation/", q).status_code == 200
        assert ward.get(f"/staff/monitoring/{WARD_B}/decentralisation/", q).status_code == 404
        # Forms only for writers: the city records recommendations, a deputy reads.
        assert (
            'name="proposal"'
            in city.get(f"/staff/monitoring/{WARD}/recommendations/").content.decode()
        )
        deputy = client_for(people["council_deputy"])
        page = deputy.get(f"/staff/monitoring/{DISTRICT}/recommendations/").content.decode()
        assert 'name="proposal"' not in page
        district = client_for(people["district_chair"])
        assert (
            'name="instrument"'
            in district.get(f"/staff/monitoring/{DISTRICT}/decentralisation/").content.decode()
        )
        assert (
            'name="instrument"'
            not in deputy.get(f"/staff/monitoring/{DISTRICT}/decentralisation/").content.decode()
        )


def test_a_reader_posting_changes_nothing_and_the_city_records(people):  # noqa: F811
    body = {
        "rule": "other",
        "unit_code": WARD,
        "raised_on": "2021-08-02",
        "shortcoming": "Thiếu người ký.",
        "proposal": "Ủy quyền công chức tư pháp.",
    }
    with time_machine.travel(NOW, tick=False):
        before = AuditEvent.objects.count()
        r = client_for(people["council_deputy"]).post(
            f"/staff/monitoring/{DISTRICT}/recommendations/", body
        )
        assert r.status_code == 403 and not Recommendation.objects.exists()
        assert AuditEvent.objects.count() == before
        city = client_for(people["city_monitor"])
        r = city.post(f"/staff/monitoring/{DISTRICT}/recommendations/", body)
        assert r.status_code == 302
        rec = Recommendation.objects.get()
        answer = {
            "recommendation": str(rec.public_id),
            "version": 1,
            "status": "adjusted",
            "adjustment": "Đã ủy quyền.",
        }
        # An adjustment without the instrument that made it is refused; with it, recorded.
        bad = city.post(f"/staff/monitoring/{DISTRICT}/recommendations/", answer)
        assert bad.status_code == 422 and "văn bản" in bad.content.decode()
        ok = city.post(
            f"/staff/monitoring/{DISTRICT}/recommendations/",
            {
                **answer,
                "instrument": "7/QĐ-UBND",
                "instrument_date": "2021-09-01",
                "changed": "hanoi-urban-pilot-2021",
            },
        )
        assert ok.status_code == 302
        rec.refresh_from_db()
        assert rec.status == "adjusted" and rec.changed == "hanoi-urban-pilot-2021"


def test_plan_page_readiness_and_writers(people):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        city = client_for(people["city_monitor"])
        page = city.get("/staff/monitoring/plan/").content.decode()
        assert "chưa kiểm chứng" in page and 'name="deadline"' in page
        # No task recorded: the table says so, and no "0 tasks — 0 done, 0 overdue" summary
        # reads as a count of a plan that has none (missing data is not zero).
        assert "Chưa có nhiệm vụ nào được ghi nhận." in page and 'id="plan-readiness"' not in page
        r = city.post(
            "/staff/monitoring/plan/",
            {
                "task": "Kiện toàn bộ phận một cửa",
                "owner_unit_code": WARD,
                "owner": "",
                "deadline": "2021-08-31",
            },
        )
        assert r.status_code == 302
        task = PlanTask.objects.get()
        r = city.post(
            "/staff/monitoring/plan/",
            {
                "task_id": str(task.public_id),
                "version": 1,
                "status": "done",
                "done_on": "2021-08-30",
                "evidence": "Biên bản",
            },
        )
        assert r.status_code == 302
        deputy = client_for(people["council_deputy"])
        html = deputy.get("/staff/monitoring/plan/", {"on": "2021-09-01"}).content.decode()
        assert "Kiện toàn bộ phận một cửa" in html and 'name="deadline"' not in html
        assert 'id="plan-readiness"' in html and "1 nhiệm vụ — 1 đã hoàn thành" in html
        assert deputy.post("/staff/monitoring/plan/", {"task": "x"}).status_code == 403


def test_the_plan_says_it_is_not_verified_once(people):  # noqa: F811
    """The plan page printed "chưa kiểm chứng: Chưa kiểm chứng: số, ngày ...": the status from
    ``verified`` and again at the start of the seeded ``verification``, which is the reason
    why. Migration 0015 drops the status from the seeded text (and only from that text)."""
    import importlib

    from django.apps import apps

    from cqdt.monitoring.models import ImplementationPlan

    page = client_for(people["city_monitor"]).get("/staff/monitoring/plan/").content.decode()
    note = page.split('<p class="note">', 1)[1].split("</p>", 1)[0]
    assert note.lower().count("chưa kiểm chứng") == 1
    assert "</strong>: Số, ngày và tên kế hoạch" in note
    fix = importlib.import_module(
        "cqdt.monitoring.migrations.0015_plan_verification_without_status"
    )
    seeded = ImplementationPlan.objects.get(is_demo=False)
    assert seeded.verification == fix.WHY and not seeded.verified
    # A database migrated before the fix carries the old text; a text entered since is kept.
    ImplementationPlan.objects.filter(pk=seeded.pk).update(verification=fix.SEEDED)
    other = ImplementationPlan.objects.create(
        title="Kế hoạch khác", verification="Chưa kiểm chứng: ghi tay"
    )
    fix.drop_status(apps, None)
    seeded.refresh_from_db()
    other.refresh_from_db()
    assert seeded.verification == fix.WHY and other.verification == "Chưa kiểm chứng: ghi tay"
    fix.restore_status(apps, None)
    seeded.refresh_from_db()
    assert seeded.verification == fix.SEEDED
