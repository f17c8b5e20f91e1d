"""The dossier tests' ward (leaders, desk, procedures) serves the document tests too."""

from cqdt.dossiers.tests.conftest import (  # noqa: F401 - fixtures
    _fresh_cache_and_mailbox,
    _module_ward,
    frozen,
    procedures,
    ward,
    ward_b,
)
