"""The staff dossier page's moves (dossiers/views/dossier.py ``_MOVES``): each form posts an
action that reaches its service with the fields it takes; signing needs a second factor in the
session (issue 18) and yields the signed result (issue 12); an unknown action or a bad date is
refused with the field at fault and writes nothing."""

import datetime as dt

import pytest
from django.test import Client

from cqdt import testing
from cqdt.core.models import AuditEvent
from cqdt.documents.models import Document
from cqdt.dossiers.models import Apology, Dossier
from cqdt.dossiers.tests.conftest import at, drive, submit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def _page(user):
    client = Client()
    client.force_login(user)
    return client


def _unchanged(d):
    now = Dossier.objects.get(pk=d.pk)
    return (now.status, now.version, now.due_at) == (d.status, d.version, d.due_at)


def test_an_unknown_action_is_refused_naming_the_action(ward, frozen):
    d = drive(ward, submit(ward, now=at(DAY)).dossier.code, to="processing", now=at(DAY))
    events = AuditEvent.objects.count()
    response = _page(ward["user_chair"]).post(
        f"/staff/dossiers/{d.code}/", {"action": "fly", "version": d.version}
    )
    assert response.status_code == 422
    assert "Thao tác không hợp lệ." in response.content.decode()
    assert _unchanged(d) and AuditEvent.objects.count() == events


def test_an_apology_needs_a_valid_new_date_then_moves_the_due_date(ward, frozen):
    d = drive(ward, submit(ward, now=at(DAY)).dossier.code, to="processing", now=at(DAY))
    client = _page(ward["user_chair"])
    url = f"/staff/dossiers/{d.code}/"
    for bad in ("", "not a date"):
        posted = {"action": "apologise", "version": d.version, "reason": "Chờ xác minh"}
        refused = client.post(url, posted | {"new_due_at": bad})
        assert refused.status_code == 422, bad
        assert "Ngày hẹn mới không hợp lệ" in refused.content.decode()
        assert _unchanged(d) and not Apology.objects.exists()
    # A week later: the same working day and hour (a new date must be one the desk is open).
    new_due = (d.due_at + dt.timedelta(days=7)).astimezone(dt.timezone(dt.timedelta(hours=7)))
    moved = client.post(
        url,
        {
            "action": "apologise",
            "version": d.version,
            "reason": "Chờ xác minh",
            "new_due_at": new_due.strftime("%Y-%m-%dT%H:%M:%S%z"),
        },
    )
    assert moved.status_code == 302, moved.content.decode()[:500]
    after = Dossier.objects.get(pk=d.pk)
    assert after.due_at == new_due and after.apology_count == 1
    assert Apology.objects.get().reason == "Chờ xác minh"


def test_signing_from_the_page_needs_a_second_factor_and_yields_the_signed_result(ward, frozen):
    d = drive(ward, submit(ward, now=at(DAY)).dossier.code, to="awaiting_signature", now=at(DAY))
    client = _page(ward["user_chair"])
    url = f"/staff/dossiers/{d.code}/"
    refused = client.post(url, {"action": "sign", "version": d.version})
    assert refused.status_code == 403
    assert _unchanged(d) and not Document.objects.exists()
    testing.second_factor(client, ward["user_chair"])
    signed = client.post(url, {"action": "sign", "version": d.version})
    assert signed.status_code == 302, signed.content.decode()[:500]
    assert Dossier.objects.get(pk=d.pk).status == "signed"
    assert Document.objects.filter(dossier=d).count() == 1
