"""/readyz (database, cache, migrations) and /metrics (business gauges, not public)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from prometheus_client.parser import text_string_to_metric_families

from cqdt.core.context import note_unit
from cqdt.core.middleware import RequestIdMiddleware
from cqdt.core.notify import outbox_put
from cqdt.dossiers.tests.conftest import (  # noqa: F401  (fixtures)
    _fresh_cache_and_mailbox,
    _module_ward,
    at,
    frozen,
    procedures,
    submit,
    ward,
)
from cqdt.web import probes


def samples(response) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


@pytest.mark.django_db
def test_readyz_answers_each_check(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "migrations": "ok"}


@pytest.mark.django_db
def test_readyz_is_503_naming_the_failed_check(client, monkeypatch) -> None:
    monkeypatch.setattr(probes, "_migrations_applied", False)

    def broken_cache() -> str:
        raise ConnectionError("redis down")

    monkeypatch.setitem(probes.CHECKS, "cache", broken_cache)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "cache": "error",
        "migrations": "ok",
    }


@pytest.mark.django_db
def test_readyz_sees_an_unapplied_migration(client, monkeypatch) -> None:
    monkeypatch.setattr(probes, "_migrations_applied", False)
    monkeypatch.setattr(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        lambda self, targets: [("fake", False)],
    )
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["migrations"] == "error"


@pytest.mark.django_db
def test_metrics_are_refused_to_a_remote_address_without_the_token(client) -> None:
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    with override_settings(CQDT_METRICS_TOKEN="s3cret-token"):
        wrong = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer nope")
        right = client.get(
            "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-token"
        )
    assert wrong.status_code == 403
    assert right.status_code == 200


@pytest.mark.django_db
def test_metrics_behind_a_proxy_count_the_real_client(client) -> None:
    with override_settings(CQDT_TRUSTED_PROXIES=1):
        response = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 403


@pytest.mark.django_db
def test_metrics_expose_the_business_gauges(client, ward, frozen) -> None:  # noqa: F811
    now = at(dt.date(2026, 3, 2))
    submit(ward, now=now)
    with transaction.atomic():
        outbox_put(channel="email", recipient="x@example.vn", body="b", key="metrics-test")
    from cqdt.monitoring.tasks import refresh_rollups_task

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        refresh_rollups_task.enqueue()  # waits for a worker
    found = samples(client.get("/metrics"))
    assert found[("cqdt_intakes", (("window", "1m"),))] == 1
    assert found[("cqdt_intakes", (("window", "1h"),))] == 1
    assert found[("cqdt_dossiers_open", ())] == 1
    assert found[("cqdt_dossiers_overdue", ())] == 0
    assert found[("cqdt_outbox_backlog", ())] >= 1
    assert found[("cqdt_task_queue", (("status", "ready"),))] >= 1

    frozen.move_to(at(dt.date(2026, 6, 1)))
    later = samples(client.get("/metrics"))
    assert later[("cqdt_intakes", (("window", "1h"),))] == 0
    assert later[("cqdt_dossiers_overdue", ())] == 1


@pytest.mark.django_db
def test_metrics_report_the_rollup_lag(client) -> None:
    from cqdt.monitoring import services

    services.rollups_refresh()
    found = samples(client.get("/metrics"))
    lags = {k: v for k, v in found.items() if k[0] == "cqdt_rollup_lag_seconds"}
    assert lags and all(0 <= v < 60 for v in lags.values())


def test_the_access_log_carries_the_unit_when_known(monkeypatch) -> None:
    logged: list[dict] = []
    monkeypatch.setattr(
        "cqdt.core.middleware.access_log.info", lambda event, **kw: logged.append(kw)
    )

    def view(request):
        note_unit("00001")
        return HttpResponse("ok")

    RequestIdMiddleware(view)(RequestFactory().get("/x"))
    RequestIdMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().get("/y"))
    assert [x["unit"] for x in logged] == ["00001", None]


@pytest.mark.django_db
def test_the_probes_answer_plain_http_under_the_production_redirect(client, tmp_path) -> None:
    """The load balancer and a scraper on 127.0.0.1 speak plain HTTP: no redirect to HTTPS."""
    from cqdt.config.tests.test_prod_settings import prod_defaults

    exempt = prod_defaults(tmp_path, "SECURE_REDIRECT_EXEMPT")["SECURE_REDIRECT_EXEMPT"]
    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=exempt):
        assert client.get("/").status_code == 301
        for path in ("/healthz", "/readyz", "/metrics"):
            assert client.get(path).status_code == 200, path


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/", "/procedures/", "/calendar/"])
def test_head_answers_as_get_does_without_a_body(client, reference_data, path):
    """Uptime monitors and link checkers ask HEAD: a page that answers GET answers HEAD the
    same, without the body (RFC 9110 §9.3.2), not 405 (Django's require_GET refused it)."""
    get, head = client.get(path), client.head(path)
    assert get.status_code == 200, path
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
