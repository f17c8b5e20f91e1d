"""The city's view of its units after the pilot over HTTP, beside the raw reference (issue 11).

Run alone with ``BENCH=bench_city make bench``. Since 1 July 2025 Hà Nội (01) answers its 126
communes and wards of the day as rows (docs/decisions/0024): the monitoring API's answer for the
city (``/api/v1/monitoring/units/01``) and its dashboard page (``/staff/monitoring/01/``), read by
the Department of Home Affairs. A scratch PostgreSQL database (``BENCH_CITY_DATABASE``, default
``cqdt_bench_city``) holds Hanoi's units from 2021 to today (the real loaders) and
``BENCH_CITY_DOSSIERS_PER_UNIT`` (default 40) returned dossiers a unit in the first half of 2026:
BENCHMARK DATA written straight into the table, folded into the rollups. A city monitor logs in.

Then, as ``bench_http`` does, two servers take turns under wrk: **raw** (``bench/raw_asgi.py``
under granian, replaying the very SQL the platform sent for one such request once its caches
were warm) and **platform** (CQĐT under granian with the production settings). Each line prints
req/s, p50 and p99 of both and the platform's share of the raw req/s, with the load average.
Compare within a run, not across runs. Never asserted in tests.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import _common
import bench_http as http

HERE = http.HERE
PATHS = {
    "city api": "/api/v1/monitoring/units/01?from=2026-01-01&to=2026-06-30",
    "city page": "/staff/monitoring/01/?from=2026-01&to=2026-06",
}


def _setup_phase(per_unit: int, out: str) -> None:
    """Migrate, load the units to today, write the dossiers, refresh the rollups; write the
    monitor's session and the SQL of one warm request of each path."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.utils import timezone

    from cqdt import testing
    from cqdt.dossiers.models import Dossier
    from cqdt.monitoring import rollups
    from cqdt.units import selectors as unit_selectors
    from cqdt.units.reference import reference_data_load

    call_command("migrate", verbosity=0)
    reference_data_load(history=True)
    day = dt.date(2026, 3, 2)
    codes = sorted(unit_selectors.subtree_codes("01", day) - {"01"})
    procedure: Any = testing.ProcedureFactory()  # a kit procedure (unverified times)
    rows = []
    for n, code in enumerate(codes):
        for i in range(per_unit):
            received = dt.datetime.combine(day + dt.timedelta(days=i % 90), dt.time(2), dt.UTC)
            late = (n + i) % 7 == 0  # one in seven returned a day after it was due
            due = received + dt.timedelta(days=3)
            returned = due + dt.timedelta(days=1 if late else -1)
            rows.append(
                Dossier(
                    code=f"B26.{code}-{i:05d}",
                    unit_code=code,
                    procedure=procedure,
                    channel="counter",
                    applicant_kind="person",
                    applicant_name="Dữ liệu đo hiệu năng",
                    lookup_secret_hash="0" * 64,
                    status="returned",
                    submitted_at=received,
                    valid_receipt_at=received,
                    due_at=due,
                    returned_at=returned,
                    closed_at=returned,
                )
            )
    Dossier.objects.bulk_create(rows, batch_size=2000)
    with override_settings(MONITORING_STORED_READS=True):  # as production refreshes
        rollups.refresh(now=timezone.now())
    user = testing.login_for(testing.city_monitor("M-BENCH"), username="bench-city")
    client = Client()
    client.force_login(user)
    plan = {
        "session": client.cookies["sessionid"].value,
        "units": len(codes),
        "dossiers": len(rows),
        "sql": {kind: http._captured(client, url) for kind, url in PATHS.items()},
    }
    Path(out).write_text(json.dumps(plan, ensure_ascii=False))


def _lua(url: str, session: str) -> str:
    return (
        f'wrk.headers["Cookie"] = "sessionid={session}"\n'
        f'request = function()\n  return wrk.format(nil, "{url}")\nend\n'
    )


def _measure(plan: dict[str, Any], prod: dict[str, str], raw_env: dict[str, str], work: Path):
    seconds = _common.env_int("BENCH_HTTP_SECONDS", 10)
    connections = _common.env_int("BENCH_HTTP_CONNECTIONS", 8)
    servers = {
        "raw": (http.granian("asgi", "raw_asgi:app"), raw_env, "/healthz"),
        "platform": (http.granian("wsgi", "cqdt.config.wsgi:application"), prod, "/readyz"),
    }
    figures: dict[str, dict[str, tuple[float, float, float, int, str]]] = {}
    lines = []
    for name, (command, env, ready) in servers.items():
        proc = http._serve(command, env, work / f"{name}.log", ready)
        try:
            for kind, url in PATHS.items():
                script = work / f"{kind.replace(' ', '_')}.lua"
                script.write_text(_lua(url, plan["session"]))
                status = _status(url, plan["session"])
                if status != 200:
                    lines.append(f"city: {name} {kind}: answered {status}, not 200; skipped")
                    continue
                figures.setdefault(kind, {})[name] = (
                    *http._wrk(script, seconds, connections),
                    http._load(),
                )
        finally:
            http.stop(proc)
    for kind, got in figures.items():
        lines.append(f"city: {kind:<9} " + http.side_by_side(got, digits=1))
    return lines


def _status(url: str, session: str) -> int:
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(http._NoRedirect)
    request = urllib.request.Request(
        f"http://127.0.0.1:{http.PORT}{url}", headers={"Cookie": f"sessionid={session}"}
    )
    try:
        with opener.open(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def run() -> list[str]:
    if shutil.which("wrk") is None:
        return ["city: wrk not installed (apt-get install wrk); skipped"]
    name = os.environ.get("BENCH_CITY_DATABASE", "cqdt_bench_city")
    return _common.on_postgresql("city", name, "cqdt-bench-city-", _bench)


def _bench(database_url: str, var_dir: str) -> list[str]:
    work = Path(var_dir)
    plan_file = work / "plan.json"
    setup_env, prod, raw_env = http.environments(database_url, work, plan_file)
    per_unit = _common.env_int("BENCH_CITY_DOSSIERS_PER_UNIT", 40)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--setup", str(per_unit), str(plan_file)],
        env=setup_env,
        check=True,
    )
    setup_seconds = time.perf_counter() - started
    plan = json.loads(plan_file.read_text())
    http.serve_production(prod)
    sql = ", ".join(f"{k} {len(v)} statements" for k, v in plan["sql"].items())
    lines = [
        f"city: Hà Nội's {plan['units']} units of 2026, {plan['dossiers']:,} benchmark "
        f"dossiers on PostgreSQL (set-up {setup_seconds:.0f} s); one warm request: {sql}; "
        f"granian 2 workers, wrk -t2 -c{_common.env_int('BENCH_HTTP_CONNECTIONS', 8)} "
        f"-d{_common.env_int('BENCH_HTTP_SECONDS', 10)}s, {os.cpu_count()} CPUs, "
        f"{http._load()} at start"
    ]
    return lines + _measure(plan, prod, raw_env, work)


if __name__ == "__main__":
    _common.main(_setup_phase, run)
