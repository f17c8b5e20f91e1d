"""/api/v1/oversight: scope (404 outside it, the same as missing), the rules as 4xx with nothing
written, and the deputy's and the council's views."""

import datetime as dt
import uuid

import pytest
from django.apps import apps
from django.test import Client

from cqdt.oversight.models import DialogueConference, Petition
from cqdt.oversight.tests.conftest import (
    TODAY,
    WARD_B,
    WARD_C,
    announce,
    answer,
    counts,
    hold,
    petition,
    record_meeting,
)
from cqdt.testing import at
from cqdt.testing import post_json as post
from cqdt.testing.factories import WARD

pytestmark = pytest.mark.django_db
API = "/api/v1/oversight"


@pytest.fixture
def as_user(ba_dinh, frozen):
    """A separate client per login, so that several users can act in one test."""

    def login(key):
        client = Client()
        client.force_login(ba_dinh["users"][key])
        return client

    return login


def test_requests_without_a_login_get_401(client, ba_dinh):
    assert client.get(f"{API}/petitions").status_code == 401


def test_the_deputy_sees_the_petitions_of_the_constituency_with_overdue_answers_first(
    as_user, ba_dinh
):
    petition(ba_dinh, day=dt.date(2024, 2, 20), content="Còn hạn")
    late = petition(ba_dinh, day=dt.date(2024, 1, 10), content="Quá hạn")
    petition(ba_dinh, ward=WARD_B, day=dt.date(2024, 2, 1), content="Trúc Bạch")
    record_meeting(ba_dinh, WARD_C, at(dt.date(2024, 1, 5)), seat="other_seat")
    client = as_user("deputy")
    body = client.get(f"{API}/petitions").json()
    assert [i["content"] for i in body["items"]] == ["Quá hạn", "Trúc Bạch", "Còn hạn"]
    assert body["items"][0]["overdue"] is True and body["items"][0]["id"] == str(late.public_id)
    only = client.get(f"{API}/petitions", {"ward": WARD}).json()
    assert [i["content"] for i in only["items"]] == ["Quá hạn", "Còn hạn"]
    by_ward = client.get(f"{API}/petitions/by-ward").json()["items"]
    assert by_ward[0]["ward_code"] == WARD and by_ward[0]["overdue"] == 1
    # Vĩnh Phúc is not in the deputy's constituency: its meetings are invisible, and asking is 404.
    assert client.get(f"{API}/meetings").json()["count"] == 3
    assert client.get(f"{API}/petitions", {"ward": WARD_C}).status_code == 404
    assert client.get(f"{API}/petitions", {"ward": "00037"}).status_code == 404


def test_a_record_out_of_scope_answers_exactly_like_a_missing_one(as_user, ba_dinh):
    p = petition(ba_dinh)
    c = announce(ba_dinh)
    client = as_user("chair_b")
    for kind, obj in (("petitions", p), ("conferences", c)):
        hidden = client.get(f"{API}/{kind}/{obj.public_id}")
        missing = client.get(f"{API}/{kind}/{uuid.uuid4()}")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()
    assert client.get(f"{API}/petitions/not-a-uuid").status_code == 404
    # Writing to it is the same 404, and nothing changes.
    before = counts()
    r = post(client, f"{API}/petitions/{p.public_id}/answer", {"version": 1, "answer": "x"})
    assert r.status_code == 404
    r = post(
        client,
        f"{API}/conferences",
        {
            "ward_code": WARD,
            "scheduled_at": "2024-03-20T08:00:00+07:00",
            "topic": "x",
            "announcement_channels": ["residential_group_heads"],
        },
    )
    assert r.status_code == 404
    assert counts() == before
    assert (
        client.get(
            f"{API}/wards/{WARD}/report", {"from": "2024-01-01", "to": "2024-03-01"}
        ).status_code
        == 404
    )


