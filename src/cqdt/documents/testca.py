"""A clearly-labelled TEST certification authority for development and tests — never for real use.

Real officials sign with certificates from a licensed public CA on a USB token (PKCS#11, see
``signatures.Pkcs11Keys``). For development, demos and tests the project makes its own CA whose
every name says TEST and "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" (no legal effect), a timestamping unit, a
CRL, and on demand one personal certificate per official and one seal certificate per issuing
body. Everything lives in one directory (``settings.CQDT_SIGNING_DIR``); ``cqdt
documents_test_ca`` creates it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

LABEL = "TEST — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
CA_NAME = f"CQĐT TEST CA ({LABEL})"
TSA_NAME = f"CQĐT TEST TSA ({LABEL})"
CRL_URL = "http://127.0.0.1/cqdt-test-ca.crl"  # named in certificates, never fetched
_lock = threading.Lock()


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One writer at a time, across threads and processes (test workers share the directory)."""
    directory.mkdir(parents=True, exist_ok=True)
    with _lock, open(directory / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class KeyPair:
    cert_pem: bytes
    key_pem: bytes


# ECDSA P-256 for the test CA: keys made in a millisecond and loaded without RSA's costly key
# check, which pyHanko repeats on every signature. Officials' tokens (PKCS#11 path) carry RSA keys.
# The test timestamping unit is RSA (pyHanko's local timestamper signs with RSA only).
PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey


def _key(use_rsa: bool = False) -> PrivateKey:
    if use_rsa:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def name(common: str, organisation: str = "CQĐT TEST") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, LABEL),
            x509.NameAttribute(NameOID.COMMON_NAME, common[:64]),
        ]
    )


def _pem(cert: x509.Certificate, key: PrivateKey) -> KeyPair:
    return KeyPair(
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


# Valid from well before any date the tests travel to, so a frozen clock never lands before them.
VALID_FROM = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _ca(directory: Path) -> tuple[x509.Certificate, PrivateKey]:
    cert = x509.load_pem_x509_certificate((directory / "ca.pem").read_bytes())
    key = serialization.load_pem_private_key((directory / "ca.key.pem").read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
    return cert, key


# What a key may do (RFC 5280 §4.2.1.3): a signer's key signs and commits to the content
# (non-repudiation); the CA's signs certificates and revocation lists.
_KEY_USAGES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)
_SIGNER_USES = frozenset({"digital_signature", "content_commitment"})
_CA_USES = frozenset({"digital_signature", "key_cert_sign", "crl_sign"})


def _frame(
    subject: x509.Name, issuer: x509.Name, public_key: PublicKey, *, days: int, ca: bool
) -> x509.CertificateBuilder:
    """A test certificate's frame: a random serial, valid from ``VALID_FROM`` to ``days`` from
    now, and, both critical, its basic constraints (the CA, with no CA under it, or an end
    entity) and its key's uses (the CA's or a signer's)."""
    uses = _CA_USES if ca else _SIGNER_USES
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(VALID_FROM)
        .not_valid_after(_now() + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.KeyUsage(**{u: u in uses for u in _KEY_USAGES}), critical=True)
    )


def _issue(directory: Path, subject: x509.Name, *, years: int = 5, tsa: bool = False) -> KeyPair:
    key = _key(use_rsa=tsa)
    return _pem(certify(directory, subject, key.public_key(), years=years, tsa=tsa), key)


def certify(
    directory: Path,
    subject: x509.Name,
    public_key: PublicKey,
    *,
    years: int = 5,
    tsa: bool = False,
) -> x509.Certificate:
    """A certificate from the test CA for ``public_key`` (made here, or on a token)."""
    ca_cert, ca_key = _ca(directory)
    builder = (
        _frame(subject, ca_cert.subject, public_key, days=365 * years, ca=False)
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(CRL_URL)], None, None, None
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(ca_key, hashes.SHA256())


def _write(directory: Path, stem: str, pair: KeyPair) -> None:
    (directory / f"{stem}.pem").write_bytes(pair.cert_pem)
    key_path = directory / f"{stem}.key.pem"
    key_path.write_bytes(pair.key_pem)
    key_path.chmod(0o600)


def _crl(directory: Path) -> None:
    ca_cert, ca_key = _ca(directory)
    now = _now()
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(VALID_FROM)
        .next_update(now + dt.timedelta(days=3650))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (directory / "ca.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))


def create(directory: Path, *, force: bool = False) -> bool:
    """Make the test CA, its TSA and CRL in ``directory``; False when it already exists."""
    if (directory / "README.txt").exists() and not force:
        return False
    with _locked(directory):
        if (directory / "README.txt").exists() and not force:
            return False
        key = _key()
        subject = name(CA_NAME)
        cert = (
            _frame(subject, subject, key.public_key(), days=3650, ca=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        _write(directory, "ca", _pem(cert, key))
        _write(directory, "tsa", _issue(directory, name(TSA_NAME), years=10, tsa=True))
        _crl(directory)
        (directory / "README.txt").write_text(
            f"{CA_NAME}\nMade by `cqdt documents_test_ca` for development and tests only.\n"
            "Signatures made with these keys have no legal effect.\n",
            encoding="utf-8",
        )
        return True


def _stem(kind: str, key: str) -> str:
    return f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def holder(directory: Path, *, kind: str, key: str, common_name: str, organisation: str) -> KeyPair:
    """The test certificate of an official (``kind="person"``) or a body's seal
    (``kind="seal"``), made on first use and kept in ``directory``."""
    stem = _stem(kind, key)
    cert_path = directory / f"{stem}.pem"
    create(directory)
    if not cert_path.exists():
        with _locked(directory):
            if not cert_path.exists():
                _write(directory, stem, _issue(directory, name(common_name, organisation)))
    return KeyPair(cert_path.read_bytes(), (directory / f"{stem}.key.pem").read_bytes())
