"""Signing keys on a PKCS#11 token: officials' USB tokens in production, SoftHSM2 in tests.

A key is found on the token by its label (``person-<hash of the official's id>`` or
``seal-<hash of the unit code>``) and its certificate by the same label on the token or, failing
that, in the signing directory. The private key never leaves the token: pyHanko asks the token
to sign. One session (one PIN entry) serves a whole batch.

``enrol`` (development and tests only): when a key is missing, make it on the token and have the
test CA certify it, so a fresh SoftHSM2 token signs at once. Production tokens come with their
keys and certificates from a licensed CA; enrolment is off there.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

import pkcs11
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pkcs11 import Attribute, KeyType, ObjectClass
from pyhanko.sign import signers
from pyhanko.sign.pkcs11 import PKCS11Signer

from cqdt.documents import testca
from cqdt.documents.signatures import TestCaKeys, _cert


class KeyMissing(Exception):
    """No key with this label on the token (and enrolment is off)."""


class Pkcs11Keys:
    def __init__(
        self, *, module: str, token: str, pin: str, directory: Path, enrol: bool = True
    ) -> None:
        self.module, self.token_label, self.pin = module, token, pin
        self.directory = directory
        self.enrol = enrol
        self._ca = TestCaKeys(directory)  # trust roots, CRL and timestamps of the test set-up
        self._lock = threading.Lock()
        self._session: Any = None

    def session(self) -> Any:
        with self._lock:
            if self._session is None:
                lib = pkcs11.lib(self.module)
                token = lib.get_token(token_label=self.token_label)
                self._session = token.open(user_pin=self.pin, rw=True)
            return self._session

    def close(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None

    def _label(self, kind: str, key: str) -> str:
        return f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"

    def _has_key(self, label: str) -> bool:
        found = list(
            self.session().get_objects(
                {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: label}
            )
        )
        return bool(found)

    def _certificate(self, label: str) -> asn1_x509.Certificate | None:
        for obj in self.session().get_objects(
            {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label}
        ):
            return asn1_x509.Certificate.load(obj[Attribute.VALUE])
        path = self.directory / f"{label}.token.pem"
        return _cert(path.read_bytes()) if path.exists() else None

    def _enrol(self, label: str, common: str, organisation: str) -> None:
        """Make a key pair on the token (private key not extractable) and certify it with the
        test CA; the certificate goes on the token under the same label."""
        session = self.session()
        public, _private = session.generate_keypair(
            KeyType.RSA,
            2048,
            label=label,
            store=True,
            private_template={Attribute.EXTRACTABLE: False, Attribute.SENSITIVE: True},
        )
        from pkcs11.util.rsa import encode_rsa_public_key

        der = encode_rsa_public_key(public)
        spki = asn1_keys.PublicKeyInfo(
            {
                "algorithm": {"algorithm": "rsa"},
                "public_key": asn1_keys.RSAPublicKey.load(der),
            }
        )
        public_key = serialization.load_der_public_key(spki.dump())
        assert isinstance(public_key, rsa.RSAPublicKey)
        cert = testca.certify(self.directory, testca.name(common, organisation), public_key)
        der_cert = cert.public_bytes(serialization.Encoding.DER)
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                Attribute.LABEL: label,
                Attribute.VALUE: der_cert,
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.ISSUER: cert.issuer.public_bytes(),
                Attribute.TOKEN: True,
            }
        )

    def _signer(self, kind: str, key: str, common: str, organisation: str) -> signers.Signer:
        label = self._label(kind, key)
        if not self._has_key(label):
            if not self.enrol:
                raise KeyMissing(label)
            self._enrol(label, common, organisation)
        cert = self._certificate(label)
        if cert is None:
            raise KeyMissing(label)
        return PKCS11Signer(
            self.session(),
            key_label=label,
            signing_cert=cert,
            other_certs_to_pull=None,
            ca_chain=self._ca.trust_roots(),
        )

    def person(self, key: str, full_name: str, organisation: str) -> signers.Signer:
        return self._signer("person", key, full_name, organisation)

    def seal(self, key: str, organisation: str) -> signers.Signer:
        return self._signer("seal", key, organisation, organisation)

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return self._ca.trust_roots()

    def crls(self) -> list[asn1_crl.CertificateList]:
        return self._ca.crls()

    def timestamper(self) -> Any:
        return self._ca.timestamper()
