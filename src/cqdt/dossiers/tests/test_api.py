"""/api/v1/dossiers: the one-stop shop through the staff API alone.

Every refusal is checked twice: the answer (status, ``code``, ``field``, both messages) and that
nothing was written (status, version, timeline, audit, outbox and the day's sequence).
"""

import datetime as dt
import json
import unicodedata

import pytest

from cqdt import testing
from cqdt.authority.selectors import authority_check
from cqdt.core.models import AuditEvent
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import (
    COPY,
    ID_NUMBER,
    MARITAL,
    NAMES,
    WARD,
    WARD_B,
    at,
    counts,
    drive,
    submit,
)
from cqdt.testing import json_ok as ok
from cqdt.testing import post_json as post
from cqdt.workdays.selectors import calendar_for

pytestmark = pytest.mark.django_db

D = dt.date
API = "/api/v1/dossiers"
APPLICANT = {
    "kind": "person",
    "name": "Trần Thị Bích",
    "id_number": ID_NUMBER,
    "phone": "0912345678",
    "email": "bich@example.vn",
    "address": "12 Phó Đức Chính",
}
INTAKE = {"unit": WARD, "procedure": MARITAL, "applicant": APPLICANT, "documents": ["to_khai"]}


def act(client, code, action, body):
    return post(client, f"{API}/{code}/actions/{action}", body)


def due(body):
    return dt.datetime.fromisoformat(body["due_at"])


# --- the whole journey ------------------------------------------------------------------------------


def test_counter_intake_to_returned_result_across_tet_with_a_supplement_pause(client, ward, frozen):
    frozen.move_to(at(D(2026, 2, 12), 9))
    client.force_login(ward["user_desk"])
    body = ok(post(client, API, INTAKE))
    code, secret = body["code"], body["lookup_secret"]
    assert code == "H26.001.00001-260212-0001"
    assert body["status"] == "accepted"
    assert (body["status_label"], body["status_label_en"]) == ("Đã tiếp nhận", "Accepted")
    # Thu 12 Feb + 3 working days: Fri 13, Mon 23, Tue 24 (Tết 2026: Sat 14 – Sun 22 Feb off).
    assert due(body) == at(D(2026, 2, 24), 17)
    assert body["applicant"]["id_number"] == ID_NUMBER  # the desk may see personal data

    frozen.move_to(at(D(2026, 2, 12), 9, 30))
    body = ok(
        act(
            client,
            code,
            "assign",
            {"version": body["version"], "assignee": str(ward["justice"].public_id)},
        )
    )
    assert body["assigned_to"]["full_name"] == NAMES["justice"]
    client.force_login(ward["user_justice"])
    frozen.move_to(at(D(2026, 2, 12), 10))
    body = ok(act(client, code, "start_processing", {"version": body["version"]}))

    asked = at(D(2026, 2, 13), 10)  # day X, the last working day before Tết
    frozen.move_to(asked)
    body = ok(
        act(
            client,
            code,
            "request_supplement",
            {
                "version": body["version"],
                "reason": "Thiếu giấy tờ",
                "missing_documents": ["giay_to_khac"],
            },
        )
    )
    assert body["status"] == "supplement_requested"
    assert body["overdue"] is False

    resumed = at(D(2026, 2, 26), 14)  # day Y, after the old due date: the clock stood still
    frozen.move_to(resumed)
    client.force_login(ward["user_desk"])
    body = ok(
        act(client, code, "resubmit", {"version": body["version"], "documents": ["giay_to_khac"]})
    )
    paused = calendar_for(unit_code=WARD).working_days_between(asked.date(), resumed.date())
    assert paused == 4
    assert due(body) == at(
        calendar_for(unit_code=WARD).add_working_days(D(2026, 2, 24), paused), 17
    )
    assert due(body) == at(D(2026, 3, 2), 17)
    assert dt.datetime.fromisoformat(body["original_due_at"]) == at(D(2026, 2, 24), 17)
    assert body["paused_working_days"] == paused
    assert [p["paused_working_days"] for p in body["pauses"]] == [paused]
    assert body["pauses"][0]["resumed_at"] is not None
    assert body["status"] == "processing" and body["overdue"] is False

    client.force_login(ward["user_justice"])
    body = ok(
        act(
            client,
            code,
            "submit_for_signature",
            {"version": body["version"], "result_note": "Đủ điều kiện"},
        )
    )
    frozen.move_to(at(D(2026, 2, 27), 10))
    client.force_login(ward["user_chair"])
    testing.second_factor(client, ward["user_chair"])
    body = ok(act(client, code, "sign", {"version": body["version"]}))
    assert body["signature_block"] == "CHỦ TỊCH"
    assert body["signature_basis"]["basis"] == "appointment"
    frozen.move_to(at(D(2026, 3, 2), 10))
    client.force_login(ward["user_desk"])
    body = ok(act(client, code, "return_result", {"version": body["version"]}))
    assert body["status"] == "returned"
    assert body["overdue"] is False and body["late_without_apology"] is False
    assert body["allowed_actions"] == []
    assert [e["action"] for e in body["events"]] == [
        "submit",
        "accept",
        "assign",
        "start_processing",
        "request_supplement",
        "resubmit",
        "submit_for_signature",
        "sign",
        "return_result",
    ]
    assert (
        client.get(f"/api/v1/public/dossiers/{code}", {"secret": secret}).json()["can_rate"] is True
    )