def test_the_district_sees_its_wards_and_the_city_its_province_s(as_user, ba_dinh):
    petition(ba_dinh, ward=WARD_B)
    assert as_user("district_chair").get(f"{API}/petitions").json()["count"] == 1
    assert as_user("monitor").get(f"{API}/petitions").json()["count"] == 1
    assert as_user("chair").get(f"{API}/petitions").json()["count"] == 0
    councils = as_user("chair").get(f"{API}/councils").json()
    assert councils["count"] == 1  # the council that supervises the ward


def test_the_ward_chairman_answers_through_the_api_and_others_get_403(as_user, ba_dinh):
    p = petition(ba_dinh)
    before = counts()
    r = post(
        as_user("vice"), f"{API}/petitions/{p.public_id}/answer", {"version": 1, "answer": "x"}
    )
    assert r.status_code == 403
    assert r.json()["code"] == "not_competent_to_answer"
    assert counts() == before
    r = post(
        as_user("chair"),
        f"{API}/petitions/{p.public_id}/answer",
        {"version": 1, "answer": "Đã xử lý"},
    )
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "answered" and r.json()["answered_late"] is True
    by_ward = as_user("deputy").get(f"{API}/petitions/by-ward").json()["items"]
    assert (by_ward[0]["answered"], by_ward[0]["answered_late"]) == (1, 1)
    r = post(
        as_user("chair"), f"{API}/petitions/{p.public_id}/answer", {"version": 1, "answer": "x"}
    )
    assert r.status_code == 409
    r = post(
        as_user("deputy"),
        f"{API}/petitions/{p.public_id}/follow-up",
        {"version": 2, "note": "Cử tri đồng tình", "close": True},
    )
    assert r.status_code == 200 and r.json()["status"] == "closed"


def _meeting(ba_dinh) -> dict[str, object]:
    """A voter-contact meeting's body for POST /meetings (no count of voters)."""
    return {
        "council": str(ba_dinh["council"].public_id),
        "ward_code": WARD,
        "held_at": "2024-03-01T19:30:00+07:00",
        "location": "Nhà văn hóa",
        "deputies": [str(ba_dinh["seat"].public_id)],
    }


def test_the_deputy_records_a_meeting_and_its_petitions(as_user, ba_dinh):
    client = as_user("deputy")
    r = post(client, f"{API}/meetings", _meeting(ba_dinh) | {"attendees": 90})
    assert r.status_code == 200, r.json()
    meeting_id = r.json()["id"]
    r = post(
        client,
        f"{API}/petitions",
        {"meeting": meeting_id, "content": "Đề nghị lắp đèn", "routed_level": "ward"},
    )
    assert r.status_code == 200
    assert r.json()["answer_due"] == "2024-03-31"
    detail = client.get(f"{API}/meetings/{meeting_id}").json()
    assert len(detail["petitions"]) == 1
    before = counts()
    r = post(
        as_user("chair"),
        f"{API}/petitions",
        {"meeting": meeting_id, "content": "x", "routed_level": "ward"},
    )
    assert r.status_code == 403
    r = post(
        client, f"{API}/petitions", {"meeting": meeting_id, "content": "x", "routed_level": "city"}
    )
    assert r.status_code == 422 and r.json()["field"].endswith("routed_level")
    assert counts() == before


def test_a_meeting_recorded_without_attendees_answers_null_not_0(as_user, ba_dinh):
    client = as_user("deputy")
    r = post(client, f"{API}/meetings", _meeting(ba_dinh))
    assert r.status_code == 200, r.json()
    assert r.json()["attendees"] is None
    assert client.get(f"{API}/meetings/{r.json()['id']}").json()["attendees"] is None


