"""The online form answered with errors names a GET URL for its history entry (``?again=1``,
nothing typed in it), and that GET shows the same form — what was typed, the kept file, every
error, the file's refusal and the service's included — so that Back to it does not end on
"Confirm Form Resubmission" (``core.form_recall``). Posted as a browser would, CSRF enforced."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from cqdt.core import form_recall
from cqdt.testing import ProcedureFactory, csrf_browser, history_url, stored_session

pytestmark = pytest.mark.django_db

NAME = "Phạm Thị Dung"
ID_NUMBER = "001190054321"


@pytest.fixture
def procedure(one_stop_reference, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return ProcedureFactory(
        marital=True,
        required_documents=[
            {"code": "to_khai", "name": "Tờ khai", "required": True},
            {"code": "ban_sao", "name": "Bản sao giấy tờ", "required": False},
        ],
    )


def _pdf() -> bytes:
    import io

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_form_with_errors_is_shown_again_by_a_get_of_itshistory_url(procedure):
    url = f"/procedures/{procedure.slug}/submit/"
    client, token = csrf_browser(url)
    answer = client.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "applicant_name": NAME,
            "applicant_id_number": ID_NUMBER,
            "applicant_phone": "12",
            "attachments_to_khai": SimpleUploadedFile("to-khai.pdf", _pdf(), "application/pdf"),
            "attachments_ban_sao": SimpleUploadedFile("ban-sao.exe", b"MZ\x90\x00", "text/plain"),
        },
    )
    assert answer.status_code == 422  # the POST's answer is as it was
    first = answer.content.decode()
    again = history_url(first)
    assert again == f"{url}?again=1"  # a flag, nothing the citizen typed
    errors = re.findall(r'<a href="#id_([a-z_]+)"', first)
    assert {"unit", "applicant_phone", "attachments_ban_sao"} <= set(errors)

    shown = client.get(again)
    assert shown.status_code == 422
    html = shown.content.decode()
    assert re.findall(r'<a href="#id_([a-z_]+)"', html) == errors  # the same errors, once each
    assert f'value="{NAME}"' in html and f'value="{ID_NUMBER}"' in html
    assert "to-khai.pdf" in html  # the file kept server side, not chosen again
    assert history_url(html) is None  # a GET is already a GET

    fresh = client.get(url)  # without the flag: the form as it opens
    assert fresh.status_code == 200 and 'class="error-summary' not in fresh.content.decode()


def test_once_the_form_goes_through_its_history_url_shows_no_old_errors(procedure):
    url = f"/procedures/{procedure.slug}/submit/"
    client, token = csrf_browser(url)
    assert (
        client.post(url, {"csrfmiddlewaretoken": token, "applicant_name": NAME}).status_code == 422
    )
    fixed = client.post(
        f"{url}?again=1",  # the form posts to its page's URL, which the flag now names
        {
            "csrfmiddlewaretoken": token,
            "unit": "00001",
            "applicant_kind": "person",
            "applicant_name": NAME,
            "applicant_id_number": ID_NUMBER,
            "documents": ["to_khai"],
        },
    )
    assert fixed.status_code == 302 and fixed["Location"].endswith("/submit/check/")
    back = client.get(f"{url}?again=1")  # Back from the check page
    html = back.content.decode()
    assert back.status_code == 200 and 'class="error-summary' not in html
    assert f'value="{NAME}"' in html  # the answers the check page shows


def test_an_english_page_does_not_repeat_vietnamese_errors(procedure):
    url = f"/procedures/{procedure.slug}/submit/"
    client, token = csrf_browser(url)
    client.post(url, {"csrfmiddlewaretoken": token, "applicant_name": NAME})
    html = client.get(f"{url}?again=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Hãy chọn xã, phường" not in html
    assert f'value="{NAME}"' in html


PHONE = "0912345678"
ADDRESS = "Số 7 ngõ 12 Phó Đức Chính"


def test_once_the_dossier_is_sent_nothing_typed_stays_in_the_session_store(procedure):
    """The form answered with errors kept what was typed (a name, an ID number, a phone, an
    address); once the dossier is filed from the check page none of it is left in the session
    store — only the dossier's code and secret for its confirmation and lookup."""
    url = f"/procedures/{procedure.slug}/submit/"
    client, token = csrf_browser(url)
    typed = {
        "csrfmiddlewaretoken": token,
        "applicant_kind": "person",
        "applicant_name": NAME,
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": PHONE,
        "applicant_address": ADDRESS,
        "documents": ["to_khai"],
    }
    assert client.post(url, typed).status_code == 422  # no ward chosen
    kept = stored_session(client)
    assert all(value in kept for value in (NAME, ID_NUMBER, PHONE, ADDRESS))  # kept for Back
    checked = client.post(f"{url}?again=1", typed | {"unit": "00001"})
    assert checked.status_code == 302 and checked["Location"].endswith("/submit/check/")
    sent = client.post(checked["Location"], {"csrfmiddlewaretoken": token})
    assert sent.status_code == 302 and "/procedures/submitted/" in sent["Location"]
    assert client.get(sent["Location"]).status_code == 200  # the confirmation, read
    left = stored_session(client)
    assert left  # the session itself stays (the confirmation's code and secret)
    for value in (NAME, ID_NUMBER, PHONE, ADDRESS):
        assert value not in left, value


def test_a_form_opened_afresh_or_left_for_good_drops_what_was_typed(procedure, frozen):
    url = f"/procedures/{procedure.slug}/submit/"
    client, token = csrf_browser(url)
    client.post(url, {"csrfmiddlewaretoken": token, "applicant_name": NAME})
    assert NAME in stored_session(client)
    assert client.get(url).status_code == 200  # opened again without the flag: started over
    assert NAME not in stored_session(client)
    assert 'class="error-summary' not in client.get(f"{url}?again=1").content.decode()

    client.post(url, {"csrfmiddlewaretoken": token, "applicant_name": NAME})
    frozen.shift(dt.timedelta(seconds=form_recall.TTL + 1))  # left for good
    late = client.get(f"{url}?again=1").content.decode()
    assert NAME not in late and 'class="error-summary' not in late
    client.get("/lookup/")  # any later write of the session drops it from the store
    client.post("/lookup/", {"csrfmiddlewaretoken": token, "code": "H26-X", "secret": ""})
    assert NAME not in stored_session(client)