# --- signing --------------------------------------------------------------------------------------


def _awaiting(ward, procedure=MARITAL):
    d = submit(ward, now=at(D(2026, 3, 2)), procedure=procedure).dossier
    return drive(ward, d.code, to="awaiting_signature", now=at(D(2026, 3, 2)))


@pytest.mark.parametrize("who", ["justice", "vice"])
def test_signing_without_authority_is_refused_with_the_reason_and_changes_nothing(
    client, ward, frozen, who
):
    d = _awaiting(ward)
    before, audit = counts(), AuditEvent.objects.count()
    client.force_login(ward[f"user_{who}"])
    testing.second_factor(client, ward[f"user_{who}"])
    response = act(client, d.code, "sign", {"version": d.version})
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "no_signing_authority"
    assert body["field"] == "official"
    reason = authority_check(ward[who], "register_civil_status", WARD, at(D(2026, 3, 2)))
    assert not reason.allowed
    assert body["messages"] == {"vi": reason.reason_vi, "en": reason.reason_en}
    assert body["message"] == reason.reason_vi
    fresh = Dossier.objects.get(pk=d.pk)
    assert (fresh.status, fresh.version, fresh.signed_by_id) == (
        "awaiting_signature",
        d.version,
        None,
    )
    assert AuditEvent.objects.count() == audit and counts() == before


def test_a_delegates_signature_records_the_delegation(client, ward, frozen):
    testing.delegate(ward, D(2026, 1, 5), valid_to=D(2026, 6, 30))
    d = _awaiting(ward, procedure=COPY)
    client.force_login(ward["user_justice"])
    testing.second_factor(client, ward["user_justice"])
    body = ok(act(client, d.code, "sign", {"version": d.version}))
    assert body["status"] == "signed"
    assert body["signature_basis"]["basis"] == "delegation"
    assert body["signature_basis"]["instrument"]["number"] == "15/QĐ-UBND"
    assert body["signature_block"] == "TUQ. CHỦ TỊCH\nCÔNG CHỨC TƯ PHÁP - HỘ TỊCH"
    assert body["signed_by"]["full_name"] == NAMES["justice"]


def test_a_vice_chairman_with_the_field_signs_kt(client, ward, frozen):
    testing.assign_field(ward, D(2026, 1, 5))
    d = _awaiting(ward)
    client.force_login(ward["user_vice"])
    testing.second_factor(client, ward["user_vice"])
    body = ok(act(client, d.code, "sign", {"version": d.version}))
    assert body["signature_block"] == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert body["signature_basis"]["basis"] == "field_assignment"