def test_acceptance_an_announcement_six_days_ahead_is_refused_with_422_and_seven_accepted(
    as_user, ba_dinh
):
    client = as_user("chair")
    body = {
        "ward_code": WARD,
        "topic": "Trật tự đô thị",
        "announcement_channels": ["residential_group_heads", "loudspeaker"],
    }
    before = counts()
    r = post(client, f"{API}/conferences", body | {"scheduled_at": "2024-03-10T08:00:00+07:00"})
    assert r.status_code == 422
    err = r.json()
    assert err["code"] == "notice_too_short" and err["field"] == "scheduled_at"
    assert "11/03/2024" in err["messages"]["vi"] and "2024-03-11" in err["messages"]["en"]
    assert counts() == before
    r = post(client, f"{API}/conferences", body | {"scheduled_at": "2024-03-11T08:00:00+07:00"})
    assert r.status_code == 200, r.json()
    assert r.json()["notice_days"] == 7
    assert r.json()["attendees"] is None  # not held yet: no count, not 0
    from cqdt.core.models import AuditEvent

    announced = AuditEvent.objects.filter(action="conference.announce").latest("id")
    assert announced.after["attendees"] is None  # the audit record says so too
    assert DialogueConference.objects.count() == 1


def test_conference_flags_list_the_ward_short_with_its_evidence(as_user, ba_dinh):
    c = announce(
        ba_dinh, ward=WARD_B, official_key="chair_b", announced=dt.date(2023, 4, 3), days=9
    )
    hold(ba_dinh, c, official_key="chair_b")
    for d in (dt.date(2023, 4, 3), dt.date(2023, 10, 2)):
        hold(ba_dinh, announce(ba_dinh, announced=d, days=9))
    body = as_user("deputy").get(f"{API}/conferences/flags", {"year": 2023}).json()
    assert body["minimum"] == 2
    assert [(f["ward_code"], f["held"], f["held_dates"]) for f in body["items"]] == [
        (WARD_B, 1, ["2023-04-12"]),
    ]
    district = as_user("district_chair").get(f"{API}/conferences/flags", {"year": 2023}).json()
    assert {f["ward_code"] for f in district["items"]} == {WARD_B}
    # WARD_C recorded no conference: not flagged on no evidence, but not forgotten either.
    not_judged = {n["ward_code"]: n["reason"] for n in district["not_judged"]}
    assert not_judged[WARD_C] == "not_recorded" and WARD not in not_judged


def test_questioning_through_the_api(as_user, ba_dinh):
    r = post(
        as_user("deputy"),
        f"{API}/questions",
        {
            "council": str(ba_dinh["council"].public_id),
            "session_date": "2024-03-01",
            "ward_code": WARD,
            "addressed_to": str(ba_dinh["chair"].public_id),
            "question": "Vì sao?",
        },
    )
    assert r.status_code == 200, r.json()
    qid = r.json()["id"]
    chair = as_user("chair")
    assert (
        post(chair, f"{API}/questions/{qid}/answer", {"answer": "Vì thiếu người."}).status_code
        == 200
    )
    r = post(
        chair,
        f"{API}/questions/{qid}/commitments",
        {"text": "Bổ sung người", "due_date": "2024-03-03"},
    )
    assert r.status_code == 200
    cid = r.json()["id"]
    record = (
        as_user("deputy").get(f"{API}/councils/{ba_dinh['council'].public_id}/questions").json()
    )
    assert (record["asked"], record["commitments_overdue"]) == (1, 1)
    assert record["items"][0]["commitments"][0]["overdue"] is True
    r = post(chair, f"{API}/commitments/{cid}/progress", {"version": 1, "done": True})
    assert r.status_code == 200 and r.json()["status"] == "done"
    assert as_user("chair_c").get(f"{API}/questions/{qid}").status_code == 404


