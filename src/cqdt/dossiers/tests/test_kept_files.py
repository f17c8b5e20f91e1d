"""Files and values kept after a refused submit (issue 13): every error in one answer, the good
files kept as pending uploads of the session, reused, removable, and cleaned up after a TTL."""

import datetime as dt
import re

import pytest
from django.test import Client

from cqdt.core import pending_uploads
from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.tests.conftest import submit_online
from cqdt.dossiers.tests.upload_form import FORM, SUBMIT, pdf, stored, travel, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def kept_tokens(html: str) -> list[str]:
    return re.findall(r'name="pending_remove" value="([^"]+)"', html)


@travel
def test_a_refused_submit_keeps_the_good_file_and_shows_every_error(client, ward, media):
    bad = FORM | {"applicant_name": "", "applicant_phone": "12", "note": "Giữ lại ghi chú"}
    refused = client.post(SUBMIT, bad | {"attachments_ban_chinh": upload("ban-chinh.pdf", pdf())})
    assert refused.status_code == 422
    html = refused.content.decode()
    # The form's error and the service's (the phone rule) in the same answer.
    assert 'id="id_applicant_name_error"' in html and 'id="id_applicant_phone_error"' in html
    assert "đã tải lên: ban-chinh.pdf" in html and len(kept_tokens(html)) == 1
    assert "Giữ lại ghi chú" in html and 'value="001190012345"' in html  # values refilled
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    # Another visitor cannot use this session's file.
    other = submit_online(Client(), SUBMIT, FORM)
    assert other.status_code == 422 and "Thiếu giấy tờ bắt buộc" in other.content.decode()
    # The next try, no file chosen again: the kept one is filed, then the pending copy goes.
    done = submit_online(client, SUBMIT, FORM)
    assert done.status_code == 302, done.content.decode()[:2000]
    a = Attachment.objects.get()
    assert a.original_name == "ban-chinh.pdf" and a.document_code == "ban_chinh"
    assert not [p for p in media.rglob("pending/*") if p.is_file()]


@travel
def test_a_kept_file_can_be_removed_and_a_missing_paper_is_said_with_the_field_errors(
    client, ward, media
):
    refused = client.post(
        SUBMIT,
        FORM | {"applicant_name": "", "attachments_ban_chinh": upload("ban-chinh.pdf", pdf())},
    )
    token = kept_tokens(refused.content.decode())[0]
    again = client.post(SUBMIT, FORM | {"applicant_name": "", "pending_remove": [token]})
    html = again.content.decode()
    assert again.status_code == 422 and "đã tải lên" not in html
    # The service's refusal (missing paper) comes with the form's own error, in one answer.
    assert 'id="id_applicant_name_error"' in html and "Thiếu giấy tờ bắt buộc" in html
    assert stored(media) == []


def test_pending_files_are_purged_after_the_ttl(client, media):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    default_storage.save("pending/old", ContentFile(b"x"))
    later = timezone.now() + dt.timedelta(seconds=pending_uploads.TTL + 60)
    assert pending_uploads.purge_expired(timezone.now()) == pending_uploads.Purged(0)
    assert pending_uploads.purge_expired(later) == pending_uploads.Purged(1)
    assert stored(media) == []
