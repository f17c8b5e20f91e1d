"""Lookups by POST (issue 13): the secret goes in a POST body and the session, never a URL."""

import datetime as dt

import pytest
from django.test import Client

from cqdt.core import lookup_session
from cqdt.testing import at, csrf_browser, drive, submit

pytestmark = pytest.mark.django_db


def test_the_lookup_posts_with_csrf_and_redirects_without_the_secret(ward, frozen):
    result = submit(ward, now=at(dt.date(2026, 3, 2)))
    code, secret = result.dossier.code, result.secret
    client = Client(enforce_csrf_checks=True)
    form = client.get("/lookup/").content.decode()
    assert 'method="post"' in form and "csrfmiddlewaretoken" in form
    assert client.post("/lookup/", {"code": code, "secret": secret}).status_code == 403  # no CSRF
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/lookup/", {"code": code, "secret": secret, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and response["Location"] == f"/lookup/{code}/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'id="dossier-status"' in page.content.decode()
    assert secret not in response["Location"]
    # A secret in the query string is not a lookup any more.
    stale = Client().get("/lookup/", {"code": code, "secret": secret}).content.decode()
    assert 'id="dossier-status"' not in stale
    # Another visitor (no session) gets the form, code filled, secret asked again.
    other = Client().get(f"/lookup/{code}/").content.decode()
    assert 'id="dossier-status"' not in other and f'value="{code}"' in other


def test_the_code_is_found_in_the_case_the_citizen_types_it(ward, frozen):
    """The secret was case-blind but the code was not: "h26.…" typed from the printed slip
    answered "not found" on the page and on the API. Found over HTTP."""
    result = submit(ward, now=at(dt.date(2026, 3, 2)))
    code, secret = result.dossier.code, result.secret
    typed = f" {code.lower()} "
    client, token = csrf_browser("/lookup/")
    response = client.post(
        "/lookup/", {"code": typed, "secret": secret.lower(), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and response["Location"] == f"/lookup/{code}/"
    api = Client(enforce_csrf_checks=True).post(
        f"/api/v1/public/dossiers/{code.lower()}/lookup",
        {"secret": secret},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["code"] == code
    wrong = Client().post(
        f"/api/v1/public/dossiers/{code.lower()}/lookup",
        {"secret": "WRONGSECRT"},
        content_type="application/json",
    )
    assert wrong.status_code == 404


def test_the_kept_secret_expires(client, ward, frozen):
    result = submit(ward, now=at(dt.date(2026, 3, 2)))
    code = result.dossier.code
    client.post("/lookup/", {"code": code, "secret": result.secret})
    assert 'id="dossier-status"' in client.get(f"/lookup/{code}/").content.decode()
    frozen.shift(dt.timedelta(seconds=lookup_session.TTL + 1))
    page = client.get(f"/lookup/{code}/").content.decode()
    assert 'id="dossier-status"' not in page and "hãy nhập lại mã tra cứu" in page


def test_the_rating_form_carries_the_secret_hidden_and_unlabelled(client, ward, frozen):
    from cqdt.dossiers import workflow

    result = submit(ward, now=at(dt.date(2026, 3, 2)))
    drive(ward, result.dossier.code, to=workflow.RETURNED, now=at(dt.date(2026, 3, 2), 10))
    client.post("/lookup/", {"code": result.dossier.code, "secret": result.secret})
    for language in ("vi", "en"):
        page = client.get(
            f"/lookup/{result.dossier.code}/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert 'type="hidden" name="secret"' in page
        assert "Secret" not in page and "Mã bí mật" not in page  # no label for a hidden field


def test_the_json_lookup_also_takes_the_secret_in_a_post_body(client, ward, frozen):
    result = submit(ward, now=at(dt.date(2026, 3, 2)))
    code = result.dossier.code
    url = f"/api/v1/public/dossiers/{code}/lookup"
    ok = client.post(url, {"secret": result.secret}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["code"] == code
    assert client.post(url, {"secret": "SAI"}, content_type="application/json").status_code == 404
    legacy = client.get(f"/api/v1/public/dossiers/{code}", {"secret": result.secret})
    assert legacy.status_code == 200  # the published contract stays


def test_the_timeline_names_who_acted_in_the_pages_language(client, ward, frozen):
    """The role beside each step is stored in Vietnamese and shown in the page's language."""
    result = submit(ward, now=at(dt.date(2026, 3, 2)))
    code = result.dossier.code
    client.post("/lookup/", {"code": code, "secret": result.secret})
    vi = client.get(f"/lookup/{code}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    en = client.get(f"/lookup/{code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    vi_role = "Bộ phận một cửa" if "Bộ phận một cửa" in vi else "Cổng dịch vụ công"
    en_role = {"Bộ phận một cửa": "One-stop desk", "Cổng dịch vụ công": "Public service portal"}
    assert vi_role in vi
    assert en_role[vi_role] in en and vi_role not in en


@pytest.mark.parametrize(
    ("page", "fields", "vi", "en"),
    [
        (
            "/lookup/",
            ("code", "secret"),
            "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Hãy kiểm tra lại hai mã trên "
            "trang xác nhận khi nộp hoặc trên giấy tiếp nhận hồ sơ.",
            "No dossier with this dossier code and lookup code. Check both codes against the "
            "confirmation page shown when you submitted, or the receipt.",
        ),
        (
            "/feedback/follow-up/",
            ("code", "secret"),
            "Không tìm thấy phản ánh với mã phản ánh và mã theo dõi này. Hãy kiểm tra lại hai mã "
            "trên trang xác nhận khi gửi phản ánh.",
            "No report with this report code and follow-up code. Check both codes against the "
            "confirmation page shown when you sent the report.",
        ),
    ],
)
def test_a_lookup_that_finds_nothing_says_what_to_check(ward, frozen, page, fields, vi, en):
    """Seen at 320 px: "Không tìm thấy hồ sơ với mã và mã tra cứu này." and nothing on what to
    do; the English named a "lookup secret" the form calls "Lookup code"."""
    for language, expected in (("vi", vi), ("en", en)):
        browser, token = csrf_browser(page, HTTP_ACCEPT_LANGUAGE=language)
        body = dict.fromkeys(fields, "H26-SAI-0000") | {"csrfmiddlewaretoken": token}
        answer = browser.post(page, body)
        assert answer.status_code == 404 and expected in answer.content.decode(), language