def test_reception_log_and_the_ward_report(as_user, ba_dinh):
    client = as_user("chair")
    day = {"ward_code": WARD, "date": "2024-02-29", "citizens_received": 4, "matters": 2}
    r = post(client, f"{API}/receptions", day)
    assert r.status_code == 200, r.json()
    assert post(client, f"{API}/receptions", day).status_code == 409  # the same day again
    assert client.get(f"{API}/receptions", {"ward": WARD}).json()["count"] == 1
    earlier = {"ward_code": WARD, "date": "2024-01-30", "citizens_received": 1, "matters": 0}
    assert post(client, f"{API}/receptions", earlier).status_code == 200
    p = petition(ba_dinh)
    answer(ba_dinh, p, version=1, now=at(dt.date(2024, 2, 12)))
    hold(ba_dinh, announce(ba_dinh, announced=dt.date(2024, 1, 8), days=9))
    report = as_user("deputy").get(
        f"{API}/wards/{WARD}/report", {"from": "2024-01-01", "to": "2024-03-03"}
    )
    assert report.status_code == 200, report.json()
    r = report.json()
    assert r["ward"]["code"] == WARD
    assert r["supervised_by"]["unit_code"] == "001"
    assert r["petitions"]["recorded"] is True
    assert r["petitions"]["received"] == 1 and r["petitions"]["answered_late"] == 1
    assert r["conferences"]["held"] == 1
    assert r["conferences"]["by_year"][0]["short"] is True
    assert r["receptions"]["days"] == 2
    # Checked from the week of the first reception (Tuesday 30 January): the weeks of 5, 12 and
    # 19 February had none; the week of 26 February had its day; January's first four weeks,
    # before any record, are not flagged.
    assert r["receptions"]["weeks_checked_from"] == "2024-01-29"
    assert r["receptions"]["weeks_short"] == ["2024-02-05", "2024-02-12", "2024-02-19"]
    assert set(r["dossiers"]) >= {"received", "returned", "returned_late", "late"}
    assert r["feedback"]["available"] is apps.is_installed("cqdt.feedback")
    bad = as_user("deputy").get(
        f"{API}/wards/{WARD}/report", {"from": "2024-03-01", "to": "2024-01-01"}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "to"


@pytest.mark.parametrize(
    "period, field, words",
    [
        # Not yet begun (the tests' today is 4 March 2024): nothing recorded, not zeros.
        (("2024-03-05", "2024-12-31"), "from", "chưa bắt đầu"),
        (("9999-01-01", "9999-12-31"), "from", "chưa bắt đầu"),  # was a 500 (OverflowError)
        (("0001-01-01", "0001-12-31"), "from", "1900"),  # was a 500 (OverflowError)
        (("2018-01-01", "2024-03-01"), "to", "5 năm"),
    ],
    ids=["future", "year-9999", "year-1", "over-5-years"],
)
def test_a_report_period_out_of_bounds_is_a_422_naming_the_parameter(
    as_user, ba_dinh, period, field, words
):
    response = as_user("deputy").get(
        f"{API}/wards/{WARD}/report", {"from": period[0], "to": period[1]}
    )
    assert response.status_code == 422, response.content[:300]
    assert response.json()["field"] == field and words in response.json()["message"]


def test_the_ward_report_over_nothing_recorded_says_so_not_zero(as_user, ba_dinh):
    """Trúc Bạch recorded no reception and no conference: the sums over no records are null and
    no week or year is flagged short on no evidence (missing data is not zero)."""
    report = as_user("deputy").get(
        f"{API}/wards/{WARD_B}/report", {"from": "2024-01-01", "to": "2024-03-03"}
    )
    assert report.status_code == 200, report.json()
    receptions, conferences = report.json()["receptions"], report.json()["conferences"]
    assert (receptions["sessions"], receptions["days"]) == (None, None)
    assert receptions["recorded"] is False
    assert receptions["citizens_received"] is None and receptions["matters"] is None
    assert receptions["weeks_short"] is None  # not every week of the period
    assert conferences["recorded"] is False
    assert conferences["held"] is None and conferences["attendees"] is None
    body = report.json()
    assert body["questioning"]["recorded"] is False and body["questioning"]["asked"] is None
    for section in ("dossiers", "petitions"):
        assert body[section]["recorded"] is False, section
        assert body[section]["received"] is None, section  # not "0 received"
    if body["feedback"]["available"]:
        assert body["feedback"]["recorded"] is False and body["feedback"]["received"] is None
    assert conferences["by_year"][0]["recorded"] is False
    assert conferences["by_year"][0]["short"] is None


def test_the_ward_report_sums_what_was_recorded(as_user, ba_dinh):
    client = as_user("chair")
    for day, citizens in (("2024-02-27", 4), ("2024-02-29", 0)):
        body = {"ward_code": WARD, "date": day, "citizens_received": citizens, "matters": 1}
        assert post(client, f"{API}/receptions", body).status_code == 200
    hold(ba_dinh, announce(ba_dinh, announced=dt.date(2024, 1, 8), days=9))
    r = (
        as_user("deputy")
        .get(f"{API}/wards/{WARD}/report", {"from": "2024-01-01", "to": "2024-03-03"})
        .json()
    )
    assert r["receptions"]["recorded"] is True
    assert (r["receptions"]["citizens_received"], r["receptions"]["matters"]) == (4, 2)
    # The weeks are checked from the week of the first reception (Monday 26 February), not
    # from 1 January: the seven weeks before it held no record, so no evidence of a shortfall.
    assert r["receptions"]["weeks_checked_from"] == "2024-02-26"
    assert r["receptions"]["weeks_short"] == []
    assert r["conferences"]["recorded"] is True and r["conferences"]["held"] == 1
    assert r["conferences"]["attendees"] == 120
    # Recorded, but none in this period: the count is 0, the sums are not.
    later = (
        as_user("deputy")
        .get(f"{API}/wards/{WARD}/report", {"from": "2024-03-01", "to": "2024-03-03"})
        .json()
    )
    assert later["receptions"]["sessions"] == 0 and later["receptions"]["recorded"] is True
    assert later["receptions"]["citizens_received"] is None
    assert later["conferences"]["attendees"] is None
    assert later["conferences"]["by_year"][0]["recorded"] is True


def test_rules_and_councils_read(as_user, ba_dinh):
    client = as_user("deputy")
    rules_body = client.get(f"{API}/rules").json()
    assert rules_body["conference_notice_days"] == 7
    assert "32/2021" in rules_body["sources"]["conferences_per_year"]
    council = client.get(f"{API}/councils/{ba_dinh['council'].public_id}").json()
    assert {d["full_name"] for d in council["deputies"]} == {"Trần Đại Biểu", "Lê Thị Cử"}
    deputies = client.get(
        f"{API}/councils/{ba_dinh['council'].public_id}/deputies", {"on": "2024-01-01"}
    )
    assert deputies.json()["count"] == 2
    assert client.get(f"{API}/deputies/{ba_dinh['seat'].public_id}").status_code == 200
    assert Petition.objects.count() == 0


def test_the_openapi_document_carries_the_oversight_endpoints(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    report = doc["paths"]["/api/v1/oversight/wards/{code}/report"]["get"]
    assert {p["name"] for p in report["parameters"]} == {"code", "from", "to"}
    assert "/api/v1/oversight/conferences/flags" in doc["paths"]
    assert "/api/v1/oversight/petitions/{petition_id}/answer" in doc["paths"]


def test_holding_and_cancelling_a_conference_through_the_api(as_user, ba_dinh):
    held = announce(ba_dinh, announced=TODAY - dt.timedelta(days=7))
    url = f"{API}/conferences/{held.public_id}"
    hold = {"version": 1, "attendees": 40, "minutes": "Biên bản"}
    before = counts()
    assert post(as_user("desk"), f"{url}/hold", hold).status_code == 403
    assert post(as_user("chair_b"), f"{url}/hold", hold).status_code == 404
    assert counts() == before
    chair = as_user("chair")
    r = post(chair, f"{url}/hold", hold)
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["status"], body["attendees"], body["minutes"], body["version"]) == (
        "held",
        40,
        "Biên bản",
        2,
    )
    assert post(chair, f"{url}/cancel", {"version": 1, "reason": "x"}).status_code == 409
    later = announce(ba_dinh, announced=TODAY, topic="Lần sau")
    r = post(chair, f"{API}/conferences/{later.public_id}/cancel", {"version": 1, "reason": "Mưa"})
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["cancel_reason"]) == ("cancelled", "Mưa")
    r = post(chair, f"{API}/conferences/{later.public_id}/cancel", {"version": 2, "reason": ""})
    assert r.status_code == 422
