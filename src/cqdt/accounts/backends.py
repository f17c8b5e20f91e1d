"""The login backend: Django's, refusing an official's account while they hold no post."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from cqdt.accounts.selectors import may_log_in


class PostHolderBackend(ModelBackend):
    """A password login and every request of an existing session pass the login gate: on the day
    the official's last post ends the login is refused and the session ends (``get_user``)."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and may_log_in(user)
