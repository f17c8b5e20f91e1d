"""The flush after a test that commits keeps the seeded rows (content types, permissions, the data
migrations' seeds) only while they are as the last full flush left them (cqdt.testing.flush):
the end state is the full flush's either way."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection

from cqdt.core.models import OutboxMessage
from cqdt.testing import flush

pytestmark = pytest.mark.django_db(transaction=True)


def _state() -> dict[str, list[tuple]]:
    """Every table's rows."""
    with connection.cursor() as cursor:
        return {
            table: flush._rows(cursor, connection.ops, table) for table in flush._tables("default")
        }


def _teardown() -> None:
    """As after a test that commits (TransactionTestCase's teardown, as installed)."""
    case = SimpleNamespace(
        available_apps=None, serialized_rollback=False, _databases_names=lambda **_: ["default"]
    )
    flush.fixture_teardown(case)  # type: ignore[arg-type]


def test_seeded_rows_kept_while_unchanged_else_the_full_flush():
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    flush._remember_seeded("default")
    after_full = _state()
    assert after_full["django_content_type"] and after_full["auth_permission"]

    OutboxMessage.objects.create(
        channel="sms", recipient="0900000000", body="b", idempotency_key="k"
    )
    _teardown()
    assert _state() == after_full  # the same rows, the same ids: nothing written again

    OutboxMessage.objects.create(
        channel="sms", recipient="0900000000", body="b", idempotency_key="k"
    )
    Permission.objects.filter(codename="view_outboxmessage").update(name="changed")
    assert not flush._flushed_keeping_seeds("default")  # a seeded row changed: nothing removed
    assert OutboxMessage.objects.exists()
    _teardown()  # Django's flush, post_migrate writes the seeds again (under new ids)
    again = _state()
    assert not OutboxMessage.objects.exists()
    assert Permission.objects.get(codename="view_outboxmessage").name != "changed"
    assert {t: len(rows) for t, rows in again.items()} == {
        t: len(rows) for t, rows in after_full.items()
    }
    assert flush._seeded["default"] == {t: rows for t, rows in again.items() if rows}
