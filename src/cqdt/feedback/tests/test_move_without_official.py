"""A login that stands for no official (a superuser, say) may read a report's page but not move
the report: the page answers 403 with the sentence of ``staff.access.require_official``, and
nothing is written."""

import pytest

from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import counts, submit
from cqdt.testing import page_post

pytestmark = pytest.mark.django_db
NO_OFFICIAL = "Tài khoản chưa gắn với cán bộ, công chức nào."


def test_a_login_without_an_official_cannot_move_a_report_from_its_page(
    categories, frozen, admin_user
):
    r = submit().report
    before = counts()
    body = {"action": "acknowledge", "version": r.version}
    answer = page_post(admin_user, f"/staff/feedback/{r.code}/", body)
    assert answer.status_code == 403 and NO_OFFICIAL in answer.content.decode()
    assert counts() == before and Report.objects.get(pk=r.pk).status == r.status
