"""Web pages: the citizen's form, the public list, the follow-up; the ward's inbox and report page."""

import datetime as dt
import re

import pytest
from django.test import Client

from cqdt.feedback import services
from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import (
    NOW,
    REPORTER,
    SIDEWALK,
    WARD,
    WARD_B,
    at,
    counts,
    drive,
    forward,
    jpeg,
    state,
    submit,
)
from cqdt.testing import csrf_browser, logged_in

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_the_navigation_links_to_the_feedback_page(client, categories):
    page = html(client.get("/"))
    assert 'href="/feedback/"' in page and "Phản ánh, kiến nghị" in page


def test_the_form_has_labelled_fields(client, categories):
    page = html(client.get("/feedback/new/"))
    for name in (
        "category",
        "ward",
        "address",
        "description",
        "photos",
        "reporter_name",
        "reporter_phone",
        "reporter_email",
    ):
        assert f'<label for="id_{name}">' in page, name
    assert 'enctype="multipart/form-data"' in page and "multiple" in page
    assert "Phường Phúc Xá" in page and "Quận Ba Đình" in page  # wards grouped by district


def test_a_citizen_sends_a_report_with_a_photo_and_gets_the_code_and_secret(
    client, categories, media
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/feedback/new/",
        {
            "category": SIDEWALK,
            "ward": WARD,
            "address": "Trước số 3 Phó Đức Chính",
            "description": "Hàng quán lấn chiếm vỉa hè.",
            "reporter_phone": REPORTER["reporter_phone"],
            "photos": [SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")],
        },
    )
    assert response.status_code == 302  # post/redirect/get: a refresh files nothing new
    response = client.get(response["Location"])
    assert response.status_code == 200
    page = html(response)
    r = Report.objects.get()
    assert r.code in html(client.get(response.request["PATH_INFO"]))  # a refresh: same report
    assert Report.objects.count() == 1
    r = Report.objects.get()
    assert (
        r.code in page and r.photos.count() == 1 and r.reporter_phone == REPORTER["reporter_phone"]
    )
    secret = re.search(r'id="report-secret">([A-Z0-9]+)<', page).group(1)
    assert services.public_report(r.code, secret) == r


def test_form_errors_stand_next_to_their_fields_and_nothing_is_written(client, categories):
    before = counts()
    response = client.post(
        "/feedback/new/", {"category": "", "description": "", "reporter_email": "x"}
    )
    assert response.status_code == 422
    page = html(response)
    for name in ("category", "description", "reporter_email", "address"):
        assert f'id="id_{name}_error"' in page, name
    response = client.post(
        "/feedback/new/",
        {"category": SIDEWALK, "ward": WARD, "description": "x", "reporter_phone": "12"},
    )
    assert response.status_code == 422 and 'id="id_reporter_phone_error"' in html(response)
    response = client.post(
        "/feedback/new/", {"category": SIDEWALK, "address": "Ngõ 5", "description": "x"}
    )
    assert response.status_code == 422 and 'id="id_address_error"' in html(response)
    assert counts() == before


def test_all_errors_show_at_once_in_a_summary_linking_to_each_field(client, categories):
    """GOV.UK error summary: one box at the top, each error a link to its field; each field's
    message tied to it by aria-describedby and the field marked aria-invalid."""
    page = html(client.post("/feedback/new/", {"category": "", "reporter_email": "x"}))
    summary = re.search(r'<div class="error-summary[^"]*" role="alert".*?</div>', page, re.S)
    assert summary and "Có lỗi cần sửa" in summary.group(0)
    assert page.index("error-summary") < page.index('<form method="post"')
    for name in ("category", "description", "reporter_email", "address"):
        assert f'href="#id_{name}"' in summary.group(0), name
        tag = re.search(rf'<(?:input|select|textarea)[^>]*id="id_{name}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag, name
        assert f"id_{name}_error" in re.search(r'aria-describedby="([^"]*)"', tag).group(1), name
        assert f'id="id_{name}_error"' in page, name
    # English mode: the heading is translated too
    page = html(client.post("/feedback/new/", {"category": ""}, HTTP_ACCEPT_LANGUAGE="en"))
    # (With "or", a page with no error summary at all passed as well.)
    assert "There is a problem" in page and "Có lỗi cần sửa" not in page


def test_an_empty_required_field_says_what_to_give(categories):
    """Seen at 320 px: "Lĩnh vực phản ánh: Trường này là bắt buộc." — Django's words, the same
    for every field, where a citizen needs to be told what to choose or write."""
    browser, token = csrf_browser("/feedback/new/")
    page = html(browser.post("/feedback/new/", {"category": "", "csrfmiddlewaretoken": token}))
    assert "Lĩnh vực phản ánh: Hãy chọn lĩnh vực phản ánh.</a>" in page
    assert "Nội dung phản ánh: Hãy mô tả sự việc bạn muốn phản ánh.</a>" in page
    assert "Trường này là bắt buộc" not in page


def test_the_public_list_page_never_shows_personal_data(client, categories):
    submit()
    submit(
        ward=WARD_B,
        reporter_name="Lò Văn Khác",
        reporter_phone="0911000222",
        reporter_email="khac@example.vn",
    )
    page = html(client.get("/feedback/"))
    assert "PA-220315-00001" in page and "PA-220315-00002" in page and "Phường Trúc Bạch" in page
    for secret in (*REPORTER.values(), "Lò Văn Khác", "0911000222", "khac@example.vn"):
        assert secret not in page
    filtered = html(client.get("/feedback/", {"ward": WARD_B}))
    assert "PA-220315-00002" in filtered and "PA-220315-00001" not in filtered


def test_the_follow_up_page_heads_the_report_s_own_words(wards, frozen):
    """Seen at 320 px: the citizen's description stood bare under "Kết quả xử lý", so it read as
    part of the ward's answer. It is listed as "Nội dung phản ánh", before the result."""
    submitted = submit()
    code = submitted.report.code
    drive(wards["a"], code, to="resolved")
    browser, token = csrf_browser("/feedback/follow-up/")
    body = {"code": code, "secret": submitted.secret, "csrfmiddlewaretoken": token}
    page = html(browser.post("/feedback/follow-up/", body, follow=True))
    description = Report.objects.get(code=code).description
    listed = re.search(r"<dt>Nội dung phản ánh</dt><dd[^>]*>(.*?)</dd>", page, re.S)
    assert listed and listed.group(1) == description
    assert page.index("<dt>Nội dung phản ánh</dt>") < page.index("<dt>Kết quả xử lý</dt>")


def test_the_follow_up_page_shows_the_new_unit_after_forwarding_and_closes(client, wards, frozen):
    submitted = submit()
    code, secret = submitted.report.code, submitted.secret
    forward(wards["a"], code, 1, WARD_B, "Thuộc phường Trúc Bạch")
    looked_up = client.post("/feedback/follow-up/", {"code": code, "secret": secret}, follow=True)
    assert looked_up.redirect_chain == [(f"/feedback/follow-up/{code}/", 302)]  # no secret in it
    page = html(looked_up)
    assert re.search(r'id="report-unit">UBND phường Trúc Bạch', page)
    assert "đã được chuyển tới đơn vị có thẩm quyền" in page
    assert wards["a"]["desk"].full_name not in page
    for value in REPORTER.values():
        assert value not in page
    wrong = client.post("/feedback/follow-up/", {"code": code, "secret": "SAI"})
    assert wrong.status_code == 404
    drive(wards["b"], code, to="resolved")
    page = html(client.post("/feedback/follow-up/", {"code": code, "secret": secret}, follow=True))
    assert "Đóng phản ánh" in page and "Đề nghị xử lý lại" in page
    before, report_before = counts(), state(code)
    refused = client.post(f"/feedback/follow-up/{code}/close/", {"secret": secret})
    assert refused.status_code == 422 and 'id="close_satisfaction_error"' in html(refused)
    assert (
        client.post(
            f"/feedback/follow-up/{code}/close/", {"secret": "SAI", "satisfaction": 5}
        ).status_code
        == 404
    )
    assert counts() == before and state(code) == report_before
    done = client.post(
        f"/feedback/follow-up/{code}/close/", {"secret": secret, "satisfaction": 4}, follow=True
    )
    assert done.redirect_chain[0][1] == 302
    assert done.status_code == 200 and "Đã đóng phản ánh" in html(done)
    assert Report.objects.get(code=code).satisfaction == 4
    again = client.post(
        f"/feedback/follow-up/{code}/reopen/",
        {"secret": secret, "reason": "Vẫn lấn chiếm"},
        follow=True,
    )
    assert again.status_code == 200 and Report.objects.get(code=code).status == "in_progress"


# --- staff ----------------------------------------------------------------------------------------


def test_the_inbox_needs_a_login(client, categories):
    response = client.get("/staff/feedback/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


def test_the_inbox_shows_overdue_and_escalated_in_words_and_only_the_wards_reports(
    client, wards, frozen
):
    late = submit(now=at(dt.date(2022, 3, 7))).report
    fresh = submit().report
    theirs = submit(ward=WARD_B).report
    services.escalate_overdue(now=NOW)
    client.force_login(wards["a"]["user_desk"])
    page = html(client.get("/staff/feedback/"))
    assert late.code in page and fresh.code in page and theirs.code not in page
    row = page[page.index(late.code) : page.index(fresh.code)]
    assert "QUÁ HẠN" in row and "ĐÃ BÁO CÁO QUẬN" in row
    assert page.index(late.code) < page.index(fresh.code)
    fresh_row = page[page.index(fresh.code) :]
    assert "QUÁ HẠN" not in fresh_row.split("</tr>")[0]
    only_late = html(client.get("/staff/feedback/", {"overdue": "1"}))
    assert late.code in only_late and fresh.code not in only_late
    assert client.get("/staff/feedback/", {"unit": WARD_B}).status_code == 404
    assert client.get(f"/staff/feedback/{theirs.code}/").status_code == 404


def test_the_report_page_acts_through_forms_and_shows_refusals(client, wards, frozen):
    code = submit().report.code
    client.force_login(wards["a"]["user_desk"])
    page = html(client.get(f"/staff/feedback/{code}/"))
    assert REPORTER["reporter_phone"] in page and "Xác nhận đã tiếp nhận" in page
    response = client.post(f"/staff/feedback/{code}/", {"action": "acknowledge", "version": "1"})
    assert response.status_code == 302 and Report.objects.get(code=code).status == "acknowledged"
    before, report_before = counts(), state(code)
    stale = client.post(f"/staff/feedback/{code}/", {"action": "start", "version": "1"})
    assert stale.status_code == 409 and "hãy tải lại" in html(stale)
    no_reason = client.post(
        f"/staff/feedback/{code}/", {"action": "forward", "version": "2", "to_unit": WARD_B}
    )
    assert no_reason.status_code == 422
    assert counts() == before and state(code) == report_before
    page = html(client.get(f"/staff/feedback/{code}/"))
    assert "Phường Trúc Bạch" in page  # a forwarding target
    moved = client.post(
        f"/staff/feedback/{code}/",
        {
            "action": "forward",
            "version": "2",
            "to_unit": WARD_B,
            "reason": "Thuộc phường Trúc Bạch",
        },
    )
    assert (
        moved.status_code == 302 and moved["Location"] == "/staff/feedback/"
    )  # out of their scope now
    assert Report.objects.get(code=code).unit_code == WARD_B


def test_a_city_monitor_sees_the_contact_masked(client, wards, monitor, frozen):
    code = submit().report.code
    client.force_login(monitor)
    page = html(client.get(f"/staff/feedback/{code}/"))
    for value in REPORTER.values():
        assert value not in page
    assert "098****321" in page and "đã che" in page


def test_a_double_click_on_send_files_one_report_and_both_reach_its_confirmation(
    client, categories
):
    """Found over HTTP: two POSTs of the form in flight (a double click on a plain button)
    filed two reports with two codes. The form carries a nonce; the second POST of it goes to
    the first one's confirmation. A new form is a new report."""
    once = re.search(r'name="once" value="([^"]+)"', html(client.get("/feedback/new/"))).group(1)
    sent = {"category": SIDEWALK, "ward": WARD, "description": "Đèn hỏng.", "once": once}
    first = client.post("/feedback/new/", sent)
    # The second click left before the first answer set a session cookie: no session of its own.
    second = Client().post("/feedback/new/", sent)
    assert Report.objects.count() == 1
    assert first.status_code == 302 and second["Location"] == first["Location"]
    assert Report.objects.get().code in html(client.get(second["Location"]))
    again = re.search(r'name="once" value="([^"]+)"', html(client.get("/feedback/new/"))).group(1)
    assert again != once
    client.post("/feedback/new/", sent | {"once": again})
    assert Report.objects.count() == 2


def test_the_form_page_starts_the_session_its_posts_share(client, categories):
    """Found over HTTP: a double click's POSTs left without a session cookie, each made its
    own session, and the one the browser kept had no confirmation (a 404 instead of the code
    and secret). The form page now starts the session both clicks carry."""
    from django.conf import settings

    client.get("/feedback/new/")
    assert settings.SESSION_COOKIE_NAME in client.cookies


def test_a_list_page_past_the_end_leads_to_the_last_page_as_the_dossier_queue_does(
    wards, frozen, monkeypatch
):
    # Found by trying the lists as a client: ?page=999999 showed an empty list.
    from cqdt.feedback.views import inbox, public

    monkeypatch.setattr(inbox, "PAGE", 1)
    monkeypatch.setattr(public, "PUBLIC_PAGE", 1)
    submit()
    submit()
    public = Client(enforce_csrf_checks=True)
    response = public.get("/feedback/", {"ward": WARD, "page": "999999"})
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/?ward={WARD}&page=2"
    assert "đây là trang cuối của danh sách, trang 2." in html(public.get(response["Location"]))
    staff = logged_in(wards["a"]["user_desk"])
    response = staff.get("/staff/feedback/", {"page": "999999"})
    assert response.status_code == 302 and response["Location"] == "/staff/feedback/?page=2"
    assert "đây là trang cuối của danh sách, trang 2." in html(staff.get(response["Location"]))


def test_a_send_abandoned_by_a_dead_worker_is_taken_over_once_by_the_next_click(
    categories, settings
):
    """The feedback form's twin of the dossier form's takeover (dossiers/tests/
    test_abandoned_send.py; found as a gap in review of ccf99a4): a first send whose worker died
    left its claim; past the request timeout the next click files the report, once."""
    import datetime as dt

    from django.utils import timezone

    from cqdt.core import idempotency
    from cqdt.core.models import IdempotentRequest

    settings.CQDT_REQUEST_TIMEOUT_SECONDS = 120
    browser = Client(enforce_csrf_checks=True)
    page = html(browser.get("/feedback/new/"))
    once = re.search(r'name="once" value="([^"]+)"', page).group(1)
    token = browser.cookies["csrftoken"].value
    key = f"feedback:{once}"
    claim = IdempotentRequest.objects.create(
        client=idempotency.WEB_CLIENT, key=key, fingerprint="", expires_at=timezone.now()
    )
    IdempotentRequest.objects.filter(pk=claim.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=121),
        expires_at=timezone.now() + idempotency.KEEP,
    )
    sent = {"category": SIDEWALK, "ward": WARD, "description": "Đèn hỏng.", "once": once}
    first = browser.post("/feedback/new/", sent | {"csrfmiddlewaretoken": token})
    assert first.status_code == 302 and first["Location"].startswith("/feedback/submitted/")
    assert Report.objects.count() == 1
    again = browser.post("/feedback/new/", sent | {"csrfmiddlewaretoken": token})
    assert again["Location"] == first["Location"] and Report.objects.count() == 1
