"""Once no Mẫu 04 can be issued — less than one working day before the due date, or past it
(``apology_too_late``,
``services.apology_closed``), or the date has been moved as often as it may be, once (DOMAIN §3
[C]; ``apology_limit_reached``, ``services.apology_limit``) — the staff page says why in place of
the form and the API says so, read by the same rules. The API is read with a bearer token, as an
outside client; the page as a browser, CSRF enforced."""

import datetime as dt

import pytest
from django.test import Client

from cqdt.dossiers import services
from cqdt.dossiers.tests.conftest import SYSTEM, at, counts, drive, submit
from cqdt.testing import bearer_client, logged_in
from cqdt.testing import json_ok as ok
from cqdt.testing import post_json as post

pytestmark = pytest.mark.django_db
D = dt.date
API = "/api/v1/dossiers"
APOLOGY_FORM = 'value="apologise"'
FIRST_TOO_LATE = "Không thể phát hành phiếu xin lỗi (Mẫu 04)"
AGAIN = "Không thể phát hành thêm phiếu xin lỗi (Mẫu 04)"
LIMIT = "ngày hẹn trả kết quả đã được dời 1 lần, mà chỉ được dời tối đa 1 lần"


def _processing(ward):
    day = at(D(2026, 3, 2))
    d = drive(ward, submit(ward, now=day).dossier.code, to="processing", now=day)
    assert d.due_at == at(D(2026, 3, 5), 17)
    return d


def _paused(ward):
    """A dossier in processing whose applicant was asked to supplement (the clock stopped)."""
    d = _processing(ward)
    return services.dossier_request_supplement(
        actor=SYSTEM,
        official=ward["justice"],
        code=d.code,
        version=d.version,
        reason="Thiếu bản sao giấy khai sinh",
    )


