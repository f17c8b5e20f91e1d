"""Every input path answers a 4xx naming the field; an outage is a 503 (issue 10, item 2)."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from cqdt.config.api import api
from cqdt.feedback import services as feedback_services

pytestmark = pytest.mark.django_db


CATEGORY = "trat-tu-do-thi"


@pytest.fixture
def categories(reference_data):
    feedback_services.categories_load()
    return reference_data


@pytest.fixture
def outside():
    """An outside client: CSRF enforced, and server errors answered, not raised."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def post_json(client: Client, path: str, raw: str):
    return client.post(path, raw, content_type="application/json")


def test_nul_in_a_json_string_is_refused_naming_the_field(outside, categories):
    body = json.dumps({"category": "trat-tu-do-thi", "ward": "00001", "description": "a\u0000b"})
    response = post_json(outside, "/api/v1/public/feedback", body)
    assert response.status_code == 422
    assert response.json()["field"] == "description"


def test_nul_in_a_path_parameter_is_refused_naming_it(outside, reference_data):
    response = outside.get("/api/v1/public/dossiers/a%00b", {"secret": "x"})
    assert response.status_code == 422
    assert response.json()["field"] == "code"


def test_nul_in_the_query_string_is_refused_naming_it(outside, reference_data):
    response = outside.get("/api/v1/units", {"q": "Phúc\x00Xá"})
    assert (response.status_code, response.json()["field"]) == (422, "q")


def test_a_lone_surrogate_is_refused(outside, categories):
    raw = '{"category": "trat-tu-do-thi", "ward": "00001", "description": "a\\ud800b"}'
    response = post_json(outside, "/api/v1/public/feedback", raw)
    assert (response.status_code, response.json()["field"]) == (422, "description")


def test_json_nan_and_infinity_are_not_numbers(outside, categories):
    raw = '{"category": "trat-tu-do-thi", "ward": "00001", "description": "đèn hỏng", "lat": NaN}'
    response = post_json(outside, "/api/v1/public/feedback", raw)
    assert (response.status_code, response.json()["field"]) == (422, "lat")
    raw = '{"category": "trat-tu-do-thi", "ward": "00001", "description": "đèn hỏng", "lon": "Infinity"}'
    response = post_json(outside, "/api/v1/public/feedback", raw)
    assert (response.status_code, response.json()["field"]) == (422, "lon")


@pytest.mark.parametrize("content_type", ["text/plain", "", "application/merge-patch+json"])
def test_a_json_body_sent_without_the_json_content_type_is_guarded_too(
    outside, categories, content_type
):
    """django-ninja reads a JSON body whatever the Content-Type says (``requests.post(data=…)``
    sends none, ``curl -H 'Content-Type: text/plain'`` another), so the guard must read it too:
    the NUL reached the database (a 500 on PostgreSQL) and NaN passed as a coordinate."""
    from cqdt.feedback.models import Report

    raw = json.dumps({"category": CATEGORY, "ward": "00001", "description": "a\u0000b"})
    response = outside.post("/api/v1/public/feedback", raw, content_type=content_type)
    assert (response.status_code, response.json()["field"]) == (422, "description")
    raw = '{"category": "trat-tu-do-thi", "ward": "00001", "description": "đèn hỏng", "lat": NaN}'
    response = outside.post("/api/v1/public/feedback", raw, content_type=content_type)
    assert (response.status_code, response.json()["field"]) == (422, "lat")
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "vi", "en"),
    [
        ({"ward": "00001", "description": "đèn"}, "category", "bắt buộc", "required"),
        (
            {"category": CATEGORY, "ward": "00001", "description": "x" * 4001},
            "description",
            "tối đa 4000 ký tự",
            "at most 4000 characters",
        ),
        (
            {"category": CATEGORY, "ward": "00001", "description": "đèn", "lat": "bắc"},
            "lat",
            "phải là một số",
            "must be a number",
        ),
        (
            {"category": CATEGORY, "ward": "00001", "description": "đèn", "lat": 91},
            "lat",
            "nhỏ hơn hoặc bằng 90",
            "at most 90",
        ),
    ],
)
def test_a_schema_check_is_said_in_vietnamese_first_and_in_english(
    outside, categories, body, field, vi, en
):
    """pydantic's messages are English only: the Vietnamese sentence said "Field required"."""
    response = post_json(outside, "/api/v1/public/feedback", json.dumps(body))
    answer = response.json()
    assert (response.status_code, answer["field"]) == (422, field)
    assert vi in answer["messages"]["vi"] and en in answer["messages"]["en"]
    assert "should" not in answer["messages"]["vi"] and "required" not in answer["messages"]["vi"]


def test_a_body_that_is_not_json_is_a_400_in_our_shape(outside, categories):
    response = post_json(outside, "/api/v1/public/dossiers", "{not json")
    assert response.status_code == 400
    assert response.json()["field"] == "body"
    assert set(response.json()["messages"]) == {"vi", "en"}


@pytest.mark.parametrize(("field", "value"), [("lat", "NaN"), ("long", "Infinity")])
def test_open311_non_finite_coordinates_are_a_400_naming_the_field(
    outside, categories, field, value
):
    from cqdt.core.audit import Actor
    from cqdt.feedback.services import open311_key_issue

    data = {
        "api_key": open311_key_issue(actor=Actor.system("test"), name="test"),
        "service_code": CATEGORY,
        "lat": "21.03",
        "long": "105.85",
        "description": "Đèn hỏng",
    }
    data[field] = value
    response = outside.post("/open311/v2/requests.json", data)
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith(f"{field}:")


def test_open311_nul_in_a_form_field_is_a_400_in_open311_form(outside, categories):
    response = outside.post(
        "/open311/v2/requests.json", {"service_code": CATEGORY, "description": "a\x00b"}
    )
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("description:")


def test_nul_in_a_web_form_is_a_400(outside, categories):
    outside.get("/feedback/new/")
    token = outside.cookies["csrftoken"].value
    response = outside.post(
        "/feedback/new/",
        {"csrfmiddlewaretoken": token, "category": "trat-tu-do-thi", "description": "x\x00"},
    )
    assert response.status_code == 400


def _database_down(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_a_database_outage_is_a_json_503_on_the_api(outside, reference_data):
    with mock.patch("cqdt.units.api.selectors.unit_on", side_effect=_database_down):
        response = outside.get("/api/v1/units/00001")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"]


def test_a_database_outage_while_reading_the_session_is_a_503(outside, reference_data):
    """The session is read during authentication, before the operation runs; a web page
    reads it through Django's auth machinery and answers with a page, not JSON."""
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load", side_effect=_database_down
    ):
        outside.cookies["sessionid"] = "x" * 32
        response = outside.get("/api/v1/dossiers")
        page = outside.get("/staff/")
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert page.status_code == 503
    assert page["Content-Type"].startswith("text/html")


def test_every_operation_declares_its_error_answers():
    schema = api.get_openapi_schema()
    assert "Error" in schema["components"]["schemas"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            for code in ("400", "404", "422", "429", "503"):
                assert code in responses, (method, path, code)
            if operation.get("security"):
                assert {"401", "403"} <= set(responses), (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert "409" in responses, (method, path)
