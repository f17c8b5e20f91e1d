"""Hot paths over HTTP, each beside the machine's limit for the same work (issue 17, item 1).

Run alone with ``BENCH=bench_http make bench`` (or ``make bench-http``). A scratch PostgreSQL
database (``BENCH_HTTP_DATABASE``, default ``cqdt_bench_http``) is seeded through the services
and given ``BENCH_HTTP_DOSSIERS`` (default 20,000; 1,000,000 for the issue's figures) dossiers of
bulk-loaded history (``_dossier_setup``). Then, in the same run, two servers take turns under
wrk (``BENCH_HTTP_CONNECTIONS`` connections, default 32, ``BENCH_HTTP_SECONDS`` each, after a
warm-up; ``BENCH_HTTP_ROUNDS`` rounds):

* **raw** — ``bench/raw_asgi.py`` under granian (ASGI, 2 workers): a minimal application doing
  the same database work with psycopg and a small per-worker connection pool, no framework;
* **platform** — CQĐT under granian (WSGI, 2 workers of ``BENCH_HTTP_BLOCKING_THREADS`` threads,
  8 as in the production recipe of docs/decisions/0011) with the production settings.

After the set-up (or on ``BENCH_HTTP_REUSE``) the bulk-loaded tables are vacuumed and analysed, as
autovacuum would have done in a real database of that size. On ``BENCH_HTTP_REUSE`` the desk of the
plan's ward (the busiest with an open dossier) logs in again (the kept session expires).

The paths:

* ``lookup`` — ``GET /api/v1/public/dossiers/<code>?secret=…`` over random bulk-loaded dossiers
  (rate limit raised, but still counted: the raw reference counts too);
* ``intake`` — ``POST /api/v1/dossiers`` by desk officers' bearer tokens, each at their own ward
  (counter intake, accepted at once); the raw reference replays the platform's own writes of a
  warm intake captured in the set-up (the day's number, the dossier, its timeline, the audit
  events on the chain with its lock and tip) in one transaction with each request's values,
  without the checks (``raw_asgi.intake_template``; the set-up stops if it no longer can);
* ``queue`` — ``GET /api/v1/dossiers`` by a desk officer's token (the first page by due date);
* ``dossier page`` — ``/staff/dossiers/<code>/`` in a logged-in session (HTML): the open dossier
  due first at the busiest ward that has one (the session and the queue's token are its desk
  officer's, the pages below its own);
* ``dashboard`` — ``/staff/monitoring/<ward>/`` in the same session (HTML);
* ``signing page`` — ``/staff/units/<ward>/signing/`` in the same session (HTML): who may sign
  each act at the ward today, every official × act decided (``authority_grid``). With
  ``BENCH_HTTP_BASELINE`` naming an older tree's ``src/`` (e.g. one before the grid, where the
  page asked ``authority_check`` once per cell), that tree is measured in the same run too.

For the queue, the pages and the dashboard the raw reference replays the very SQL the platform
sent for one such request (captured in the set-up), so only the framework's own work differs.
Each line prints req/s, p50 and p99 of both and the platform's share of the raw req/s, with the
load average beside it: the machine is shared and wrk runs on the same cores, so compare within
a run, not across runs. A server that does not start, or answers a path other than 200 before
its timed run or other than 2xx during it, stops the bench (exit status 1, the end of its log
printed): a figure of error answers would mean nothing. Never asserted in tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import _common

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = ROOT / "src"
BIN = Path(sys.executable).parent
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8766"))
PATHS = ("lookup", "intake", "queue", "dossier page", "dashboard", "signing page")
# The HTML pages, read in the desk officer's session: their paths by what the plan names.
PAGES = {
    "dossier page": "/staff/dossiers/{page_code}/",
    "dashboard": "/staff/monitoring/{ward}/",
    "signing page": "/staff/units/{ward}/signing/",
}


# --- set-up (child process, bench settings) -------------------------------------------------------


def _captured(client: Any, url: str, **extra: Any) -> list[str]:
    """The SQL one GET sends once the process's caches hold what it reads (the reference rows
    and the calendar, kept 2 s as in production), parameters inlined: what the raw reference
    replays. The first, cold request of a process reads more (111 statements against 18 for the
    dashboard), which the served platform pays once every 2 s, not on every request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, **extra)  # warm the caches, as a serving process is
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    if response.status_code != 200:
        raise RuntimeError(f"set-up: {url} answered {response.status_code}")
    return [q["sql"] for q in queries.captured_queries]


