# ruff: noqa: S603, S607 - the validators are run as programs, by name, on files we wrote
"""Acceptance for the signed result (issue 12): an independent validator (poppler's pdfsig)
accepts the signature, the QR code decodes (zbarimg) to the verify URL, our own check says
valid, and one changed byte makes it not intact."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from cqdt.core.audit import Actor, audit_verify
from cqdt.core.models import AuditEvent
from cqdt.documents import services, signatures, testca
from cqdt.documents.keys import keys_for
from cqdt.documents.models import Document, DocumentStatus, RegisterCounter
from cqdt.documents.tests.conftest import issue_and_sign
from cqdt.dossiers.tests.conftest import at

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")
NOW = at(dt.date(2026, 3, 2))
TOOLS = all(shutil.which(t) for t in ("pdfsig", "pdftoppm", "zbarimg", "certutil"))


def sign(ward, block="TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", signer="chair"):
    return issue_and_sign(
        ward,
        signer=signer,
        kind="decision",
        title="Về việc thử nghiệm ký số",
        body="Điều 1. Nội dung thử.\n\nĐiều 2. Có hiệu lực từ ngày ký.",
        recipients=["- Như Điều 2;"],
        signature_block=block,
        signing_basis={
            "basis": "appointment",
            "instrument": {"number": "T-CT/QĐ-UBND", "date": "2021-07-01"},
        },
    )


def test_signed_document_is_valid_intact_a_test_signature_and_names_the_signer(ward):
    doc = sign(ward)
    assert doc.status == DocumentStatus.SIGNED
    result = signatures.verify_pdf(bytes(doc.pdf), keys_for())
    # the test CA's certificate: sound, but never trusted (no legal effect, QA Q5)
    found = (result.valid, result.intact, result.trusted, result.test_ca)
    assert found == (True, True, False, True)
    assert result.signed_by == "Lê Minh Chính"
    assert result.signatures == 2  # the chairman's and, for TM., the committee's seal
    assert result.sha256 == doc.sha256
    assert (
        AuditEvent.objects.filter(action="document.issue", object_id=str(doc.public_id)).count()
        == 1
    )
    assert audit_verify().ok


def test_one_changed_byte_is_not_intact(ward):
    doc = sign(ward)
    data = bytearray(doc.pdf)
    middle = 1000  # in the first revision: inside every signature's signed range
    data[middle] = (data[middle] + 1) % 256
    result = signatures.verify_pdf(bytes(data), keys_for())
    assert result.intact is False
    assert result.valid is False


def test_appended_bytes_are_not_intact(ward):
    doc = sign(ward)
    result = signatures.verify_pdf(bytes(doc.pdf) + b"\n%%EOF tail\n", keys_for())
    assert result.valid is False


def test_not_a_pdf_is_neither_valid_nor_intact():
    result = signatures.verify_pdf(b"hello", keys_for())
    assert (result.valid, result.intact, result.trusted, result.signatures) == (
        False,
        False,
        False,
        0,
    )


def test_a_kt_signature_has_no_seal_signature(ward):
    doc = sign(ward, block="KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", signer="vice")
    result = signatures.verify_pdf(bytes(doc.pdf), keys_for())
    assert (result.valid, result.signatures, result.signed_by) == (True, 1, "Đỗ Thu Phương")


def test_a_failed_signature_withdraws_its_number_never_given_again(ward, monkeypatch):
    """The number is taken in a short transaction and the page signed after it: a signature that
    fails leaves the number in the register as withdrawn, with the cause, and the next document
    takes the next number (Decree 30/2020/NĐ-CP, Art. 15: no number given twice)."""

    def broken(*a, **k):
        raise RuntimeError("token unplugged")

    with monkeypatch.context() as patched:
        patched.setattr(signatures, "sign_pdf", broken)
        with pytest.raises(RuntimeError):
            sign(ward)
    failed = Document.objects.get()
    assert (failed.number, failed.status, failed.pdf) == (1, DocumentStatus.WITHDRAWN, None)
    assert "signing_failed" in failed.withdrawal_reason
    assert sign(ward).number == 2
    assert RegisterCounter.objects.get(kind="decision").last_value == 2
    assert [
        a
        for a in AuditEvent.objects.order_by("id").values_list("action", flat=True)
        if a.startswith("document.")
    ] == ["document.issue", "document.withdraw", "document.issue", "document.sign"]
    assert audit_verify().ok


def test_the_reason_carries_the_legal_basis(ward):
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    doc = sign(ward)
    reader = PdfFileReader(io.BytesIO(bytes(doc.pdf)))
    reasons = [s.sig_object.get("/Reason") for s in reader.embedded_signatures]
    assert "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" in str(reasons[0])
    assert "T-CT/QĐ-UBND" in str(reasons[0])


def test_test_ca_command_labels_the_ca(tmp_path):
    call_command("documents_test_ca", dir=str(tmp_path / "ca"))
    pem = (tmp_path / "ca" / "ca.pem").read_bytes()
    assert b"BEGIN CERTIFICATE" in pem
    assert "TEST" in testca.CA_NAME and "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in testca.CA_NAME


@pytest.mark.skipif(not TOOLS, reason="poppler-utils, zbar-tools and libnss3-tools not installed")
def test_pdfsig_accepts_it_and_the_qr_decodes_to_the_verify_url(ward, tmp_path):
    doc = sign(ward)
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(bytes(doc.pdf))
    nss = tmp_path / "nss"
    nss.mkdir()
    ca = Path(settings.CQDT_SIGNING_DIR) / "ca.pem"
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "cqdt-test-ca", "-t", "C,C,C", "-i", str(ca)],
        check=True,
    )
    out = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True
    ).stdout
    assert out.count("Signature Validation: Signature is Valid.") == 2, out
    assert out.count("Certificate Validation: Certificate is Trusted.") == 2, out
    assert "Lê Minh Chính" in out

    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    page = next(tmp_path.glob("p*.png"))
    qr = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True
    ).stdout.strip()
    assert qr == services.verify_url(doc)

    tampered = tmp_path / "tampered.pdf"
    data = bytearray(doc.pdf)
    data[1000] ^= 0x01  # in the first revision, signed by every signature
    tampered.write_bytes(bytes(data))
    out = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(tampered)], capture_output=True, text=True
    ).stdout
    assert "Signature Validation: Signature is Valid." not in out.split("Signature #2")[0]