# --- bad input ------------------------------------------------------------------------------------


def _with(change):
    body = json.loads(json.dumps(INTAKE))
    for key, value in change.items():
        if key.startswith("applicant."):
            body["applicant"][key.split(".", 1)[1]] = value
        else:
            body[key] = value
    return body


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"procedure": "khong-co-thu-tuc-nay"}, "procedure", "unknown_procedure"),
        ({"documents": []}, "documents", "missing_documents"),
        ({"documents": ["giay_to_khac"]}, "documents", "missing_documents"),
        ({"applicant.id_number": "00119001234"}, "applicant.id_number", "invalid_citizen_id"),
        ({"applicant.id_number": "00119001234A"}, "applicant.id_number", "invalid_citizen_id"),
        ({"applicant.id_number": "999190012345"}, "applicant.id_number", "invalid_citizen_id"),
        ({"applicant.id_number": ""}, "applicant.id_number", "invalid_citizen_id"),
        ({"applicant.phone": "12345"}, "applicant.phone", "invalid_input"),
        ({"applicant.email": "not-an-address"}, "applicant.email", "invalid_input"),
        ({"applicant.name": "x" * 151}, "applicant.name", "invalid_input"),
        ({"note": "x" * 1001}, "note", "invalid_input"),
        pytest.param(
            {"applicant.id_number": "001١٩٠٠١٢٣٤٥"},  # Arabic-Indic digits
            "applicant.id_number",
            "invalid_citizen_id",
        ),
    ],
)
def test_bad_intake_is_4xx_naming_the_field_and_writes_nothing(
    client, ward, frozen, change, field, code
):
    client.force_login(ward["user_desk"])
    before = counts()
    response = post(client, API, _with(change))
    assert 400 <= response.status_code < 500
    body = response.json()
    assert (body["field"], body["code"]) == (field, code)
    assert body["messages"]["vi"] and body["messages"]["en"]
    assert counts() == before


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_model_check_names_the_field_as_sent_each_message_in_its_own_language(
    client, ward, frozen, language
):
    """The model's email check: the sentence named ``applicant_email`` (the column, not what
    the client sent) and both messages carried the check in the request's language."""
    client.force_login(ward["user_desk"])
    response = client.post(
        API,
        json.dumps(_with({"applicant.email": "not-an-address"})),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    body = response.json()
    assert (response.status_code, body["field"]) == (422, "applicant.email")
    vi, en = body["messages"]["vi"], body["messages"]["en"]
    assert "“applicant.email”" in vi and "“applicant.email”" in en
    assert "Enter a valid email address." in en and "Enter a valid" not in vi
    assert "applicant_email" not in json.dumps(body, ensure_ascii=False)


def test_a_wrong_version_is_409_on_version_and_writes_nothing(client, ward, frozen):
    d = submit(ward, now=at(D(2026, 3, 2))).dossier
    client.force_login(ward["user_desk"])
    before = counts()
    response = act(
        client,
        d.code,
        "assign",
        {"version": d.version + 1, "assignee": str(ward["justice"].public_id)},
    )
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("stale_version", "version")
    assert Dossier.objects.get(pk=d.pk).version == d.version
    assert counts() == before


def test_a_move_the_table_forbids_is_409(client, ward, frozen):
    d = submit(ward, now=at(D(2026, 3, 2))).dossier
    client.force_login(ward["user_chair"])
    response = act(client, d.code, "return_result", {"version": d.version})
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


def test_an_unknown_action_or_assignee_is_404(client, ward, frozen):
    d = submit(ward, now=at(D(2026, 3, 2))).dossier
    client.force_login(ward["user_desk"])
    response = act(client, d.code, "teleport", {"version": d.version})
    assert response.status_code == 404 and response.json()["code"] == "unknown_action"
    response = act(client, d.code, "assign", {"version": d.version, "assignee": "not-an-id"})
    assert response.status_code == 404 and response.json()["code"] == "official_not_found"


def test_the_api_needs_a_login_and_an_official(client, ward, frozen, django_user_model):
    assert client.get(API).status_code == 401
    assert post(client, API, INTAKE).status_code == 401
    client.force_login(django_user_model.objects.create_user(username="nobody", password="x"))
    assert ok(client.get(API))["count"] == 0
    assert post(client, API, INTAKE).status_code == 404  # sees no unit at all


def test_an_unknown_or_unseen_unit_is_404_on_unit_and_writes_nothing(client, ward, ward_b, frozen):
    client.force_login(ward["user_desk"])
    before = counts()
    for unit in ("99999", WARD_B):
        response = post(client, API, INTAKE | {"unit": unit})
        assert response.status_code == 404
        assert (response.json()["code"], response.json()["field"]) == ("unit_not_found", "unit")
        response = client.get(API, {"unit": unit})
        assert (response.status_code, response.json()["field"]) == (404, "unit")
    response = post(
        client, "/api/v1/public/dossiers", {k: v for k, v in INTAKE.items()} | {"unit": "99999"}
    )
    assert (response.status_code, response.json()["field"]) == (404, "unit")
    assert counts() == before


def test_a_monitor_cannot_take_dossiers_in(client, ward, monitor, frozen):
    client.force_login(monitor["user_monitor"])
    before = counts()
    for extra in ({}, {"channel": "post", "accept": False}):
        response = post(client, API, INTAKE | extra)
        assert response.status_code == 403, response.content
    assert counts() == before


# --- who sees what ----------------------------------------------------------------------------------


def test_a_ward_officer_sees_only_her_ward_and_the_district_sees_both(client, ward, ward_b, frozen):
    mine = submit(ward, now=at(D(2026, 3, 2))).dossier
    theirs = submit(ward_b, now=at(D(2026, 3, 2)), unit=WARD_B).dossier
    client.force_login(ward["user_desk"])
    for response in (
        client.get(f"{API}/{theirs.code}"),
        act(
            client,
            theirs.code,
            "assign",
            {"version": theirs.version, "assignee": str(ward["justice"].public_id)},
        ),
        act(client, theirs.code, "teleport", {"version": theirs.version}),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "dossier_not_found"
    # ... the same answer as for a code that does not exist at all.
    missing = client.get(f"{API}/H26.001.00004-260302-9999").json()
    assert client.get(f"{API}/{theirs.code}").json() == missing
    assert [i["code"] for i in ok(client.get(API))["items"]] == [mine.code]
    assert client.get(API, {"unit": WARD_B}).status_code == 404
    assert Dossier.objects.get(pk=theirs.pk).version == theirs.version

    client.force_login(ward["user_district_chair"])
    listed = ok(client.get(API))
    assert {i["code"] for i in listed["items"]} == {mine.code, theirs.code} and listed["count"] == 2
    assert ok(client.get(API, {"unit": WARD_B}))["count"] == 1
    assert ok(client.get(f"{API}/{theirs.code}"))["applicant"]["id_number"] == ID_NUMBER


@pytest.fixture
def deputy(ward, django_user_model):
    """A deputy of Quận Ba Đình's People's Council: oversees the district's wards."""
    official = testing.elect_deputy("001", "T-DB", name="Đinh Văn Giám Sát", number="01/BB-UBBC")
    return testing.login_for(official, django_user_model, "u_deputy")


@pytest.mark.parametrize("who", ["monitor", "deputy"])
def test_id_numbers_are_masked_without_the_right_to_personal_data(
    client, ward, monitor, deputy, frozen, who
):
    d = submit(ward, now=at(D(2026, 3, 2))).dossier
    client.force_login(monitor["user_monitor"] if who == "monitor" else deputy)
    for applicant in (
        ok(client.get(f"{API}/{d.code}"))["applicant"],
        ok(client.get(API))["items"][0]["applicant"],
    ):
        assert applicant["id_number"] == "001*******45"
        assert applicant["phone"] == "091****678"
        assert applicant["email"] is None and applicant["address"] is None
    client.force_login(ward["user_desk"])
    applicant = ok(client.get(f"{API}/{d.code}"))["applicant"]
    assert (applicant["id_number"], applicant["phone"]) == (ID_NUMBER, "0912345678")


# --- late dossiers and apologies ----------------------------------------------------------------------


def _processing_by_api(client, ward):
    d = drive(
        ward,
        submit(ward, now=at(D(2026, 3, 2))).dossier.code,
        to="processing",
        now=at(D(2026, 3, 2)),
    )
    assert d.due_at == at(D(2026, 3, 5), 17)
    return d


def test_a_late_dossier_without_an_apology_is_flagged_and_a_late_apology_refused(
    client, ward, frozen
):
    d = _processing_by_api(client, ward)
    frozen.move_to(at(D(2026, 3, 6), 10))
    client.force_login(ward["user_justice"])
    body = ok(client.get(f"{API}/{d.code}"))
    assert body["overdue"] is True and body["late_without_apology"] is True
    assert [i["code"] for i in ok(client.get(API, {"overdue": "true"}))["items"]] == [d.code]
    before = counts()
    response = act(
        client,
        d.code,
        "apologise",
        {"version": d.version, "reason": "Chờ xác minh", "new_due_at": "2026-03-10T17:00:00+07:00"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "apology_too_late"
    assert counts() == before


def test_one_apology_moves_the_date_a_second_is_refused_to_the_chairman_too(client, ward, frozen):
    d = _processing_by_api(client, ward)
    frozen.move_to(at(D(2026, 3, 4), 10))
    client.force_login(ward["user_justice"])
    body = ok(
        act(
            client,
            d.code,
            "apologise",
            {
                "version": d.version,
                "reason": "Chờ xác minh",
                "new_due_at": "2026-03-10T17:00:00+07:00",
            },
        )
    )
    assert body["apology_count"] == 1 and due(body) == at(D(2026, 3, 10), 17)
    assert body["apology_limit_reached"] is True and body["apology_too_late"] is False
    frozen.move_to(at(D(2026, 3, 9), 10))
    second = {
        "version": body["version"],
        "reason": "Vẫn chờ",
        "new_due_at": "2026-03-12T17:00:00+07:00",
    }
    before = counts()
    for user in ("user_justice", "user_chair"):
        client.force_login(ward[user])
        response = act(client, d.code, "apologise", second)
        assert response.status_code == 422, user
        refusal = response.json()
        assert (refusal["code"], refusal["field"]) == ("apology_limit_reached", "apology_count")
        assert "tối đa 1 lần" in refusal["messages"]["vi"]
        assert "moved once at most" in refusal["messages"]["en"]
    assert counts() == before
    body = ok(client.get(f"{API}/{d.code}"))
    assert body["apology_count"] == 1 and due(body) == at(D(2026, 3, 10), 17)
    assert body["version"] == second["version"]
    assert [a["approved_by_chairman"] for a in body["apologies"]] == [False]
    frozen.move_to(at(D(2026, 3, 11), 10))
    assert ok(client.get(f"{API}/{d.code}"))["late_without_apology"] is False


def test_the_queue_lists_the_dossiers_behind_a_monitoring_figure(client, ward, frozen):
    """Receipt and return periods (Hanoi dates) and the indicators' outcomes select exactly the
    dossiers a dashboard figure counts."""
    early = submit(ward, now=at(D(2026, 3, 2))).dossier
    late = submit(ward, now=at(D(2026, 3, 2))).dossier
    drive(ward, early.code, to="returned", now=at(D(2026, 3, 3)))
    drive(ward, late.code, to="returned", now=at(D(2026, 3, 9)))  # due Thu 5 March, 17:00
    client.force_login(ward["user_desk"])

    def codes(**params):
        return sorted(i["code"] for i in ok(client.get(API, params))["items"])

    march = {"returned_from": "2026-03-01", "returned_to": "2026-03-31"}
    assert codes(**march) == sorted([early.code, late.code])
    assert codes(**march, outcome="early") == [early.code]
    assert codes(**march, outcome="late") == [late.code]
    assert codes(**march, outcome="on_time") == []
    assert codes(returned_from="2026-03-03", returned_to="2026-03-03") == [early.code]
    assert codes(received_from="2026-03-02", received_to="2026-03-02", channel="counter") == sorted(
        [early.code, late.code]
    )
    assert codes(received_from="2026-03-03", received_to="2026-03-31") == []
    bad = client.get(API, {"returned_from": "2026-03-01"})
    assert bad.status_code == 422 and bad.json()["field"] == "returned_to"
    reversed_ = client.get(API, {"received_from": "2026-03-05", "received_to": "2026-03-01"})
    assert reversed_.status_code == 422 and reversed_.json()["field"] == "received_from"


@pytest.mark.parametrize("kind", ["received", "returned"])
def test_a_period_to_the_ends_of_the_calendar_lists_everything_not_a_500(
    client, ward, frozen, kind
):
    """9999-12-31 has no next day, and 0001-01-01 in Hanoi is still year 0 in UTC: both ended
    in OverflowError (a 500). The widest period is simply every dossier."""
    d = submit(ward, now=at(D(2026, 3, 2))).dossier
    drive(ward, d.code, to="returned", now=at(D(2026, 3, 3)))
    client.force_login(ward["user_desk"])
    response = client.get(API, {f"{kind}_from": "0001-01-01", f"{kind}_to": "9999-12-31"})
    assert response.status_code == 200, response.content.decode()
    assert d.code in [i["code"] for i in response.json()["items"]]


def test_every_input_problem_in_details_is_said_in_vietnamese_and_in_english(ward):
    # Found by trying the API as a client: details.errors carried pydantic's English ("Field
    # required", "Input should be a valid integer") inside an otherwise bilingual error.
    from django.test import Client

    from cqdt.core.audit import Actor
    from cqdt.core.tokens import token_issue

    _, secret = token_issue(actor=Actor.system("test"), user=ward["user_desk"])
    outside = Client(enforce_csrf_checks=True)
    bad = {"unit": 5, "applicant": APPLICANT | {"kind": "robot"}, "documents": "to_khai"}
    for language, other in (("vi", "en"), ("en", "vi")):
        response = outside.post(
            API,
            json.dumps(bad),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 422
        entries = {e["field"]: e for e in response.json()["details"]["errors"]}
        assert set(entries) >= {"unit", "procedure", "applicant.kind", "documents"}
        assert entries["procedure"]["messages"] == {
            "vi": "Trường này là bắt buộc",
            "en": "This field is required",
        }
        assert entries["procedure"]["type"] == "missing"
        assert entries["documents"]["messages"]["vi"] == "Phải là một danh sách"
        for entry in entries.values():
            assert entry["message"] == entry["messages"][language]  # the request's language
            assert entry["messages"]["vi"] != entry["messages"]["en"], entry
            assert "Input should" not in entry["messages"]["vi"] + entry["messages"][other]


NAME_NFC = "Nguyễn Thị Hường"
NAME_NFD = unicodedata.normalize("NFD", NAME_NFC)


def _bearer(ward):
    from cqdt.core.audit import Actor
    from cqdt.core.tokens import token_issue

    _, secret = token_issue(actor=Actor.system("test"), user=ward["user_desk"])
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_name_typed_decomposed_is_stored_composed_through_the_api(ward, frozen):
    # Found by trying the API as a client: a name sent in NFD (macOS, some Vietnamese keyboards)
    # was stored as sent, so the same name typed in NFC elsewhere did not match it.
    from django.test import Client

    assert NAME_NFD != NAME_NFC
    outside = Client(enforce_csrf_checks=True)
    for raw in (  # as JSON escapes (Python's json.dumps) and as raw UTF-8 (a browser's)
        json.dumps(INTAKE | {"applicant": APPLICANT | {"name": NAME_NFD}}),
        json.dumps(INTAKE | {"applicant": APPLICANT | {"name": NAME_NFD}}, ensure_ascii=False),
    ):
        response = outside.post(API, raw, content_type="application/json", **_bearer(ward))
        assert response.status_code == 200, response.content.decode()
    names = list(Dossier.objects.values_list("applicant_name", flat=True))
    assert names == [NAME_NFC, NAME_NFC]
    assert Dossier.objects.filter(applicant_name=NAME_NFC).count() == 2


@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\u200f"])
def test_a_name_with_a_bidi_control_is_refused_naming_the_field(ward, frozen, control):
    from django.test import Client

    outside = Client(enforce_csrf_checks=True)
    spoof = f"Nguyễn Văn {control}A"
    raw = json.dumps(INTAKE | {"applicant": APPLICANT | {"name": spoof}}, ensure_ascii=False)
    response = outside.post(API, raw, content_type="application/json", **_bearer(ward))
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "applicant.name"
    assert "bidi" in body["messages"]["vi"] and "bidi" in body["messages"]["en"]
    assert "applicant.name" in body["messages"]["vi"]
    assert not Dossier.objects.exists()
    # The same control in a text that is not a name (the note) is not refused.
    note = INTAKE | {"note": f"Ghi chú {control}x"}
    response = outside.post(API, json.dumps(note), content_type="application/json", **_bearer(ward))
    assert response.status_code == 200, response.content.decode()


def test_a_phone_number_pasted_from_a_chat_application_is_stored_as_its_digits(ward, frozen):
    # The bidi marks a chat application wraps a number in (U+2066 … U+2069, U+200F) made the API
    # refuse it as an invalid phone number (422 on applicant.phone).
    from django.test import Client

    outside = Client(enforce_csrf_checks=True)
    for phone in ("\u20660912345678\u2069", "\u200f\u202a+84 912 345 678\u202c"):
        raw = json.dumps(INTAKE | {"applicant": APPLICANT | {"phone": phone}})
        response = outside.post(API, raw, content_type="application/json", **_bearer(ward))
        assert response.status_code == 200, response.content.decode()
    phones = list(Dossier.objects.order_by("id").values_list("applicant_phone", flat=True))
    assert phones == ["0912345678", "+84912345678"]


def test_an_organisation_sending_a_blank_id_number_is_taken_in_without_one(client, ward, frozen):
    """The JSON API does not strip: blanks are no number, which an organisation need not give;
    it was told a person's identification number is required (hreview R3 on 2ecc061)."""
    organisation = APPLICANT | {
        "kind": "organisation",
        "id_number": "   ",
        "organisation_name": "Công ty TNHH An Bình",
    }
    response = post(client, "/api/v1/public/dossiers", INTAKE | {"applicant": organisation})
    assert response.status_code == 200, response.content
    assert Dossier.objects.get(code=response.json()["code"]).applicant_id_number == ""


def test_the_intake_answer_and_a_later_read_give_the_due_moment_alike(client, ward, frozen):
    """QA Q24: the intake answered due_at "2026-12-11T17:00:00+07:00", the dossier's GET the
    same instant as "2026-12-11T10:00:00Z"; both now say it in UTC."""
    frozen.move_to(at(D(2026, 2, 12), 9))
    client.force_login(ward["user_desk"])
    body = ok(post(client, API, INTAKE))
    again = client.get(f"{API}/{body['code']}").json()
    for key in ("submitted_at", "valid_receipt_at", "due_at", "original_due_at"):
        assert body[key] == again[key], key
    assert body["due_at"].endswith("Z")
