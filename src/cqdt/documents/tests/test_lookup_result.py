"""QA Q8: an applicant whose result was signed downloads it from the lookup page — the secret
posted (never in a URL), the document's number and its verify link shown. A CSRF-enforced
browser, as the citizen's."""

import re

import pytest

from cqdt.documents.tests.test_batch import DAY, awaiting, chair_client
from cqdt.dossiers.tests.conftest import at
from cqdt.testing import login_page

pytestmark = pytest.mark.django_db


def _looked_up(code: str, secret: str):
    browser = login_page()  # any page: a CSRF cookie
    page = browser.get("/lookup/")
    token = browser.cookies["csrftoken"].value
    found = browser.post(
        "/lookup/", {"csrfmiddlewaretoken": token, "code": code, "secret": secret}, follow=True
    )
    assert found.status_code == 200 and page.status_code == 200
    return browser, found.content.decode()


def test_the_lookup_page_offers_the_signed_result_and_posts_the_secret(ward, frozen):
    (d,), secret = awaiting(ward, frozen)
    browser, html = _looked_up(d.code, secret)
    assert 'id="signed-result"' not in html  # not signed yet
    signed = chair_client(ward).post(
        f"/api/v1/dossiers/{d.code}/actions/sign",
        {"version": d.version},
        content_type="application/json",
    )
    assert signed.status_code == 200, signed.content
    browser, html = _looked_up(d.code, secret)
    block = html.split('id="signed-result">', 1)[1].split("</div>", 1)[0]
    assert "Số: 01/GXN-UBND" in block and f"{at(DAY):%d/%m/%Y}" in block
    assert "/verify/" in block
    form = re.search(r'<form method="post" action="([^"]+)"', block).group(1)
    assert form == f"/lookup/{d.code}/result/" and secret not in form
    token = browser.cookies["csrftoken"].value
    pdf = browser.post(form, {"csrfmiddlewaretoken": token, "secret": secret})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    wrong = browser.post(form, {"csrfmiddlewaretoken": token, "secret": "SAI"})
    assert wrong.status_code == 404
    assert browser.post(form, {"secret": secret}).status_code == 403  # CSRF enforced
    assert browser.get(form).status_code == 405


def test_the_dossier_page_links_the_signed_result_for_the_desk(ward, frozen):
    """QA Q12 (its second half): after signing, the dossier's staff page linked Mẫu 01, Mẫu 05 and
    the attachments, not the result the desk must print and hand over."""
    from cqdt.testing import logged_in

    (d,), _ = awaiting(ward, frozen)
    desk = logged_in(ward["user_desk"])
    assert 'id="signed-result"' not in desk.get(f"/staff/dossiers/{d.code}/").content.decode()
    signed = chair_client(ward).post(
        f"/api/v1/dossiers/{d.code}/actions/sign",
        {"version": d.version},
        content_type="application/json",
    )
    assert signed.status_code == 200, signed.content
    html = desk.get(f"/staff/dossiers/{d.code}/").content.decode()
    line = html.split('id="signed-result">', 1)[1].split("</p>", 1)[0]
    assert "Số: 01/GXN-UBND" in line and "/verify/" in line
    pdf_url = re.search(r'href="(/api/v1/documents/[^"]+/pdf)"', line).group(1)
    pdf = desk.get(pdf_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
