"""Documents: a tray of dossiers signed in batch, and the public verify page's latency.

A subprocess sets Django up on a scratch SQLite database (``BENCH_DOCUMENTS_URL`` to use another)
and a scratch test CA, builds a ward's team through the services, drives ``BENCH_TRAY``
(default 200) dossiers to "awaiting signature", then:

1. signs the whole tray in one ``documents_sign_batch`` call by the chairman, as the API does:
   for each dossier the sign move (authority resolver, versioned move, audit) and its result
   document numbered, rendered (WeasyPrint, PDF/A-3b), signed (PAdES B-LT with timestamp and
   embedded validation data; "TM." adds the seal signature, so two signatures per document) and
   stored — and reports documents per second and CPU time per document (this process and the
   signing worker processes, ``CQDT_SIGNING_WORKERS``), with the split render/sign of one
   document, and the load average (other jobs on the machine slow every figure here);
2. ``BENCH_REQUESTS`` (default 300) requests to ``/verify/<id>?h=…`` over random signed
   documents through ``django.test.Client``: first views (the PDF's signatures are validated)
   and repeat views (the validation is cached for 10 minutes), p50/p95/p99.

Target (issue 12): a tray of 200 signed in under 60 s on this 2-core machine.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def run() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="cqdt-bench-doc-") as var_dir:
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench_settings",
                "DATABASE_URL": os.environ.get(
                    "BENCH_DOCUMENTS_URL", f"sqlite:///{var_dir}/bench.sqlite3"
                ),
                "CQDT_VAR_DIR": var_dir,
                "CQDT_SIGNING_DIR": f"{var_dir}/ca",
                "CQDT_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
                "CQDT_LOG_LEVEL": "WARNING",
                "CQDT_VERIFY_RATE_LIMIT": "1000000",  # one client makes every request
                "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)]),
            }
        )
        done = subprocess.run(  # noqa: S603 - this file, with the same interpreter
            [sys.executable, str(Path(__file__).resolve()), "--child"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0:
        lines.append(f"documents: FAILED (exit code {done.returncode}; see stderr)")
    return lines


def _ms(values: list[float]) -> str:
    p50, p95, p99, worst = _common.ms(values)
    return f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms"


def _cpu_seconds() -> float:
    """CPU time of this process and of its exited children (the signing workers)."""
    me, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _child() -> None:
    import datetime as dt

    import django

    django.setup()
    import time_machine
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cqdt import testing
    from cqdt.core.audit import Actor
    from cqdt.documents import keys, production, render, services, signatures
    from cqdt.documents.models import Document
    from cqdt.dossiers.reference import desks_load
    from cqdt.testing import ProcedureFactory
    from cqdt.units.reference import reference_data_load

    tray = _common.env_int("BENCH_TRAY", 200)
    requests = _common.env_int("BENCH_REQUESTS", 300)
    ward, district = "00001", "001"
    now = testing.at(dt.date(2026, 3, 2))
    with time_machine.travel(now, tick=True):
        call_command("migrate", verbosity=0, interactive=False)
        reference_data_load()
        desks_load()
        ProcedureFactory(marital=True, legal_basis="Nghị định 123/2015/NĐ-CP")
        team = testing.ward_team(ward, district, testing.district_chairman(district), "B")
        team["user_chair"] = testing.login_for(team["chair"], username="bench_chair")
        started = time.perf_counter()
        items = []
        for _ in range(tray):
            d = testing.submit(team, now=now, unit=ward).dossier
            d = testing.drive(team, d.code, to="awaiting_signature", now=now)
            items.append(services.BatchItem(d.code, d.version))
        print(
            f"documents: {tray} dossiers driven to the tray in {time.perf_counter() - started:.1f} s"
        )

        # One document rendered and signed apart, to split the time (and warm the caches, as a
        # running server is).
        doc_in = services.DocumentIn(
            kind="decision",
            title="Về việc đo",
            body="Điều 1. Đo.",
            signer=team["chair"],
            signature_block="TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
        )
        warm = services.document_issue_and_sign(
            actor=Actor.system("bench"), unit_code=ward, doc=doc_in, now=now
        )
        t0 = time.perf_counter()
        rendered = render.render(
            warm, services.verify_url(warm), {"who": "x", "org": "y", "when": "z", "seal": True}
        )
        t1 = time.perf_counter()
        services.signed_pdf(warm, when=now)
        t2 = time.perf_counter()
        print(
            f"documents: one document: render {1000 * (t1 - t0):.0f} ms; render + 2 signatures "
            f"{1000 * (t2 - t1):.0f} ms; PDF {len(bytes(warm.pdf)) // 1024} kB"
        )
        del rendered

        load_before = os.getloadavg()[0]
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        outcomes = services.documents_sign_batch(
            actor=Actor.of(team["user_chair"]), official=team["chair"], items=items
        )
        seconds = time.perf_counter() - started
        workers = settings.CQDT_SIGNING_WORKERS if production.pool_running() else 0
        production.pool_stop()  # the workers' CPU time is counted once they have exited
        cpu = _cpu_seconds() - cpu_before
        ok = sum(1 for o in outcomes if o.ok)
        print(
            f"documents: batch of {tray} signed by the chairman ({connection.vendor}, "
            f"{workers or 'no'} worker processes): {ok} signed, {tray - ok} refused, "
            f"{seconds:.1f} s, {ok / seconds:.2f} documents/s (target: 200 in under 60 s); "
            f"CPU {1000 * cpu / max(ok, 1):.0f} ms per document (all processes, worker start-up "
            f"included); load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
        )
        check = signatures.verify_pdf(bytes(outcomes[0].document.pdf), keys.keys_for())
        print(f"documents: first of the batch valid={check.valid} trusted={check.trusted}")

        docs = list(Document.objects.exclude(sha256="").only("pk"))
        paths = []
        for doc in Document.objects.filter(pk__in=[d.pk for d in docs]).select_related("signer"):
            url = services.verify_url(doc)
            paths.append(url[url.index("/verify/") :])
        client = Client()
        cache.clear()
        first: list[float] = []
        for path in paths[: min(len(paths), requests)]:
            t = time.perf_counter()
            response = client.get(path)
            first.append(time.perf_counter() - t)
            assert response.status_code == 200, response.status_code
        print(f"documents: verify page, first views ({len(first)}): {_ms(first)}")
        repeat: list[float] = []
        rng = random.Random(7)
        for _ in range(requests):
            t = time.perf_counter()
            response = client.get(rng.choice(paths))
            repeat.append(time.perf_counter() - t)
        print(f"documents: verify page, repeat views ({len(repeat)}): {_ms(repeat)}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        from cqdt.config.settings import test as _settings  # noqa: F401 - fail early

        _child()
    else:
        print("\n".join(run()))
