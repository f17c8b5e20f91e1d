"""Expired sessions are deleted periodically: a form page starts one for every visitor."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from cqdt.core import sessions
from cqdt.core.tasks import purge_expired_sessions_task

pytestmark = pytest.mark.django_db


def test_expired_sessions_are_deleted_and_live_ones_kept():
    live, old = sessions.SessionStore(), sessions.SessionStore()
    live["x"] = old["x"] = 1
    live.create()
    old.create()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert sessions.purge_expired() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert purge_expired_sessions_task.call() == 0  # the task runs the same purge, now
    expires = Session.objects.get().expire_date
    assert sessions.purge_expired(expires + dt.timedelta(seconds=1)) == 1
