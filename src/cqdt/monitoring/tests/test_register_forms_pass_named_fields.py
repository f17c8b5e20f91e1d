"""The registers' staff pages gave a form's cleaned data to their services whole (``**data``):
a field later added to one of those forms under a service-only keyword (``core.keywords``:
``is_demo``, ``now``, ``actor``) would reach the service unreviewed — a 500, or a row recorded
as demo by whoever posted the form. The pages now pass the fields they name; every form field is
named or refused, checked below, so a new one is reviewed. Posted as a browser does: CSRF
enforced, the form's token in the body."""

import pytest
import time_machine
from django import forms as dj_forms

from cqdt.monitoring import forms, registers_views
from cqdt.monitoring.models import Devolution, PlanTask, Recommendation
from cqdt.monitoring.tests.test_registers_api import (  # noqa: F401
    DISTRICT,
    NOW,
    WARD,
    above,
    devolution,
    people,
)
from cqdt.testing import staff_browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_fields(monkeypatch):
    """Each of the four forms grows a field named like a service-only keyword."""
    for name in ("DevolutionForm", "RecommendationForm", "AnswerForm", "PlanTaskForm"):
        grown = type(
            name, (getattr(forms, name),), {"is_demo": dj_forms.BooleanField(required=False)}
        )
        monkeypatch.setattr(forms, name, grown)


def test_every_form_field_is_named_for_its_service_or_is_the_pages_own():
    assert set(registers_views.DEVOLUTION_FIELDS) == set(forms.DevolutionForm.base_fields)
    assert set(registers_views.RAISE_FIELDS) == set(forms.RecommendationForm.base_fields)
    assert set(registers_views.ANSWER_FIELDS) == set(forms.AnswerForm.base_fields) - {
        "recommendation"
    }
    assert set(registers_views.TASK_FIELDS) == set(forms.PlanTaskForm.base_fields)
    assert set(registers_views.PROGRESS_FIELDS) == set(forms.PlanProgressForm.base_fields) - {
        "task_id"
    }


def test_a_devolution_posted_with_a_demo_field_is_recorded_as_real(people, above, demo_fields):  # noqa: F811
    page = f"/staff/monitoring/{DISTRICT}/decentralisation/"
    with time_machine.travel(NOW, tick=False):
        browser, token = staff_browser(people["district_chair"], page)
        answer = browser.post(
            page,
            devolution(above) | {"is_demo": "on", "csrfmiddlewaretoken": token},
        )
    assert answer.status_code == 302, answer.content.decode()[:500]
    assert Devolution.objects.get().unit_code == WARD


def test_a_recommendation_raised_and_answered_with_a_demo_field_is_real(people, demo_fields):  # noqa: F811
    page = f"/staff/monitoring/{DISTRICT}/recommendations/"
    with time_machine.travel(NOW, tick=False):
        browser, token = staff_browser(people["city_monitor"], page)
        raised = browser.post(
            page,
            {
                "rule": "other",
                "unit_code": WARD,
                "raised_on": "2021-08-02",
                "shortcoming": "Thiếu người ký.",
                "proposal": "Ủy quyền công chức tư pháp.",
                "is_demo": "on",
                "csrfmiddlewaretoken": token,
            },
        )
        assert raised.status_code == 302, raised.content.decode()[:500]
        rec = Recommendation.objects.get()
        answered = browser.post(
            page,
            {
                "recommendation": str(rec.public_id),
                "version": 1,
                "status": "adjusted",
                "adjustment": "Đã ủy quyền.",
                "instrument": "7/QĐ-UBND",
                "instrument_date": "2021-09-01",
                "changed": "hanoi-urban-pilot-2021",
                "is_demo": "on",
                "csrfmiddlewaretoken": token,
            },
        )
    assert answered.status_code == 302, answered.content.decode()[:500]
    rec.refresh_from_db()
    assert rec.status == "adjusted"


def test_a_plan_task_posted_with_a_demo_field_is_recorded_as_real(people, demo_fields):  # noqa: F811
    page = "/staff/monitoring/plan/"
    with time_machine.travel(NOW, tick=False):
        browser, token = staff_browser(people["city_monitor"], page)
        answer = browser.post(
            page,
            {
                "task": "Kiện toàn bộ phận một cửa",
                "owner_unit_code": WARD,
                "owner": "",
                "deadline": "2021-08-31",
                "is_demo": "on",
                "csrfmiddlewaretoken": token,
            },
        )
    assert answer.status_code == 302, answer.content.decode()[:500]
    assert PlanTask.objects.get().is_demo is False
