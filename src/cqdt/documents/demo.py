"""Demo only: the result documents of the demo's signed dossiers, in the outgoing register.

The demo month (``dossiers.demo``) takes each made-up dossier through its whole life at once,
one dossier after another in the order they arrived, so its signatures are given out of the
order of their moments; a register numbers its documents in the order they are issued, from 01
on 1 January (Decree 30/2020/NĐ-CP, Art. 15 and Appendix I). So the demo signs with the
dossier's own sign move, and then this gives every signed demo dossier without a result document
its document, in the order the dossiers were signed: numbered in its ward's register on the day
it was signed (``document_issue``), with the type, heading and words the signing page gives it
(``result_document_in``, the ward named as that day), the signer and signature block the
dossier was signed with, rendered and signed at that moment with the configured keys (the test
CA in a demo, no legal effect) and stored (``document.sign``) — what the signing page does at
the moment of signing (``dossier_sign_with_result``), in two passes. Never used outside the demo
loader (``cqdt load_demo_data``).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future

from django.db import transaction
from django.utils import timezone

from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.documents import production
from cqdt.documents.models import Document
from cqdt.documents.services.register import document_issue
from cqdt.documents.services.results import result_document_in
from cqdt.documents.services.signing import _store_signed, _withdraw_after, job_for
from cqdt.dossiers import desks
from cqdt.dossiers.models import Dossier

ACTOR = Actor.system("demo")


@transaction.atomic
def _issue(dossier: Dossier) -> Document:
    assert dossier.signed_by is not None and dossier.signed_at is not None
    # the ward whose desk held it when it was signed, not the one an arrangement moved it to
    signed_on = timezone.localdate(dossier.signed_at)
    desk = desks.desk_on(dossier.code, dossier.unit_code, signed_on)
    return document_issue(
        actor=ACTOR,
        unit_code=desk,
        doc=result_document_in(
            dossier,
            official=dossier.signed_by,
            signature_block=dossier.signature_block,
            basis=dossier.signature_basis,
            issued_on=signed_on,
            unit_code=desk,
        ),
        now=dossier.signed_at,
    )


def load(*, progress: Callable[[str], None] | None = None) -> str:
    """Give each signed demo dossier without a result document its signed result document, in
    the order the dossiers were signed (idempotent: a dossier with one is left alone)."""
    dossiers = list(
        Dossier.objects.filter(is_demo=True, signed_at__isnull=False, signed_by__isnull=False)
        .exclude(result_documents__isnull=False)
        .select_related("procedure", "signed_by")
        .order_by("signed_at", "id")
    )
    producer = production.Producer(len(dossiers))
    pending: deque[tuple[Document, Future[bytes], dt.datetime]] = deque()
    signed = failed = 0

    def finish() -> None:
        nonlocal signed, failed
        doc, pdf, when = pending.popleft()
        try:
            _store_signed(
                ACTOR, doc, pdf.result(timeout=production.JOB_TIMEOUT), doc.signer_name, when
            )
        except Exception as exc:  # a broken renderer or key: the number withdrawn, reported
            _withdraw_after(ACTOR, doc, exc)
            failed += 1
        else:
            signed += 1

    step = max(1, len(dossiers) // 10)
    try:
        for n, dossier in enumerate(dossiers, 1):
            assert dossier.signed_at is not None
            try:
                doc = _issue(dossier)
            except DomainError:  # refused by a rule (no unit that day): none, and said
                failed += 1
                continue
            job = job_for(doc, when=dossier.signed_at, batch=producer.batch)
            pending.append((doc, producer.submit(job), dossier.signed_at))
            while pending and (pending[0][1].done() or len(pending) > producer.in_flight):
                finish()
            if progress is not None and (n % step == 0 or n == len(dossiers)):
                progress(f"result documents {n:,}/{len(dossiers):,} ({100 * n // len(dossiers)}%)")
        while pending:
            finish()
    finally:
        production.pool_stop()
    return f"{signed} result documents numbered in the wards' outgoing registers and signed" + (
        f", {failed} failed" if failed else ""
    )
