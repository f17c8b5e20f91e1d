"""The login backend: Django's, refusing an official's account while they hold no post."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from cqdt.accounts.selectors import may_log_in
from cqdt.core.db import PreparedObjects
from cqdt.core.tokens import keep_for_request

User = get_user_model()
# What ``select_related("official").get(pk=)`` reads, in a statement compiled once per connection.
_USER_WITH_OFFICIAL = PreparedObjects(
    User, lambda pk: User._default_manager.select_related("official").filter(pk=pk), -1
)


class PostHolderBackend(ModelBackend):
    """A password login and every request of an existing session pass the login gate: on the day
    the official's last post ends the login is refused and the session ends (``get_user``)."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and may_log_in(user)

    def get_user(self, user_id: Any) -> Any:
        """The session's user, read afresh for this request (as ``ModelBackend.get_user``) and
        kept for it alone (``core.tokens.keep_for_request``): the login gate here and the staff
        policy after it read the official and its posts in force once, as for a token's holder.
        The official comes in the same statement as the user (as with a token's holder), a
        statement compiled once per connection (``core.db.PreparedObjects``): on every request
        of a session, the ORM spent several times as long building it as the database running
        it."""
        user = _read_user(user_id)
        if user is None:
            return None
        keep_for_request(user)
        return user if self.user_can_authenticate(user) else None


def _read_user(user_id: Any) -> Any:
    """What ``select_related("official").get(pk=user_id)`` gives, or None: the user, with its
    official (or its absence) cached on it and the user cached on the official."""
    return _USER_WITH_OFFICIAL.first(user_id)
