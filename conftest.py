"""Hooks of the pytest run as a whole. The xdist controller, which collects no test, always loads
this file (the conftests under src/ and e2e/ it loads only when a path on the command line leads
to them; the workers load them all): the controller builds the run's test database once, and
each worker copies it instead of migrating its own (``cqdt.testing.template_db``). Whether or not
the controller loaded ``src/cqdt/conftest.py`` (its post-migrate reseeding and cache hooks), the
template is the same: the seeds are idempotent ``get_or_create``."""

import gc

import pytest

_BUILDER = pytest.StashKey[object]()

# Garbage collections in a test process are rarer than Python's default (700, 10, 10), from as
# early as this file is loaded. A worker holds Django, the reference data and the calendars
# (~400,000 tracked objects), and every full collection walked them all: the collector took
# ~13% of the workers' CPU (the dossiers and documents tests, two workers: 10.8 s of
# collections; with these thresholds 3.9 s, most of it while pytest and Django are imported;
# the largest process's memory 418 → 445 MB). Nothing a test proves depends on when a cycle is
# collected; a test that needs a collection makes it (core/tests/test_db.py).
gc.set_threshold(20_000, 20, 50)


@pytest.hookimpl(tryfirst=True)  # before xdist's own sessionstart starts the workers
def pytest_sessionstart(session):
    from cqdt.testing import template_db

    config = session.config
    if template_db.wanted(config):
        builder = template_db.Builder(config)
        builder.start()
        config.stash[_BUILDER] = builder
    else:
        template_db.install(config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    from cqdt.testing import template_db

    builder = node.config.stash.get(_BUILDER, None)
    if builder is not None:
        node.workerinput[template_db.KEY] = builder.lock_path


def pytest_sessionfinish(session):
    builder = session.config.stash.get(_BUILDER, None)
    if builder is not None:
        builder.finish()
        if builder.error:
            session.config.get_terminal_writer().line(
                "The run's template test database could not be built (each worker migrated its "
                "own):\n" + builder.error,
                yellow=True,
            )
