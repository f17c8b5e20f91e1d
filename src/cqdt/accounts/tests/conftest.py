"""The world of config/tests/world.py (three wards, two districts, one of every object), built
once for the tests of a module that ask for it (``cqdt.testing.shared``)."""

import pytest
import time_machine

from cqdt.config.tests.world import NOW, World, build_world
from cqdt.testing import reference
from cqdt.testing.shared import kept_or_built, module_world, shared_world

BUILT_WORLD = shared_world("built_world")


def _build(django_user_model) -> World:
    with time_machine.travel(NOW, tick=False):
        return build_world(django_user_model)


@pytest.fixture(scope="module")
def _module_built_world(request, django_db_setup, django_db_blocker):
    """The world built once, the clock at ``NOW``, for the module's tests that ask for it and
    neither load reference data themselves nor commit, inside a transaction rolled back after
    the last of them; each test adds a savepoint. A build is about a second of services."""
    from django.contrib.auth import get_user_model

    def build() -> World:
        reference.units()
        return _build(get_user_model())

    with module_world(request, BUILT_WORLD, django_db_blocker, build) as kept:
        yield kept


@pytest.fixture
def built_world(request, _module_built_world) -> World:
    """``build_world`` on Hanoi's units, as at ``NOW`` (the module's, copied, when shared: in-memory
    changes do not leak between tests)."""
    return kept_or_built(
        request,
        _module_built_world,
        "reference_data",
        lambda: _build(request.getfixturevalue("django_user_model")),
    )