def _busiest_with_open(wards: list[Any], history: Any, size: int) -> tuple[Any, str]:
    """The ward with the most dossiers among those with an open one, and its open dossier due
    first (the dossier page's). The history leaves about 5% of dossiers open, received in the
    last weeks (``_dossier_setup.generate``): with a few thousand over 175 wards, the busiest
    ward may have none."""
    import numpy as np

    from cqdt.dossiers.models import Dossier

    codes = [w.code for w in wards]
    with_open = set(
        Dossier.objects.filter(unit_code__in=codes, closed_at__isnull=True)
        .values_list("unit_code", flat=True)
        .distinct()
    )
    if not with_open:
        raise RuntimeError(
            f"set-up: none of the {size:,} dossiers is open, and the dossier page needs one "
            "(about 5% are left open): raise BENCH_HTTP_DOSSIERS"
        )
    counts = dict(zip(codes, np.bincount(history.ward, minlength=len(wards)).tolist(), strict=True))
    busiest = max((w for w in wards if w.code in with_open), key=lambda w: counts[w.code])
    code = (
        Dossier.objects.filter(unit_code=busiest.code, closed_at__isnull=True)
        .order_by("due_at")
        .values_list("code", flat=True)
        .first()
    )
    return busiest, str(code)


def _intake_captured(body: dict[str, Any], token: str) -> list[str]:
    """The SQL of a warm counter intake (the second of two at the same desk, as a serving process
    answers: the unit, procedure and desk kept, the token's use just recorded), checked to be
    what the raw reference can replay (``raw_asgi.intake_template``)."""
    import raw_asgi
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def post() -> Any:
        return Client().post(
            "/api/v1/dossiers",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    for _ in ("cold", "warm"):
        with CaptureQueriesContext(connection) as captured:
            probe = post()
        if probe.status_code != 200:
            raise RuntimeError(
                f"set-up: intake answered {probe.status_code}: {probe.content[:300]!r}"
            )
    sql = [q["sql"] for q in captured.captured_queries]
    try:
        raw_asgi.intake_template(sql)
    except raw_asgi.TemplateError as exc:
        raise RuntimeError(f"set-up: the raw reference cannot replay the intake: {exc}") from exc
    return sql


def _setup_phase(size: int, out: str) -> None:
    """Migrate, seed, bulk-load; write tokens, a session, sample lookups and captured SQL."""
    seeded, history = _common.seeded_history(size, "http bench setup")
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.test import Client

    from cqdt.core.audit import Actor
    from cqdt.core.tokens import token_issue

    rng = np.random.default_rng(5)
    picks = rng.choice(size, min(size, 5000), replace=False).tolist()
    lookups = [(history.code(i, seeded.wards), str(history.secrets[i])) for i in picks]
    users = get_user_model().objects.in_bulk([w.desk_user_id for w in seeded.wards])
    desks = []
    for ward in seeded.wards[:40]:
        _, secret = token_issue(actor=Actor.system("bench"), user=users[ward.desk_user_id])
        desks.append({"unit": ward.code, "agency": ward.agency, "token": secret})
    busiest, open_code = _busiest_with_open(seeded.wards, history, size)
    user = users[busiest.desk_user_id]
    _, queue_token = token_issue(actor=Actor.system("bench"), user=user)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    auth = {"HTTP_AUTHORIZATION": f"Bearer {queue_token}"}
    procedure = seeded.procedures[0].slug  # same-day certified copies, the commonest
    body = {
        "unit": desks[0]["unit"],
        "procedure": procedure,
        "applicant": {"name": "Nguyễn Văn Bench", "id_number": "001090000001"},
        "documents": sorted(d["code"] for d in seeded.procedures[0].required_documents),
        "accept": True,
    }
    intake_sql = _intake_captured(body, desks[0]["token"])
    Path(out).write_text(
        json.dumps(
            {
                "lookups": lookups,
                "desks": desks,
                "intake_body": body,
                "queue_token": queue_token,
                "session": session,
                "ward": busiest.code,
                "page_code": open_code,
                "intake_sql": intake_sql,
                "sql": {
                    "queue": _captured(Client(), "/api/v1/dossiers?limit=50", **auth),
                    **{
                        kind: _captured(client, url.format(page_code=open_code, ward=busiest.code))
                        for kind, url in PAGES.items()
                    },
                },
            },
            ensure_ascii=False,
        )
    )


def _login_phase(plan_file: str) -> None:
    """On ``BENCH_HTTP_REUSE``: a new session for the queue token's holder (the busiest ward's
    desk), written into the plan — the kept session expires (``SESSION_COOKIE_AGE``), and the
    dossier page and the dashboard would then measure the redirect to the login page."""
    import django

    django.setup()
    from django.test import Client

    from cqdt.core.tokens import token_user

    path = Path(plan_file)
    plan = json.loads(path.read_text())
    user = token_user(plan["queue_token"])
    if user is None:
        raise RuntimeError("re-login: the kept queue token no longer names a user")
    client = Client()
    client.force_login(user)
    plan["session"] = client.cookies["sessionid"].value
    path.write_text(json.dumps(plan, ensure_ascii=False))


# --- wrk --------------------------------------------------------------------------------------------


def _lua(kind: str, plan: dict[str, Any]) -> str:
    """The wrk script of one path."""
    if kind == "lookup":
        rows = ",\n".join(
            f'"/api/v1/public/dossiers/{code}?secret={secret}"' for code, secret in plan["lookups"]
        )
        return f"local p = {{\n{rows}\n}}\nrequest = function()\n  return wrk.format(nil, p[math.random(#p)])\nend\n"
    if kind == "intake":
        bodies = []
        for desk in plan["desks"]:
            body = json.dumps({**plan["intake_body"], "unit": desk["unit"]}, ensure_ascii=False)
            bodies.append(f'{{"Bearer {desk["token"]}", [==[{body}]==]}}')  # Lua long string
        return (
            "local d = {\n" + ",\n".join(bodies) + "\n}\n"
            "request = function()\n  local x = d[math.random(#d)]\n"
            '  return wrk.format("POST", "/api/v1/dossiers", '
            '{["Authorization"] = x[1], ["Content-Type"] = "application/json"}, x[2])\nend\n'
        )
    if kind == "queue":
        return (
            f'wrk.headers["Authorization"] = "Bearer {plan["queue_token"]}"\n'
            'request = function()\n  return wrk.format(nil, "/api/v1/dossiers?limit=50")\nend\n'
        )
    url = PAGES[kind].format(**plan)
    return (
        f'wrk.headers["Cookie"] = "sessionid={plan["session"]}"\n'
        f'request = function()\n  return wrk.format(nil, "{url}")\nend\n'
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _probe(kind: str, plan: dict[str, Any]) -> int:
    """One request of ``kind`` as wrk will send it; its status (a redirect to the login page
    would otherwise be counted by wrk as a success)."""
    headers = {"Cookie": f"sessionid={plan['session']}"}
    data = None
    if kind == "lookup":
        code, secret = plan["lookups"][0]
        path = f"/api/v1/public/dossiers/{code}?secret={secret}"
    elif kind == "intake":
        desk = plan["desks"][-1]
        path, headers = "/api/v1/dossiers", {"Authorization": f"Bearer {desk['token']}"}
        headers["Content-Type"] = "application/json"
        data = json.dumps({**plan["intake_body"], "unit": desk["unit"]}).encode()
    elif kind == "queue":
        path, headers = (
            "/api/v1/dossiers?limit=50",
            {"Authorization": f"Bearer {plan['queue_token']}"},
        )
    else:
        path = PAGES[kind].format(**plan)
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=data, headers=headers)
    try:
        with opener.open(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


class Failed(RuntimeError):
    """A server did not start, or answered a timed path other than 2xx: no figure for it."""


def _wrk(script: Path, seconds: int, connections: int) -> tuple[float, float, float, int]:
    """req/s, p50 and p99 (ms), and the count of requests unanswered after
    ``BENCH_HTTP_TIMEOUT`` seconds (default 10; wrk's own 2 s cut the slow paths' p99 short).
    Failed when any answer was not 2xx or 3xx, or wrk gave no figures."""
    base = ["wrk", "-t2", f"-c{connections}", "-s", str(script)]
    base += ["--timeout", f"{_common.env_int('BENCH_HTTP_TIMEOUT', 10)}s"]
    subprocess.run([*base, "-d2s", f"http://127.0.0.1:{PORT}"], capture_output=True, check=False)  # noqa: S603
    done = subprocess.run(  # noqa: S603
        [*base, f"-d{seconds}s", "--latency", f"http://127.0.0.1:{PORT}"],
        capture_output=True,
        text=True,
        check=False,
    )
    text = done.stdout

    def latency(label: str) -> float:
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\b", text, re.M)
        if not found:
            return float("nan")
        return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    answered = re.search(r"(\d+) requests in", text)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if bad:
        of = answered.group(1) if answered else "?"
        raise Failed(f"{bad.group(1)} of {of} answers in the timed run not 2xx or 3xx")
    if done.returncode != 0 or not rps or not answered:
        raise Failed(f"wrk gave no figures (exit {done.returncode}): {done.stderr[-300:]}")
    found = re.search(r"Socket errors: .*timeout (\d+)", text)
    timeouts = int(found.group(1)) if found else 0
    if answered.group(1) == "0":  # no latency at all (wrk would print 0.00us)
        return 0.0, float("nan"), float("nan"), timeouts
    return float(rps.group(1)), latency("50"), latency("99"), timeouts


def wait_ready(proc: subprocess.Popen, url: str, seconds: float = 120) -> None:
    """Until ``url`` answers 200 (a server's readiness), or RuntimeError."""
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback URL
                if r.status == 200:
                    return
        except urllib.error.HTTPError as exc:
            last = f"{exc.code} {exc.read()[:200]!r}"
        except OSError as exc:
            last = repr(exc)
        time.sleep(0.3)
    raise RuntimeError(f"server not ready in time ({last})")


def _serve(command: list[str], env: dict[str, str], log: Path, ready: str) -> subprocess.Popen:
    with open(log, "w") as out:
        proc = subprocess.Popen(  # noqa: S603
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_ready(proc, f"http://127.0.0.1:{PORT}{ready}")
    except RuntimeError:
        stop(proc)
        raise
    return proc


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def granian(interface: str, target: str, port: int = PORT) -> list[str]:
    """The production server's command (docs/decisions/0011): 2 workers on 127.0.0.1, and for
    WSGI at most ``BENCH_HTTP_BLOCKING_THREADS`` (8, as the recipe) Python threads per worker."""
    where = ["--host", "127.0.0.1", "--port", str(port), "--no-ws"]
    if interface == "wsgi":
        where += ["--blocking-threads", str(_common.env_int("BENCH_HTTP_BLOCKING_THREADS", 8))]
    return [str(BIN / "granian"), "--interface", interface, "--workers", "2", *where, target]


def _vacuum(database_url: str) -> int:
    """VACUUM (ANALYZE) the bulk-loaded tables, as autovacuum would have by the time a real
    database held them: without the visibility map the queue's COUNT(*) reads the heap (3,921
    heap fetches, 134 ms for the busiest ward, instead of 1.9 ms). The dossiers' count."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        for table in ("dossiers_dossier", "dossiers_dossierevent", "core_auditevent"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
        row = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()
    return int(row[0]) if row else 0


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def _measure(
    plan: dict[str, Any], env: dict[str, str], raw_env: dict[str, str], work: Path, lines: list[str]
) -> None:
    """Each path on each server under wrk, a line a path and round appended to ``lines``; Failed
    (with the end of that server's log) when a server does not start or answers a path other
    than 200 before the timed run, or other than 2xx during it."""
    seconds = _common.env_int("BENCH_HTTP_SECONDS", 10)
    connections = _common.env_int("BENCH_HTTP_CONNECTIONS", 32)
    wanted = os.environ.get("BENCH_HTTP_PATHS", "")  # e.g. "lookup,dossier_page"
    only = [p for p in PATHS if not wanted or p.replace(" ", "_") in wanted.split(",")]
    scripts = {}
    for kind in only:
        scripts[kind] = work / f"{kind.replace(' ', '_')}.lua"
        scripts[kind].write_text(_lua(kind, plan))
    servers = {
        "raw": (granian("asgi", "raw_asgi:app"), raw_env, "/healthz"),
        "platform": (granian("wsgi", "cqdt.config.wsgi:application"), env, "/readyz"),
    }
    baseline = os.environ.get("BENCH_HTTP_BASELINE")  # another tree's src/, e.g. main's
    if baseline:
        servers["baseline"] = (
            granian("wsgi", "cqdt.config.wsgi:application"),
            {**env, "PYTHONPATH": os.pathsep.join([baseline, str(HERE)])},
            "/readyz",
        )
    for round_no in range(1, _common.env_int("BENCH_HTTP_ROUNDS", 1) + 1):
        figures: dict[str, dict[str, tuple[float, float, float, int, str]]] = {}
        for name, (command, server_env, ready) in servers.items():
            log = work / f"{name}.log"
            kind = "start"
            try:
                proc = _serve(command, server_env, log, ready)
                try:
                    for kind in only:
                        status = _probe(kind, plan)
                        if status != 200:
                            raise Failed(f"answered {status}, not 200")
                        figures.setdefault(kind, {})[name] = (
                            *_wrk(scripts[kind], seconds, connections),
                            _load(),
                        )
                finally:
                    stop(proc)
            except RuntimeError as exc:  # Failed, or _serve's server not ready
                for done in only:
                    if done in figures:
                        lines.append(f"http: r{round_no} {done:<12} " + side_by_side(figures[done]))
                raise Failed(f"{name} {kind}: {exc}\n{_tail(log)}") from None
        for kind in only:
            lines.append(f"http: r{round_no} {kind:<12} " + side_by_side(figures.get(kind, {})))


def _tail(log: Path, count: int = 25) -> str:
    """The last lines of a server's log (a raw reference's traceback, the platform's errors)."""
    try:
        text = log.read_text(errors="replace").splitlines()[-count:]
    except OSError:
        return f"(no log at {log})"
    return "\n".join(f"  | {line}" for line in text)


def side_by_side(got: dict[str, tuple[float, float, float, int, str]], digits: int = 0) -> str:
    """Each server's req/s (``digits`` decimals), p50 and p99 (ms), its share of the raw
    reference's req/s, the load average, and any request left unanswered (a non-2xx answer
    stops the bench: ``Failed``)."""
    raw = got.get("raw")
    parts = []
    for who, f in got.items():
        if not f[0]:
            parts.append(f"{who} NO ANSWER in the timed run ({f[4]})")
            continue
        ratio = f" = {f[0] / raw[0]:.2f}x raw" if raw and raw[0] and who != "raw" else ""
        bad = (
            f" {f[3]} unanswered in {_common.env_int('BENCH_HTTP_TIMEOUT', 10)} s!" if f[3] else ""
        )
        parts.append(
            f"{who} {f[0]:>6,.{digits}f} req/s p50 {f[1]:6.1f} p99 {f[2]:6.1f} ms{ratio} "
            f"({f[4]}){bad}"
        )
    return " | ".join(parts)


def environments(
    database_url: str, work: Path, plan_file: Path
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The environments of a bench over HTTP on ``database_url``: the set-up's (bench settings,
    a child process), the platform's (the production settings, signing the set-up's session with
    the same key) and the raw reference's (replaying ``plan_file``)."""
    base = dict(os.environ)
    base.update(
        {
            "DATABASE_URL": database_url,
            "CQDT_VAR_DIR": str(work),
            "CQDT_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "CQDT_PUBLIC_RATE_LIMIT": "1000000000",
            "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)]),
            "BENCH_SECRET_KEY": "bench-only-" + "x" * 40 + "yz",
        }
    )
    setup = {**base, "DJANGO_SETTINGS_MODULE": "bench_settings", "CQDT_LOG_LEVEL": "WARNING"}
    prod = {
        **base,
        "DJANGO_SETTINGS_MODULE": "cqdt.config.settings.prod",
        "CQDT_SECRET_KEY": base["BENCH_SECRET_KEY"],  # the set-up's session is valid
        "CQDT_SECURE_SSL_REDIRECT": "false",
        "CQDT_LOG_LEVEL": "WARNING",
    }
    raw = {
        **base,
        "RAW_DATABASE_URL": database_url,
        "RAW_PLAN": str(plan_file),
        "PYTHONPATH": str(HERE),
    }
    return setup, prod, raw


def serve_production(prod: dict[str, str]) -> None:
    """What a deployment does before serving: the cache table and the collected static files."""
    for step in (["createcachetable"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([str(BIN / "cqdt"), *step], env=prod, check=True)  # noqa: S603


def _intake_line(plan: dict[str, Any]) -> str:
    """What the raw reference replays of the platform's intake (``raw_asgi.intake_template``)."""
    import raw_asgi

    try:
        if any("agency" not in desk for desk in plan["desks"]):
            raise raw_asgi.TemplateError("the plan's desks have no agency identifiers")
        template = raw_asgi.intake_template(plan["intake_sql"])
    except raw_asgi.TemplateError as exc:
        raise SystemExit(
            f"http: FAILED: the raw reference cannot replay the plan's intake ({exc}); "
            "a plan kept before this bench captured a warm intake needs a new set-up"
        ) from None
    writes = ", ".join(s.table for s in template.steps if isinstance(s, raw_asgi.Insert))
    return (
        f"http: intake: the raw reference sends {template.replayed} of the platform's "
        f"{template.sent} statements (the token's read; BEGIN, the writes — {writes} —, "
        "the audit chain's lock and tip, COMMIT); not the checks, reference reads and savepoints"
    )


def run() -> list[str]:
    if shutil.which("wrk") is None:
        return ["http: wrk not installed (apt-get install wrk); skipped"]
    name = os.environ.get("BENCH_HTTP_DATABASE", "cqdt_bench_http")
    size = _common.env_int("BENCH_HTTP_DOSSIERS", 20_000)
    pg = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    database_url = f"{pg}/{name}"
    import psycopg

    # BENCH_HTTP_REUSE: the directory a run kept (BENCH_HTTP_KEEP=1) — measure again on its
    # database (after a migration, an index) without loading it again.
    reuse = os.environ.get("BENCH_HTTP_REUSE")
    if not reuse:
        with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    work = Path(reuse or tempfile.mkdtemp(prefix="cqdt-bench-http-"))
    keep = os.environ.get("BENCH_HTTP_KEEP") == "1" or bool(reuse)
    try:
        plan_file = work / "plan.json"
        setup_env, prod, raw_env = environments(database_url, work, plan_file)
        started = time.perf_counter()
        if reuse:
            subprocess.run([str(BIN / "cqdt"), "migrate", "-v0"], env=setup_env, check=True)  # noqa: S603
            subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--login", str(plan_file)],
                env=setup_env,
                check=True,
            )
        else:
            subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--setup", str(size), str(plan_file)],
                env=setup_env,
                check=True,
            )
        size = _vacuum(database_url)
        setup_seconds = time.perf_counter() - started
        plan = json.loads(plan_file.read_text())
        serve_production(prod)
        lines = [
            f"http: {size:,} dossiers on PostgreSQL (set-up and VACUUM {setup_seconds:.0f} s), "
            f"granian 2 workers each ({_common.env_int('BENCH_HTTP_BLOCKING_THREADS', 8)} threads per WSGI "
            f"worker), wrk -t2 -c{_common.env_int('BENCH_HTTP_CONNECTIONS', 32)} "
            f"-d{_common.env_int('BENCH_HTTP_SECONDS', 10)}s, {os.cpu_count()} CPUs, {_load()} at start",
            _intake_line(plan),
        ]
        try:
            _measure(plan, prod, raw_env, work, lines)
        except Failed as exc:
            for line in lines:
                print(line, flush=True)
            kept = f" (kept {work} and database {name})" if keep else ""
            raise SystemExit(f"http: FAILED{kept}: {exc}") from None
        if keep:
            lines.append(f"http: kept {work} and database {name}")
        return lines
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
            with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--setup":
        _setup_phase(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "--login":
        _login_phase(sys.argv[2])
    else:
        for line in run():
            print(line, flush=True)
