"""The site's own 400/403/404/429/500 pages (issue 13, item 6): in the site's look, Vietnamese
first and English when the page's language is English; the 500 page renders without a request,
context processors or the database."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation

from cqdt.core.errors import PermissionDenied
from cqdt.core.ratelimit import TooManyRequests
from cqdt.web.middleware import DomainErrorMiddleware
from cqdt.web.views import server_error

middleware = DomainErrorMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]


def _request(path: str = "/x"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


@pytest.mark.django_db
def test_404_is_the_sites_page_in_vietnamese_then_english(client):
    response = client.get("/khong-co-trang-nay/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in body and "web/site.css" in body and 'lang="vi"' in body
    assert "web/favicon.svg" in body
    english = client.get("/khong-co-trang-nay/", headers={"accept-language": "en"})
    assert english.status_code == 404
    assert "Page not found" in english.content.decode()


def test_429_page_names_the_wait_and_sends_retry_after():
    with translation.override("vi"):
        response = middleware.process_exception(
            _request(), TooManyRequests("Quá nhiều yêu cầu.", "Too many.", retry_after=42)
        )
    assert response is not None and response.status_code == 429
    assert response["Retry-After"] == "42"
    body = response.content.decode()
    assert "Quá nhiều yêu cầu" in body and "42 giây" in body and "web/site.css" in body
    with translation.override("en"):
        english = middleware.process_exception(
            _request(), TooManyRequests("Quá nhiều yêu cầu.", "Too many.", retry_after=42)
        )
    assert english is not None and "Too many requests" in english.content.decode()
    assert "42 seconds" in english.content.decode()


def test_403_page_carries_the_refusal():
    with translation.override("vi"):
        response = middleware.process_exception(_request(), PermissionDenied("Không được.", "No."))
    assert response is not None and response.status_code == 403
    body = response.content.decode()
    assert "Bạn không có quyền xem trang này" in body and "Không được." in body


@pytest.mark.django_db
def test_500_page_needs_no_request_context_nor_database(django_assert_max_num_queries):
    request = RequestFactory().get("/procedures/")  # no user, no session: nothing to load
    with translation.override("vi"), django_assert_max_num_queries(0):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Xin lỗi, đã xảy ra lỗi hệ thống" in body and "web/site.css" in body
    assert "Đã xảy ra lỗi hệ thống; lỗi đã được ghi lại." in body
    assert 'id="site-nav"' not in body  # no navigation: it would need the session
    with translation.override("en"):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            english = server_error(request).content.decode()
    assert "Sorry, something went wrong" in english and 'lang="en"' in english
    assert "it has been logged" in english


def test_500_on_the_api_stays_json():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        response = server_error(RequestFactory().get("/api/v1/units/"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
