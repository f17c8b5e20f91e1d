"""Attachments over HTTP: a file per paper online and at the counter, bad files refused naming
the file with nothing stored, and access only for staff in scope and the applicant (audited)."""

import datetime as dt
import hashlib
import re

import pytest
import time_machine

from cqdt.core.models import AuditEvent
from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.tests.upload_form import (
    FORM,
    huge_png_header,
    online,
    pdf,
    png_with_metadata,
    stored,
    travel,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@travel
def test_online_submission_stores_a_file_per_paper_cleaned_and_audited(client, ward, media):
    response = online(client, ban_chinh=upload("ban-chinh.pdf", pdf(2)))
    assert response.status_code == 302, response.content.decode()[:3000]
    d = Dossier.objects.get()
    a = Attachment.objects.get()
    assert (a.dossier, a.document_code, a.content_type, a.pages) == (
        d,
        "ban_chinh",
        "application/pdf",
        2,
    )
    assert a.scan == "skipped"  # CQDT_CLAMD is not set in the tests
    assert "ban_chinh" in d.documents  # the paper with a file counts as given
    assert AuditEvent.objects.filter(action="attachment_add", object_id=d.code).count() == 1
    assert len(stored(media)) == 1


@travel
def test_an_image_is_reencoded_without_its_metadata(client, ward, media):
    response = online(client, ban_chinh=upload("anh.png", png_with_metadata(), "image/png"))
    assert response.status_code == 302
    a = Attachment.objects.get()
    data = a.file.open("rb").read()
    assert a.content_type == "image/jpeg" and data.startswith(b"\xff\xd8\xff")
    assert b"GPS" not in data


# The bad files of issue 13's acceptance (and a PDF over the page limit), with words the refusal
# must say; the web form's and the API's tests both take them.
BAD_FILES = [
    pytest.param("giay-to.pdf", b"MZ\x90\x00" + b"\0" * 4000, "PDF, JPEG", id="renamed-executable"),
    pytest.param("anh-lon.png", huge_png_header(), "400 triệu", id="400-megapixels"),
    pytest.param("qua-lon.pdf", b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024), "50 MB", id="50-MB-pdf"),
    pytest.param("nhieu-trang.pdf", pdf(51), "51", id="51-pages"),
]


@travel
@pytest.mark.parametrize("name, data, words", BAD_FILES)
def test_a_bad_file_is_refused_naming_it_and_nothing_is_stored(
    client, ward, media, name, data, words
):
    before = AuditEvent.objects.count()
    response = online(client, ban_chinh=upload(name, data))
    assert response.status_code == 422
    html = response.content.decode()
    assert name in html and words in html
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert AuditEvent.objects.count() == before
    assert stored(media) == []


@travel
def test_files_are_served_to_staff_in_scope_and_to_the_applicant_only_audited(
    client, ward, ward_b, media
):
    assert online(client, ban_chinh=upload("ban-chinh.pdf", pdf())).status_code == 302
    confirmation = client.get(f"/procedures/submitted/{Dossier.objects.get().code}/")
    secret = re.search(r'id="lookup-secret">([^<]+)<', confirmation.content.decode()).group(1)
    d, a = Dossier.objects.get(), Attachment.objects.get()
    staff_url = f"/staff/dossiers/{d.code}/attachments/{a.public_id}/"
    public_url = f"/lookup/{d.code}/attachments/{a.public_id}/"

    assert client.get(staff_url).status_code == 302  # to the login page
    client.force_login(ward_b["user_desk"])
    assert client.get(staff_url).status_code == 404  # another ward's desk
    client.force_login(ward["user_desk"])
    served = client.get(staff_url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content).startswith(b"%PDF-")
    assert a.original_name in client.get(f"/staff/dossiers/{d.code}/").content.decode()
    client.logout()

    assert client.get(public_url).status_code == 405  # never with the secret in the URL
    assert client.post(public_url, {"secret": "SAI-MA"}).status_code == 404
    assert client.post(public_url, {"secret": secret}).status_code == 200
    views = AuditEvent.objects.filter(action="attachment_view", object_id=d.code)
    assert sorted(e.after["reader"] for e in views) == ["applicant", "staff"]


