import datetime as dt
import re

import pytest
from django.test import Client

from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import APPLICANT_FORM, MARITAL, submit_online, travel
from cqdt.testing import csrf_browser, logged_in

pytestmark = pytest.mark.django_db

FORM = APPLICANT_FORM | {"procedure": MARITAL, "documents": ["to_khai"]}


@travel
def test_citizen_submits_online_and_looks_up(client, ward):
    page = client.get("/procedures/xac-nhan-tinh-trang-hon-nhan/submit/")
    assert page.status_code == 200
    response = submit_online(client, "/procedures/xac-nhan-tinh-trang-hon-nhan/submit/", FORM)
    assert response.status_code == 302  # post/redirect/get
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    # Refreshing the confirmation shows the same dossier and files nothing new.
    assert Dossier.objects.get().code in client.get(response["Location"]).content.decode()
    assert Dossier.objects.count() == 1
    # Another visitor (no session) does not see the confirmation.
    assert Client().get(response["Location"]).status_code == 404
    code = re.search(r'id="dossier-code">([^<]+)<', html).group(1)
    secret = re.search(r'id="lookup-secret">([^<]+)<', html).group(1)
    assert Dossier.objects.get(code=code).channel == "online"
    lookup = client.post("/lookup/", {"code": code, "secret": secret}, follow=True)
    assert lookup.status_code == 200
    assert lookup.redirect_chain == [(f"/lookup/{code}/", 302)]  # the secret in no URL
    assert "Mới nộp" in lookup.content.decode()
    wrong = client.post("/lookup/", {"code": code, "secret": "WRONGWRONG"})
    unknown = client.post("/lookup/", {"code": "H26.001.00001-260302-9999", "secret": secret})
    assert wrong.status_code == unknown.status_code == 404


def test_online_form_names_the_bad_field(client, ward):
    response = client.post(
        "/procedures/xac-nhan-tinh-trang-hon-nhan/submit/", FORM | {"applicant_id_number": "12345"}
    )
    assert response.status_code == 422
    assert "12 chữ số" in response.content.decode()
    assert Dossier.objects.count() == 0


