"""Which keys sign: the test CA or a PKCS#11 token, as the settings say."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

from cqdt.documents.signatures import Keys, TestCaKeys


@functools.lru_cache(maxsize=8)
def _keys(backend: str, directory: Path, module: str, token: str, pin: str) -> Keys:
    if backend == "pkcs11":
        from cqdt.documents.pkcs11keys import Pkcs11Keys

        return Pkcs11Keys(module=module, token=token, pin=pin, directory=directory)
    return TestCaKeys(directory)


def keys_for() -> Keys:
    return _keys(
        settings.CQDT_SIGNING_BACKEND,
        Path(settings.CQDT_SIGNING_DIR),
        settings.CQDT_PKCS11_MODULE,
        settings.CQDT_PKCS11_TOKEN,
        settings.CQDT_PKCS11_PIN,
    )