@travel
def test_the_counter_takes_a_file_per_paper(client, ward, media):
    client.force_login(ward["user_desk"])
    response = client.post(
        "/staff/dossiers/counter/",
        FORM
        | {
            "procedure": "chung-thuc-ban-sao",
            "channel": "counter",
            "accept_now": "on",
            "submit_intake": "1",
            "attachments_ban_chinh": upload("ban-chinh.pdf", pdf()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Attachment.objects.get().dossier == Dossier.objects.get()


def test_the_applicant_answers_a_supplement_by_upload_and_the_clock_resumes(client, ward, media):
    from cqdt.dossiers import workflow
    from cqdt.testing import at, submit, supplement_requested

    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False) as clock:
        result = submit(ward, now=at(dt.date(2026, 3, 2)))
        code = result.dossier.code
        not_yet = client.post(
            f"/lookup/{code}/supplement/",
            {"secret": result.secret, "attachments_to_khai": upload("to-khai.pdf", pdf())},
        )
        assert not_yet.status_code == 422 and Attachment.objects.count() == 0
        d = supplement_requested(ward, code, now=at(dt.date(2026, 3, 2), 10))
        due_before = d.due_at
        clock.move_to(at(dt.date(2026, 3, 4), 9))
        page = client.post(
            "/lookup/", {"code": code, "secret": result.secret}, follow=True
        ).content.decode()
        assert "Bổ sung hồ sơ trực tuyến" in page
        assert client.post(f"/lookup/{code}/supplement/", {"secret": "SAI"}).status_code == 404
        answered = client.post(
            f"/lookup/{code}/supplement/",
            {"secret": result.secret, "attachments_to_khai": upload("to-khai.pdf", pdf())},
        )
        assert answered.status_code == 302, answered.content.decode()[:2000]
        assert client.get(answered["Location"]).status_code == 200  # a refresh sends nothing
    d = Dossier.objects.get(code=code)
    assert d.status == workflow.PROCESSING  # the clock runs again
    assert d.due_at > due_before  # moved by the paused working days
    assert d.pauses.get().resumed_at is not None
    a = Attachment.objects.get()
    assert (a.stage, a.document_code) == ("supplement", "to_khai")
    assert d.events.last().actor_role == "Người nộp hồ sơ"


# --- on S3-compatible object storage (CQDT_STORAGE=s3; docs/decisions/0017, 0021) ---------------


@travel
def test_on_s3_the_file_is_in_the_bucket_served_from_it_and_a_bad_one_leaves_nothing(
    client, ward, media, s3
):
    response = online(client, ban_chinh=upload("anh.png", png_with_metadata(), "image/png"))
    assert response.status_code == 302, response.content.decode()[:3000]
    a = Attachment.objects.get()
    key = f"uploads/{a.file.name}"
    assert s3.keys() == [key] and stored(media) == []  # in the bucket, not on the disk
    data = s3.read(key)
    assert data.startswith(b"\xff\xd8\xff") and b"GPS" not in data  # cleaned before storing
    assert hashlib.sha256(data).hexdigest() == a.sha256

    client.force_login(ward["user_desk"])
    served = client.get(f"/staff/dossiers/{a.dossier.code}/attachments/{a.public_id}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == data
    client.logout()

    refused = online(client, ban_chinh=upload("giay-to.pdf", b"MZ\x90\x00" + b"\0" * 4000))
    assert refused.status_code == 422
    assert s3.keys() == [key] and Attachment.objects.count() == 1


@travel
def test_on_s3_a_failure_after_a_file_is_written_removes_it_from_the_bucket(
    client, ward, media, s3, monkeypatch
):
    from cqdt.dossiers.services import attachments

    written = []
    real = attachments.audit_record

    def fails_after_the_file(**kwargs):
        written.extend(s3.keys("dossiers/"))
        raise RuntimeError("the database went away")

    monkeypatch.setattr(attachments, "audit_record", fails_after_the_file)
    with pytest.raises(RuntimeError):
        online(client, ban_chinh=upload("ban-chinh.pdf", pdf()))
    monkeypatch.setattr(attachments, "audit_record", real)
    assert len(written) == 1  # the file was in the bucket when the failure came
    assert s3.keys("dossiers/") == []
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
