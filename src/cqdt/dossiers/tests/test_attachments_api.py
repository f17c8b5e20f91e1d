"""Attachments through the JSON API over HTTP (issue 13): multipart intake, online submission and
supplement with the forms' checks; bad files refused naming the file with nothing stored;
``Idempotency-Key`` over the files; bearer tokens, read-only and scoped tokens, CSRF on
session writes; every read of a file audited."""

import datetime as dt
import json

import pytest
import time_machine

from cqdt.core.audit import Actor
from cqdt.core.models import AuditEvent, IdempotentRequest
from cqdt.core.tokens import token_issue
from cqdt.dossiers import workflow
from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.tests.conftest import WARD_B, at, submit
from cqdt.dossiers.tests.test_api import INTAKE
from cqdt.dossiers.tests.test_attachments import BAD_FILES
from cqdt.dossiers.tests.upload_form import FORM, pdf, png_with_metadata, stored, travel, upload
from cqdt.testing import logged_in, supplement_requested

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

STAFF = "/api/v1/dossiers/with-attachments"
ONLINE = "/api/v1/public/dossiers/with-attachments"
ONLINE_BODY = {
    "unit": FORM["unit"],
    "procedure": "chung-thuc-ban-sao",
    "applicant": {"name": "Lê Văn C", "id_number": "001190012345", "phone": "0912345678"},
}


def bearer(user, **kw):
    _, secret = token_issue(actor=Actor.system("test"), user=user, **kw)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def multipart(client, url, payload, files, **headers):
    body = {"payload": json.dumps(payload)} if payload is not None else {}
    return client.post(url, body | files, **headers)


@travel
def test_online_submission_with_files_by_multipart(client, ward, media):
    response = multipart(
        client,
        ONLINE,
        ONLINE_BODY,
        {
            "attachments.ban_chinh": [
                upload("ban-chinh.pdf", pdf(2)),
                upload("anh.png", png_with_metadata(), "image/png"),
            ]
        },
    )
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["lookup_secret"] and body["status"] == workflow.SUBMITTED
    d = Dossier.objects.get(code=body["code"])
    files = sorted((a.original_name, a.content_type) for a in d.attachments.all())
    assert files == [("anh.png", "image/jpeg"), ("ban-chinh.pdf", "application/pdf")]
    assert b"GPS" not in d.attachments.get(original_name="anh.png").file.open("rb").read()
    assert AuditEvent.objects.filter(action="attachment_add", object_id=d.code).count() == 2
    # The applicant reads a file back with the secret in the body, never in the URL.
    a = d.attachments.get(original_name="ban-chinh.pdf")
    url = f"/api/v1/public/dossiers/{d.code}/attachments/{a.public_id}"
    assert client.get(url, {"secret": body["lookup_secret"]}).status_code == 405
    wrong = client.post(url, json.dumps({"secret": "SAI-MA"}), content_type="application/json")
    assert wrong.status_code == 404
    served = client.post(
        url, json.dumps({"secret": body["lookup_secret"]}), content_type="application/json"
    )
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["Cache-Control"] == "private, no-store"
    assert b"".join(served.streaming_content).startswith(b"%PDF-")
    views = AuditEvent.objects.filter(action="attachment_view", object_id=d.code)
    assert [e.after["reader"] for e in views] == ["applicant"]


@travel
@pytest.mark.parametrize("name, data, words", BAD_FILES)
def test_a_bad_file_is_refused_naming_it_and_nothing_is_stored(
    client, ward, media, name, data, words
):
    before = AuditEvent.objects.count()
    response = multipart(
        client,
        ONLINE,
        ONLINE_BODY,
        {"attachments.ban_chinh": upload(name, data)},
        HTTP_IDEMPOTENCY_KEY=f"bad-{name}",  # the key's fingerprint reads the parts, not the body
    )
    assert response.status_code == 422, response.content.decode()[:500]
    body = response.json()
    assert body["field"] == "attachments.ban_chinh"
    assert name in body["messages"]["vi"] and name in body["messages"]["en"]
    assert words in body["messages"]["vi"]
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert AuditEvent.objects.count() == before and stored(media) == []
    assert not IdempotentRequest.objects.exists()  # a refusal is not kept: fix and retry


