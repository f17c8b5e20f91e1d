"""The dossier tests' ward (leaders, desk, procedures) serves the document tests too."""

import datetime as dt

from cqdt.core.audit import Actor
from cqdt.documents import services
from cqdt.dossiers.tests.conftest import (  # noqa: F401 - fixtures
    WARD,
    _fresh_cache_and_mailbox,
    _module_ward,
    at,
    frozen,
    monitor,
    procedures,
    ward,
    ward_b,
)


def issue_and_sign(team, *, signer="chair", **doc):
    """A document of the ward issued and signed at once by ``team[signer]`` on 2 March 2026 at
    09:00 (``doc``: the fields of ``services.DocumentIn``)."""
    return services.document_issue_and_sign(
        actor=Actor.system("test"),
        unit_code=WARD,
        doc=services.DocumentIn(signer=team[signer], **doc),
        now=at(dt.date(2026, 3, 2)),
    )


def issue(title="Về việc A"):
    """An unsigned decision of the ward, numbered in its register on 2 March 2026 at 09:00."""
    return services.document_issue(
        actor=Actor.system("test"),
        unit_code=WARD,
        doc=services.DocumentIn(
            kind="decision", title=title, body="Nội dung.", recipients=["- UBND quận;"]
        ),
        now=at(dt.date(2026, 3, 2)),
    )
