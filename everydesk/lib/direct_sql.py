"""One-row reads and inserts with SQL built once per model, for the hottest request paths.

The ORM compiles every query anew: for a one-row read or insert that costs several
times the CPU the database spends on it (about 0.1-0.3 ms against 0.02-0.05 ms).
These helpers build the SQL and the value converters from the model's own fields
once per database connection, so columns, defaults, types and conversions stay the
model's; what they skip is Django's per-query compilation and the save signals,
which nothing in everydesk listens to (logic lives in actions, not signals).
"""

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]

# Per connection (each server thread has its own): SQL and converters come from it.
_plans: "weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[tuple[Any, ...], Any]]" = (
    weakref.WeakKeyDictionary()
)


def _cached(connection: BaseDatabaseWrapper, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    plans = _plans.setdefault(connection, {})
    if key not in plans:
        plans[key] = build()
    return plans[key]


def _converters(field: Field, alias: str, connection: BaseDatabaseWrapper) -> list[Any]:
    # What SQLCompiler.get_converters gives the ORM for the same column.
    column = field.get_col(alias)
    return [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]


def _convert(
    values: Sequence[Any],
    converters: Sequence[tuple[int, list[Converter], Any]],
    connection: BaseDatabaseWrapper,
) -> list[Any]:
    converted = list(values)
    for index, functions, column in converters:
        value = converted[index]
        for function in functions:
            value = function(value, column, connection)
        converted[index] = value
    return converted


@dataclass(frozen=True)
class Columns:
    """Every concrete column of a model under a table alias, ready to read into instances."""

    model: type[Model]
    sql: str  # "alias"."column", ... in field order
    attnames: tuple[str, ...]
    converters: tuple[tuple[int, list[Converter], Any], ...]

    def instance(self, row: Sequence[Any], connection: BaseDatabaseWrapper) -> Model:
        values = _convert(row, self.converters, connection)
        return self.model.from_db(connection.alias, list(self.attnames), values)


def columns(model: type[Model], alias: str, *, using: str = DEFAULT_DB_ALIAS) -> Columns:
    connection = connections[using]

    def build() -> Columns:
        quote = connection.ops.quote_name
        fields = model._meta.concrete_fields
        converters = []
        for index, field in enumerate(fields):
            found = _converters(field, alias, connection)
            if found:
                converters.append((index, found, field.get_col(alias)))
        return Columns(
            model=model,
            sql=", ".join(f"{quote(alias)}.{quote(field.column)}" for field in fields),
            attnames=tuple(field.attname for field in fields),
            converters=tuple(converters),
        )

    return _cached(connection, ("columns", model, alias), build)  # type: ignore[no-any-return]


def convert(value: Any, field: Field, alias: str, *, using: str = DEFAULT_DB_ALIAS) -> Any:
    """One selected column's raw value as the ORM would give it (datetimes on SQLite)."""
    connection = connections[using]
    found = _cached(
        connection,
        ("field", field.model, field.name, alias),
        lambda: ((0, _converters(field, alias, connection), field.get_col(alias)),),
    )
    return _convert([value], found, connection)[0]


def get_by(
    model: type[M],
    column: str,
    value: Any,
    *,
    for_update: bool = False,
    using: str = DEFAULT_DB_ALIAS,
) -> M | None:
    """The one row whose unique `column` equals `value`, like filter(...).first().

    `for_update` locks it, like select_for_update(), where the database has row locks.
    """
    connection = connections[using]
    found = columns(model, "t", using=using)
    field = model._meta.get_field(column)
    table = connection.ops.quote_name(model._meta.db_table)
    where = connection.ops.quote_name(str(field.column))  # type: ignore[union-attr]
    lock = " FOR UPDATE" if for_update and connection.features.has_select_for_update else ""
    # Only quoted names from the model's metadata go into the text; the value is a parameter.
    sql = f"SELECT {found.sql} FROM {table} t WHERE t.{where} = %s{lock}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    return None if row is None else found.instance(row, connection)  # type: ignore[return-value]


@dataclass(frozen=True)
class _Insert:
    into: str  # INSERT INTO "table" ("column", ...)
    row: str  # (%s, ...)
    returned: str  # "column", ... that the database computes
    fields: tuple[Field, ...]
    returning: tuple[Field, ...]
    converters: tuple[tuple[int, list[Converter], Any], ...]


def _insert_plan(model: type[Model], connection: BaseDatabaseWrapper) -> _Insert:
    meta = model._meta
    quote = connection.ops.quote_name
    fields = tuple(f for f in meta.concrete_fields if not f.generated and f is not meta.auto_field)
    returning = tuple(meta.db_returning_fields)
    converters = []
    for index, field in enumerate(returning):
        found = _converters(field, meta.db_table, connection)
        if found:
            converters.append((index, found, field.get_col(meta.db_table)))
    return _Insert(
        into=f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})",
        row=f"({', '.join(['%s'] * len(fields))})",
        returned=", ".join(quote(f.column) for f in returning),
        fields=fields,
        returning=returning,
        converters=tuple(converters),
    )


def _plan(model: type[Model], connection: BaseDatabaseWrapper) -> _Insert:
    return _cached(connection, ("insert", model), lambda: _insert_plan(model, connection))  # type: ignore[no-any-return]


def _values(instance: Model, fields: Sequence[Field], connection: BaseDatabaseWrapper) -> list[Any]:
    return [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]


