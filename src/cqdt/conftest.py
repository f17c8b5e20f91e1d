"""Fixtures shared by every context's tests; the data itself comes from the kit, ``cqdt.testing``."""

import copy
import importlib
from typing import Any

import pytest
from django.db import transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from cqdt.testing import caches as reference_caches
from cqdt.testing import flush, object_storage, reference, sessions, shared, ward_leadership

# Every database connection, as it opens, forgets the kept reference rows on a statement that may
# change them (cqdt.testing.caches): the worker's own and the live server's threads.
connection_created.connect(reference_caches.install, dispatch_uid="cqdt-test-reference-caches")
# ... and is noted with the alias, thread and test that opened it, to name a session still open
# when the run ends (``django_db_setup`` below).
connection_created.connect(sessions.remember, dispatch_uid="cqdt-test-session-origins")

# Django's flush after a test that commits empties, on PostgreSQL, only the tables that have rows
# (DELETE, not a TRUNCATE of every table: ~0.03 s instead of 0.8–2.9 s; cqdt.testing.flush).
flush.install()

# A boto3 connection to S3 is made once per thread and settings for the process, as a
# deployment's S3Storage keeps one per thread (cqdt.testing.object_storage).
object_storage.install()

# A test that commits (``transactional_db``, ``live_server``, ``django_db(transaction=True)``)
# ends with Django's flush, which empties every table, the rows the data migrations seeded
# included: oversight's rules since the pilot, monitoring's indicator definitions, weights,
# thresholds and plan, the default office hours. A later test on the same worker that read them
# failed or passed by the order xdist gave it (config/tests/test_limits.py, then
# oversight/tests/test_models.py: the seeded rules were gone). The flush sends ``post_migrate``
# for every app once done; ``_reseed`` runs the same seeding functions of the migrations
# (idempotent ``get_or_create``) for the app it is sent for.
# app label -> (its migration module, the forward functions of its RunPython data steps)
SEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "monitoring": (
        "cqdt.monitoring.migrations.0001_squashed_0012_stored_reads",
        ("seed", "create_plan"),
    ),
    "oversight": ("cqdt.oversight.migrations.0001_squashed_0002_seed_oversight_rules", ("seed",)),
    "workdays": ("cqdt.workdays.migrations.0001_squashed_0003_calendar_change", ("add_default",)),
}


def _reseed(sender: Any, using: str = "default", **_kwargs: Any) -> None:
    entry = SEEDS.get(getattr(sender, "label", ""))
    if entry is None or using != "default":
        return
    from django.apps import apps

    module = importlib.import_module(entry[0])  # names that start with a digit
    for name in entry[1]:
        getattr(module, name)(apps, None)


post_migrate.connect(_reseed, dispatch_uid="cqdt-test-reseed-after-flush")

