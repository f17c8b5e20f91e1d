"""The register page opens on the caller's own unit and this year, with a form to choose among the
units the caller may see; the unit is named by its name and code; a caller without a unit is told
so; the staff home links to it. Scope stays the policy's: another ward's code answers as missing."""

import re

import pytest
from django.contrib.auth import get_user_model

from cqdt.documents.tests.conftest import issue
from cqdt.dossiers.tests.conftest import WARD, WARD_B
from cqdt.testing import logged_in

pytestmark = pytest.mark.django_db
URL = "/staff/documents/register/"


def _client(user, lang="vi"):
    return logged_in(user, HTTP_ACCEPT_LANGUAGE=lang)


def test_without_a_unit_the_page_opens_on_the_callers_own_unit_and_this_year(ward, frozen):
    issue()
    response = _client(ward["user_chair"]).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    heading = re.search(r'<h2 id="register-unit">(.*?)</h2>', html).group(1)
    assert "Phường Phúc Xá" in heading and WARD in heading and "2026" in heading
    assert "01/QĐ-UBND" in html
    # The form: a GET, the unit among those the caller sees (selected), the year.
    form = re.search(r'<form method="get".*?</form>', html, re.S).group(0)
    assert re.search(rf'<option value="{WARD}" selected>Phường Phúc Xá \({WARD}\)</option>', form)
    assert f'value="{WARD_B}"' not in form  # another ward is not offered
    assert 'name="year"' in form and 'value="2026"' in form
    assert f"unit={WARD}&amp;year=2026&amp;format=xlsx" in html


def test_a_second_wards_code_is_still_refused_as_missing(ward, ward_b, frozen):
    client = _client(ward_b["user_chair"])
    hidden = client.get(URL, {"unit": WARD, "year": 2026})
    missing = client.get(URL, {"unit": "09999", "year": 2026})
    assert hidden.status_code == missing.status_code == 404
    assert "Về việc" not in hidden.content.decode()
    own = client.get(URL)
    assert own.status_code == 200 and f"(mã {WARD_B})" in own.content.decode()


def test_a_caller_without_a_unit_is_told_so_not_a_404(ward, frozen):
    nobody = get_user_model().objects.create_user("no_post", password="x")
    for lang, said in (("vi", "không giữ chức danh nào"), ("en", "holds no post")):
        response = _client(nobody, lang).get(URL)
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="register-no-unit"' in html and said in html
        assert 'id="r-unit"' not in html


def test_a_city_monitor_may_choose_any_ward(ward, monitor, frozen):
    issue()
    client = _client(monitor["user_monitor"])
    form = re.search(r'<form method="get".*?</form>', client.get(URL).content.decode(), re.S)
    assert f'<option value="{WARD}">' in form.group(0) and 'value="01" selected' in form.group(0)
    html = client.get(URL, {"unit": WARD, "year": 2026}).content.decode()
    assert "01/QĐ-UBND" in html and f"(mã {WARD})" in html


def test_the_staff_home_links_to_the_register_and_the_budget_pages(ward, frozen):
    html = _client(ward["user_chair"]).get("/staff/").content.decode()
    books = re.search(r'<ul id="staff-books">.*?</ul>', html, re.S).group(0)
    assert f'href="{URL}"' in books and 'href="/staff/budget/"' in books
    assert f'href="/staff/budget/disclosure/?unit={WARD}"' in books
    nobody = get_user_model().objects.create_user("no_post", password="x")
    assert 'id="staff-books"' not in _client(nobody).get("/staff/").content.decode()