def _page(user, d, language="vi"):
    client = logged_in(user)
    response = client.get(f"/staff/dossiers/{d.code}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _apologise(client, d, version, new_due):
    return post(
        client,
        f"{API}/{d.code}/actions/apologise",
        {"version": version, "reason": "Chờ xác minh", "new_due_at": new_due},
    )


def test_the_api_says_when_mau_04_can_no_longer_be_issued_as_the_service_refuses(ward, frozen):
    d = _processing(ward)
    outside = bearer_client(ward["user_justice"])
    frozen.move_to(at(D(2026, 3, 4), 16))  # the working day before the due day
    body = ok(outside.get(f"{API}/{d.code}"))
    assert body["apology_too_late"] is False
    assert "late_without_apology" in body and "overdue" in body  # the keys it had stay
    listed = ok(outside.get(API, {"unit": d.unit_code}))["items"]
    assert [i["apology_too_late"] for i in listed if i["code"] == d.code] == [False]

    frozen.move_to(at(D(2026, 3, 5), 8))  # the due day, before the due hour (17:00)
    body = ok(outside.get(f"{API}/{d.code}"))
    assert body["apology_too_late"] is True and body["overdue"] is False
    listed = ok(outside.get(API, {"unit": d.unit_code}))["items"]
    assert [i["apology_too_late"] for i in listed if i["code"] == d.code] == [True]

    frozen.move_to(at(D(2026, 3, 6), 10))
    body = ok(outside.get(f"{API}/{d.code}"))
    assert body["apology_too_late"] is True and body["late_without_apology"] is True
    before = counts()
    refused = _apologise(outside, d, body["version"], "2026-03-10T17:00:00+07:00")
    assert (refused.status_code, refused.json()["code"]) == (422, "apology_too_late")
    assert counts() == before


def test_after_one_apology_the_page_and_the_api_say_no_further_mau_04_to_anyone(ward, frozen):
    """The date has been moved once: no form for the officer nor the chairman, before the new
    date as after it, and the page says why (not 'the chairman decides', as it did)."""
    d = _processing(ward)
    outside = bearer_client(ward["user_justice"])
    body = ok(outside.get(f"{API}/{d.code}"))
    assert body["apology_limit_reached"] is False and body["apology_too_late"] is False
    frozen.move_to(at(D(2026, 3, 4), 10))
    body = ok(_apologise(outside, d, d.version, "2026-03-10T17:00:00+07:00"))
    assert body["apology_count"] == 1 and body["apology_too_late"] is False
    assert body["apology_limit_reached"] is True

    for moment, too_late in ((at(D(2026, 3, 9), 10), False), (at(D(2026, 3, 11), 10), True)):
        frozen.move_to(moment)  # before the new date, 10 March 17:00, then after it
        body = ok(outside.get(f"{API}/{d.code}"))
        assert body["apology_too_late"] is too_late and body["apology_limit_reached"] is True
        assert body["late_without_apology"] is False
        for user in (ward["user_justice"], ward["user_chair"]):
            html = _page(user, d)
            assert APOLOGY_FORM not in html
            assert 'id="apology-limit-reached"' in html and AGAIN in html and LIMIT in html
            assert "kể cả Chủ tịch UBND" in html and "107/2021/NĐ-CP" in html
            assert "Chủ tịch UBND quyết định" not in html
            assert 'id="apology-too-late"' not in html and FIRST_TOO_LATE not in html
        english = _page(ward["user_chair"], d, "en")
        assert "No further apology slip (Form 04) can be issued, not even by the ward" in english
        assert "moved once, and it may be moved once at most" in english
        assert "Không thể" not in english


def test_a_returned_dossier_is_not_said_to_be_at_the_limit(ward, frozen):
    """Where an apology is no move of the state, neither flag is set (as before for the first)."""
    d = _processing(ward)
    outside = bearer_client(ward["user_justice"])
    frozen.move_to(at(D(2026, 3, 4), 10))
    ok(_apologise(outside, d, d.version, "2026-03-10T17:00:00+07:00"))
    d = drive(ward, d.code, to="returned", now=at(D(2026, 3, 4), 11))
    body = ok(outside.get(f"{API}/{d.code}"))
    assert body["status"] == "returned" and body["apology_count"] == 1
    assert body["apology_limit_reached"] is False and body["apology_too_late"] is False
    assert 'id="apology-limit-reached"' not in _page(ward["user_justice"], d)


def test_a_first_late_dossier_keeps_its_own_sentence(ward, frozen):
    d = _processing(ward)
    frozen.move_to(at(D(2026, 3, 6), 10))
    html = _page(ward["user_justice"], d)
    assert FIRST_TOO_LATE in html and AGAIN not in html
    english = _page(ward["user_justice"], d, "en")
    assert "An apology slip (Form 04) can no longer be issued" in english


def test_on_the_due_day_the_page_says_it_is_less_than_one_working_day_before(ward, frozen):
    d = _processing(ward)
    frozen.move_to(at(D(2026, 3, 5), 8))
    for language, sentence in (
        ("vi", "còn chưa đến một ngày làm việc trước hạn giải quyết"),
        ("en", "it is less than one working day before the due date"),
    ):
        html = _page(ward["user_justice"], d, language)
        assert APOLOGY_FORM not in html and 'id="apology-too-late"' in html
        assert sentence in html
        assert "past its" not in html and "đã quá hạn" not in html


def test_while_the_applicant_supplements_the_apology_is_not_closed(ward, frozen):
    """The clock is stopped and the due date moves when the applicant resumes: not 'too late'."""
    d = _paused(ward)
    frozen.move_to(at(D(2026, 3, 9), 10))
    body = ok(bearer_client(ward["user_justice"]).get(f"{API}/{d.code}"))
    assert body["status"] == "supplement_requested" and body["apology_too_late"] is False
    html = _page(ward["user_justice"], d)
    assert 'id="apology-too-late"' not in html
    # Not offered (the date before the pause has passed), and the page says why, as it does
    # for the other refusals, not silently.
    assert APOLOGY_FORM not in html and 'id="apology-paused"' in html
    assert "thời hạn giải quyết đang tạm dừng trong khi người nộp bổ sung hồ sơ" in html
    english = _page(ward["user_justice"], d, "en")
    assert "the clock is stopped while the applicant supplements" in english
    assert "đang tạm dừng" not in english


def test_while_the_applicant_supplements_with_time_left_the_form_is_offered_unexplained(
    ward, frozen
):
    d = _paused(ward)
    html = _page(ward["user_justice"], d)  # 2 March: three working days before the due date
    assert APOLOGY_FORM in html and 'id="apology-paused"' not in html


def test_the_schema_documents_the_flag():
    document = Client().get("/api/v1/openapi.json").json()
    flag = document["components"]["schemas"]["DossierOut"]["properties"]["apology_too_late"]
    assert flag["type"] == "boolean" and "Mẫu 04" in flag["description"]
    assert "apology_too_late" in document["components"]["schemas"]["DossierOut"]["required"]
    limit = document["components"]["schemas"]["DossierOut"]["properties"]["apology_limit_reached"]
    assert limit["type"] == "boolean" and "apology_limit_reached" in limit["description"]
    assert "apology_limit_reached" in document["components"]["schemas"]["DossierOut"]["required"]
