"""Small database helpers for hot paths: plain inserts and updates, and reads compiled once.

``bulk_create`` is general: it batches, handles conflicts, sets up savepoints and, on
PostgreSQL, sends rows as typed arrays through ``UNNEST``. For the two to four rows an intake
writes to a table, that machinery costs about twice the CPU of the statement itself (measured
in bench/bench_dossiers.py). :func:`insert_rows` writes the same rows with one plain
``INSERT ... VALUES ... RETURNING`` built from the model's own fields, so values are prepared by
the fields exactly as ``save()`` prepares them (defaults, ``auto_now_add``, JSON, time zones).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    connection,
    connections,
    router,
    transaction,
)
from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    Model,
    QuerySet,
)
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from cqdt.core.errors import DomainError

M = TypeVar("M", bound=Model)
T = TypeVar("T")

_sql_cache: dict[tuple[type[Model], int, str], tuple[str, list]] = {}


def _statement(model: type[Model], rows: int) -> tuple[str, list]:
    key = (model, rows, connection.vendor)
    found = _sql_cache.get(key)
    if found is None:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        qn = connection.ops.quote_name
        columns = ", ".join(qn(str(f.column)) for f in fields)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        values = ", ".join([row] * rows)
        sql = (
            f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {values} "  # noqa: S608 - names from the model
            f"RETURNING {qn(str(meta.pk.column))}"
        )
        found = _sql_cache[key] = (sql, fields)
    return found


def insert_rows(objs: Sequence[M]) -> Sequence[M]:
    """Insert new instances of one model in one statement, in order; set their primary keys.

    No signals are sent and no batching is done: for a handful of rows on a hot path. Models
    with a non-auto primary key or multi-table inheritance are not supported.
    """
    if not objs:
        return objs
    model = type(objs[0])
    sql, fields = _statement(model, len(objs))
    params = []
    for obj in objs:
        if type(obj) is not model:
            raise TypeError("insert_rows takes instances of one model")
        for field in fields:
            params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def insert_new_rows(objs: Sequence[Model]) -> int:
    """Insert new instances of one model, passing over each row that a uniqueness constraint
    already holds (``INSERT ... ON CONFLICT DO NOTHING``, as ``bulk_create(ignore_conflicts=True)``
    writes on both databases); return how many rows were given.

    One single-row statement run for every row (``executemany``), each value prepared by its
    field as ``save()`` prepares it (defaults, ``auto_now_add``, JSON, time zones). For the
    thousands of rows of a simulated data set, ``bulk_create`` compiled every value of every
    batch through the ORM's insert compiler: seconds of Python for what the database does in
    a fraction of that. No signals; primary keys are not set on ``objs`` (rows passed over have
    none), so count what was written by reading it back."""
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    # The connection and each field's two methods looked up once, not once a value: through
    # the ``connection`` proxy and the bound-method lookups, half of the time of preparing the
    # 25,000 rows of a simulated comparison panel went to finding them again.
    db = connections[DEFAULT_DB_ALIAS]
    qn = db.ops.quote_name
    columns = ", ".join(qn(str(f.column)) for f in fields)
    row = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({row}) ON CONFLICT DO NOTHING"  # noqa: S608 - names from the model
    prepare = [(f.pre_save, f.get_db_prep_save) for f in fields]
    params = []
    for obj in objs:
        if type(obj) is not model:
            raise TypeError("insert_new_rows takes instances of one model")
        params.append([prep(pre(obj, True), db) for pre, prep in prepare])
    with db.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(objs)


class Prepared:
    """A read compiled once per database connection, then run with new values.

    The ORM compiles a queryset's SQL on every evaluation; on the citizen's lookup, compiling two
    queries over the 40-column dossier cost more than running them (issue 17), and on every
    request of a logged-in session the login gate's two reads spent six times as long being
    compiled as being run (issue 11). ``build`` makes the queryset (a ``values_list``, so no model
    machinery) from ``placeholders``; the first run on a connection (and time zone) compiles it
    twice — with the placeholders, and with a second value of each — and keeps the SQL, the
    parameters that differ between the two (each placeholder's places, wherever it stands: a
    date that bounds two columns stands twice; a literal that happens to equal a placeholder
    does not differ, so it is never replaced) and the compiler (whose converters turn database
    values into Python ones, as the queryset would). :meth:`rows` then runs that SQL with the
    real values, each prepared by a field of its placeholder's type as the ORM prepares a
    lookup's value (a date, a datetime, text or a whole number). A placeholder is a text, a whole
    number, a date or a datetime; one found nowhere is refused when compiled.

    The kept compiler does not hold its connection between runs (it is lent for each run): a
    cache keyed weakly by the connection would otherwise keep every thread's connection, open,
    for the life of the process (found in review). The columns' converters are kept too (the
    ORM's ``get_converters`` asked the backend and every column's field again on each run:
    on the dossier's ~100 columns that took twice as long as running the statement), the
    backend's own methods among them kept unbound and called on the connection of the run
    (:func:`_kept_converters`), for the same reason.
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet], *placeholders: Any):
        self.model = model
        self.build = build
        self.placeholders = placeholders
        self._fields = [_field_for(p) for p in placeholders]
        self._compiled: WeakKeyDictionary[Any, dict[str, _Compiled]] = WeakKeyDictionary()

    def _compile(self, using: str) -> _Compiled:
        db = connections[using]
        zone = timezone.get_current_timezone_name()  # a date lookup's SQL names the zone
        kept = self._compiled.setdefault(db, {})
        found = kept.get(zone)
        if found is None:
            compiler = self._queryset(*self.placeholders).query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            others = [_other(p) for p in self.placeholders]
            other_sql, other_params = (
                self._queryset(*others).query.get_compiler(using=using).as_sql()
            )
            if other_sql != sql or len(other_params) != len(params):
                raise ValueError(f"the statement's shape depends on its values: {sql}")
            firsts = [self._prepare(db, i, p) for i, p in enumerate(self.placeholders)]
            seconds = [self._prepare(db, i, p) for i, p in enumerate(others)]
            positions: list[list[int]] = [[] for _ in self.placeholders]
            for at, (a, b) in enumerate(zip(params, other_params, strict=True)):
                if a == b:
                    continue
                which = [k for k in range(len(firsts)) if (firsts[k], seconds[k]) == (a, b)]
                if len(which) != 1:
                    raise ValueError(f"parameter {at} of {sql} is no placeholder's")
                positions[which[0]].append(at)
            for placeholder, at_ in zip(self.placeholders, positions, strict=True):
                if not at_:
                    raise ValueError(f"placeholder {placeholder!r} not found in {sql}")
            converters = _kept_converters(compiler, db)
            compiler.connection = None  # lent for each run (see the class's docstring)
            found = kept[zone] = (compiler, sql, list(params), positions, converters)
        return found

    def _prepare(self, db: Any, index: int, value: Any) -> Any:
        return self._fields[index].get_db_prep_value(value, db, prepared=False)

    def _queryset(self, *placeholders: Any) -> QuerySet:
        return self.build(*placeholders)

    def _run(self, values: tuple[Any, ...], using: str, use: Callable[[Any, Iterable], T]) -> T:
        """``use(compiler, rows)`` — the fetched rows converted as the ORM converts them — with
        the compiler lent its connection meanwhile."""
        db = connections[using]
        compiler, sql, params, positions, converters = self._compile(using)
        features = db.features
        if (
            compiler.query.select_for_update
            and features.has_select_for_update
            and features.supports_transactions
            and db.get_autocommit()
        ):
            # What the ORM's compiler says each time it builds such a statement.
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(params)
        for index, (at, value) in enumerate(zip(positions, values, strict=True)):
            prepared = self._prepare(db, index, value)
            for position in at:
                params[position] = prepared
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        compiler.connection = db
        try:
            if converters is None:
                return use(compiler, compiler.results_iter(results=[fetched]))
            return use(compiler, _converted(fetched, converters, db) if converters else fetched)
        finally:
            compiler.connection = None

    def rows(self, *values: Any, using: str | None = None) -> list[tuple]:
        """The rows for ``values`` (in the placeholders' order), converted as the ORM would."""
        return self._run(
            values,
            using or router.db_for_read(self.model),
            lambda compiler, rows: list(map(tuple, rows)),
        )


