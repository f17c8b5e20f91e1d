"""The session store (core.sessions): Django's database sessions, the read compiled once."""

import datetime as dt

import pytest
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cqdt.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_loads_as_django_s_store_loads_it():
    store = SessionStore()
    store["_auth_user_id"] = "7"
    store["tên"] = "Phúc Xá"
    store.save()
    for _ in range(2):  # compiled on the first read, reused on the second
        with CaptureQueriesContext(connection) as queries:
            loaded = SessionStore(store.session_key).load()
        assert len(queries) == 1
        assert loaded == django_db.SessionStore(store.session_key).load()
        assert loaded == {"_auth_user_id": "7", "tên": "Phúc Xá"}


def test_an_expired_or_unknown_session_loads_empty_and_drops_its_key():
    store = SessionStore()
    store["x"] = 1
    store.save()
    key = store.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    for probe in (key, "a" * 32, None):
        mine, django_s = SessionStore(probe), django_db.SessionStore(probe)
        assert mine.load() == django_s.load() == {}
        assert mine.session_key is None and django_s.session_key is None
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )
    assert SessionStore(key).load() == {"x": 1}


def test_the_settings_use_it():
    from django.conf import settings

    assert settings.SESSION_ENGINE == "cqdt.core.sessions"
