"""insert_rows: plain multi-row inserts for hot paths, prepared by the model's fields;
update_rows: plain updates of named fields, prepared the same way; insert_new_rows: plain
inserts that pass over the rows a uniqueness constraint already holds."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cqdt.core.db import insert_new_rows, insert_rows, update_rows
from cqdt.core.models import AuditEvent, OutboxMessage

pytestmark = pytest.mark.django_db


def _event(i, after):
    return AuditEvent(
        occurred_at=timezone.now(),
        actor_label="system:test",
        action="thing.change",
        object_type="test.thing",
        object_id=str(i),
        after=after,
        prev_hash="0" * 64,
        hash=f"{i:064d}",
    )


def _stored(count):
    """``count`` audit events, written."""
    rows = [_event(i, {}) for i in range(count)]
    with transaction.atomic():
        insert_rows(rows)
    return rows


def test_rows_are_written_in_order_with_their_keys():
    rows = [_event(i, {"v": i, "tên": "Phúc Xá"}) for i in range(3)]
    with transaction.atomic():
        insert_rows(rows)
    assert [r.pk for r in rows] == sorted(r.pk for r in rows)
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in stored] == [r.pk for r in rows]
    assert [e.object_id for e in stored] == ["0", "1", "2"]
    assert stored[1].after == {"v": 1, "tên": "Phúc Xá"}  # JSON prepared by the field
    assert all(not r._state.adding for r in rows)


def test_defaults_and_auto_now_add_are_applied_as_save_would():
    before = timezone.now()
    message = OutboxMessage(channel="sms", recipient="0912345678", body="x", idempotency_key="k1")
    with transaction.atomic():
        insert_rows([message])
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert stored.created_at >= before
    assert stored.attempts == 0 and stored.sent_at is None


def test_one_model_at_a_time_and_nothing_for_no_rows():
    assert insert_rows([]) == []
    other = OutboxMessage(channel="sms", recipient="0912345678", body="x", idempotency_key="k2")
    with pytest.raises(TypeError), transaction.atomic():
        insert_rows([_event(1, {}), other])
    assert AuditEvent.objects.count() == 0


def test_a_failing_row_writes_nothing():
    first = _event(1, {})
    duplicate = _event(2, {})
    duplicate.hash = first.hash  # the hash column is unique
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows([first, duplicate])
    assert AuditEvent.objects.count() == 0


def test_a_prepared_read_is_compiled_once_and_converts_values(monkeypatch):
    from django.db import connection
    from django.db.models.sql.compiler import SQLCompiler
    from django.test.utils import CaptureQueriesContext

    from cqdt.core.db import Prepared

    asked = []  # the columns' converters: asked of the backend and the fields once, then kept
    get_converters = SQLCompiler.get_converters
    monkeypatch.setattr(
        SQLCompiler,
        "get_converters",
        lambda self, expressions: asked.append(1) or get_converters(self, expressions),
    )

    rows = [_event(i, {"v": i}) for i in range(3)]
    with transaction.atomic():
        insert_rows(rows)
    read = Prepared(
        AuditEvent,
        lambda key: AuditEvent.objects.filter(object_id=key).values_list("occurred_at", "after"),
        "\x00key",
    )
    for row in rows:
        with CaptureQueriesContext(connection) as queries:
            [(occurred_at, after)] = read.rows(row.object_id)
        assert len(queries) == 1
        assert occurred_at == row.occurred_at  # an aware datetime on SQLite too
        assert after == {"v": int(row.object_id)}
    assert read.rows("no such key") == []
    assert len(read._compiled) == 1
    assert len(asked) == 1


def test_a_placeholder_is_replaced_wherever_it_stands_and_must_stand_somewhere():
    from cqdt.core.db import Prepared

    rows = _stored(2)
    twice = Prepared(
        AuditEvent,
        lambda key: (
            AuditEvent.objects.filter(object_id=key).exclude(action=key).values_list("object_id")
        ),
        "\x00key",
    )
    # Both places take the value: were the second one left as the placeholder, the row would
    # still be found; were the first, nothing would.
    assert twice.rows(rows[0].object_id) == [(rows[0].object_id,)]
    assert twice.rows(rows[0].action) == []
    absent = Prepared(
        AuditEvent, lambda key: AuditEvent.objects.filter(action="x").values_list("id"), "\x00key"
    )
    with pytest.raises(ValueError, match="not found"):
        absent.rows("x")


def test_a_literal_equal_to_a_placeholder_is_left_as_it_is():
    from cqdt.core.db import Prepared

    rows = _stored(2)
    read = Prepared(
        AuditEvent,
        lambda key: (
            AuditEvent.objects.filter(object_id=key)
            .exclude(object_id="~key")  # the placeholder's own value, written as a literal
            .values_list("object_id")
        ),
        "~key",
    )
    # Were the literal taken for the placeholder, it would exclude the very row asked for.
    assert read.rows(rows[1].object_id) == [(rows[1].object_id,)]


def test_values_are_prepared_as_the_orm_prepares_a_lookup_s():
    from cqdt.core.db import Prepared

    rows = _stored(3)
    by_id = Prepared(AuditEvent, lambda pk: AuditEvent.objects.filter(pk=pk).values_list("pk"), -1)
    assert by_id.rows(str(rows[1].pk)) == [(rows[1].pk,)]  # "5" as 5, as filter(pk="5")
    on_day = Prepared(
        AuditEvent,
        lambda day: AuditEvent.objects.filter(occurred_at__date=day).values_list("pk"),
        dt.date(1, 1, 1),
    )
    moment = timezone.localtime(rows[0].occurred_at)
    for given in (moment, moment.date(), moment.date().isoformat()):
        expected = list(AuditEvent.objects.filter(occurred_at__date=given).values_list("pk"))
        assert expected and on_day.rows(given) == expected, given


def test_a_kept_read_frees_its_connection_when_the_thread_is_done():
    import gc
    import threading
    import weakref

    from django.db import connections

    from cqdt.core.sessions import SessionStore
    from cqdt.units.selectors.units import unit_in_force

    refs = []

    def run():
        unit_in_force("001", dt.date(2024, 1, 1))
        SessionStore("x" * 32).load()
        refs.append(weakref.ref(connections["default"]))
        connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    gc.collect()
    # Before the review's fix the kept compiler held the connection, and the connection kept
    # the entry that held the compiler: every thread's connection lived as long as the process.
    assert refs and refs[0]() is None


def test_a_kept_read_follows_the_time_zone_in_force():
    from django.db import connection

    from cqdt.core.db import Prepared

    rows = _stored(2)
    read = Prepared(
        AuditEvent,
        lambda day: AuditEvent.objects.filter(occurred_at__date=day).values_list("pk"),
        dt.date(1, 1, 1),
    )
    for zone in ("UTC", "Asia/Ho_Chi_Minh", "UTC"):
        with timezone.override(zone):
            day = timezone.localdate(rows[0].occurred_at)
            with CaptureQueriesContext(connection) as queries:
                got = read.rows(day)
            expected = list(AuditEvent.objects.filter(occurred_at__date=day).values_list("pk"))
            assert got == expected
            assert zone in queries[0]["sql"] or connection.vendor == "postgresql"


def test_a_prepared_read_takes_dates_and_datetimes_as_the_orm_does():
    from cqdt.core.db import Prepared

    rows = _stored(3)
    moments = sorted(r.occurred_at for r in rows)
    after = Prepared(
        AuditEvent,
        lambda since, day: (
            AuditEvent.objects.filter(occurred_at__gt=since)
            .filter(occurred_at__date__gte=day)
            .order_by("occurred_at")
            .values_list("occurred_at")
        ),
        dt.datetime(1, 1, 2, tzinfo=dt.UTC),
        dt.date(1, 1, 1),
    )
    for moment in moments:
        since = timezone.localtime(moment)  # in Hanoi's time: the database's is UTC
        day = since.date()
        expected = list(
            AuditEvent.objects.filter(occurred_at__gt=since, occurred_at__date__gte=day)
            .order_by("occurred_at")
            .values_list("occurred_at")
        )
        assert after.rows(since, day) == expected
    assert after.rows(moments[0], dt.date(9999, 1, 1)) == []


def test_update_rows_writes_the_named_fields_only_as_bulk_update_does(reference_data):
    from cqdt.units.models import ReferenceDataset, Unit

    a, b, c = Unit.objects.order_by("pk")[:3]
    dataset = ReferenceDataset.objects.order_by("pk").first()
    assert dataset is not None
    before = {u.pk: (u.name, u.updated_at) for u in (a, b, c)}
    a.valid_to, a.centroid_lat, a.geo_source, a.dataset = dt.date(2025, 7, 1), 21.0345, "x", None
    b.valid_to, b.centroid_lat, b.geo_source, b.dataset = None, None, "", dataset
    a.name = b.name = "not written"  # not among the fields named
    with transaction.atomic():
        assert update_rows([a, b], ["valid_to", "centroid_lat", "geo_source", "dataset"]) == 2
    got = {u.pk: u for u in Unit.objects.filter(pk__in=[a.pk, b.pk, c.pk])}
    assert (got[a.pk].valid_to, got[a.pk].centroid_lat) == (dt.date(2025, 7, 1), 21.0345)
    assert (got[a.pk].geo_source, got[a.pk].dataset_id) == ("x", None)
    assert (got[b.pk].valid_to, got[b.pk].centroid_lat) == (None, None)
    assert (got[b.pk].geo_source, got[b.pk].dataset_id) == ("", dataset.pk)
    for pk, (name, updated_at) in before.items():  # the rest as it was, c untouched
        assert (got[pk].name, got[pk].updated_at) == (name, updated_at)


def test_update_rows_takes_saved_rows_of_one_model_and_nothing_for_none(reference_data):
    from cqdt.units.models import Unit

    assert update_rows([], ["valid_to"]) == 0
    with pytest.raises(TypeError):
        update_rows([Unit.objects.first(), _event(1, {})], ["valid_to"])
    with pytest.raises(TypeError):
        update_rows([Unit(code="99999")], ["valid_to"])


def _message(key, body="x"):
    return OutboxMessage(channel="sms", recipient="0912345678", body=body, idempotency_key=key)


def test_insert_new_rows_passes_over_the_rows_already_held_as_bulk_create_does():
    with transaction.atomic():
        insert_rows([_message("k1", "first")])
    rows = [_message("k1", "again"), _message("k2", "new"), _message("k3", '{"tên": 1}')]
    with transaction.atomic():
        assert insert_new_rows(rows) == 3
    stored = dict(OutboxMessage.objects.values_list("idempotency_key", "body"))
    assert stored == {"k1": "first", "k2": "new", "k3": '{"tên": 1}'}  # k1 kept as it was
    assert OutboxMessage.objects.get(idempotency_key="k2").created_at is not None  # auto_now_add
    # what bulk_create(ignore_conflicts=True) leaves for the same rows on a fresh table
    OutboxMessage.objects.all().delete()
    with transaction.atomic():
        insert_rows([_message("k1", "first")])
        OutboxMessage.objects.bulk_create(
            [_message("k1", "again"), _message("k2", "new"), _message("k3", '{"tên": 1}')],
            ignore_conflicts=True,
        )
    assert dict(OutboxMessage.objects.values_list("idempotency_key", "body")) == stored


def test_insert_new_rows_takes_one_model_and_any_other_error_writes_nothing():
    assert insert_new_rows([]) == 0
    with pytest.raises(TypeError), transaction.atomic():
        insert_new_rows([_message("k1"), _event(1, {})])
    assert OutboxMessage.objects.count() == 0
    broken = _message("k9")
    broken.channel = None  # NOT NULL: not a uniqueness clash, so it is not passed over
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new_rows([_message("k8"), broken])
    assert OutboxMessage.objects.count() == 0


def _values(obj):
    return [getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields]


def test_prepared_objects_are_what_the_orm_builds_with_their_relations(reference_data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cqdt.core.db import PreparedObjects
    from cqdt.units.models import GovernanceAssignment

    read = PreparedObjects(
        GovernanceAssignment,
        lambda code: GovernanceAssignment.objects.filter(unit_code=code).select_related("model"),
        "\x00code",
    )
    codes = {"00001", "00004", "001", "01"} | set(
        GovernanceAssignment.objects.values_list("unit_code", flat=True)[:30]
    )
    seen = 0
    for code in sorted(codes):
        expected = list(GovernanceAssignment.objects.filter(unit_code=code).select_related("model"))
        with CaptureQueriesContext(connection) as queries:
            got = read.all(code)
            assert [_values(a) for a in got] == [_values(a) for a in expected], code
            assert [_values(a.model) for a in got] == [_values(a.model) for a in expected], code
        assert len(queries) == 1  # the models came in the same statement
        assert all(not a._state.adding for a in got)
        seen += len(got)
    assert seen > len(codes)  # codes with assignments, some with several
    first = PreparedObjects(
        GovernanceAssignment,
        lambda code: GovernanceAssignment.objects.filter(unit_code=code).order_by("-valid_from"),
        "\x00code",
        limit=1,
    )
    for code in sorted(codes):
        expected_first = (
            GovernanceAssignment.objects.filter(unit_code=code).order_by("-valid_from").first()
        )
        found = first.first(code)
        assert (found and _values(found)) == (expected_first and _values(expected_first)), code
    assert first.first("no such code") is None


def test_a_prepared_locking_read_sends_the_orm_s_statement_and_builds_its_objects(
    reference_data,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cqdt.core import moves
    from cqdt.units.models import GovernanceAssignment

    def build(code):
        return GovernanceAssignment.objects.select_related("model").filter(unit_code=code)

    read = moves.lockable(GovernanceAssignment, build, "\x00code")
    missing = moves.NotFound("x", "x")
    for code in ("00001", "001", "01"):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            expected = moves.locked(build(code), version=None, not_found=missing)
            got = moves.locked_by(read, code, version=None, not_found=missing)
            assert _values(got) == _values(expected)
            assert _values(got.model) == _values(expected.model)  # cached: no statement
        orm_sql, prepared_sql = (q["sql"] for q in queries)
        assert prepared_sql == orm_sql  # FOR UPDATE OF the row only, on PostgreSQL
        if connection.features.has_select_for_update_of:
            assert "FOR UPDATE OF" in orm_sql
    with transaction.atomic(), pytest.raises(moves.NotFound):
        moves.locked_by(read, "no such code", version=None, not_found=missing)
