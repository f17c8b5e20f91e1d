"""A login that stands for no official (a superuser, say) may read a report's page but not move
the report: the page answers 403 with the sentence of ``staff.access.require_official``, and
nothing is written."""

import pytest
from django.test import Client

from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import counts, submit

pytestmark = pytest.mark.django_db


def test_a_login_without_an_official_cannot_move_a_report_from_its_page(
    categories, frozen, admin_user
):
    r = submit().report
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    url = f"/staff/feedback/{r.code}/"
    assert browser.get(url).status_code == 200
    before = counts()
    body = {"action": "acknowledge", "version": r.version}
    answer = browser.post(url, body | {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    assert answer.status_code == 403
    assert "Tài khoản chưa gắn với cán bộ, công chức" in answer.content.decode()
    assert counts() == before and Report.objects.get(pk=r.pk).status == r.status
