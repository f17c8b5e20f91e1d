"""The world of config/tests/world.py (three wards, two districts, one of every object), built
once for the tests of a module that ask for it (``cqdt.testing.shared``)."""

import time_machine

from cqdt.config.tests.world import NOW, World, build_world
from cqdt.testing import reference, shared


def _build() -> World:
    """``build_world`` on Hanoi's units, as at ``NOW`` (the module's, copied, when shared: in-memory
    changes do not leak between tests)."""
    from django.contrib.auth import get_user_model

    with time_machine.travel(NOW, tick=False):
        return build_world(get_user_model())


# The world built once, the clock at ``NOW``, for the module's tests that ask for it and neither
# load reference data themselves nor commit, each test in a savepoint. A build is about a second
# of services.
_module_built_world, built_world = shared.world(
    "built_world", _build, on=reference.units, fresh="reference_data"
)
