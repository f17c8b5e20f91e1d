"""/api/v1/feedback: a ward's reports through the staff API, scoped by the access policy.

A ward officer sees only the reports their ward holds: another ward's report answers 404 like a
missing one, and the list leaves it out. The reporter's contact is in full for whom the policy
allows ``view_personal_data`` on the report's unit, masked for other staff. Refusals are checked
for their answer and for nothing written.
"""

import datetime as dt
import json

import pytest

from cqdt.feedback import services
from cqdt.feedback.tests.conftest import (
    CITIZEN,
    DISTRICT,
    LIGHTING,
    NOW,
    REPORTER,
    WARD,
    WARD_B,
    at,
    counts,
    drive,
    state,
    submit,
)
from cqdt.testing import json_ok as ok
from cqdt.testing import post_json as post

pytestmark = pytest.mark.django_db
API = "/api/v1/feedback"


def act(client, code, action, body):
    return post(client, f"{API}/{code}/actions/{action}", body)


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def test_unauthenticated_callers_get_401(client, categories):
    assert client.get(API).status_code == 401


def test_a_ward_officer_sees_only_their_wards_reports(client, wards, frozen):
    mine = submit(ward=WARD).report
    theirs = submit(
        ward=WARD_B,
        reporter_name="Lò Văn Khác",
        reporter_phone="0911000222",
        reporter_email="khac@example.vn",
    ).report
    client.force_login(wards["a"]["user_desk"])
    body = ok(client.get(API))
    assert [i["code"] for i in body["items"]] == [mine.code] and body["count"] == 1
    assert "Lò Văn Khác" not in text(client.get(API)) and "0911000222" not in text(client.get(API))
    forbidden = client.get(f"{API}/{theirs.code}")
    missing = client.get(f"{API}/PA-220315-99999")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    assert forbidden.json()["code"] == "report_not_found"
    assert "Lò Văn Khác" not in forbidden.content.decode()
    # Nor can they act on it, nor ask for the other ward's list.
    before, theirs_before = counts(), state(theirs.code)
    assert act(client, theirs.code, "acknowledge", {"version": 1}).status_code == 404
    assert (
        act(
            client, theirs.code, "forward", {"version": 1, "to_unit": WARD, "reason": "x"}
        ).status_code
        == 404
    )
    assert client.get(API, {"unit": WARD_B}).status_code == 404
    assert counts() == before and state(theirs.code) == theirs_before


def test_contact_is_full_for_the_ward_and_the_district_and_masked_for_a_city_monitor(
    client, wards, monitor, frozen
):
    code = submit().report.code
    client.force_login(wards["a"]["user_desk"])
    body = ok(client.get(f"{API}/{code}"))
    assert body["reporter"] == {
        "name": REPORTER["reporter_name"],
        "phone": REPORTER["reporter_phone"],
        "email": REPORTER["reporter_email"],
    }
    client.force_login(wards["user_district_chair"])  # the district committee sees its wards
    assert ok(client.get(f"{API}/{code}"))["reporter"]["phone"] == REPORTER["reporter_phone"]
    client.force_login(monitor)  # the city sees every report, but not who sent it
    detail = client.get(f"{API}/{code}")
    assert ok(detail)["reporter"] == {
        "name": "Q. T. H. N.",
        "phone": "098****321",
        "email": "n***@example.vn",
    }
    assert ok(detail)["reporter_data"] == "masked"
    listing = client.get(API)
    for secret in REPORTER.values():
        assert secret not in text(detail) and secret not in text(listing)


def test_the_list_filters_and_puts_the_oldest_due_first(client, wards, frozen):
    late = submit(now=at(dt.date(2022, 3, 7))).report  # due Mon 14 Mar: overdue on the 15th
    fresh = submit().report
    sooner = submit(category="ve-sinh-moi-truong").report  # 3 working days: due before `fresh`
    services.escalate_overdue(now=NOW)
    client.force_login(wards["a"]["user_desk"])

    def codes(**params):
        return [i["code"] for i in ok(client.get(API, params))["items"]]

    assert codes() == [late.code, sooner.code, fresh.code]
    assert codes(overdue="true") == [late.code]
    assert codes(overdue="false") == [sooner.code, fresh.code]
    assert codes(escalated="true") == [late.code]
    assert codes(escalated="false", unit=WARD) == [sooner.code, fresh.code]
    assert codes(status="acknowledged") == []
    assert codes(limit=1, offset=1) == [sooner.code]
    item = ok(client.get(API))["items"][0]
    assert item["overdue"] is True and item["escalated"] is True
    assert item["escalated_to"] == {"code": DISTRICT, "name": "Quận Ba Đình"}
    assert item["allowed_actions"] == ["acknowledge", "assign", "forward"]
    assert client.get(API, {"status": "lost"}).status_code == 422


