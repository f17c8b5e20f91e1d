"""The public verify page and POST /api/v1/public/verify (issue 12, item 5)."""

import datetime as dt
import io
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cqdt.core.audit import Actor
from cqdt.documents import services
from cqdt.documents.tests.conftest import issue_and_sign
from cqdt.dossiers.tests.conftest import at

pytestmark = pytest.mark.django_db
NOW = at(dt.date(2026, 3, 2))
APPLICANT = "Trần Thị Bích"


def signed(ward, **extra):
    return issue_and_sign(
        ward,
        kind="confirmation",
        title="Về việc xác nhận tình trạng hôn nhân",
        body=f"Xác nhận ông/bà {APPLICANT}, số định danh 001190012345, chưa đăng ký kết hôn.",
        recipients=[f"- Ông/bà {APPLICANT};"],
        signature_block="CHỦ TỊCH",
        signing_basis={"basis": "appointment", "instrument": {"number": "T-CT/QĐ-UBND"}},
        **extra,
    )


def path_of(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_the_qr_link_shows_number_issuer_signer_and_says_first_a_test_signature(client, ward):
    """QA Q5: a test CA's signature was called "hợp lệ … được tin cậy: có"."""
    doc = signed(ward)
    response = client.get(path_of(services.verify_url(doc)))
    assert response.status_code == 200
    html = response.content.decode()
    signer = ("ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ", "Lê Minh Chính")
    for shown in ("Số: 01/GXN-UBND", *signer, doc.sha256):
        assert shown in html
    assert html.index('id="test-ca"') < html.index('id="verdict"') < html.index('id="doc-number"')
    assert "CHỮ KÝ THỬ NGHIỆM — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in html
    assert "Chữ ký số hợp lệ" not in html and "được tin cậy." not in html
    trusted = html.split('id="trusted">', 1)[1].split("</dd>", 1)[0]
    assert trusted.startswith("không")


def test_the_visible_signature_boxes_say_test(ward):
    from pypdf import PdfReader

    doc = signed(ward)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(doc.pdf))).pages)
    assert "TEST — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in " ".join(text.split())


def test_the_verify_page_shows_nothing_of_the_applicant(client, ward):
    doc = signed(ward)
    html = client.get(path_of(services.verify_url(doc))).content.decode()
    for personal in (APPLICANT, "001190012345", "chưa đăng ký kết hôn"):
        assert personal not in html


def test_a_wrong_hash_prefix_answers_as_a_missing_document(client, ward):
    doc = signed(ward)
    wrong = client.get(f"/verify/{doc.public_id}?h=0000000000000000")
    missing = client.get("/verify/00000000-0000-0000-0000-000000000000?h=0000000000000000")
    garbage = client.get("/verify/not-a-uuid")
    assert wrong.status_code == missing.status_code == garbage.status_code == 404
    assert "Lê Minh Chính" not in wrong.content.decode()


def test_a_withdrawn_document_says_so(client, ward):
    doc = signed(ward)
    services.document_withdraw(
        actor=Actor.system("test"), document_id=str(doc.public_id), reason="Cấp nhầm"
    )
    html = client.get(path_of(services.verify_url(doc))).content.decode()
    assert "đã bị thu hồi" in html


def upload(client, data, name="doc.pdf"):
    return client.post(
        "/api/v1/public/verify",
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def test_api_verifies_the_signed_pdf_and_names_the_document(client, ward):
    doc = signed(ward)
    response = upload(client, bytes(doc.pdf))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["valid"], body["intact"]) == (True, True)
    # the test CA's signature: never trusted, and said so in words (QA Q5)
    assert (body["trusted"], body["test_ca"]) == (False, True)
    assert body["note"]["vi"].startswith("CHỮ KÝ THỬ NGHIỆM — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ")
    assert body["note"]["en"].startswith("TEST SIGNATURE — NO LEGAL EFFECT")
    assert body["signed_by"] == "Lê Minh Chính"
    assert body["signed_at"]
    assert body["document"]["id"] == str(doc.public_id)
    assert body["document"]["number_line"] == "Số: 01/GXN-UBND"
    assert APPLICANT not in response.content.decode()


def test_api_says_a_modified_pdf_is_not_intact(client, ward):
    doc = signed(ward)
    data = bytearray(doc.pdf)
    data[1000] ^= 0x01  # in the first revision, signed by every signature
    body = upload(client, bytes(data)).json()
    assert body["intact"] is False
    assert body["valid"] is False
    assert body["document"] is None


def test_api_refuses_what_is_not_a_pdf_naming_the_field(client):
    response = upload(client, b"GIF89a....", name="x.gif")
    assert response.status_code == 422
    assert response.json()["field"] == "file"
    assert response.json()["messages"]["vi"].startswith("Tệp")


def test_api_needs_a_file(client):
    response = client.post("/api/v1/public/verify", {})
    assert response.status_code in (400, 422)


def test_a_missing_file_is_named_as_the_form_part_the_client_sends(client):
    """Found over HTTP: the answer named “file.file” (ninja's source, then the part)."""
    response = client.post("/api/v1/public/verify", {"document": "x"})
    assert (response.status_code, response.json()["field"]) == (422, "file")
    assert "“file”" in response.json()["messages"]["vi"]


def test_a_pdf_without_a_signature_is_said_to_have_none(client):
    body = upload(client, b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").json()
    assert (body["valid"], body["trusted"], body["test_ca"], body["signatures"]) == (
        False,
        False,
        False,
        0,
    )
    assert body["note"] == {
        "vi": "Tệp không có chữ ký số.",
        "en": "The file carries no digital signature.",
    }


def test_a_citizen_checks_the_pdf_they_hold_on_the_page(ward):
    """QA Q6: the page asked a citizen to "gửi tệp tới POST /api/v1/public/verify"."""
    from cqdt.testing import login_page

    doc = signed(ward)
    browser = login_page()
    html = browser.get(path_of(services.verify_url(doc))).content.decode()
    form = html.split('id="verify-file"', 1)[1].split("</form>", 1)[0]
    assert 'type="file"' in form and "Chọn tệp PDF để kiểm tra" in form
    assert 'action="/verify/"' in html.split('id="verify-file"', 1)[0].rsplit("<form", 1)[1]
    assert browser.get("/verify/").status_code == 200
    token = browser.cookies["csrftoken"].value
    pdf = SimpleUploadedFile("kq.pdf", bytes(doc.pdf), content_type="application/pdf")
    answer = browser.post("/verify/", {"csrfmiddlewaretoken": token, "file": pdf})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert page.index('id="test-ca"') < page.index('id="verdict"')
    assert "Số: 01/GXN-UBND" in page and doc.sha256 in page
    assert APPLICANT not in page
    junk = SimpleUploadedFile("x.pdf", b"GIF89a....", content_type="application/pdf")
    refused = browser.post("/verify/", {"csrfmiddlewaretoken": token, "file": junk})
    assert refused.status_code == 422 and "không phải tệp PDF" in refused.content.decode()
