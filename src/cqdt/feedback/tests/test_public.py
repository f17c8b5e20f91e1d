"""/api/v1/public/feedback: what citizens send and see, without an account.

The public list never carries the reporter's contact; the follow-up (code and secret) shows the
status, the unit responsible now and the timeline's public notes — no staff names; the reporter
closes with a satisfaction score or reopens; the endpoints are rate-limited.
"""

import json

import pytest
from django.test import override_settings

from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import (
    LIGHTING,
    NOW,
    REPORTER,
    SIDEWALK,
    WARD,
    WARD_B,
    counts,
    drive,
    state,
    submit,
)
from cqdt.testing import post_json as post

pytestmark = pytest.mark.django_db
PUBLIC = "/api/v1/public/feedback"
CONTACT = {
    "name": REPORTER["reporter_name"],
    "phone": REPORTER["reporter_phone"],
    "email": REPORTER["reporter_email"],
}


def test_a_citizen_sends_a_report_as_json_and_follows_it_up(client, categories, frozen):
    response = post(
        client,
        PUBLIC,
        {
            "category": SIDEWALK,
            "ward": WARD,
            "description": "Vỉa hè bị lấn chiếm.",
            "lat": 21.04,
            "lon": 105.84,
            **CONTACT,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    code, secret = body["code"], body["secret"]
    assert code == "PA-220315-00001" and len(secret) == 10
    assert body["status"] == "received" and body["responsible_unit"]["name"] == "Phường Phúc Xá"
    assert body["resolve_due_at"] == "2022-03-22T10:00:00Z"
    r = Report.objects.get(code=code)
    assert (r.reporter_name, r.reporter_phone, r.channel) == (
        CONTACT["name"],
        CONTACT["phone"],
        "web",
    )
    follow = client.get(f"{PUBLIC}/{code}", {"secret": secret.lower()})
    assert follow.status_code == 200
    # The 2021 units loaded here carry no geodata: the pin could not be checked, and it says so.
    assert follow.json()["timeline"][0]["note"] == (
        "Đã tiếp nhận phản ánh. Không có dữ liệu vị trí của phường Phúc Xá để đối chiếu điểm ghim."
    )
    for value in CONTACT.values():
        assert value not in follow.content.decode()


def test_the_ward_can_come_from_the_address(client, categories, frozen):
    body = post(
        client,
        PUBLIC,
        {
            "category": LIGHTING,
            "address": "Ngõ 12 phố Quán Thánh, phường Trúc Bạch, quận Ba Đình",
            "description": "Đèn đường hỏng.",
        },
    ).json()
    assert body["ward"]["code"] == WARD_B and body["responsible_unit"]["name"] == "Quận Ba Đình"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "khong-co", "ward": WARD, "description": "x"}, "category"),
        ({"category": SIDEWALK, "ward": WARD}, "description"),
        ({"category": SIDEWALK, "ward": "abc", "description": "x"}, "ward"),
        ({"category": SIDEWALK, "ward": "99999", "description": "x"}, "ward"),
        ({"category": SIDEWALK, "address": "đâu đó", "description": "x"}, "address"),
        ({"category": SIDEWALK, "ward": WARD, "description": "x", "phone": "123"}, "phone"),
        ({"category": SIDEWALK, "ward": WARD, "description": "x", "lat": 50}, "lat"),
        ({"category": SIDEWALK, "ward": WARD, "description": "x", "photos": ["a"]}, "photos"),
    ],
)
def test_refused_reports_answer_422_on_the_field_and_write_nothing(client, categories, body, field):
    before = counts()
    response = post(client, PUBLIC, body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert response.json()["messages"]["vi"] and response.json()["messages"]["en"]
    assert counts() == before


def test_a_body_that_is_not_json_is_refused(client, categories):
    response = client.post(PUBLIC, b"{not json", content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "body"
    assert post(client, PUBLIC, [1, 2]).status_code == 422


def test_the_public_list_never_shows_personal_data(client, wards, frozen):
    first = submit().report
    submit(
        ward=WARD_B,
        reporter_name="Lò Văn Khác",
        reporter_phone="0911000222",
        reporter_email="khac@example.vn",
    )
    drive(wards["a"], first.code, to="resolved")
    response = client.get(PUBLIC)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    text = json.dumps(body, ensure_ascii=False)
    for secret in (
        *REPORTER.values(),
        "Lò Văn Khác",
        "0911000222",
        "khac@example.vn",
        wards["a"]["desk"].full_name,
        wards["a"]["justice"].full_name,
    ):
        assert secret not in text
    item = next(i for i in body["items"] if i["code"] == first.code)
    assert set(item) == {
        "code",
        "category",
        "ward",
        "status",
        "status_label",
        "status_label_en",
        "description",
        "submitted_at",
        "updated_at",
        "responsible_unit",
    }
    assert (item["status_label"], item["status_label_en"]) == ("Đã xử lý", "Resolved")
    assert item["status"] == "resolved" and item["ward"]["name"] == "Phường Phúc Xá"
    assert [i["ward"]["code"] for i in client.get(PUBLIC, {"ward": WARD_B}).json()["items"]] == [
        WARD_B
    ]
    assert client.get(PUBLIC, {"status": "resolved"}).json()["count"] == 1
    assert client.get(PUBLIC, {"category": LIGHTING}).json()["count"] == 0


def test_a_wrong_secret_and_an_unknown_code_answer_alike(client, categories):
    submitted = submit()
    wrong = client.get(f"{PUBLIC}/{submitted.report.code}", {"secret": "SAIMATHEODOI"})
    unknown = client.get(f"{PUBLIC}/PA-220315-99999", {"secret": submitted.secret})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_the_reporter_closes_and_reopens(client, wards, frozen):
    submitted = submit()
    code, secret = submitted.report.code, submitted.secret
    before = counts()
    early = post(client, f"{PUBLIC}/{code}/close", {"secret": secret, "satisfaction": 5})
    assert early.status_code == 409 and counts() == before
    drive(wards["a"], code, to="resolved", now=NOW)
    before, report_before = counts(), state(code)
    assert (
        post(client, f"{PUBLIC}/{code}/close", {"secret": secret, "satisfaction": 6}).status_code
        == 422
    )
    assert (
        post(client, f"{PUBLIC}/{code}/close", {"secret": secret, "satisfaction": 0}).status_code
        == 422
    )
    assert (
        post(client, f"{PUBLIC}/{code}/close", {"secret": "SAI", "satisfaction": 4}).status_code
        == 404
    )
    assert (
        post(client, f"{PUBLIC}/{code}/reopen", {"secret": secret, "reason": ""}).status_code == 422
    )
    assert counts() == before and state(code) == report_before
    body = post(
        client,
        f"{PUBLIC}/{code}/close",
        {"secret": secret, "satisfaction": 3, "comment": "Tạm được"},
    ).json()
    assert body["status"] == "closed" and body["satisfaction"] == 3 and body["can_reopen"] is True
    body = post(
        client, f"{PUBLIC}/{code}/reopen", {"secret": secret, "reason": "Lại lấn chiếm."}
    ).json()
    assert (
        body["status"] == "in_progress"
        and body["reopen_count"] == 1
        and body["satisfaction"] is None
    )
    assert body["timeline"][-1]["note"] == "Người phản ánh chưa hài lòng: Lại lấn chiếm."
    text = json.dumps(body, ensure_ascii=False)
    assert wards["a"]["justice"].full_name not in text and "actor" not in text


def test_categories_list_their_slas(client, categories):
    body = client.get(f"{PUBLIC}/categories").json()
    assert body["count"] == 9
    item = next(i for i in body["items"] if i["code"] == SIDEWALK)
    assert item["acknowledge_within"] == {"value": 8, "unit": "working_hours"}
    assert item["resolve_within"] == {"value": 5, "unit": "working_days"}


@override_settings(CQDT_PUBLIC_RATE_LIMIT=3)
def test_public_endpoints_are_rate_limited(client, categories):
    submitted = submit()
    for _ in range(3):
        assert (
            client.get(
                f"{PUBLIC}/{submitted.report.code}", {"secret": submitted.secret}
            ).status_code
            == 200
        )
    limited = client.get(f"{PUBLIC}/{submitted.report.code}", {"secret": submitted.secret})
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    before = counts()
    body = {"category": SIDEWALK, "ward": WARD, "description": "x"}
    statuses = [post(client, PUBLIC, body).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    assert counts()["reports"] == before["reports"] + 10
