"""The online form answered with errors names a GET URL for its history entry (``?again=1``,
nothing typed in it), and that GET shows the same form — what was typed, the kept file, every
error, the file's refusal and the service's included — so that Back to it does not end on
"Confirm Form Resubmission" (``core.form_recall``). Posted as a browser would, CSRF enforced."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfWriter

from cqdt.testing import ProcedureFactory

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


def _browser(url):
    client = Client(enforce_csrf_checks=True)
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return client, token


def _history_url(html: str) -> str | None:
    found = re.search(r'data-history-url="([^"]+)"', html)
    return found.group(1) if found else None


def test_a_form_with_errors_is_shown_again_by_a_get_of_its_history_url(procedure):
    url = f"/procedures/{procedure.slug}/submit/"
    client, token = _browser(url)
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
    again = _history_url(first)
    assert again == f"{url}?again=1"  # a flag, nothing the citizen typed
    errors = re.findall(r'<a href="#id_([a-z_]+)"', first)
    assert {"unit", "applicant_phone", "attachments_ban_sao"} <= set(errors)

    shown = client.get(again)
    assert shown.status_code == 422
    html = shown.content.decode()
    assert re.findall(r'<a href="#id_([a-z_]+)"', html) == errors  # the same errors, once each
    assert f'value="{NAME}"' in html and f'value="{ID_NUMBER}"' in html
    assert "to-khai.pdf" in html  # the file kept server side, not chosen again
    assert _history_url(html) is None  # a GET is already a GET

    fresh = client.get(url)  # without the flag: the form as it opens
    assert fresh.status_code == 200 and 'class="error-summary' not in fresh.content.decode()


def test_once_the_form_goes_through_its_history_url_shows_no_old_errors(procedure):
    url = f"/procedures/{procedure.slug}/submit/"
    client, token = _browser(url)
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
    client, token = _browser(url)
    client.post(url, {"csrfmiddlewaretoken": token, "applicant_name": NAME})
    html = client.get(f"{url}?again=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Hãy chọn xã, phường" not in html
    assert f'value="{NAME}"' in html
