"""Rendering and signing a document outside the register's transaction, alone or in a pool.

The number is taken in a short transaction (``services``); the page and its signatures — nearly
all of the time — are made afterwards, from a ``Job`` that carries everything the page prints and
whom to sign as, and touches no database. A batch hands its jobs to a pool of worker processes
(``CQDT_SIGNING_WORKERS``, started on the first large batch and kept for the process's life), so
the batch uses every core; a single document, or a pool of fewer than two workers, is made here.

Within a batch the validation context — trust roots and CRLs read once, the signer's chain
validated once and remembered — is built once per process, not once per signature.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import os
import threading
import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

from cqdt.documents import render, signatures
from cqdt.documents.keys import KeysConfig, keys_for

if TYPE_CHECKING:  # pyHanko is loaded where a PDF is signed (documents.signatures)
    from pyhanko_certvalidator import ValidationContext

POOL_MIN_BATCH = 8  # below this, starting the worker processes costs more than they save
JOB_TIMEOUT = 300.0  # seconds one document may take in a worker before it counts as failed


@dataclass(frozen=True)
class Page:
    """What the page prints of a document: the names ``render.context`` reads."""

    kind: str
    number: int
    place: str
    issued_on: dt.date
    issuing_body: list[str]
    title: str
    body: str
    recipients: list[str]
    signature_block: str
    signer_name: str
    is_demo: bool = False  # made from demo data: every page carries the demo band

    @classmethod
    def of(cls, doc: Any) -> Page:
        return cls(
            kind=doc.kind,
            number=doc.number,
            place=doc.place,
            issued_on=doc.issued_on,
            issuing_body=list(doc.issuing_body),
            title=doc.title,
            body=doc.body,
            recipients=list(doc.recipients),
            signature_block=doc.signature_block,
            signer_name=doc.signer_name,
            is_demo=doc.is_demo,
        )


@dataclass(frozen=True)
class Job:
    """One document to render and sign: the signer's personal signature, and for a document
    signed on behalf of the committee (TM.) the body's seal signature beside it (Decree
    30/2020/NĐ-CP, Appendix I: the seal's digital signature is the body's, separate from the
    signer's)."""

    page: Page
    verify_url: str
    signer_key: str  # the official's public id: which certificate signs
    signer_name: str
    organisation: str
    unit_code: str  # the issuing body: which seal certificate signs
    reason: str  # the signature block and the instrument it rests on
    location: str
    when: dt.datetime
    keys: KeysConfig
    batch: str = ""  # jobs of one batch share one validation context per process

    @property
    def seal(self) -> bool:
        return self.page.signature_block.startswith("TM.")


@functools.lru_cache(maxsize=4)
def _batch_context(where: KeysConfig, batch: str) -> ValidationContext:
    return signatures.validation_context(keys_for(where))


def produce(job: Job) -> bytes:
    """The signed PDF of ``job``: rendered, then signed once or twice (PAdES B-LT)."""
    keys = keys_for(job.keys)
    context = _batch_context(job.keys, job.batch) if job.batch else None
    person = keys.person(job.signer_key, job.signer_name, job.organisation)
    rendered = render.render(
        job.page,
        job.verify_url,
        {
            "who": job.signer_name,
            "org": job.organisation,
            "when": signatures.signing_time_text(job.when),
            "seal": job.seal,
            # the boxes say TEST when the certificate is the test CA's (QA Q5)
            "test": signatures.is_test_certificate(person.signing_cert),
        },
    )
    pdf = signatures.sign_pdf(
        rendered.pdf,
        signer=person,
        request=signatures.SignatureRequest(
            field_name="ChuKyCaNhan",
            reason=job.reason,
            location=job.location,
            signer_label=job.signer_name,
            organisation=job.organisation,
            placement=rendered.placement,
        ),
        keys=keys,
        when=job.when,
        context=context,
    )
    if job.seal and rendered.seal_placement is not None:
        pdf = signatures.sign_pdf(
            pdf,
            signer=keys.seal(job.unit_code, job.organisation),
            request=signatures.SignatureRequest(
                field_name="ChuKyCoQuan",
                reason=f"Chữ ký số của cơ quan ban hành: {job.organisation}",
                location=job.location,
                signer_label=job.organisation,
                organisation=job.organisation,
                placement=rendered.seal_placement,
                seal=True,
            ),
            keys=keys,
            when=job.when,
            context=context,
        )
    return pdf


# --- the pool ---------------------------------------------------------------------------------

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _worker_start(settings_module: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()


def _executor(workers: int) -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=workers,
                # spawned, not forked: a fresh interpreter, nothing of the server's threads,
                # connections or locks carried over
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_start,
                initargs=(os.environ["DJANGO_SETTINGS_MODULE"],),
            )
        return _pool


def pool_running() -> bool:
    return _pool is not None


def pool_stop() -> None:
    """Stop the worker processes (they start again with the next large batch)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


class Producer:
    """Makes one batch's documents: in the pool when the batch is large enough (or the pool is
    already running) and the settings allow two workers or more; otherwise here, one by one."""

    def __init__(self, size: int) -> None:
        self.batch = uuid.uuid4().hex
        workers = int(getattr(settings, "CQDT_SIGNING_WORKERS", 0))
        use_pool = (
            workers > 1
            and size > 1
            and (size >= POOL_MIN_BATCH or pool_running())
            and "DJANGO_SETTINGS_MODULE" in os.environ
        )
        self.workers = workers if use_pool else 0
        # documents in flight: enough to keep every worker busy, few enough that an interrupted
        # batch leaves few numbers taken and unsigned
        self.in_flight = 2 * self.workers if use_pool else 0

    def submit(self, job: Job) -> Future[bytes]:
        if self.workers:
            try:
                return _executor(self.workers).submit(produce, job)
            except BrokenProcessPool:  # a worker died: start afresh, here for this batch
                pool_stop()
                self.workers = self.in_flight = 0
        done: Future[bytes] = Future()
        try:
            done.set_result(produce(job))
        except Exception as exc:  # reported with the document, as a worker's failure would be
            done.set_exception(exc)
        return done
