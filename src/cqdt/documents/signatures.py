"""PAdES signatures with pyHanko: sign a PDF, and say whether a PDF's signature holds.

What is signed (Decree 30/2020/NĐ-CP, Appendix I, on digitally signed documents; Law on
Electronic Transactions 2023; Decree 23/2025/NĐ-CP on e-signatures):

- a visible appearance where the signature block stands, giving the signer, the body and the
  signing time in Vietnam's time ("09:00:00 ngày 02/03/2026");
- the reason field carrying the legal basis of the signature (the post or the delegation
  instrument from the authority resolver) and the location;
- a RFC 3161 timestamp, and the validation data (certificates, CRLs) embedded in the document
  security store, so the signature can be checked later without the network (PAdES B-LT).

Keys come from ``keys_for()``: the clearly-labelled test CA (``testca``) in development and tests,
or a PKCS#11 token (``pkcs11keys``) — officials' USB tokens, SoftHSM2 in CI.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from asn1crypto import cms, core, pem
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15

from cqdt.documents import testca

# pyHanko is imported where a PDF is signed or checked, not with this module: loading it (about
# 0.4 s, its network timestamp clients included) was paid by every process that loads the URLs
# (each `cqdt` command's system checks, each web worker) through the documents API.
if TYPE_CHECKING:
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator import ValidationContext

FONTS = Path(__file__).resolve().parent / "fonts"
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
RESERVED = 32768  # bytes for the CMS container in /Contents


@dataclass(frozen=True)
class Placement:
    """Where the visible signature goes: page index and box in PDF points (origin bottom left)."""

    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class SignatureRequest:
    field_name: str
    reason: str
    location: str
    signer_label: str
    organisation: str
    placement: Placement
    seal: bool = False


class Keys(Protocol):
    """A source of signing keys: one for an official, one for a body's seal."""

    def person(self, key: str, full_name: str, organisation: str) -> signers.Signer: ...

    def seal(self, key: str, organisation: str) -> signers.Signer: ...

    def trust_roots(self) -> list[asn1_x509.Certificate]: ...

    def crls(self) -> list[asn1_crl.CertificateList]: ...

    def timestamper(self) -> Any: ...


def _cert(data: bytes) -> asn1_x509.Certificate:
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def _key(data: bytes) -> asn1_keys.PrivateKeyInfo:
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return asn1_keys.PrivateKeyInfo.load(data)


@functools.cache
def _local_timestamper_class() -> type[DummyTimeStamper]:
    """The test TSA: pyHanko's local timestamper with its RSA key loaded once, not per token
    (loading an RSA key checks it, which costs more than the signature itself)."""
    from pyhanko.sign import general
    from pyhanko.sign.general import get_pyca_cryptography_hash, simple_cms_attribute
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    class LocalTimeStamper(DummyTimeStamper):
        @functools.cached_property
        def _loaded_key(self) -> rsa.RSAPrivateKey:
            key = serialization.load_der_private_key(self.tsa_key.dump(), password=None)
            assert isinstance(key, rsa.RSAPrivateKey)
            return key

        def _sign_tst_info(
            self, tst_info_data: bytes, md_algorithm: str, dt: dt.datetime
        ) -> tuple[bytes, cms.CMSAttributes]:
            digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
            digest.update(tst_info_data)
            signed_attrs = cms.CMSAttributes(
                [
                    simple_cms_attribute("content_type", "tst_info"),
                    simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                    simple_cms_attribute(
                        "signing_certificate", general.as_signing_certificate(self.tsa_cert)
                    ),
                    simple_cms_attribute("message_digest", digest.finalize()),
                ]
            )
            signature = self._loaded_key.sign(
                signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper())
            )
            return signature, signed_attrs

    return LocalTimeStamper


class TestCaKeys:
    """Keys from the test CA directory: labelled TEST, no legal effect."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        testca.create(directory)
        self._ca = _cert((directory / "ca.pem").read_bytes())

    @functools.lru_cache(maxsize=512)  # noqa: B019 - one instance per directory, kept for the process
    def _signer(self, kind: str, key: str, common: str, organisation: str) -> signers.Signer:
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        pair = testca.holder(
            self.directory, kind=kind, key=key, common_name=common, organisation=organisation
        )
        return signers.SimpleSigner(
            signing_cert=_cert(pair.cert_pem),
            signing_key=_key(pair.key_pem),
            cert_registry=SimpleCertificateStore.from_certs([self._ca]),
        )

    def person(self, key: str, full_name: str, organisation: str) -> signers.Signer:
        return self._signer("person", key, full_name, organisation)

    def seal(self, key: str, organisation: str) -> signers.Signer:
        return self._signer("seal", key, organisation, organisation)

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return [self._ca]

    def crls(self) -> list[asn1_crl.CertificateList]:
        return [asn1_crl.CertificateList.load((self.directory / "ca.crl").read_bytes())]

    @functools.cached_property
    def _timestamper(self) -> DummyTimeStamper:
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        return _local_timestamper_class()(
            tsa_cert=_cert((self.directory / "tsa.pem").read_bytes()),
            tsa_key=_key((self.directory / "tsa.key.pem").read_bytes()),
            certs_to_embed=SimpleCertificateStore.from_certs([self._ca]),
        )

    def timestamper(self) -> DummyTimeStamper:
        return self._timestamper


def validation_context(keys: Keys) -> ValidationContext:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=keys.trust_roots(), crls=keys.crls(), allow_fetching=False)


def signing_time_text(moment: dt.datetime) -> str:
    """Vietnam's time, to the second, as a reader writes it: ``09:00:00 ngày 02/03/2026`` (the
    signature's own time, in the CMS and the timestamp token, stays machine-readable; QA Q7)."""
    return moment.astimezone(VN).strftime("%H:%M:%S ngày %d/%m/%Y")