@travel
def test_the_same_idempotency_key_files_once_and_another_file_is_another_request(
    client, ward, media
):
    files = {"attachments.ban_chinh": upload("ban-chinh.pdf", pdf())}
    first = multipart(client, ONLINE, ONLINE_BODY, files, HTTP_IDEMPOTENCY_KEY="k1")
    files = {"attachments.ban_chinh": upload("ban-chinh.pdf", pdf())}
    again = multipart(client, ONLINE, ONLINE_BODY, files, HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Dossier.objects.count() == 1 and Attachment.objects.count() == 1
    other = {"attachments.ban_chinh": upload("ban-chinh.pdf", pdf(2))}  # same name, other bytes
    reused = multipart(client, ONLINE, ONLINE_BODY, other, HTTP_IDEMPOTENCY_KEY="k1")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == 1


@travel
def test_bad_parts_and_bodies_are_named(client, ward, media):
    wrong_part = multipart(client, ONLINE, ONLINE_BODY, {"tep": upload("a.pdf", pdf())})
    assert wrong_part.status_code == 422 and wrong_part.json()["field"] == "tep"
    unknown_paper = multipart(
        client, ONLINE, ONLINE_BODY, {"attachments.khong_co": upload("a.pdf", pdf())}
    )
    assert unknown_paper.status_code == 422 and unknown_paper.json()["field"] == "attachments"
    no_payload = multipart(client, ONLINE, None, {"attachments.ban_chinh": upload("a.pdf", pdf())})
    assert no_payload.status_code == 422 and no_payload.json()["field"] == "payload"
    bad_payload = multipart(client, ONLINE, ONLINE_BODY | {"unit": "x"}, {})
    assert bad_payload.status_code == 422 and bad_payload.json()["field"] == "payload.unit"
    said = bad_payload.json()["messages"]
    assert "không đúng định dạng" in said["vi"] and "should" not in said["vi"]
    assert "does not have the expected format" in said["en"]
    as_json = client.post(ONLINE, json.dumps(ONLINE_BODY), content_type="application/json")
    assert as_json.status_code == 422 and as_json.json()["code"] == "multipart_required"
    assert Dossier.objects.count() == 0 and stored(media) == []


@travel
def test_a_nul_or_nan_inside_the_json_payload_part_is_refused_naming_it(client, ward, media):
    """Found over HTTP: the guard read the ``payload`` part as text, where a NUL is the six
    characters ``\\u0000``; decoded, it reached the database (a 500 on PostgreSQL)."""
    applicant = ONLINE_BODY["applicant"] | {"name": "Lê Văn\u0000 C"}
    files = {"attachments.ban_chinh": upload("a.pdf", pdf())}
    nul = multipart(client, ONLINE, ONLINE_BODY | {"applicant": applicant}, files)
    assert (nul.status_code, nul.json()["field"]) == (422, "payload.applicant.name")
    raw = json.dumps(ONLINE_BODY)[:-1] + ', "lat": NaN}'
    files = {"attachments.ban_chinh": upload("a.pdf", pdf())}
    nan = client.post(ONLINE, {"payload": raw} | files)
    assert (nan.status_code, nan.json()["field"]) == (422, "payload.lat")
    assert Dossier.objects.count() == 0 and stored(media) == []


@travel
def test_staff_intake_with_files_needs_a_writing_token_in_scope(client, ward, ward_b, media):
    files = lambda: {"attachments.to_khai": upload("to-khai.pdf", pdf())}  # noqa: E731
    assert multipart(client, STAFF, INTAKE, files()).status_code == 401
    read_only = bearer(ward["user_desk"], read_only=True)
    refused = multipart(client, STAFF, INTAKE, files(), **read_only)
    assert refused.status_code == 403 and refused.json()["code"] == "token_read_only"
    elsewhere = bearer(ward["user_desk"], scope_unit_code=WARD_B)
    assert multipart(client, STAFF, INTAKE, files(), **elsewhere).status_code == 404
    other_ward = bearer(ward_b["user_desk"])
    assert multipart(client, STAFF, INTAKE, files(), **other_ward).status_code == 404
    # A logged-in session must send the CSRF token (a browser's cookie is not enough).
    browser = logged_in(ward["user_desk"])
    csrf = multipart(browser, STAFF, INTAKE, files())
    assert csrf.status_code == 403 and csrf.json()["code"] == "csrf_failed"
    assert Dossier.objects.count() == 0 and stored(media) == []

    done = multipart(client, STAFF, INTAKE, files(), **bearer(ward["user_desk"]))
    assert done.status_code == 200, done.content.decode()
    d = Dossier.objects.get()
    assert d.code == done.json()["code"] and d.status == workflow.ACCEPTED
    assert d.attachments.get().document_code == "to_khai"


@travel
def test_staff_read_a_dossiers_files_in_scope_every_read_audited(client, ward, ward_b, media):
    token = bearer(ward["user_desk"])
    code = multipart(
        client, STAFF, INTAKE, {"attachments.to_khai": upload("to-khai.pdf", pdf())}, **token
    ).json()["code"]
    listed = client.get(f"/api/v1/dossiers/{code}/attachments", **token)
    assert listed.status_code == 200
    [row] = listed.json()
    assert (row["original_name"], row["content_type"], row["pages"]) == (
        "to-khai.pdf",
        "application/pdf",
        1,
    )
    served = client.get(f"/api/v1/dossiers/{code}/attachments/{row['public_id']}", **token)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content).startswith(b"%PDF-")
    other = bearer(ward_b["user_desk"])
    assert client.get(f"/api/v1/dossiers/{code}/attachments", **other).status_code == 404
    missing = f"/api/v1/dossiers/{code}/attachments/00000000-0000-0000-0000-000000000000"
    assert client.get(missing, **token).status_code == 404
    actions = AuditEvent.objects.filter(object_id=code).values_list("action", flat=True)
    assert list(actions).count("attachment_list") == 1
    assert list(actions).count("attachment_view") == 1


