"""cqdt.testing.shared: a world built once for the tests of a module that ask for it, rolled back
before the module's other tests. The tests that share it run first (the test that does not is
written first here, and must still find the database without the world); each one starts from
the world as built, whatever the one before it changed; a test that commits never runs inside it."""

import pytest
from django.contrib.auth import get_user_model

from cqdt.testing.shared import module_world, shared_world

PROBE_WORLD = shared_world("probe_world")
NAME = "shared-world-probe"


@pytest.fixture(scope="module")
def _module_probe(request, django_db_setup, django_db_blocker):
    def build():
        return get_user_model().objects.create_user(username=NAME, first_name="built")

    with module_world(request, PROBE_WORLD, django_db_blocker, build) as kept:
        yield kept


@pytest.fixture
def probe_world(request, _module_probe):
    kept = _module_probe.get() if _module_probe is not None else None
    request.getfixturevalue("db")
    if kept is not None:
        return kept, "kept"
    return get_user_model().objects.create_user(username=NAME, first_name="built"), "own"


@pytest.mark.django_db
def test_a_test_without_the_world_finds_none_of_it():
    assert not get_user_model().objects.filter(username=NAME).exists()


@pytest.mark.django_db(transaction=True)
def test_a_test_that_commits_builds_its_own(probe_world):
    _user, where = probe_world
    assert where == "own"
    assert get_user_model().objects.filter(username=NAME).count() == 1


@pytest.mark.parametrize("first_name", ["changed once", "changed twice"])
def test_each_sharing_test_starts_from_the_world_as_built(probe_world, first_name):
    user, where = probe_world
    assert where == "kept"
    kept = get_user_model().objects.get(username=NAME)
    assert kept.pk == user.pk and kept.first_name == "built"
    kept.first_name = first_name
    kept.save()
