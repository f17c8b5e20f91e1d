"""The public catalog and the procedure page (issue 13, item 5)."""

import pytest

from cqdt.procedures.models import Procedure
from cqdt.procedures.reference import catalog_load

pytestmark = pytest.mark.django_db

# Words of the catalog's research notes that must never reach a citizen.
INTERNAL = (
    "chưa kiểm chứng với nguồn",
    "chưa đọc văn bản gốc",
    "theo trí nhớ",
    "nguồn thứ cấp",
    "diepxuan",
    "OpenGOV",
    "not verified",
    "Ghi chú nội bộ",
)


@pytest.fixture
def catalog():
    catalog_load()


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("canbo", password="x"))
    return client


def test_the_public_never_sees_internal_notes_on_the_list_or_any_page(client, catalog):
    pages = [client.get("/procedures/")] + [
        client.get(f"/procedures/{slug}/")
        for slug in Procedure.objects.values_list("slug", flat=True)
    ]
    for page in pages:
        assert page.status_code == 200
        body = page.content.decode()
        for words in INTERNAL:
            assert words not in body, (words, page.wsgi_request.path)


def test_staff_see_the_research_notes_on_the_procedure_page(staff_client, catalog):
    unverified = Procedure.objects.filter(verified=False).first()
    body = staff_client.get(f"/procedures/{unverified.slug}/").content.decode()
    assert "Ghi chú nội bộ" in body and "chưa kiểm chứng với nguồn" in body
    assert unverified.verification[:40] in body
    assert "chưa kiểm chứng với nguồn" in staff_client.get("/procedures/").content.decode()


def test_an_unverified_time_is_marked_to_confirm_for_the_public(client, catalog):
    unverified = Procedure.objects.filter(verified=False).first()
    body = client.get(f"/procedures/{unverified.slug}/").content.decode()
    assert "thông tin tham khảo, xin xác nhận tại Bộ phận Một cửa" in body


def test_the_procedure_page_shows_documents_fees_time_basis_place_and_the_online_form(
    client, catalog
):
    body = client.get("/procedures/tthc-1-001193/").content.decode()
    assert "<h1>Thủ tục đăng ký khai sinh</h1>" in body
    assert "Tờ khai đăng ký khai sinh theo mẫu" in body  # a required document
    assert "Biên bản xác nhận việc trẻ bị bỏ rơi" in body  # an optional one
    assert "Miễn phí" in body and "8.000 đ/bản" in body  # fee and its note
    assert "Trong ngày (nhận trước 15 giờ)" in body  # processing time
    assert "Luật Hộ tịch 2014, Điều 5 khoản 3, Điều 16" in body  # legal basis
    assert "Trung tâm Phục vụ hành chính công xã, phường" in body  # where (from July 2025)
    assert 'href="/procedures/tthc-1-001193/submit/"' in body  # the online form
    assert client.get("/procedures/tthc-1-001193/submit/").status_code == 200


def test_residence_is_handed_in_to_the_commune_police(client, catalog):
    body = client.get("/procedures/tthc-1-004222/").content.decode()
    assert "Công an xã, phường nơi bạn cư trú" in body


def test_fees_are_printed_in_one_money_format(client, catalog):
    body = client.get("/procedures/").content.decode()
    assert "2.000\u00a0đ" in body and "50.000\u00a0đ" in body
    assert "2000 đ" not in body and "50000 đ" not in body
    copy = Procedure.objects.get(code="2.000815")
    assert "2.000\u00a0đ" in client.get(f"/procedures/{copy.slug}/").content.decode()


def test_search_ignores_diacritics_and_groups_by_field(client, catalog):
    plain = client.get("/procedures/", {"q": "dang ky khai sinh"}).content.decode()
    accented = client.get("/procedures/", {"q": "đăng ký khai sinh"}).content.decode()
    for body in (plain, accented):
        assert 'href="/procedures/tthc-1-001193/"' in body
        assert 'id="field-civil_status"' in body
        assert 'id="field-certification"' not in body
    everything = client.get("/procedures/").content.decode()
    assert everything.index('id="field-civil_status"') < everything.index('id="field-land"')


def test_a_search_that_finds_nothing_says_so(client, catalog):
    body = client.get("/procedures/", {"q": "xyzxyz"}).content.decode()
    assert "Không tìm thấy thủ tục nào" in body


def test_an_unknown_or_ended_procedure_is_not_found(client, catalog):
    assert client.get("/procedures/khong-co/").status_code == 404
    Procedure.objects.filter(slug="tthc-1-001193").update(valid_to="2025-01-01")
    assert client.get("/procedures/tthc-1-001193/").status_code == 404


def test_the_pages_read_in_english_too(client, catalog):
    client.cookies["django_language"] = "en"
    body = client.get("/procedures/tthc-1-001193/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The documents' heading in English, not left in Vietnamese ("Documents" or a heading not
    # translated at all passed the former "Required documents" in body or "Documents" in body).
    assert "<h2>Documents</h2>" in body and "Thành phần hồ sơ" not in body
