import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.testing import post_json as post
from cqdt.testing.factories import APPLICANT_FIELDS

pytestmark = pytest.mark.django_db


@time_machine.travel(
    dt.datetime(2026, 2, 12, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False
)
def test_counter_intake_to_returned_through_the_api(client, ward):
    client.force_login(ward["user_desk"])
    r = post(
        client,
        "/api/v1/dossiers",
        {
            "unit": "00001",
            "procedure": "xac-nhan-tinh-trang-hon-nhan",
            "applicant": APPLICANT_FIELDS,
            "documents": ["to_khai"],
        },
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    code = body["code"]
    assert body["status"] == "accepted"
    # Thu 12 Feb 2026 + 3 working days skips Tết (14–22 Feb): 13, 23, 24 Feb.
    # 17:00 in Hanoi, answered in UTC as every read answers it (661a139, QA Q24).
    assert body["due_at"] == "2026-02-24T10:00:00Z"
    assert code.endswith("-260212-0001")
    v = body["version"]
    r = post(
        client,
        f"/api/v1/dossiers/{code}/actions/assign",
        {"version": v, "assignee": str(ward["justice"].public_id)},
    )
    assert r.status_code == 200, r.json()
    client.force_login(ward["user_justice"])
    v = r.json()["version"]
    r = post(client, f"/api/v1/dossiers/{code}/actions/submit_for_signature", {"version": v})
    assert r.status_code == 200, r.json()
    v = r.json()["version"]
    r = post(client, f"/api/v1/dossiers/{code}/actions/sign", {"version": v})
    assert r.status_code == 403  # the justice officer has no authority to sign
    client.force_login(ward["user_chair"])
    testing.second_factor(client, ward["user_chair"])
    r = post(client, f"/api/v1/dossiers/{code}/actions/sign", {"version": v})
    assert r.status_code == 200, r.json()
    assert r.json()["signature_block"] == "CHỦ TỊCH"
    client.force_login(ward["user_desk"])
    r = post(
        client, f"/api/v1/dossiers/{code}/actions/return_result", {"version": r.json()["version"]}
    )
    assert r.status_code == 200 and r.json()["status"] == "returned"
    r = client.get(f"/api/v1/public/dossiers/{code}", {"secret": body["lookup_secret"]})
    assert r.status_code == 200 and r.json()["can_rate"] is True
    r = post(
        client,
        f"/api/v1/public/dossiers/{code}/rating",
        {"secret": body["lookup_secret"], "rating": 5},
    )
    assert r.status_code == 200