# A column's position, its converters (True and the backend's function, to be called on the
# connection of the run; or False and a function kept as it is) and its expression.
_Converters = list[tuple[int, list[tuple[bool, Callable[..., Any]]], Any]]
_Compiled = tuple[Any, str, list, list[list[int]], _Converters | None]


def _kept_converters(compiler: Any, db: Any) -> _Converters | None:
    """The converters ``compiler.results_iter`` would apply, without the connection they were
    asked on: the backend's methods unbound (called on the connection of each run), any other
    function as it is. None — ask the compiler on each run — for composite columns, or for a
    converter that holds the connection otherwise (none of Django's backends has one)."""
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(fields):
        return None
    kept: _Converters = []
    for position, (functions, expression) in compiler.get_converters(fields).items():
        unbound: list[tuple[bool, Callable[..., Any]]] = []
        for function in functions:
            owner = getattr(function, "__self__", None)
            if owner is db.ops:
                unbound.append((True, function.__func__))
                continue
            cells = [cell.cell_contents for cell in getattr(function, "__closure__", None) or ()]
            if owner is db or any(c is db or c is db.ops for c in cells):
                return None
            unbound.append((False, function))
        kept.append((position, unbound, expression))
    return kept


def _converted(rows: list, converters: _Converters, db: Any) -> Iterator[list]:
    """``rows`` with ``converters`` applied, as the compiler's ``apply_converters`` does."""
    ops = db.ops
    for row in map(list, rows):
        for position, functions, expression in converters:
            value = row[position]
            for on_backend, function in functions:
                value = (
                    function(ops, value, expression, db)
                    if on_backend
                    else function(value, expression, db)
                )
            row[position] = value
        yield row


