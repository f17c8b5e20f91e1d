"""Hooks of the pytest run as a whole. The xdist controller, which collects no test, always loads
this file (the conftests under src/ and e2e/ it loads only when a path on the command line leads
to them; the workers load them all): the controller builds the run's test database once, and
each worker copies it instead of migrating its own (``cqdt.testing.template_db``). Whether or not
the controller loaded ``src/cqdt/conftest.py`` (its post-migrate reseeding and cache hooks), the
template is the same: the seeds are idempotent ``get_or_create``."""

import pytest

_BUILDER = pytest.StashKey[object]()


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
