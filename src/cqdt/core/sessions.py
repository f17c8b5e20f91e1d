"""Django's database sessions, with the read every request makes compiled once per connection.

Each request of a logged-in session loads its session row before anything else; the ORM built
that one-table, one-row statement afresh every time, at several times the cost of running it
(issue 11). The statement, the expiry rule and everything else are Django's own
(``django.contrib.sessions.backends.db``); only the read goes through ``core.db.Prepared``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from cqdt.core.db import Prepared

_LIVE_SESSION = Prepared(
    Session,
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        "session_key", "session_data", "expire_date"
    ),
    "\x00key",
    dt.datetime(1, 1, 2, tzinfo=dt.UTC),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        """The session of this key that has not expired, as Django's store reads it; else none,
        and the key is dropped (a new one is made if the session is written)."""
        if self.session_key is not None:
            rows = _LIVE_SESSION.rows(self.session_key, timezone.now())
            if rows:
                key, data, expire_date = rows[0]
                return Session(session_key=key, session_data=data, expire_date=expire_date)
        self._session_key = None
        return None


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the sessions that have expired; the count. Django leaves them in the table until
    ``clearsessions`` runs, and every visitor who opens a form page that keeps its answers (the
    online dossier, the feedback form) starts one, crawlers included: run periodically
    (``core.tasks.purge_expired_sessions_task``) so the table does not grow without end."""
    deleted, _ = Session.objects.filter(expire_date__lt=now or timezone.now()).delete()
    return deleted