def test_the_applicant_answers_a_supplement_through_the_api(client, ward, media):
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False) as clock:
        result = submit(ward, now=at(dt.date(2026, 3, 2)))
        code = result.dossier.code
        d = supplement_requested(ward, code, now=at(dt.date(2026, 3, 2), 10))
        due_before = d.due_at
        clock.move_to(at(dt.date(2026, 3, 4), 9))
        url = f"/api/v1/public/dossiers/{code}/supplement"
        bad = client.post(
            url,
            {"secret": result.secret, "attachments.to_khai": upload("to-khai.pdf", b"MZ" * 100)},
        )
        assert bad.status_code == 422 and "to-khai.pdf" in bad.json()["messages"]["vi"]
        wrong = client.post(url, {"secret": "SAI", "attachments.to_khai": upload("a.pdf", pdf())})
        assert wrong.status_code == 404
        assert Dossier.objects.get(code=code).status == workflow.SUPPLEMENT
        assert Attachment.objects.count() == 0
        answered = client.post(
            url, {"secret": result.secret, "attachments.to_khai": upload("to-khai.pdf", pdf())}
        )
    assert answered.status_code == 200, answered.content.decode()
    assert answered.json()["status"] == workflow.PROCESSING  # the clock runs again
    d = Dossier.objects.get(code=code)
    assert d.due_at > due_before and d.pauses.get().resumed_at is not None
    assert Attachment.objects.get().stage == "supplement"
