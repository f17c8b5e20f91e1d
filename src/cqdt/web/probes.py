"""Operations endpoints: readiness (``/readyz``) and Prometheus metrics (``/metrics``).

``/healthz`` (``web.views``) says the process is alive; ``/readyz`` says it may take traffic:
the database answers, the shared cache answers, and no migration is waiting. ``/metrics`` is
computed at scrape time from the database (a fresh registry per scrape), so every web worker
answers the same figures and nothing is kept in process memory: safe under any number of
worker processes without prometheus-client's multiprocess mode.

``/metrics`` is not public (queue sizes tell an attacker when to strike): it answers the
loopback address (the client address of ``core.clientip``, so behind a trusted proxy the real
client counts) or a request carrying ``Authorization: Bearer <CQDT_METRICS_TOKEN>``.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from cqdt.core import migration_state
from cqdt.core.clientip import client_ip
from cqdt.core.logs import get_logger
from cqdt.core.notify import outbox_backlog
from cqdt.dossiers.selectors import live_counts
from cqdt.monitoring.selectors import rollups_refreshed

log = get_logger("cqdt.probes")
LOOPBACK = frozenset({"127.0.0.1", "::1"})

# Once every migration is applied in this process's eyes it stays so (a deployment migrates
# before it starts new processes): later probes skip loading the migration graph.
_migrations_applied = False


def _check_database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    cache = caches["default"]
    key = "cqdt:readyz"
    value = str(time.time_ns())
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("cache read back a different value")
    return "ok"


def _check_migrations() -> str:
    global _migrations_applied
    if _migrations_applied:
        return "ok"
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")
    stranded = migration_state.stranded_apps(DEFAULT_DB_ALIAS)
    if stranded:  # an app between its old migrations and their squash (docs/decisions/0020)
        raise RuntimeError(migration_state.message(stranded)[1])
    _migrations_applied = True
    return "ok"


CHECKS = {"database": _check_database, "cache": _check_cache, "migrations": _check_migrations}


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 with each check's answer when all pass, else 503 naming what failed."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure of a dependency means not ready, whatever its class
            results[name] = "error"
            log.warning("readiness_failed", check=name, error=exc.__class__.__name__)
    ready = all(v == "ok" for v in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", **results}, status=200 if ready else 503
    )


class BusinessCollector(Collector):
    """The business gauges, read through the contexts' selectors at each scrape."""

    def collect(self) -> Iterator[Any]:
        now = timezone.now()
        counts = live_counts(now)
        intakes = GaugeMetricFamily(
            "cqdt_intakes", "Dossiers submitted in the trailing window.", labels=["window"]
        )
        intakes.add_metric(["1m"], counts["intakes_last_minute"])
        intakes.add_metric(["1h"], counts["intakes_last_hour"])
        yield intakes
        yield GaugeMetricFamily("cqdt_dossiers_open", "Dossiers not closed.", value=counts["open"])
        yield GaugeMetricFamily(
            "cqdt_dossiers_overdue",
            "Open dossiers past their due moment.",
            value=counts["overdue"],
        )
        yield GaugeMetricFamily(
            "cqdt_outbox_backlog",
            "Notifications waiting for delivery.",
            value=outbox_backlog(),
        )
        queue = GaugeMetricFamily(
            "cqdt_task_queue", "Background tasks by status (django-tasks).", labels=["status"]
        )
        for status, n in _task_counts().items():
            queue.add_metric([status], n)
        yield queue
        lag = GaugeMetricFamily(
            "cqdt_rollup_lag_seconds",
            "Seconds since the monitoring rollups last folded in each source.",
            labels=["source"],
        )
        for source, refreshed_at in rollups_refreshed().items():
            if refreshed_at is not None:
                lag.add_metric([source], max(0.0, (now - refreshed_at).total_seconds()))
        yield lag


def _task_counts() -> dict[str, int]:
    """Tasks waiting and running in django-tasks' database backend (finished ones are history)."""
    from django.db.models import Count
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    counts = {str(TaskResultStatus.READY): 0, str(TaskResultStatus.RUNNING): 0}
    rows = (
        DBTaskResult.objects.filter(status__in=list(counts))
        .values("status")
        .annotate(n=Count("*"))
        .order_by()
    )
    for row in rows:
        counts[str(row["status"])] = int(row["n"])
    return {status.lower(): n for status, n in counts.items()}


def metrics_allowed(request: HttpRequest) -> bool:
    token = str(getattr(settings, "CQDT_METRICS_TOKEN", "") or "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode())
    return client_ip(request) in LOOPBACK


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    registry = CollectorRegistry(auto_describe=False)
    registry.register(BusinessCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
