"""The admin writes councils through the audited service; a refusal is a message, nothing saved."""

import datetime as dt

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from cqdt.core.audit import audit_trail
from cqdt.oversight.admin import CouncilAdmin
from cqdt.oversight.models import Council
from cqdt.testing.factories import DISTRICT, WARD

pytestmark = pytest.mark.django_db


def _save(obj, django_user_model):
    request = RequestFactory().post("/admin/")
    request.user = django_user_model.objects.create_superuser("root", password="x")
    request.session = {}
    request._messages = FallbackStorage(request)
    CouncilAdmin(Council, None).save_model(request, obj, form=None, change=False)
    return [m.message for m in request._messages]


def test_a_council_added_in_the_admin_is_created_and_audited(ba_dinh, django_user_model):
    obj = Council(
        unit_code=DISTRICT,
        name="Khóa sau",
        term_start=dt.date(2026, 7, 1),
        term_end=dt.date(2031, 6, 30),
    )
    assert _save(obj, django_user_model) == []
    saved = Council.objects.get(pk=obj.pk)
    assert audit_trail("oversight.council", str(saved.public_id))[0].action == "council.create"


def test_a_refused_council_is_a_message_and_nothing_is_saved(ba_dinh, django_user_model):
    before = Council.objects.count()
    obj = Council(
        unit_code=WARD, name="x", term_start=dt.date(2021, 7, 1), term_end=dt.date(2026, 6, 30)
    )
    assert len(_save(obj, django_user_model)) == 1
    assert Council.objects.count() == before
