"""core.replicas: lag-tolerant reads on a replica, read-your-writes, fallback to the primary.

``replica`` (test settings) is a second alias on the same test database: what is checked here
is where each query goes, and the fallback when the replica is down or lags.
"""

import time

import pytest
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from cqdt.core import replicas
from cqdt.core.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

ON = override_settings(
    CQDT_REPLICAS=["replica"],
    CQDT_REPLICA_PATHS=[r"/dashboard/"],
    CQDT_REPLICA_MAX_LAG_SECONDS=5,
    CQDT_REPLICA_CHECK_SECONDS=60,
)


@pytest.fixture(autouse=True)
def _fresh_health():
    replicas._health.clear()
    replicas._writers.clear()
    yield
    replicas._health.clear()
    replicas._writers.clear()


def _message(n=1):
    return OutboxMessage.objects.create(channel="email", recipient=f"a{n}@example.vn", body="x")


def _serve(path, view, method="get", **extra):
    """``view`` run behind the middleware; the response and the queries on each alias."""
    request = getattr(RequestFactory(), method)(path, **extra)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = replicas.ReplicaReadsMiddleware(view)(request)
    return response, primary.captured_queries, _data(replica.captured_queries)


def _data(queries):
    """The queries for data (not the health check's lag query)."""
    return [q for q in queries if replicas.LAG_SQL not in q["sql"]]


def _read(request):
    list(OutboxMessage.objects.all())
    return HttpResponse("ok")


def _tables(queries):
    return " ".join(q["sql"] for q in queries)


@ON
def test_a_lag_tolerant_read_goes_to_the_replica():
    _message()
    _, primary, replica = _serve("/dashboard/", _read)
    assert "core_outboxmessage" in _tables(replica)
    assert "core_outboxmessage" not in _tables(primary)


@ON
def test_other_paths_and_unsafe_methods_read_on_the_primary():
    for path, method in (("/elsewhere/", "get"), ("/dashboard/", "post")):
        _, primary, replica = _serve(path, _read, method=method)
        assert "core_outboxmessage" in _tables(primary)
        assert not replica


def test_without_replicas_nothing_changes():
    _, primary, replica = _serve("/dashboard/", _read)
    assert "core_outboxmessage" in _tables(primary)
    assert not replica


@ON
def test_a_client_that_wrote_reads_its_writes_on_the_primary_for_a_moment():
    def write_then_read(request):
        _message(2)
        list(OutboxMessage.objects.all())  # its own write: on the primary at once
        return HttpResponse("ok")

    response, primary, replica = _serve("/dashboard/", write_then_read)
    assert "SELECT" in _tables(primary) and not replica
    cookie = response.cookies[replicas.STICKY_COOKIE]
    assert float(cookie.value) > time.time()
    assert cookie["httponly"]

    # The next request with the cookie reads on the primary; without it, on the replica.
    _, primary, replica = _serve("/dashboard/", _read, HTTP_COOKIE=f"{cookie.key}={cookie.value}")
    assert "core_outboxmessage" in _tables(primary) and not replica
    _, primary, replica = _serve("/dashboard/", _read)
    assert "core_outboxmessage" in _tables(replica)
    # An expired cookie no longer holds the client on the primary.
    old = f"{cookie.key}={time.time() - 1:.0f}"
    _, primary, replica = _serve("/dashboard/", _read, HTTP_COOKIE=old)
    assert "core_outboxmessage" in _tables(replica)


@ON
def test_a_bearer_client_that_wrote_stays_on_the_primary_without_cookies():
    auth = {"HTTP_AUTHORIZATION": "Bearer cqdt_example"}
    _serve("/dashboard/", lambda r: (_message(3), HttpResponse("ok"))[1], method="post", **auth)
    _, primary, replica = _serve("/dashboard/", _read, **auth)
    assert "core_outboxmessage" in _tables(primary) and not replica
    _, primary, replica = _serve("/dashboard/", _read, HTTP_AUTHORIZATION="Bearer cqdt_other")
    assert "core_outboxmessage" in _tables(replica)


@ON
def test_reads_inside_a_transaction_and_of_sessions_stay_on_the_primary():
    def view(request):
        with transaction.atomic():
            list(OutboxMessage.objects.all())
        from django.contrib.sessions.models import Session

        list(Session.objects.all())
        return HttpResponse("ok")

    _, primary, replica = _serve("/dashboard/", view)
    assert "core_outboxmessage" in _tables(primary)
    assert "django_session" in _tables(primary)
    assert not replica


@ON
def test_a_replica_that_is_down_or_lags_is_left_out(monkeypatch):
    def down(alias):
        raise replicas.connections[alias].Database.OperationalError("connection refused")

    monkeypatch.setattr(replicas, "replica_lag", down)
    assert replicas.healthy("replica", lag=down) is False
    _, primary, replica = _serve("/dashboard/", _read)
    assert "core_outboxmessage" in _tables(primary) and not replica

    replicas._health.clear()
    assert replicas.healthy("replica", lag=lambda alias: 30.0) is False  # past the 5 s bound
    _, primary, replica = _serve("/dashboard/", _read)
    assert "core_outboxmessage" in _tables(primary) and not replica

    replicas._health.clear()
    assert replicas.healthy("replica", lag=lambda alias: 0.5) is True
    _, primary, replica = _serve("/dashboard/", _read)
    assert "core_outboxmessage" in _tables(replica)


@ON
def test_the_lag_of_a_database_that_is_not_a_standby_is_zero():
    assert replicas.replica_lag("replica") == 0.0
    assert replicas.healthy("replica") is True


def test_migrations_never_run_on_a_replica():
    router = replicas.ReplicaRouter()
    with override_settings(CQDT_REPLICAS=["replica"]):
        assert router.allow_migrate("replica", "core") is False
        assert router.allow_migrate("default", "core") is None


@ON
def test_the_database_cache_stays_on_the_primary():
    """The database cache's stand-in model has no app: the drill (make scale-drill) found the
    router failing on it, and /readyz with it."""
    from django.core.cache.backends.db import DatabaseCache

    cache = DatabaseCache("cqdt_cache", {})
    state = replicas._Request("replica")
    token = replicas._current.set(state)
    try:
        router = replicas.ReplicaRouter()
        assert router.db_for_read(cache.cache_model_class) is None
        assert router.db_for_write(cache.cache_model_class) == "default"
        assert state.alias == "replica" and not state.wrote
    finally:
        replicas._current.reset(token)