# The text of the appearance is printed by the page itself, under the widget (render.py), in
# the document's own font; the widget draws only its frame. pyHanko's own text stamps space
# Vietnamese glyphs badly with this font.
@functools.cache
def _style() -> TextStampStyle:
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(stamp_text=" ", border_width=1, background=None)


def sign_pdf(
    pdf: bytes,
    *,
    signer: signers.Signer,
    request: SignatureRequest,
    keys: Keys,
    when: dt.datetime,
    context: ValidationContext | None = None,
) -> bytes:
    """Sign ``pdf`` once (an incremental update) with a visible PAdES B-LT signature.

    ``context``: the validation context of a whole batch (trust roots and CRLs read once, the
    signer's chain validated once and remembered); a new one when not given."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=request.field_name,
        reason=request.reason[:500],
        location=request.location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True,
        validation_context=context or validation_context(keys),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    spec = fields.SigFieldSpec(
        sig_field_name=request.field_name,
        on_page=request.placement.page,
        box=tuple(round(v) for v in request.placement.box),  # type: ignore[arg-type]
    )
    pdf_signer = signers.PdfSigner(
        meta, signer, timestamper=keys.timestamper(), stamp_style=_style(), new_field_spec=spec
    )
    # A fixed reservation spares pyHanko a trial signature to measure the CMS (a chain of two
    # certificates and a timestamp token fit in well under half of it).
    out = pdf_signer.sign_pdf(writer, bytes_reserved=RESERVED)
    return out.getvalue()


@dataclass(frozen=True)
class Verification:
    """What a validator says of a PDF: ``intact`` (bytes as signed), ``valid`` (cryptographically
    sound and intact), ``trusted`` (chains to a trusted root and is not a test certificate), who
    and when; ``test_ca`` when a signature's certificate is the test CA's (no legal effect)."""

    valid: bool
    intact: bool
    trusted: bool
    signed_by: str | None
    signed_at: dt.datetime | None
    sha256: str
    signatures: int
    covered: bool
    test_ca: bool = False


def is_test_certificate(cert: asn1_x509.Certificate | None) -> bool:
    """A certificate of the test CA (``testca``): its subject or its issuer carries the label
    "TEST — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ". A digital signature has the effect of a handwritten one only
    with a certificate from a licensed trust-service provider (Law on Electronic Transactions
    2023, Art. 23 and 24; Decree 23/2025/NĐ-CP): one made with the test CA never has, however
    sound it is, so it is never called trusted (QA Q5)."""
    if cert is None:
        return False
    for name in (cert.subject, cert.issuer):
        units = name.native.get("organizational_unit_name") or ()
        if isinstance(units, str):
            units = (units,)
        if testca.LABEL in units or testca.CA_NAME in str(name.native.get("common_name", "")):
            return True
    return False


def verdict_note(result: Verification) -> tuple[str, str] | None:
    """What a reader should take from an answer that is not a trusted signature, in Vietnamese and
    English; None when the signatures are valid and trusted. A test signature is said first: it
    has no legal effect however sound it is (``is_test_certificate``)."""
    if result.signatures == 0:
        return (
            "Tệp không có chữ ký số.",
            "The file carries no digital signature.",
        )
    if result.test_ca:
        return (
            "CHỮ KÝ THỬ NGHIỆM — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ: chứng thư số do CA thử nghiệm của nền "
            "tảng cấp, không phải tổ chức cung cấp dịch vụ chứng thực chữ ký số được cấp phép.",
            "TEST SIGNATURE — NO LEGAL EFFECT: the certificate comes from the platform's test CA, "
            "not from a licensed trust-service provider.",
        )
    if not result.intact:
        return (
            "Văn bản đã bị thay đổi sau khi ký hoặc chữ ký hỏng.",
            "The document was changed after signing, or the signature is damaged.",
        )
    if not result.trusted:
        return (
            "Chứng thư số không thuộc tổ chức được tin cậy.",
            "The certificate does not chain to a trusted provider.",
        )
    return None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify_pdf(data: bytes, keys: Keys) -> Verification:
    """Check every signature of ``data``; the last one names the signer. Anything that does not
    parse, or has no signature, is neither valid nor intact."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    digest = sha256(data)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # any malformed input is simply "not a valid signed PDF"
        return Verification(False, False, False, None, None, digest, 0, False)
    if not embedded:
        return Verification(False, False, False, None, None, digest, 0, False)
    valid = intact = trusted = True
    covered = test = False
    signed_by: str | None = None
    signed_at: dt.datetime | None = None
    context = validation_context(keys)  # one per check: the chain and CRL checked once
    for index, sig in enumerate(embedded):
        try:
            status = validate_pdf_signature(sig, context)
        except Exception:  # a damaged signature object: not valid, not intact
            return Verification(False, False, False, None, None, digest, len(embedded), False)
        # A signature covers the file up to its own revision; what was added after it must be
        # changes a signed PDF allows (a later signature, validation data), as the diff analysis
        # of pyHanko says (docmdp_ok). Anything else means the file is not the one signed.
        covered = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or bool(status.docmdp_ok)
        intact = intact and bool(status.intact) and covered
        valid = valid and bool(status.valid) and bool(status.intact) and covered
        test = test or is_test_certificate(status.signing_cert)
        trusted = trusted and bool(status.trusted) and not test
        if index == 0:  # the personal signature; a seal signature may follow it
            cert = status.signing_cert
            signed_by = cert.subject.native.get("common_name") if cert is not None else None
            ts = status.timestamp_validity
            signed_at = ts.timestamp if ts is not None else status.signer_reported_dt
    return Verification(
        valid, intact, trusted, signed_by, signed_at, digest, len(embedded), covered, test
    )