# Property tests judge the rule, not the machine: on a shared CI machine Hypothesis's own timing
# checks (deadline, "too slow" data generation) failed a correct test once under load.
hypothesis_settings.register_profile(
    "cqdt", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("cqdt")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """In each module, the tests that share a world built once first (``cqdt.testing.shared``)."""
    shared.order(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    shared.current[0] = item


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Once the test's own fixtures are gone, roll back a world the next test does not share."""
    try:
        return (yield)
    finally:
        shared.close_unless_shared_by(nextitem)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """On PostgreSQL, let Django's flush between transactional tests (a TRUNCATE of every table)
    through the audit log's TRUNCATE trigger, on the test database only. The test of the trigger
    turns it back on inside its own transaction (core/tests/test_checkpoints.py).

    At the end of the run, before pytest-django drops the test database: close this thread's
    connection on every alias (Django closes the default's only; one left open through the
    ``replica`` mirror kept the database from being dropped, "being accessed by other users"),
    then name any session still open on it, with where it was opened (cqdt.testing.sessions)."""
    from django.db import connections

    with django_db_blocker.unblock():
        for conn in connections.all():
            # A mirror (the "replica" alias) is the same test database: altering it through the
            # mirror opened a second session that nothing closed, and the run's end could not
            # drop the test database ("being accessed by other users"), leaving it behind.
            if conn.vendor == "postgresql" and not conn.settings_dict["TEST"].get("MIRROR"):
                with conn.cursor() as cursor:
                    cursor.execute(
                        "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_truncate"
                    )
    yield
    with django_db_blocker.unblock():
        sessions.close_this_threads_connections()
        left = sessions.others()
    if left:
        request.node.warn(
            pytest.PytestWarning(
                "Sessions still open on the test database, which cannot be dropped while they "
                "are: " + "; ".join(map(str, left))
            )
        )


@pytest.fixture(autouse=True)
def _language_of_the_site():
    """Each test starts in the site's language (Vietnamese). A request with an English
    ``Accept-Language`` leaves English active in the worker's thread (LocaleMiddleware activates,
    nothing deactivates), which made later tests that render outside a request see English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_kept_values_from_another_test(request, settings):
    """Each test starts with empty process caches. The platform keeps values read from the
    database for a few minutes (``monitoring.selectors.scope_on``, staffing, rollup reads); a
    value kept by an earlier test on the same worker describes that test's rolled-back data (a
    scope of the city alone, say) and made a later test fail by the order xdist gave it.

    The reference rows and the calendar (``cqdt.testing.caches``) start empty too and are
    forgotten on every statement that may change them. A test that commits (a transaction
    rolled back outside any savepoint, another thread's connection) reads them anew every time,
    as production would with no TTL."""
    from django.core.cache import caches
    from django.db import connections

    for cache in caches.all(initialized_only=True):
        cache.clear()
    for conn in connections.all(initialized_only=True):
        reference_caches.install(connection=conn)
    if any(name in request.fixturenames for name in ("transactional_db", "live_server")) or (
        shared.commits(request.node)
    ):
        settings.CQDT_REFERENCE_CACHE_SECONDS = 0
        settings.CQDT_CALENDAR_RECHECK_SECONDS = 0
    reference_caches.clear()


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings, tmp_path_factory):
    """Each test its own audit checkpoint directory: a checkpoint written by one test (say by
    `cqdt run_periodic`) must not hold the next test's chain to a tip it never had."""
    settings.CQDT_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture(autouse=True)
def _one_rate_window(request, monkeypatch):
    """Rate-limit windows are fixed (one a minute): a test whose requests straddle a minute
    boundary would see its count reset half-way (CI failed so at 13:20:59.99). Each test's hits
    fall in one window, pinned at the test's start, unless the test holds the clock itself
    (a ``frozen`` fixture: time-machine, where moving to the next window is deliberate)."""
    if any(name.startswith(("frozen", "time_machine")) for name in request.fixturenames):
        return
    from cqdt.core import ratelimit

    pinned = ratelimit._now()
    monkeypatch.setattr(ratelimit, "_now", lambda: pinned)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files (``MEDIA_ROOT``) go to the test's own folder, ``tmp_path / "media"``; the
    folder. Modules whose every test stores files mark it: ``pytest.mark.usefixtures("media")``."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def s3(settings):
    """The uploads' storage is S3-compatible object storage (django-storages' ``S3Storage``, as
    ``CQDT_STORAGE=s3`` configures it), served inside the process by moto; the bucket."""
    with object_storage.s3_uploads(settings) as bucket:
        yield bucket


@pytest.fixture
def reference_data(db):
    """Hanoi's 2021 units and the governance models (loaded once per process, then copied:
    ``cqdt.testing.reference``)."""
    return reference.units()


@pytest.fixture
def one_stop_reference(reference_data):
    """Units plus the procedure catalog and the one-stop desks."""
    reference.one_stop()
    return reference_data


@pytest.fixture
def history_reference_data(db):
    """Hanoi's units from 2021 to today (issue 19: the 2025 arrangements, the two-tier model)."""
    return reference.units(history=True)


@pytest.fixture
def country_reference_data(db):
    """Hanoi's units from 2021 to today, then the whole country's (``units.reference.country_load``
    on them): loaded once per process, then copied (``cqdt.testing.reference.country``)."""
    return reference.country()


@pytest.fixture(scope="module")
def _module_leadership(django_db_setup, django_db_blocker):
    """Hanoi to today and ward 00001's leadership, built once per module inside a transaction
    rolled back when the module ends (Django's ``setUpTestData``); each test adds a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        reference.units(history=True)
        yield ward_leadership()
        transaction.set_rollback(True)


@pytest.fixture
def leadership(_module_leadership, db):
    """Ward 00001 under the pilot from 1 July 2021: the district chairman of Quận Ba Đình
    (elected), the ward chairman he appointed, two vice-chairmen and the Justice–Civil status
    civil servant. A copy per test, so in-memory changes do not leak between tests."""
    return copy.deepcopy(_module_leadership)


@pytest.fixture
def api_client(client):
    return client
