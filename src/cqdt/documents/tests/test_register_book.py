"""The register as a book: JSON and XLSX, withdrawn numbers kept with their reason."""

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from cqdt.core.audit import Actor
from cqdt.documents import services
from cqdt.documents.tests.conftest import issue
from cqdt.dossiers.tests.conftest import WARD, WARD_B
from cqdt.testing import logged_in

pytestmark = pytest.mark.django_db


def test_register_lists_every_number_and_the_withdrawal(ward, frozen):
    issue("Về việc A")
    second = issue("Về việc B")
    services.document_withdraw(
        actor=Actor.system("t"), document_id=str(second.public_id), reason="Sai tên"
    )
    client = Client()
    client.force_login(ward["user_chair"])
    body = client.get("/api/v1/documents/register", {"unit": WARD, "year": 2026}).json()
    assert [r[0] for r in body["rows"]] == ["01/QĐ-UBND", "02/QĐ-UBND"]
    assert body["rows"][0][2] == "Quyết định Về việc A"
    assert body["rows"][1][5].startswith("Đã thu hồi 02/03/2026: Sai tên")
    response = client.get(
        "/api/v1/documents/register", {"unit": WARD, "year": 2026, "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A3"].value == "01/QĐ-UBND" and sheet["A4"].value == "02/QĐ-UBND"
    assert sheet["A2"].value == "Số, ký hiệu văn bản"
    # QA Q24: the date is a date (it was the text '02/03/2026'), the title names the unit
    assert sheet["B3"].value.date() == dt.date(2026, 3, 2)
    assert sheet["B3"].number_format == "DD/MM/YYYY"
    assert sheet["A1"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐI — Phường Phúc Xá (00001) — năm 2026"


def test_register_of_a_unit_out_of_scope_answers_as_missing(ward, ward_b, frozen):
    client = Client()
    client.force_login(ward_b["user_chair"])
    hidden = client.get("/api/v1/documents/register", {"unit": WARD, "year": 2026})
    missing = client.get("/api/v1/documents/register", {"unit": "09999", "year": 2026})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert (
        client.get("/api/v1/documents/register", {"unit": WARD_B, "year": 2026}).status_code == 200
    )


def test_register_refuses_an_unknown_type_naming_the_field(ward, frozen):
    client = Client()
    client.force_login(ward["user_chair"])
    response = client.get(
        "/api/v1/documents/register", {"unit": WARD, "year": 2026, "kind": "poem"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "kind"


def test_register_prints_as_a_book(ward, frozen):
    issue("Về việc A")
    client = Client()
    client.force_login(ward["user_chair"])
    html = client.get("/staff/documents/register/", {"unit": WARD, "year": 2026}).content.decode()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in html and "01/QĐ-UBND" in html and "Quyết định" in html
    assert Client().get("/staff/documents/register/", {"unit": WARD}).status_code == 302


@pytest.mark.parametrize("year", ["99999", "1900", "2028", "abc"])
def test_register_page_refuses_a_year_with_no_register_naming_year(ward, frozen, year):
    # Found by trying the page as a client: ?year=99999 was accepted as an empty book.
    client = logged_in(ward["user_chair"])
    response = client.get("/staff/documents/register/", {"unit": WARD, "year": year})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-field="year"' in html and "(year)" in html
    assert "Chưa có văn bản nào trong sổ" not in html  # no empty book
    english = client.get(
        "/staff/documents/register/", {"unit": WARD, "year": year}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 422 and "(year)" in english.content.decode()


def test_register_api_refuses_a_year_after_next_naming_year(ward, frozen):
    client = Client()
    client.force_login(ward["user_chair"])
    response = client.get("/api/v1/documents/register", {"unit": WARD, "year": 2099})
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "year" and body["messages"]["vi"] and body["messages"]["en"]
    assert client.get("/api/v1/documents/register", {"unit": WARD, "year": 2027}).status_code == 200


def test_the_page_and_the_api_take_the_same_years(ward, frozen):
    """One range in one place (``register.register_year``): the page's XLSX link for 1990 was a
    pydantic 422 (the API took 2000–2100) while the page showed the book; 1945 likewise."""
    client = Client()
    client.force_login(ward["user_chair"])
    for year, status in ((1944, 422), (1945, 200), (1990, 200), (2027, 200), (2028, 422)):
        page = client.get("/staff/documents/register/", {"unit": WARD, "year": year})
        api = client.get("/api/v1/documents/register", {"unit": WARD, "year": year})
        xlsx = client.get(
            "/api/v1/documents/register", {"unit": WARD, "year": year, "format": "xlsx"}
        )
        assert (page.status_code, api.status_code, xlsx.status_code) == (status,) * 3, year
        if status == 422:
            assert api.json()["field"] == "year" and api.json()["code"] == "year_out_of_range"


def test_year_zero_is_refused_not_read_as_this_year(ward, frozen):
    client = Client()
    client.force_login(ward["user_chair"])
    response = client.get("/api/v1/documents/register", {"unit": WARD, "year": 0})
    assert response.status_code == 422 and response.json()["field"] == "year"
