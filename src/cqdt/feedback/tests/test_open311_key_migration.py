"""The data migration that moved Open311 keys into core's token table (feedback 0002), run on a
database that holds keys: an active key keeps working under the new lookup, a revoked one stays
refused, names are kept, and nothing else is created."""

from __future__ import annotations

import hashlib
import importlib
from typing import Any

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from cqdt.core.models import ApiToken
from cqdt.core.tokens import token_lookup

MIGRATION = importlib.import_module("cqdt.feedback.migrations.0002_open311_keys_into_core_tokens")


class _Apps:
    """The historical Open311Key beside today's token model (the copy must fit today's table)."""

    def __init__(self, historical: Any) -> None:
        self.historical = historical

    def get_model(self, app_label: str, model_name: str) -> Any:
        if app_label == "feedback":
            return self.historical.get_model(app_label, model_name)
        return current_apps.get_model(app_label, model_name)


@pytest.mark.django_db(transaction=True)
def test_existing_open311_keys_keep_working_after_the_move():
    state = MigrationLoader(connection).project_state(("feedback", "0001_feedback_reports"))
    old_key = state.apps.get_model("feedback", "Open311Key")
    with connection.schema_editor() as editor:
        editor.create_model(old_key)
    try:
        old_key.objects.create(name="iHanoi", key_hash=hashlib.sha256(b"live-key-123").hexdigest())
        old_key.objects.create(
            name="Retired app",
            key_hash=hashlib.sha256(b"old-key-456").hexdigest(),
            revoked_at=timezone.now(),
        )
        before = ApiToken.objects.count()

        MIGRATION.copy_keys(_Apps(state.apps), None)

        assert ApiToken.objects.count() == before + 2
        live = token_lookup("live-key-123", "open311")
        assert live is not None and live.name == "iHanoi" and live.user is None
        assert token_lookup("old-key-456", "open311") is None
        assert token_lookup("live-key-123", "staff") is None  # a key of one kind only
        assert ApiToken.objects.get(name="Retired app").revoked_at is not None
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(old_key)