def _inserted(instance: M, returned: Sequence[Any], plan: _Insert, using: str) -> M:
    """Set what the database returned on the instance, as save() does."""
    converted = _convert(returned, plan.converters, connections[using])
    for field, value in zip(plan.returning, converted, strict=True):
        setattr(instance, field.attname, value)
    instance._state.adding = False
    instance._state.db = using
    return instance


def insert(instance: M, *, using: str = DEFAULT_DB_ALIAS) -> M:
    """Insert a new instance, like instance.save(force_insert=True), and return it.

    Sets the primary key and every column the database computes (generated fields),
    as save() does. Falls back to save() where the shortcut does not apply: a
    preset primary key, or a database that cannot return inserted columns.
    """
    connection = connections[using]
    if instance.pk is not None or not connection.features.can_return_columns_from_insert:
        instance.save(force_insert=True, using=using)
        return instance
    plan = _plan(type(instance), connection)
    # Only quoted names from the model's metadata go into the text; values are parameters.
    sql = f"{plan.into} VALUES {plan.row} RETURNING {plan.returned}"
    with connection.cursor() as cursor:
        cursor.execute(sql, _values(instance, plan.fields, connection))
        row = cursor.fetchone()
    return _inserted(instance, row, plan, using)


def insert_rows(
    model: type[Model],
    rows: Sequence[dict[str, Any]],
    *,
    batch: int = 1000,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """Insert many new rows given as {attname: value}, without building model instances.

    For bulk writes of thousands of rows (a quarter's rotation), where creating an
    instance per row costs more than the database does. A field a row leaves out gets
    the field's default, worked out once for the whole call (so a `timezone.now`
    default is one instant for every row). Returns the number of rows written.
    """
    if not rows:
        return 0
    connection = connections[using]
    plan = _plan(model, connection)
    defaults = {f.attname: f.get_default() for f in plan.fields}
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = [
                f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection)
                for row in chunk
                for f in plan.fields
            ]
            # Only quoted names from the model's metadata go into the text.
            cursor.execute(f"{plan.into} VALUES {', '.join([plan.row] * len(chunk))}", params)
            written += len(chunk)
    return written


def insert_new(instances: Sequence[M], *, unique: str, using: str = DEFAULT_DB_ALIAS) -> list[M]:
    """Insert, in one statement, the instances whose `unique` value is not taken yet.

    Returns those inserted, primary keys set; an instance whose value is taken (by a
    row already there, or by an earlier instance of the same call) is left out and
    unchanged. get_or_create without its savepoint and second query: a batch of rows,
    or a row that two writers may insert at once, costs one round trip.
    """
    if not instances:
        return []
    connection = connections[using]
    if not connection.features.can_return_rows_from_bulk_insert:
        return _insert_new_one_by_one(instances, unique, using)
    plan = _plan(type(instances[0]), connection)
    field = cast(Field, type(instances[0])._meta.get_field(unique))
    column = connection.ops.quote_name(str(field.column))
    first: dict[Any, M] = {}
    for instance in instances:
        first.setdefault(getattr(instance, field.attname), instance)
    rows = ", ".join([plan.row] * len(first))
    # Only quoted names from the model's metadata go into the text; values are parameters.
    sql = (
        f"{plan.into} VALUES {rows} ON CONFLICT ({column}) DO NOTHING "
        f"RETURNING {plan.returned}, {column}"
    )
    params = [v for instance in first.values() for v in _values(instance, plan.fields, connection)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return [_inserted(first[value], returned, plan, using) for *returned, value in found]


def _insert_new_one_by_one(instances: Sequence[M], unique: str, using: str) -> list[M]:
    """insert_new where the database cannot return rows from a multi-row INSERT."""
    inserted: list[M] = []
    for instance in instances:
        value = getattr(instance, type(instance)._meta.get_field(unique).attname)  # type: ignore[union-attr]
        if type(instance)._default_manager.using(using).filter(**{unique: value}).exists():
            continue
        try:
            with transaction.atomic(using=using):
                instance.save(force_insert=True, using=using)
        except IntegrityError:
            continue  # another writer took the value a moment ago
        inserted.append(instance)
    return inserted


def update(
    instance: Model,
    fields: Sequence[str],
    *,
    where: dict[str, Any] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> bool:
    """Write `fields` of an existing row, like save(update_fields=fields), in one statement.

    With `where`, only if the row's columns still hold those values: a claim, so that
    of two writers finishing the same row exactly one wins. Returns whether it wrote.
    """
    connection = connections[using]
    model = type(instance)
    expected = where or {}
    key = ("update", model, tuple(fields), tuple(expected))

    def build() -> tuple[str, tuple[Field, ...], tuple[Field, ...]]:
        meta = model._meta
        quote = connection.ops.quote_name
        written = tuple(cast(Field, meta.get_field(name)) for name in fields)
        checked = tuple(cast(Field, meta.get_field(name)) for name in expected)
        assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in written)
        tests = "".join(f" AND {quote(str(f.column))} = %s" for f in checked)
        pk = quote(str(meta.pk.column))  # type: ignore[union-attr]
        # Only quoted names from the model's metadata go into the text; values are parameters.
        sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {pk} = %s{tests}"  # noqa: S608
        return sql, written, checked

    sql, written, checked = _cached(connection, key, build)
    params = [f.get_db_prep_save(f.pre_save(instance, False), connection) for f in written]
    params.append(instance.pk)
    params += [f.get_db_prep_save(expected[f.name], connection) for f in checked]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.rowcount == 1)
