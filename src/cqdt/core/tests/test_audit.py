import pytest
from django.db import connection, transaction

from cqdt.core.audit import GENESIS_HASH, Actor, audit_record, audit_verify
from cqdt.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _write(n, start=0):
    """``n`` audit events of things ``start``, ``start + 1``…, each changing ``v`` by one, in
    one transaction (as a service's writes are)."""
    with transaction.atomic():
        for i in range(start, start + n):
            audit_record(
                actor=Actor.system("test"),
                action="thing.change",
                object_type="test.thing",
                object_id=str(i),
                before={"v": i},
                after={"v": i + 1},
            )


def test_events_chain_from_genesis():
    _write(3)
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    report = audit_verify()
    assert report.ok and report.checked == 3


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(actor=Actor.system("t"), action="a", object_type="t", object_id="1")


def _tamper(sql, params=()):
    """Change rows behind the application's back, as someone with the owner's database access
    (the append-only triggers set aside)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
    # The test's transaction never ends: forget the tip audit_record cached in it.
    connection._cqdt_chain_tip = None


def test_a_changed_row_is_detected_and_named():
    _write(5)
    target = AuditEvent.objects.order_by("id")[2]
    _tamper("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"v": 999}', target.id])
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == target.id


def test_a_deleted_row_is_detected():
    _write(4)
    victim = AuditEvent.objects.order_by("id")[1]
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [victim.id])
    report = audit_verify()
    assert report.first_broken_id == victim.id + 1


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger exists on PostgreSQL")
def test_postgresql_trigger_refuses_update_and_delete():
    from django.db.utils import DatabaseError

    _write(1)
    event = AuditEvent.objects.get()
    for sql in (
        "UPDATE core_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.id])
    assert AuditEvent.objects.get().action == "thing.change"


def test_audit_verify_command_fails_on_a_broken_chain():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    _write(2)
    call_command("audit_verify")
    first = AuditEvent.objects.order_by("id").first()
    _tamper("UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["mallory", first.id])
    with pytest.raises(CommandError, match=str(first.id)):
        call_command("audit_verify")


def test_events_after_a_rolled_back_savepoint_still_chain():
    """The per-transaction tip cache must forget an event whose savepoint rolled back."""
    with transaction.atomic():
        audit_record(actor=Actor.system("t"), action="a.one", object_type="t.t", object_id="1")
        try:
            with transaction.atomic():
                audit_record(
                    actor=Actor.system("t"), action="a.lost", object_type="t.t", object_id="2"
                )
                raise RuntimeError("roll this savepoint back")
        except RuntimeError:
            pass
        audit_record(actor=Actor.system("t"), action="a.three", object_type="t.t", object_id="3")
    assert [e.action for e in AuditEvent.objects.order_by("id")] == ["a.one", "a.three"]
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_consecutive_transactions_through_one_decorated_service_chain():
    @transaction.atomic
    def service(n):
        audit_record(actor=Actor.system("t"), action="s.first", object_type="t.t", object_id=str(n))
        audit_record(
            actor=Actor.system("t"), action="s.second", object_type="t.t", object_id=str(n)
        )

    for n in range(3):
        service(n)

    assert audit_verify().ok and AuditEvent.objects.count() == 6


def test_several_events_in_one_statement_chain_in_order():
    from cqdt.core.audit import AuditEntry, audit_record_many

    actor = Actor.system("test")
    with transaction.atomic():
        first = audit_record(actor=actor, action="a.one", object_type="t", object_id="1")
        batch = audit_record_many(
            [
                AuditEntry(actor, "a.two", "t", "1", {"v": 1}, {"v": 2}),
                AuditEntry(actor, "a.three", "t", "1", {"v": 2}, {"v": 3}),
            ]
        )
        last = audit_record(actor=actor, action="a.four", object_type="t", object_id="1")
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.action for e in stored] == ["a.one", "a.two", "a.three", "a.four"]
    assert [e.pk for e in stored] == [first.pk, batch[0].pk, batch[1].pk, last.pk]
    assert stored[1].prev_hash == first.hash and stored[2].prev_hash == stored[1].hash
    assert stored[3].prev_hash == stored[2].hash
    assert audit_verify().ok


def test_a_rolled_back_batch_leaves_the_chain_whole():
    from cqdt.core.audit import AuditEntry, audit_record_many

    actor = Actor.system("test")
    _write(1)
    with transaction.atomic():
        try:
            with transaction.atomic():
                audit_record_many(
                    [AuditEntry(actor, "a.x", "t", "1"), AuditEntry(actor, "a.y", "t", "1")]
                )
                raise ValueError("the change failed")
        except ValueError:
            pass
        audit_record(actor=actor, action="a.z", object_type="t", object_id="1")
    assert [e.action for e in AuditEvent.objects.order_by("id")] == ["thing.change", "a.z"]
    assert audit_verify().ok
