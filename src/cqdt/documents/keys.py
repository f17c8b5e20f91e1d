"""Which keys sign: the test CA or a PKCS#11 token, as the settings say."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

from cqdt.documents.signatures import Keys, TestCaKeys


class KeysConfig(NamedTuple):
    """Where the keys are, without the PIN: what a signing worker process is told (it reads the
    PIN from its own settings, as the process that started it did)."""

    backend: str
    directory: Path
    module: str
    token: str


@functools.lru_cache(maxsize=8)
def _keys(backend: str, directory: Path, module: str, token: str, pin: str) -> Keys:
    if backend == "pkcs11":
        from cqdt.documents.pkcs11keys import Pkcs11Keys

        return Pkcs11Keys(module=module, token=token, pin=pin, directory=directory)
    return TestCaKeys(directory)


def config() -> KeysConfig:
    return KeysConfig(
        settings.CQDT_SIGNING_BACKEND,
        Path(settings.CQDT_SIGNING_DIR),
        settings.CQDT_PKCS11_MODULE,
        settings.CQDT_PKCS11_TOKEN,
    )


def keys_for(where: KeysConfig | None = None) -> Keys:
    return _keys(*(where or config()), settings.CQDT_PKCS11_PIN)