def test_a_report_is_handled_through_the_api_with_versions(client, wards, frozen):
    code = submit().report.code
    client.force_login(wards["a"]["user_desk"])
    body = ok(act(client, code, "acknowledge", {"version": 1}))
    assert body["status"] == "acknowledged" and body["version"] == 2
    assert (body["status_label"], body["status_label_en"]) == ("Đã xác nhận", "Acknowledged")
    body = ok(
        act(
            client, code, "assign", {"version": 2, "assignee": str(wards["a"]["justice"].public_id)}
        )
    )
    assert body["assigned_to"]["full_name"] == wards["a"]["justice"].full_name
    client.force_login(wards["a"]["user_justice"])
    body = ok(act(client, code, "start", {"version": 3}))
    body = ok(act(client, code, "resolve", {"version": 4, "resolution": "Đã dẹp hàng quán."}))
    assert body["status"] == "resolved" and body["resolution"] == "Đã dẹp hàng quán."
    assert [e["action"] for e in body["events"]] == [
        "submit",
        "acknowledge",
        "assign",
        "start",
        "resolve",
    ]
    assert body["events"][1]["actor"]["full_name"] == wards["a"]["desk"].full_name
    assert body["allowed_actions"] == []


def test_refused_actions_answer_4xx_and_write_nothing(client, wards, django_user_model, frozen):
    code = submit().report.code
    drive(wards["a"], code, to="acknowledged")
    client.force_login(wards["a"]["user_desk"])
    before, report_before = counts(), state(code)
    stale = act(
        client, code, "assign", {"version": 1, "assignee": str(wards["a"]["justice"].public_id)}
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert stale.json()["field"] == "version"
    wrong_move = act(client, code, "resolve", {"version": 1, "resolution": "x"})
    assert wrong_move.status_code == 409
    assert act(client, code, "start", {"version": 2}).status_code == 409  # nobody assigned yet
    other_ward = act(
        client, code, "assign", {"version": 2, "assignee": str(wards["b"]["justice"].public_id)}
    )
    assert other_ward.status_code == 422 and other_ward.json()["field"] == "assignee"
    nobody = act(client, code, "assign", {"version": 2, "assignee": "khong-co"})
    assert nobody.status_code == 422 and nobody.json()["field"] == "assignee"
    assert (
        act(client, code, "forward", {"version": 2, "to_unit": "99999", "reason": "x"}).status_code
        == 422
    )
    assert (
        act(client, code, "forward", {"version": 2, "to_unit": WARD, "reason": "x"}).status_code
        == 422
    )
    assert act(client, code, "forward", {"version": 2, "to_unit": WARD_B}).status_code == 422
    assert act(client, code, "resolve", {"version": 2}).status_code == 422
    assert act(client, code, "bless", {"version": 2}).status_code == 404
    assert act(client, code, "acknowledge", {}).status_code == 422
    # A district chairman sees the ward's report but is not its staff: 403.
    client.force_login(wards["user_district_chair"])
    assert (
        act(
            client, code, "assign", {"version": 2, "assignee": str(wards["a"]["justice"].public_id)}
        ).status_code
        == 403
    )
    # A login that is no official at all.
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    assert act(client, code, "start", {"version": 2}).status_code == 403
    assert counts() == before and state(code) == report_before


def test_a_report_sent_to_the_wrong_ward_is_forwarded_and_leaves_the_first_wards_view(
    client, wards, frozen
):
    submitted = submit()
    code = submitted.report.code
    client.force_login(wards["a"]["user_desk"])
    body = ok(
        act(
            client,
            code,
            "forward",
            {"version": 1, "to_unit": WARD_B, "reason": "Thuộc phường Trúc Bạch"},
        )
    )
    assert (
        body["unit"] == {"code": WARD_B, "name": "Phường Trúc Bạch"} and body["forwarded"] is True
    )
    assert body["reporter"]["phone"] == "098****321"  # not their ward's report any more
    assert client.get(f"{API}/{code}").status_code == 404
    assert ok(client.get(API))["count"] == 0
    client.force_login(wards["b"]["user_desk"])
    body = ok(client.get(f"{API}/{code}"))
    assert body["status"] == "received" and body["original_unit"]["code"] == WARD
    assert body["reporter"]["phone"] == REPORTER["reporter_phone"]
    follow_up = client.get(f"/api/v1/public/feedback/{code}", {"secret": submitted.secret}).json()
    assert follow_up["responsible_unit"] == {"code": WARD_B, "name": "Phường Trúc Bạch"}


def test_district_reports_are_the_districts(client, wards, frozen):
    code = submit(category=LIGHTING).report.code
    client.force_login(wards["a"]["user_desk"])
    assert client.get(f"{API}/{code}").status_code == 404
    client.force_login(wards["user_district_chair"])
    body = ok(act(client, code, "acknowledge", {"version": 1}))
    assert body["unit"]["code"] == DISTRICT and body["status"] == "acknowledged"
    services.report_assign(
        actor=CITIZEN,
        official=wards["district_chair"],
        code=code,
        version=2,
        assignee=wards["district_chair"],
        now=NOW,
    )
