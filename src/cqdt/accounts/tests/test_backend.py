"""The login backend's read of a session's user: what ``select_related("official").get(pk=)``
gives, in one statement compiled once per connection (issue 11), then the login gate's posts."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqdt.accounts.backends import PostHolderBackend, _read_user
from cqdt.config.tests.world import NOW
from cqdt.staff.models import Appointment, Official

pytestmark = pytest.mark.django_db


def _values(obj):
    return [getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields]


def test_the_user_and_the_official_are_those_of_the_orm(built_world):
    users = built_world.users
    for name, known in users.items():
        expected = get_user_model().objects.select_related("official").get(pk=known.pk)
        with CaptureQueriesContext(connection) as queries:
            user = _read_user(known.pk)
            assert user is not None
            assert _values(user) == _values(expected), name
            assert not user._state.adding and user._state.db == expected._state.db
            if name == "admin":  # no official: the absence is known without a statement
                with pytest.raises(Official.DoesNotExist):
                    user.official  # noqa: B018
            else:
                assert _values(user.official) == _values(expected.official), name
                assert user.official.user is user
        assert len(queries) == 1, name
    assert _read_user(max(u.pk for u in users.values()) + 1) is None


def test_every_request_reads_the_user_and_its_posts_and_the_gate_follows_them(built_world):
    backend = PostHolderBackend()
    chair = built_world.users["ward_chair"]
    with time_machine.travel(NOW, tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert backend.get_user(chair.pk) is not None
        assert len(queries) == 2  # the user with its official; its posts in force
        Appointment.objects.filter(official=chair.official).update(ended_on=NOW.date())
        assert backend.get_user(chair.pk) is None  # no post in force today: no login
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        assert backend.get_user(chair.pk) is not None  # the day before, the posts were in force