def _field_for(placeholder: Any) -> Field:
    """The field whose lookup preparation a placeholder's values get."""
    if isinstance(placeholder, dt.datetime):
        return DateTimeField()
    if isinstance(placeholder, dt.date):
        return DateField()
    if isinstance(placeholder, str):
        return CharField()
    if isinstance(placeholder, int) and not isinstance(placeholder, bool):
        return BigIntegerField()
    raise TypeError(
        f"a placeholder is a text, a whole number, a date or a datetime: {placeholder!r}"
    )


def _other(placeholder: Any) -> Any:
    """A second value of a placeholder's type, different from it."""
    if isinstance(placeholder, dt.date):  # a datetime too
        return placeholder + dt.timedelta(days=1)
    if isinstance(placeholder, str):
        return placeholder + "\x01"
    return placeholder - 1


class PreparedObjects(Prepared, Generic[M]):
    """Model instances read by a statement compiled once per connection (:class:`Prepared`) and
    built from its rows as the ORM builds them (``ModelIterable``: ``Model.from_db``, then
    ``select_related``'s populators). ``build`` makes the model queryset from ``placeholders``
    (filtered, ordered — without an order, by primary key as ``first()`` orders — with any
    ``select_related`` or ``select_for_update``); ``limit`` caps its rows. A locking read runs on
    the database the ORM writes to, any other on the one it reads from.

    For the reads every request or every move repeats (a unit or a procedure in force on a date,
    the governance model of a unit, a session's user, the row a move locks): the ORM rebuilt
    their SQL each time, at several times the cost of running it (issue 11)."""

    def __init__(
        self,
        model: type[M],
        build: Callable[..., QuerySet[M]],
        *placeholders: Any,
        limit: int | None = None,
    ):
        super().__init__(model, build, *placeholders)
        self.limit = limit
        self._for_write: bool | None = None  # known when first read (the models must be ready)

    def _queryset(self, *placeholders: Any) -> QuerySet:
        queryset = self.build(*placeholders)
        if (
            queryset.query.annotations
            or queryset._prefetch_related_lookups  # type: ignore[attr-defined]
            or queryset._known_related_objects  # type: ignore[attr-defined]
        ):
            # Rows built here are from_db and select_related's populators only.
            raise ValueError("a prepared read builds no annotations and prefetches nothing")
        if not queryset.ordered:
            queryset = queryset.order_by("pk")
        return queryset[: self.limit] if self.limit is not None else queryset

    def all(self, *values: Any) -> list[M]:
        if self._for_write is None:
            self._for_write = bool(getattr(self._queryset(*self.placeholders), "_for_write", False))
        db = (router.db_for_write if self._for_write else router.db_for_read)(self.model)
        return self._run(values, db, lambda compiler, rows: self._build_rows(compiler, rows, db))

    def _build_rows(self, compiler: Any, rows: Iterable, db: str) -> list[M]:
        select, klass_info = compiler.select, compiler.klass_info
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        # Django 5.2's signature (the stubs follow a later one).
        populators = get_related_populators(klass_info, select, db)  # type: ignore[call-arg]
        found = []
        for row in rows:
            obj = model.from_db(db, names, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            found.append(obj)
        return found

    def first(self, *values: Any) -> M | None:
        found = self.all(*values)
        return found[0] if found else None


def version_in_force(
    model: type[M], key: str, in_force: Callable[[dt.date], Any]
) -> PreparedObjects[M]:
    """The read of the version of ``key`` in force on a date — ``model.objects.filter(
    in_force(on), key=value).first()`` — compiled once per connection: units, procedures and
    every other record with effective dates are versioned so (effective dates everywhere the law
    changes), and the current version is asked on nearly every request. Run it as
    ``read.first(value, on)``."""
    return PreparedObjects(
        model,
        lambda value, on: model._default_manager.filter(in_force(on), **{key: value}),
        f"\x00{key}",
        dt.date(1, 1, 1),
        limit=1,
    )


def update_rows(objs: Sequence[Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of saved instances of one model: one ``UPDATE ... WHERE pk = %s``
    statement run for every row (``executemany``), each value prepared by its field as
    ``save()`` prepares it. What ``bulk_update`` writes, without the ``CASE WHEN`` expression it
    builds over every row and field (for some 600 units and nine fields, seconds of Python).
    No signals, no ``auto_now``: like ``bulk_update``, only the fields named change. Returns the
    number of rows given."""
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    concrete = {f.name: f for f in meta.concrete_fields}
    columns = [concrete[name] for name in fields]
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(str(f.column))} = %s" for f in columns)
    sql = f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(str(meta.pk.column))} = %s"  # noqa: S608 - names from the model
    params = []
    for obj in objs:
        if type(obj) is not model or obj.pk is None:
            raise TypeError("update_rows takes saved instances of one model")
        values = [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns]
        params.append([*values, obj.pk])
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(objs)


def insert_or_conflict(obj: M, conflict: DomainError) -> M:
    """Insert ``obj`` in a savepoint; a uniqueness clash (a concurrent twin that passed the same
    checks) raises ``conflict`` and leaves the caller's transaction usable."""
    try:
        with transaction.atomic():
            obj.save(force_insert=True)
    except IntegrityError as exc:
        raise conflict from exc
    return obj
