"""Signing from the tray (issue 12, items 4 and 7): one by one through the dossier action, and in
batch — each dossier's move and signed result together, a refusal alone with its reason."""

import datetime as dt

import pytest
from django.test import Client

from cqdt import testing
from cqdt.core.audit import Actor, audit_verify
from cqdt.core.models import AuditEvent
from cqdt.documents import production, services, signatures
from cqdt.documents.keys import keys_for
from cqdt.documents.models import Document
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import WARD_B, at, drive, submit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def awaiting(ward, frozen, n=1, **kw):
    out = []
    for _ in range(n):
        r = submit(ward, now=at(DAY), **kw)
        out.append(drive(ward, r.dossier.code, to="awaiting_signature", now=at(DAY)))
    return out, r.secret


def chair_client(ward):
    client = Client()
    client.force_login(ward["user_chair"])
    testing.second_factor(client, ward["user_chair"])
    return client


def test_signing_a_dossier_through_the_api_yields_a_valid_signed_result(ward, frozen):
    (d,), secret = awaiting(ward, frozen)
    client = chair_client(ward)
    response = client.post(
        f"/api/v1/dossiers/{d.code}/actions/sign",
        {"version": d.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "signed"
    docs = client.get(f"/api/v1/dossiers/{d.code}/documents").json()["items"]
    assert len(docs) == 1
    doc = docs[0]
    for key in ("id", "number", "symbol", "issued_on", "signature_block", "signed_by", "sha256"):
        assert doc[key], key
    assert doc["symbol"] == "GXN-UBND" and doc["signed_by"] == "Lê Minh Chính"
    pdf = client.get(doc["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    check = signatures.verify_pdf(pdf.content, keys_for())
    assert (check.valid, check.intact, check.trusted, check.test_ca) == (True, True, False, True)
    assert client.get(f"/api/v1/documents/{doc['id']}").json()["sha256"] == check.sha256
    page = Client().get(doc["verify_url"].split("8000", 1)[1])
    assert "CHỮ KÝ THỬ NGHIỆM — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in page.content.decode()
    # The applicant downloads the same file with the dossier's code and secret.
    mine = Client().get(f"/api/v1/public/dossiers/{d.code}/result", {"secret": secret})
    assert mine.status_code == 200 and mine.content == pdf.content
    wrong = Client().get(f"/api/v1/public/dossiers/{d.code}/result", {"secret": "WRONGWRONG"})
    assert wrong.status_code == 404
    assert AuditEvent.objects.filter(action="dossier.sign", object_id=d.code).count() == 1
    assert audit_verify().ok


def police_procedure():
    """A procedure whose act the ward's leader may not sign (residence: the police decide)."""
    testing.ProcedureFactory(
        slug="dang-ky-thuong-tru",
        name="Đăng ký thường trú",
        field="residence",
        time_value=7,
        sign_act="decide_residence",
        required_documents=[{"code": "to_khai", "name": "Tờ khai", "required": True}],
        legal_basis="Luật Cư trú 2020",
    )


def test_batch_signs_each_and_refuses_the_one_without_authority_alone(ward, frozen):
    police_procedure()
    good, _ = awaiting(ward, frozen, n=4)
    (police,), _ = awaiting(ward, frozen, procedure="dang-ky-thuong-tru", documents=["to_khai"])
    items = [{"code": d.code, "version": d.version} for d in [*good[:2], police, *good[2:]]]
    items.append({"code": good[0].code, "version": good[0].version})  # stale by then
    items.append({"code": "H26.00.00-260302-9999", "version": 1})  # no such dossier
    before = AuditEvent.objects.count()
    response = chair_client(ward).post(
        "/api/v1/documents/sign-batch",
        {"items": items, "confirm": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["signed"], body["refused"]) == (4, 3)
    by_code = {(i["code"], i["ok"]): i for i in body["items"]}
    refused = by_code[(police.code, False)]
    assert refused["error"]["code"] == "no_signing_authority"
    assert "công an" in refused["error"]["messages"]["vi"].lower()
    assert [i["error"]["code"] for i in body["items"][-2:]] == [
        "stale_version",
        "dossier_not_found",
    ]
    assert sorted(d.number for d in Document.objects.all()) == [1, 2, 3, 4]
    assert Dossier.objects.get(pk=police.pk).status == "awaiting_signature"
    assert Dossier.objects.filter(status="signed").count() == 4
    for d in good:
        assert AuditEvent.objects.filter(action="dossier.sign", object_id=d.code).count() == 1
    # per signed dossier: its move, its document's number given, its document signed; nothing
    # for the refused ones (refused before a number is taken)
    actions = list(AuditEvent.objects.order_by("id")[before:].values_list("action", flat=True))
    assert sorted(actions) == sorted(["document.issue", "dossier.sign", "document.sign"] * 4)
    assert not Document.objects.exclude(status="signed").exists()
    assert audit_verify().ok


def test_batch_needs_the_confirmation(ward, frozen):
    (d,), _ = awaiting(ward, frozen)
    response = chair_client(ward).post(
        "/api/v1/documents/sign-batch",
        {"items": [{"code": d.code, "version": d.version}], "confirm": False},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "confirm"
    assert not Document.objects.exists()


def test_a_failed_signature_undoes_its_dossier_only(ward, frozen, monkeypatch):
    ds, _ = awaiting(ward, frozen, n=3)
    real = signatures.sign_pdf
    calls = {"n": 0}

    def flaky(*a, **k):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("token unplugged")
        return real(*a, **k)

    monkeypatch.setattr(signatures, "sign_pdf", flaky)
    body = (
        chair_client(ward)
        .post(
            "/api/v1/documents/sign-batch",
            {"items": [{"code": d.code, "version": d.version} for d in ds], "confirm": True},
            content_type="application/json",
        )
        .json()
    )
    assert [i["ok"] for i in body["items"]] == [True, False, True]
    assert body["items"][1]["error"]["code"] == "signing_failed"
    assert Dossier.objects.get(pk=ds[1].pk).status == "awaiting_signature"
    assert [d.status for d in Dossier.objects.filter(pk__in=[ds[0].pk, ds[2].pk])] == ["signed"] * 2
    # the failed one's number is withdrawn, never given again: no gap, no duplicate
    numbers = dict(Document.objects.values_list("number", "status"))
    assert numbers == {1: "signed", 2: "withdrawn", 3: "signed"}
    failed = Document.objects.get(number=2)
    assert failed.dossier_id == ds[1].pk and "signing_failed" in failed.withdrawal_reason
    assert AuditEvent.objects.filter(action="document.withdraw").count() == 1
    assert audit_verify().ok


def test_documents_of_another_ward_answer_as_missing(ward, ward_b, frozen):
    (d,), _ = awaiting(ward, frozen)
    client = chair_client(ward)
    client.post(
        f"/api/v1/dossiers/{d.code}/actions/sign",
        {"version": d.version},
        content_type="application/json",
    )
    doc_id = client.get(f"/api/v1/dossiers/{d.code}/documents").json()["items"][0]["id"]
    other = Client()
    other.force_login(ward_b["user_chair"])
    hidden = other.get(f"/api/v1/documents/{doc_id}")
    missing = other.get("/api/v1/documents/00000000-0000-0000-0000-000000000000")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert other.get(f"/api/v1/documents/{doc_id}/pdf").content == missing.content
    assert d.unit_code != WARD_B


def test_batch_signing_needs_a_fresh_second_factor(ward, frozen):
    """Issue 18: a password alone does not sign, in batch either; nothing is written."""
    (d,), _ = awaiting(ward, frozen)
    client = Client()
    client.force_login(ward["user_chair"])
    before = AuditEvent.objects.count()
    response = client.post(
        "/api/v1/documents/sign-batch",
        {"items": [{"code": d.code, "version": d.version}], "confirm": True},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (403, "second_factor_required")
    assert AuditEvent.objects.count() == before
    assert Document.objects.count() == 0


def test_an_attempt_in_progress_blocks_another_and_an_interrupted_one_is_withdrawn(ward, frozen):
    """A server stopped after a number was taken and before the document was stored: signing the
    dossier again withdraws that number (never given again) and takes the next."""
    (d,), _ = awaiting(ward, frozen)
    chair = ward["chair"]
    actor = Actor.of(ward["user_chair"])
    item = services.BatchItem(d.code, d.version)
    interrupted = services.results._issue_result(actor, chair, item, at(DAY))
    assert interrupted.status == "issued"
    # while it may still be running, another attempt waits for it (409, reload)
    (busy,) = services.documents_sign_batch(
        actor=actor, official=chair, items=[item], now=at(DAY) + dt.timedelta(minutes=1)
    )
    assert busy.error is not None and busy.error["code"] == "stale_version"
    (outcome,) = services.documents_sign_batch(
        actor=actor, official=chair, items=[item], now=at(DAY) + dt.timedelta(minutes=11)
    )
    assert outcome.ok and outcome.document is not None
    interrupted.refresh_from_db()
    assert interrupted.status == "withdrawn" and "gián đoạn" in interrupted.withdrawal_reason
    assert (interrupted.number, outcome.document.number) == (1, 2)
    assert Dossier.objects.get(pk=d.pk).status == "signed"
    assert audit_verify().ok


def test_a_large_batch_is_signed_in_worker_processes(ward, frozen, settings):
    """From ``POOL_MIN_BATCH`` dossiers on, pages are rendered and signed by worker processes
    while the next numbers are taken; the results are the same: numbered in order, each valid."""
    settings.CQDT_SIGNING_WORKERS = 2
    ds, _ = awaiting(ward, frozen, n=production.POOL_MIN_BATCH)
    try:
        outcomes = services.documents_sign_batch(
            actor=Actor.of(ward["user_chair"]),
            official=ward["chair"],
            items=[services.BatchItem(d.code, d.version) for d in ds],
        )
        assert production.pool_running()
    finally:
        production.pool_stop()
    assert [o.ok for o in outcomes] == [True] * len(ds)
    assert [o.code for o in outcomes] == [d.code for d in ds]
    assert sorted(d.number for d in Document.objects.all()) == list(range(1, len(ds) + 1))
    assert Dossier.objects.filter(status="signed").count() == len(ds)
    for o in outcomes:
        assert o.document is not None
        check = signatures.verify_pdf(bytes(o.document.pdf), keys_for())
        assert (check.valid, check.intact, check.test_ca) == (True, True, True)
        assert check.signed_by == "Lê Minh Chính"
    assert audit_verify().ok
