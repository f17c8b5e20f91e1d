"""A login that stands for no official (a superuser, say) may read a dossier's page but not move
the dossier: the page answers 403 with the sentence of ``staff.access.require_official``, and
nothing is written."""

import pytest

from cqdt.dossiers import workflow
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import counts
from cqdt.testing import DossierFactory, page_post

pytestmark = pytest.mark.django_db
NO_OFFICIAL = "Tài khoản chưa gắn với cán bộ, công chức nào."


def test_a_login_without_an_official_cannot_move_a_dossier_from_its_page(ward, frozen, admin_user):
    d = DossierFactory(team=ward, status=workflow.ASSIGNED)
    before = counts()
    body = {"action": "start_processing", "version": d.version}
    answer = page_post(admin_user, f"/staff/dossiers/{d.code}/", body)
    assert answer.status_code == 403 and NO_OFFICIAL in answer.content.decode()
    assert counts() == before and Dossier.objects.get(pk=d.pk).status == workflow.ASSIGNED
