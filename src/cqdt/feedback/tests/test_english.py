"""English mode (issue 13): feedback statuses and category names in English, Vietnamese by default."""

import pytest

from cqdt.feedback.tests.conftest import submit

pytestmark = pytest.mark.django_db


def page(client, url, language, **kwargs):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language, **kwargs).content.decode()


def test_the_public_pages_speak_the_visitor_s_language(client, categories, frozen):
    submitted = submit()
    en = page(client, "/feedback/", "en")
    assert "Urban order, pavement encroachment" in en and ">Received<" in en
    assert "Trật tự đô thị, lấn chiếm vỉa hè" not in en and "Đã tiếp nhận<" not in en
    vi = page(client, "/feedback/", "vi")
    assert "Trật tự đô thị, lấn chiếm vỉa hè, lòng đường" in vi and "Đã tiếp nhận" in vi
    assert "Urban order" not in vi
    form = page(client, "/feedback/new/", "en")
    assert "Urban order, pavement encroachment" in form
    client.post("/feedback/follow-up/", {"code": submitted.report.code, "secret": submitted.secret})
    follow = page(client, f"/feedback/follow-up/{submitted.report.code}/", "en")
    assert 'id="report-status">Received<' in follow and "Urban order" in follow
