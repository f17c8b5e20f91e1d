"""A file kept for the next send (``core.pending_uploads``) whose content is gone from the store
(lost, removed by hand) was left out of that send without a word: the dossier was filed with
the paper ticked as given and no file, though the check page had shown the file as uploaded.
Now the send is refused (422) with a sentence naming the file, on its field (Vietnamese, English
too), nothing is filed, and the visitor may choose the file again."""

import pytest
from django.core.files.storage import default_storage

from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.tests import upload_form as form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

GONE_VI = "Tệp “ban-chinh.pdf” đã tải lên trước đó không còn trong kho lưu trữ"
GONE_EN = "The file “ban-chinh.pdf” uploaded earlier is no longer in the"


def _lose_kept_files() -> None:
    _, names = default_storage.listdir("pending")
    assert names
    for name in names:
        default_storage.delete(f"pending/{name}")


@form.travel
def test_a_kept_file_gone_from_the_store_at_send_is_said_and_nothing_is_filed(ward):
    browser, token = form.browser()
    assert browser.post(form.SUBMIT, form.with_file(token))["Location"].endswith("/submit/check/")
    _lose_kept_files()
    answer = browser.post(form.CHECK, {"csrfmiddlewaretoken": token})
    english = browser.post(form.CHECK, {"csrfmiddlewaretoken": token}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 422, answer.content.decode()[:500]
    assert GONE_VI in answer.content.decode()
    assert english.status_code == 422 and GONE_EN in english.content.decode()
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    # Chosen again on the form, the file goes with the dossier.
    again = browser.post(
        form.SUBMIT,
        form.FORM
        | {
            "documents": ["ban_chinh"],
            "attachments_ban_chinh": form.upload("ban-chinh.pdf", form.pdf()),
            "csrfmiddlewaretoken": token,
        },
    )
    assert again.status_code == 302
    assert browser.post(form.CHECK, {"csrfmiddlewaretoken": token}).status_code == 302
    assert Attachment.objects.get().dossier == Dossier.objects.get()


@form.travel
def test_a_kept_file_gone_from_the_store_is_said_on_its_field_of_the_form(ward):
    """The first send refused (no name), the file kept; the corrected send without the file
    chosen again finds it gone: the form says so on the paper's field, not on to the check page."""
    browser, token = form.browser()
    refused = browser.post(form.SUBMIT, form.with_file(token) | {"applicant_name": ""})
    assert refused.status_code == 422
    _lose_kept_files()
    answer = browser.post(
        form.SUBMIT, form.FORM | {"documents": ["ban_chinh"], "csrfmiddlewaretoken": token}
    )
    html = answer.content.decode()
    assert answer.status_code == 422, html[:500]
    assert 'id="id_attachments_ban_chinh_error"' in html and GONE_VI in html
    assert Dossier.objects.count() == 0
