"""The check-answers page before an online dossier is sent (issue 13, GOV.UK pattern): the form
leads to a summary of every answer and file with "Thay đổi" links; changing an answer keeps the
files; "Gửi hồ sơ" files the dossier once and the confirmation shows its code."""

import re

import pytest
from django.test import Client

from cqdt.core.models import AuditEvent
from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.tests.upload_form import FORM, SUBMIT, pdf, stored, travel, upload
from cqdt.testing import csrf_browser

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

CHECK = SUBMIT + "check/"


def answers(html: str) -> dict[str, str]:
    """The check page's rows: label → answer."""
    return {
        re.sub(r"\s+", " ", dt).strip(): dd.strip()
        for dt, dd in re.findall(
            r"<dt>(.*?)</dt>\s*<dd><span class=\"answer\">(.*?)</span>", html, re.S
        )
    }


@travel
def test_the_form_leads_to_a_check_page_that_files_nothing_until_sent(client, ward, media):
    before = AuditEvent.objects.count()
    response = client.post(SUBMIT, FORM | {"attachments_ban_chinh": upload("ban-chinh.pdf", pdf())})
    assert response.status_code == 302 and response["Location"] == CHECK
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert AuditEvent.objects.count() == before
    assert len(stored(media)) == 1  # the file waits as a pending upload of this session

    page = client.get(CHECK)
    html = page.content.decode()
    assert page.status_code == 200
    shown = answers(html)
    assert shown["Họ và tên người nộp"] == "Lê Văn C"
    assert shown["Nộp tới UBND"] == "Phường Phúc Xá"  # the unit by its name, not its code
    assert shown["Tệp: Bản chính"] == "ban-chinh.pdf"
    assert shown["Thư điện tử"] == "Không khai"  # not given is said, never left blank
    # Each answer links back to its own field, named for screen readers too.
    named = '>Thay đổi<span class="visually-hidden"> Họ và tên người nộp</span>'
    assert f'href="{SUBMIT}#id_applicant_name"{named}' in html
    assert f'href="{SUBMIT}#id_attachments_ban_chinh"' in html
    assert ">Gửi hồ sơ</button>" in html
    english = client.get(CHECK, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Check your answers before sending" in english and ">Change<span" in english
    assert ">Send the dossier</button>" in english and "Not given" in english

    # Another visitor has nothing to check and cannot send this session's answers.
    assert Client().post(CHECK)["Location"] == SUBMIT
    assert Dossier.objects.count() == 0


@travel
def test_changing_an_answer_keeps_the_file_and_sending_files_once(client, ward, media):
    client.post(SUBMIT, FORM | {"attachments_ban_chinh": upload("ban-chinh.pdf", pdf())})
    # "Thay đổi": the form again, filled with the answers, the file shown as already uploaded.
    form = client.get(SUBMIT).content.decode()
    assert 'value="Lê Văn C"' in form and "đã tải lên: ban-chinh.pdf" in form
    changed = client.post(SUBMIT, FORM | {"applicant_name": "Lê Văn Cường"})
    assert changed["Location"] == CHECK
    html = client.get(CHECK).content.decode()
    assert answers(html)["Họ và tên người nộp"] == "Lê Văn Cường"
    assert answers(html)["Tệp: Bản chính"] == "ban-chinh.pdf"

    sent = client.post(CHECK)
    assert sent.status_code == 302 and sent["Location"].startswith("/procedures/submitted/")
    confirmation = client.get(sent["Location"]).content.decode()
    d = Dossier.objects.get()
    assert f'id="dossier-code">{d.code}<' in confirmation
    assert d.applicant_name == "Lê Văn Cường"
    assert Attachment.objects.get(dossier=d).original_name == "ban-chinh.pdf"
    assert not [p for p in media.rglob("pending/*") if p.is_file()]  # the pending copy gone
    # Sending again (a double click, the back button) files nothing: the answers are spent.
    again = client.post(CHECK)
    assert again.status_code == 302 and again["Location"] == SUBMIT
    assert Dossier.objects.count() == 1 and Attachment.objects.count() == 1


@travel
def test_a_refusal_when_sending_is_named_with_a_link_to_the_field(client, ward, media):
    """A rule that fails only when sending (here the unit's desk closed in between) is shown on
    the check page, nothing is filed, and the kept file stays for the next try."""
    from cqdt.dossiers.models import Desk

    client.post(SUBMIT, FORM | {"attachments_ban_chinh": upload("ban-chinh.pdf", pdf())})
    Desk.objects.filter(unit_code="00001").delete()
    refused = client.post(CHECK)
    html = refused.content.decode()
    assert refused.status_code == 422 and 'class="error-summary' in html
    assert f'<a href="{SUBMIT}#id_unit">Nộp tới UBND: Đơn vị chưa có bộ phận một cửa' in html
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert len(stored(media)) == 1


@travel
def test_a_double_click_on_send_files_one_dossier_and_both_clicks_reach_its_confirmation(
    client, ward, media
):
    """Found over HTTP: two "Gửi hồ sơ" POSTs in flight (a double click; the button is a plain
    form) both read the answers from the session before either removed them, and filed two
    dossiers. The second click is replayed here with the session as it read it."""
    client.post(SUBMIT, FORM | {"documents": ["ban_chinh"]})  # the paper brought, not uploaded
    as_read = dict(client.session.items())  # what the second request loaded
    first = client.post(CHECK)
    assert first.status_code == 302 and first["Location"].startswith("/procedures/submitted/")
    session = client.session
    session.update(as_read)
    session.save()
    second = client.post(CHECK)
    assert Dossier.objects.count() == 1
    assert (second.status_code, second["Location"]) == (302, first["Location"])
    page = client.get(second["Location"]).content.decode()
    assert Dossier.objects.get().code in page


@travel
def test_answers_kept_before_the_nonce_existed_are_each_filed(ward, media):
    """Found in review: answers saved before the nonce (sessions outlive a deploy) all
    claimed the one key "online:", so the second such citizen was sent to the first one's
    confirmation and their dossier was not filed."""
    went = []
    for name in ("Lê Văn C", "Trần Thị D"):
        visitor = Client()
        visitor.post(SUBMIT, FORM | {"applicant_name": name, "documents": ["ban_chinh"]})
        session = visitor.session
        key = next(k for k, _ in session.items() if k.startswith("answers:"))
        answers = dict(session[key])
        answers.pop("_once")
        session[key] = answers
        session.save()
        went.append(visitor.post(CHECK)["Location"])
    assert Dossier.objects.count() == 2 and went[0] != went[1]


@travel
@pytest.mark.django_db(transaction=True)
def test_clicks_while_the_first_send_is_slow_are_answered_at_once_and_file_nothing(
    ward, media, monkeypatch
):
    """Found by trying the form as a client: a repeated click waited up to 10 s for the first
    send, holding a server worker each. Now a repeat waits briefly, then lands on a page that
    says the form is being processed and reloads itself (a GET: reloading sends nothing), which
    leads to the confirmation once the first send is done. Three clicks file one dossier."""
    from cqdt.core import idempotency
    from cqdt.dossiers.tests.slow_send import first_send_held

    # How long a repeat waits before the "being processed" page: the first send is held until
    # the block ends, so each repeat waits it out whatever it is; 0.3 s, not the site's 1.5 s.
    monkeypatch.setattr(idempotency, "WEB_WAIT_SECONDS", 0.3)
    with first_send_held(monkeypatch) as held:
        repeats = [held.send() for _ in range(2)]  # answered while the first send is at work
        assert [r.status_code for r in repeats] == [302, 302]
        pending = repeats[0]["Location"]
        assert pending.startswith("/forms/sent/online:") and repeats[1]["Location"] == pending
        waiting = held.click().get(pending)
        assert waiting.status_code == 202
        html = waiting.content.decode()
        assert "Đang xử lý" in html and 'http-equiv="refresh"' in html
        assert Dossier.objects.count() == 0
    done = held.first["response"]
    assert done.status_code == 302 and done["Location"].startswith("/procedures/submitted/")
    assert Dossier.objects.count() == 1
    arrived = held.click().get(pending)  # the self-reloading page, once the first send is done
    assert (arrived.status_code, arrived["Location"]) == (302, done["Location"])
    assert Dossier.objects.get().code in held.click().get(done["Location"]).content.decode()
    # A key no send was claimed under says the form was not sent, and links nowhere odd.
    assert held.click().get("/forms/sent/online:never-claimed-key-0000/").status_code == 404


@travel
def test_a_paper_sent_as_a_file_is_listed_among_the_papers_attached(ward, media):
    """Seen at 320 px: a citizen who attached the original's scan but did not also tick it read
    "Giấy tờ nộp kèm: Không khai" on the check page, though the dossier is filed with it — the
    page listed the ticks only, the service the ticks and the files."""
    browser, token = csrf_browser(SUBMIT)
    body = FORM | {
        "attachments_ban_chinh": upload("ban-chinh.pdf", pdf()),
        "csrfmiddlewaretoken": token,
    }
    assert browser.post(SUBMIT, body)["Location"] == CHECK
    shown = answers(browser.get(CHECK).content.decode())
    assert shown["Giấy tờ nộp kèm"] == "Bản chính"
    browser.post(CHECK, {"csrfmiddlewaretoken": token})
    assert Dossier.objects.get().documents == ["ban_chinh"]


@travel
def test_the_file_hint_states_every_limit_the_file_is_checked_against(client, ward, media):
    """QA Q24: the hint said only "PDF, JPEG hoặc PNG, tối đa 10 MB", and a 45-megapixel photo
    or a 60-page PDF was refused by a limit it never stated."""
    html = client.get(SUBMIT).content.decode()
    assert "PDF (tối đa 50 trang), JPEG hoặc PNG (tối đa 40 megapixel); tối đa 10 MB." in html
