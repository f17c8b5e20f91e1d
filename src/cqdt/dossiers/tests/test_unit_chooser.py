"""The ward chooser of the online submission form: grouped, searchable, units in force only
(issue 13, item 5: it listed 579 flat options)."""

import datetime as dt
import re

import pytest
from django.test import Client

from cqdt.testing import ProcedureFactory
from cqdt.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(one_stop_reference):
    return ProcedureFactory(marital=True)


def _select(body: str) -> str:
    return re.search(r'<select name="unit"[^>]*>(.*?)</select>', body, re.S).group(1)


def test_the_wards_are_grouped_by_district(client, procedure):
    body = client.get(f"/procedures/{procedure.slug}/submit/").content.decode()
    select = _select(body)
    groups = re.findall(r'<optgroup label="([^"]+)"', select)
    assert len(groups) >= 12 and "Quận Hoàn Kiếm" in groups
    hoan_kiem = select.split('<optgroup label="Quận Hoàn Kiếm">')[1].split("</optgroup>")[0]
    assert "Phường Hàng Trống" in hoan_kiem and "Phường Dịch Vọng" not in hoan_kiem


def test_the_filter_ignores_diacritics_and_works_without_javascript(client, procedure):
    url = f"/procedures/{procedure.slug}/submit/"
    for q in ("hang trong", "Hàng Trống"):
        select = _select(client.get(url, {"unit_q": q}).content.decode())
        options = re.findall(r"<option [^>]*>([^<]+)</option>", select)
        assert options == ["— Chọn xã, phường —", "Phường Hàng Trống"]
    whole_district = _select(client.get(url, {"unit_q": "hoan kiem"}).content.decode())
    assert re.findall(r'<optgroup label="([^"]+)"', whole_district) == ["Quận Hoàn Kiếm"]
    assert "unit-filter.js" in client.get(url).content.decode()


def test_a_unit_no_longer_in_force_is_not_offered(client, procedure):
    unit = Unit.objects.get(name="Phường Hàng Trống")
    Unit.objects.filter(pk=unit.pk).update(valid_to=dt.date(2025, 1, 1))
    select = _select(client.get(f"/procedures/{procedure.slug}/submit/").content.decode())
    assert "Phường Hàng Trống" not in select


def test_no_ward_is_chosen_for_the_citizen(procedure):
    """Seen at 320 px: the chooser opened on its first ward (Phường Ba Đình), so a citizen who
    scrolled past it sent the dossier there. It opens on "— Chọn xã, phường —", and a form
    sent without a ward says to choose one, the other answers kept."""
    url = f"/procedures/{procedure.slug}/submit/"
    browser = Client(enforce_csrf_checks=True)
    select = _select(browser.get(url).content.decode())
    assert re.findall(r"<option ([^>]*)>", select)[0] == 'value="" selected'
    assert select.count(" selected") == 1
    token = browser.cookies["csrftoken"].value
    body = {
        "applicant_kind": "person",
        "applicant_name": "Lê Văn C",
        "applicant_phone": "0912",
        "csrfmiddlewaretoken": token,
    }
    page = browser.post(url, body)
    html = page.content.decode()
    assert page.status_code == 422
    assert '<a href="#id_unit">Nộp tới UBND: Hãy chọn xã, phường nơi nộp hồ sơ.</a>' in html
    assert 'value="Lê Văn C"' in html
    nameless = browser.post(url, body | {"applicant_name": ""}).content.decode()
    expected = "Họ và tên người nộp: Hãy nhập họ và tên người nộp.</a>"
    assert expected in nameless and "Trường này là bắt buộc" not in nameless
    # The other answers are checked all the same: every error in one answer (issue 13).
    assert '<a href="#id_applicant_phone">Số điện thoại: Số điện thoại không hợp lệ' in html
    assert '<a href="#id_applicant_id_number">' in html
