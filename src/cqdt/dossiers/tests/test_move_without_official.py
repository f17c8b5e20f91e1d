"""A login that stands for no official (a superuser, say) may read a dossier's page but not move
the dossier: the page answers 403 with the sentence of ``staff.access.require_official``, and
nothing is written."""

import pytest
from django.test import Client

from cqdt.dossiers import workflow
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import counts
from cqdt.testing import DossierFactory

pytestmark = pytest.mark.django_db


def test_a_login_without_an_official_cannot_move_a_dossier_from_its_page(ward, frozen, admin_user):
    d = DossierFactory(team=ward, status=workflow.ASSIGNED)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    url = f"/staff/dossiers/{d.code}/"
    assert browser.get(url).status_code == 200
    before = counts()
    body = {"action": "start_processing", "version": d.version}
    answer = browser.post(url, body | {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    assert answer.status_code == 403
    assert "Tài khoản chưa gắn với cán bộ, công chức" in answer.content.decode()
    assert counts() == before and Dossier.objects.get(pk=d.pk).status == workflow.ASSIGNED
