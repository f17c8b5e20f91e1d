"""The units' reference data edited in /admin/ (configuration data: a unit's class and population
with their sources, governance models, which model applies to a unit, succession links) writes an
audit event in the same transaction, as every other admin page does; units are never added or
deleted there (a reorganisation does that, with its links), and a refused edit writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib import admin
from django.test import RequestFactory

from cqdt.core.models import AuditEvent
from cqdt.units.models import GovernanceAssignment, GovernanceModel, Unit

pytestmark = pytest.mark.django_db


def _form_data(model: type, obj: Any, admin_user: Any, **changes: Any) -> dict[str, Any]:
    """What the admin's change form posts for ``obj``, with ``changes``."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = admin_user
    form = model_admin.get_form(request, obj)(instance=obj)
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, list | dict):
            value = json.dumps(value)  # a JSON field's text
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def _url(model: type, pk: Any, action: str = "change") -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{pk}/{action}/"


def test_a_units_class_edited_is_audited_under_its_code(reference_data, admin_client, admin_user):
    unit = Unit.objects.filter(code="00001").order_by("valid_from").first()
    data = _form_data(
        Unit, unit, admin_user, ward_class="I", ward_class_source="Quyết định (thử) 1/QĐ-UBND"
    )
    response = admin_client.post(_url(Unit, unit.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    unit.refresh_from_db()
    assert unit.ward_class == "I"
    event = AuditEvent.objects.get(action="unit.describe.update")
    assert (event.object_type, event.object_id) == ("units.unit", "00001")
    assert event.before == {"ward_class": "", "ward_class_source": ""}
    assert event.after == {"ward_class": "I", "ward_class_source": "Quyết định (thử) 1/QĐ-UBND"}
    assert event.actor_label == admin_user.username


def test_saving_without_a_change_writes_no_event(reference_data, admin_client, admin_user):
    assignment = GovernanceAssignment.objects.order_by("pk").first()
    response = admin_client.post(
        _url(GovernanceAssignment, assignment.pk),
        _form_data(GovernanceAssignment, assignment, admin_user),
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action__startswith="governance_assignment").exists()


def test_an_assignment_s_basis_edited_then_deleted_is_audited(
    reference_data, admin_client, admin_user
):
    assignment = GovernanceAssignment.objects.order_by("pk").first()
    old_basis = assignment.legal_basis
    data = _form_data(
        GovernanceAssignment, assignment, admin_user, legal_basis="Nghị quyết 97/2019/QH14 (sửa)"
    )
    assert admin_client.post(_url(GovernanceAssignment, assignment.pk), data).status_code == 302
    update = AuditEvent.objects.get(action="governance_assignment.update")
    assert update.object_id == str(assignment.pk)
    assert update.before == {"legal_basis": old_basis}
    assert update.after == {"legal_basis": "Nghị quyết 97/2019/QH14 (sửa)"}

    response = admin_client.post(
        _url(GovernanceAssignment, assignment.pk, "delete"), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not GovernanceAssignment.objects.filter(pk=assignment.pk).exists()
    deleted = AuditEvent.objects.get(action="governance_assignment.delete")
    assert deleted.before["unit_code"] == assignment.unit_code
    assert deleted.before["model"] == assignment.model_id


def test_a_refused_governance_model_writes_nothing(reference_data, admin_client, admin_user):
    model = GovernanceModel.objects.order_by("pk").first()
    before = list(model.delegable_acts)
    data = _form_data(
        GovernanceModel,
        model,
        admin_user,
        delegable_acts=json.dumps([*before, "decide_residence"]),
    )
    response = admin_client.post(_url(GovernanceModel, model.pk), data)
    assert response.status_code == 200  # the form again, with the refusal
    page = response.content.decode()
    assert "Luật Cư trú" in page or "Law on Residence" in page, page[:3000]
    model.refresh_from_db()
    assert list(model.delegable_acts) == before
    assert not AuditEvent.objects.filter(action__startswith="governance_model").exists()


def test_units_are_neither_added_nor_deleted_here(reference_data, admin_client):
    unit = Unit.objects.order_by("pk").first()
    assert admin_client.get("/admin/units/unit/add/").status_code == 403
    assert admin_client.get(_url(Unit, unit.pk, "delete")).status_code == 403


def test_a_governance_model_edited_is_audited(reference_data, admin_client, admin_user):
    model = GovernanceModel.objects.order_by("pk").first()
    data = _form_data(GovernanceModel, model, admin_user, legal_basis="Luật (thử) 2025")
    assert admin_client.post(_url(GovernanceModel, model.pk), data).status_code == 302
    event = AuditEvent.objects.get(action="governance_model.update")
    assert (event.object_type, event.object_id) == ("units.governancemodel", str(model.pk))
    assert event.after == {"legal_basis": "Luật (thử) 2025"}