@travel
def test_counter_queue_detail_tray_and_forms_render(client, ward):
    client.force_login(ward["user_desk"])
    assert client.get("/staff/dossiers/counter/").status_code == 200
    response = client.post(
        "/staff/dossiers/counter/",
        FORM | {"channel": "counter", "accept_now": "on", "submit_intake": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    d = Dossier.objects.get()
    form01 = client.get(response["Location"])
    assert form01.status_code == 200
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in form01.content.decode()
    assert d.code in client.get("/staff/dossiers/").content.decode()
    detail = client.get(f"/staff/dossiers/{d.code}/")
    assert detail.status_code == 200
    moved = client.post(
        f"/staff/dossiers/{d.code}/",
        {"action": "assign", "version": d.version, "assignee": str(ward["justice"].public_id)},
    )
    assert moved.status_code == 302
    stale = client.post(
        f"/staff/dossiers/{d.code}/",
        {"action": "assign", "version": d.version, "assignee": str(ward["justice"].public_id)},
    )
    assert stale.status_code == 409
    client.force_login(ward["user_chair"])
    assert client.get("/staff/dossiers/tray/").status_code == 200
    assert client.get("/procedures/").status_code == 200


@travel
def test_the_default_assignee_is_the_civil_servant_of_the_procedures_field(client, ward):
    """A civil-status procedure goes to the justice–civil status officer, not to the culture
    officer who sorts first by post (Circular 13/2019/TT-BNV)."""
    from cqdt import testing
    from cqdt.staff import posts

    culture = testing.official("T-culture", "001", "Bùi Văn Hóa")
    testing.appoint(culture, "00001", posts.CULTURE_SOCIETY, by=ward["district_chair"])
    client.force_login(ward["user_desk"])
    client.post(
        "/staff/dossiers/counter/",
        FORM | {"channel": "counter", "accept_now": "on", "submit_intake": "1"},
    )
    d = Dossier.objects.get()
    html = client.get(f"/staff/dossiers/{d.code}/").content.decode()
    select = re.search(r'<select id="assignee-\d+" name="assignee">(.*?)</select>', html, re.S)
    options = re.findall(r'<option value="([^"]+)"', select.group(1))
    assert options[0] == str(ward["justice"].public_id)
    assert str(culture.public_id) in options


def test_a_rating_redirects_and_a_refresh_rates_nothing(client, ward, frozen):
    from cqdt.dossiers import workflow
    from cqdt.testing import at, drive, submit

    result = submit(ward, now=at(dt.date(2026, 3, 2)))
    drive(ward, result.dossier.code, to=workflow.RETURNED, now=at(dt.date(2026, 3, 2), 10))
    url = f"/lookup/{result.dossier.code}/rate/"
    unrated = client.post(url, {"secret": result.secret}, HTTP_ACCEPT_LANGUAGE="en")
    assert unrated.status_code == 422 and "Please choose a rating." in unrated.content.decode()
    response = client.post(url, {"secret": result.secret, "rating": 5})
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and result.dossier.code in thanks.content.decode()
    assert client.get(response["Location"]).status_code == 200  # a refresh: a GET, no new rating
    assert Client().get(response["Location"]).status_code == 404


def test_a_rating_without_a_score_comes_back_on_the_dossier_page_with_the_comment(ward, frozen):
    """A rating sent without a score (a browser that ignores ``required``) answered a bare
    page: "Vui lòng chọn mức đánh giá." and a link to look up another dossier — the dossier,
    the form and the comment typed were gone. It is the dossier's page again, the error on the
    score, the comment kept, nothing rated; a wrong secret still learns nothing."""
    from cqdt.dossiers import workflow
    from cqdt.testing import at, drive, submit

    result = submit(ward, now=at(dt.date(2026, 3, 2)))
    code = result.dossier.code
    drive(ward, code, to=workflow.RETURNED, now=at(dt.date(2026, 3, 2), 10))
    browser, token = csrf_browser("/lookup/")
    sent = {
        "secret": result.secret,
        "comment": "Cán bộ hướng dẫn tận tình.",
        "csrfmiddlewaretoken": token,
    }
    page = browser.post(f"/lookup/{code}/rate/", sent)
    html = page.content.decode()
    assert page.status_code == 422
    assert 'id="dossier-status">Đã trả kết quả<' in html
    assert 'class="error-summary' in html and "Vui lòng chọn mức đánh giá." in html
    assert '">\nCán bộ hướng dẫn tận tình.</textarea>' in html
    assert Dossier.objects.get(code=code).rated_at is None
    wrong = browser.post(f"/lookup/{code}/rate/", sent | {"secret": "WRONGSECRT"})
    assert wrong.status_code == 404 and "Đã trả kết quả" not in wrong.content.decode()


@travel
def test_cancelling_a_dossier_asks_for_confirmation_first(client, ward):
    """'Hủy hồ sơ' sits behind a <details> confirmation step (works without JS); a post that
    skips the step is refused and changes nothing."""
    submit_online(client, "/procedures/xac-nhan-tinh-trang-hon-nhan/submit/", FORM)
    d = Dossier.objects.get()
    client.force_login(ward["user_chair"])
    page = client.get(f"/staff/dossiers/{d.code}/").content.decode()
    step = re.search(
        r'<details class="confirm-step"><summary>Hủy hồ sơ…</summary>.*?</details>', page, re.S
    )
    assert step and 'value="cancel"' in step.group(0) and 'name="confirm"' in step.group(0)
    posted = {"action": "cancel", "version": d.version, "reason": "Trùng hồ sơ"}
    skipped = client.post(f"/staff/dossiers/{d.code}/", posted)
    assert skipped.status_code == 422 and "xác nhận" in skipped.content.decode()
    assert Dossier.objects.get().status == d.status
    confirmed = client.post(f"/staff/dossiers/{d.code}/", posted | {"confirm": "yes"})
    assert confirmed.status_code == 302
    assert Dossier.objects.get().status == "cancelled"


@travel
def test_status_and_steps_are_plain_words_in_both_languages(client, ward):
    """No raw codes (submit/accept/…) in the timeline; English mode shows English statuses."""
    response = submit_online(client, "/procedures/xac-nhan-tinh-trang-hon-nhan/submit/", FORM)
    html = client.get(response["Location"]).content.decode()
    code = re.search(r'id="dossier-code">([^<]+)<', html).group(1)
    secret = re.search(r'id="lookup-secret">([^<]+)<', html).group(1)
    en = client.post(
        "/lookup/", {"code": code, "secret": secret}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert 'id="dossier-status">Submitted<' in en.content.decode()
    client.force_login(ward["user_chair"])
    page = client.get(f"/staff/dossiers/{code}/").content.decode()
    assert "<td>Nộp hồ sơ</td>" in page and "<td>submit</td>" not in page


@pytest.mark.parametrize("asked", ["999999", str(10**30)])
def test_a_queue_page_past_the_end_leads_to_the_last_page_and_says_so(
    ward, frozen, monkeypatch, asked
):
    # Found by trying the queue as a client: ?page=999999 showed an empty queue, as if the ward
    # had no work; a page number past SQLite's 64-bit OFFSET is no 500 either.
    from cqdt.dossiers.views import lists
    from cqdt.testing import DossierFactory

    monkeypatch.setattr(lists, "QUEUE_PAGE", 1)
    first, second = DossierFactory(team=ward), DossierFactory(team=ward)
    client = logged_in(ward["user_desk"])
    response = client.get("/staff/dossiers/", {"unit": "00001", "page": asked})
    assert response.status_code == 302
    assert response["Location"] == "/staff/dossiers/?unit=00001&page=2"
    last = client.get(response["Location"]).content.decode()
    assert "Không có trang 999" in last or "Không có trang 1000000;" in last
    assert "đây là trang cuối của danh sách, trang 2." in last
    assert (first.code in last) != (second.code in last)  # one row a page: the last one
    english = client.get("/staff/dossiers/", {"page": asked}, HTTP_ACCEPT_LANGUAGE="en")
    page2 = client.get(english["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "this is the last page of the list, page 2." in page2
    # A page in range is served as before, with no message.
    assert "Không có trang" not in client.get("/staff/dossiers/", {"page": 1}).content.decode()


@travel
def test_the_online_form_stores_a_decomposed_name_composed_and_refuses_bidi_controls(ward):
    # Found by trying the form as a client: a name typed in NFD was stored as typed (searches and
    # duplicate checks in NFC missed it), and a right-to-left override was accepted in a name.
    import unicodedata

    name = "Nguyễn Thị Hường"
    url = "/procedures/xac-nhan-tinh-trang-hon-nhan/submit/"
    browser, csrf = csrf_browser(url)
    token = {"csrfmiddlewaretoken": csrf}
    spoof = browser.post(url, FORM | token | {"applicant_name": "Lê Văn \u202eC"})
    assert spoof.status_code == 400  # the input guard's page answer, as for a NUL
    page = spoof.content.decode()
    assert "applicant_name" in page and "bidi" in page
    decomposed = FORM | token | {"applicant_name": unicodedata.normalize("NFD", name)}
    check = browser.post(url, decomposed)
    assert check.status_code == 302
    assert browser.post(check["Location"], token).status_code == 302
    assert list(Dossier.objects.values_list("applicant_name", flat=True)) == [name]


@travel
def test_the_online_form_takes_a_phone_number_pasted_from_a_chat_application(ward):
    # A number copied from Zalo or Messenger comes wrapped in bidi marks (U+202A … U+202C,
    # U+200E): the form refused it as an invalid phone number though the person saw digits.
    url = "/procedures/xac-nhan-tinh-trang-hon-nhan/submit/"
    browser, csrf = csrf_browser(url)
    token = {"csrfmiddlewaretoken": csrf}
    pasted = FORM | token | {"applicant_phone": "\u202a0912 345 678\u202c\u200e"}
    check = browser.post(url, pasted)
    assert check.status_code == 302, check.content.decode()
    assert browser.post(check["Location"], token).status_code == 302
    assert list(Dossier.objects.values_list("applicant_phone", flat=True)) == ["0912345678"]
