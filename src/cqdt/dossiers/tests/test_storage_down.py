"""The object storage (S3-compatible, CQDT_STORAGE=s3) is down: uploads and downloads answered
500, a server error. They answer 503 with a sentence saying the file store cannot be reached
(Vietnamese, English too), write nothing half-way (no dossier, no attachment row pointing at a
file that was not stored) and log the outage without personal data."""

import logging

import pytest

from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.tests import upload_form as form
from cqdt.testing import object_storage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

DOWN_VI = "Kho lưu trữ tệp tạm thời không truy cập được"
DOWN_EN = "The file store cannot be reached at the moment"


@form.travel
def test_a_file_sent_while_the_store_is_down_is_a_503_and_nothing_is_kept(ward, settings, caplog):
    browser, token = form.browser()
    with object_storage.s3_unreachable(settings), caplog.at_level(logging.WARNING):
        answer = browser.post(form.SUBMIT, form.with_file(token))
        english = browser.post(form.SUBMIT, form.with_file(token), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 503, answer.content.decode()[:500]
    assert DOWN_VI in answer.content.decode()
    assert english.status_code == 503 and DOWN_EN in english.content.decode()
    assert not any(k.startswith("pending_uploads:") for k, _ in browser.session.items())
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    logged = [r for r in caplog.records if "storage_unavailable" in r.getMessage()]
    assert logged
    assert not any("Lê Văn C" in r.getMessage() or "ban-chinh" in r.getMessage() for r in logged)


@form.travel
def test_sending_while_the_store_is_down_files_no_dossier_without_its_file(ward, settings, s3):
    """The file was kept while the store was up; at "Gửi hồ sơ" the store is down: no dossier is
    filed (neither without its file nor with a row pointing at nothing), 503, and a later click
    may send it again."""
    browser, token = form.browser()
    assert browser.post(form.SUBMIT, form.with_file(token))["Location"].endswith("/submit/check/")
    with object_storage.s3_unreachable(settings):
        answer = browser.post(form.CHECK, {"csrfmiddlewaretoken": token})
    assert answer.status_code == 503, answer.content.decode()[:500]
    assert DOWN_VI in answer.content.decode()
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0


@form.travel
def test_storing_a_file_while_the_store_is_down_writes_no_dossier(ward, settings):
    """The service on its own: the dossier and its files are one transaction; the file cannot
    be stored, so neither is written."""
    from cqdt.core.audit import Actor
    from cqdt.core.errors import DomainError
    from cqdt.dossiers import services
    from cqdt.testing.factories import APPLICANT_FIELDS

    with object_storage.s3_unreachable(settings), pytest.raises(DomainError) as refused:
        services.dossier_submit_with_attachments(
            attachments=[services.AttachmentIn("ban_chinh", "ban-chinh.pdf", form.pdf())],
            actor=Actor.system("online"),
            unit_code="00001",
            procedure_slug="chung-thuc-ban-sao",
            channel="online",
            applicant=services.ApplicantIn(**APPLICANT_FIELDS),
            documents=["ban_chinh"],
        )
    assert refused.value.status == 503 and DOWN_VI in refused.value.vi
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0


@form.travel
def test_a_file_asked_for_while_the_store_is_down_is_a_503(client, ward, settings, s3):
    browser, token = form.browser()
    sent = browser.post(form.SUBMIT, form.with_file(token))
    assert browser.post(sent["Location"], {"csrfmiddlewaretoken": token}).status_code == 302
    a = Attachment.objects.get()
    client.force_login(ward["user_desk"])
    with object_storage.s3_unreachable(settings):
        answer = client.get(f"/staff/dossiers/{a.dossier.code}/attachments/{a.public_id}/")
    assert answer.status_code == 503
    assert DOWN_VI in answer.content.decode()


@form.travel
def test_a_file_whose_store_drops_between_its_open_and_its_fetch_is_a_503(
    client, ward, settings, s3, caplog
):
    """The download opened the object (HEAD) within the outage guard and fetched its body
    (GET) outside it, as the response was built and streamed: a 500, or a cut answer."""
    from django.core.files.storage import default_storage

    browser, token = form.browser()
    sent = browser.post(form.SUBMIT, form.with_file(token))
    assert browser.post(sent["Location"], {"csrfmiddlewaretoken": token}).status_code == 302
    a = Attachment.objects.get()
    client.force_login(ward["user_desk"])
    url = f"/staff/dossiers/{a.dossier.code}/attachments/{a.public_id}/"
    whole = client.get(url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == a.file.read()
    asked = object_storage.fetches_fail(default_storage)
    with caplog.at_level(logging.WARNING):
        answer = client.get(url)
    assert asked  # the fetch was tried, and failed
    assert answer.status_code == 503
    assert DOWN_VI in answer.content.decode() and answer["Retry-After"] == "30"
    logged = [r.getMessage() for r in caplog.records if "storage_unavailable" in r.getMessage()]
    assert len(logged) == 1 and "attachment_read" in logged[0]
    assert str(a.public_id) not in logged[0]
