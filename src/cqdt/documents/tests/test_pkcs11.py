"""The PKCS#11 path (issue 12, item 3): keys on a token — SoftHSM2 here — sign the document; the
private key stays on the token. Runs in ``make test`` wherever SoftHSM2 is installed."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from cqdt.documents import keys as keys_module
from cqdt.documents import signatures
from cqdt.documents.tests.conftest import issue_and_sign

pytestmark = pytest.mark.django_db
MODULE = "/usr/lib/softhsm/libsofthsm2.so"
HAVE_SOFTHSM = bool(shutil.which("softhsm2-util")) and Path(MODULE).exists()


@pytest.fixture
def token(tmp_path, monkeypatch):
    if not HAVE_SOFTHSM:
        if os.environ.get("CI"):
            pytest.fail("SoftHSM2 is required in CI (Debian package softhsm2)")
        pytest.skip("SoftHSM2 not installed (Debian package softhsm2)")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(
        [  # noqa: S607 - Debian's softhsm2-util, found on PATH
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "cqdt-test",
            "--pin",
            "1234",
            "--so-pin",
            "5678",
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setattr(settings, "CQDT_SIGNING_BACKEND", "pkcs11")
    monkeypatch.setattr(settings, "CQDT_PKCS11_MODULE", MODULE)
    monkeypatch.setattr(settings, "CQDT_PKCS11_TOKEN", "cqdt-test")
    monkeypatch.setattr(settings, "CQDT_PKCS11_PIN", "1234")
    keys_module._keys.cache_clear()
    yield
    found = keys_module.keys_for()
    close = getattr(found, "close", None)
    if close:
        close()
    keys_module._keys.cache_clear()


def test_a_document_signed_on_the_token_is_valid(ward, token):
    from cqdt.documents.pkcs11keys import Pkcs11Keys

    keys = keys_module.keys_for()
    assert isinstance(keys, Pkcs11Keys)
    doc = issue_and_sign(
        ward,
        kind="decision",
        title="Về việc ký bằng thiết bị",
        body="Điều 1. Thử ký qua PKCS#11.",
        signature_block="TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
        signing_basis={"basis": "appointment", "instrument": {"number": "T-CT/QĐ-UBND"}},
    )
    result = signatures.verify_pdf(bytes(doc.pdf), keys)
    # the token's certificates here are the test CA's: sound, never trusted (QA Q5)
    assert (result.valid, result.intact, result.test_ca) == (True, True, True)
    assert (result.signed_by, result.signatures) == ("Lê Minh Chính", 2)
    # The private keys were made on the token and cannot be read out of it.
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    private = list(keys.session().get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
    assert len(private) == 2
    assert all(not k[Attribute.EXTRACTABLE] and k[Attribute.SENSITIVE] for k in private)
    assert pkcs11  # imported for the attribute names
