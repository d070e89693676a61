"""Database plumbing shared by every app: chunked iteration, raw bulk writers, id reservation,
one-parameter IN lookups, index deferral for loads, SQLite cache sizing.

Rows are plain tuples in the column order given; callers run inside one `transaction.atomic()` and
write their audit row themselves (through `kouki.privacy.audit`). SQLite gets `executemany` on the raw
connection in large batches; PostgreSQL gets COPY (psycopg 3). Ids are reserved by the caller
(`reserve_ids`, or `next_id` for single-writer loads) so related rows can be written without reading
back; `reset_sequences` brings PostgreSQL's identity sequences past explicit ids afterwards.

Used by the day-to-day services as much as by the loads (the batches write thousands of rows a day).
This module imports nothing of kouki's: every app may depend on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar, cast

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import F, Lookup
from django.db.models.sql.compiler import SQLCompiler

from kouki.core.audit_vocabulary import AuditTarget

Row = Sequence[Any]
T = TypeVar("T")
K = TypeVar("K")
# a person's records as audit rows name them: target → a queryset of them, or their ids (kouki.privacy)
AuditRecordSets = dict[AuditTarget, "models.QuerySet[Any] | list[str]"]

CHUNK = 2000
"""Default number of values per query in set-wise reads and writes (well under SQLite's variable limit)."""


def chunked(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most `size` values, in order (none for an empty sequence)."""
    if size <= 0:
        raise ValueError("chunk size must be positive")
    for start in range(0, len(values), size):
        yield values[start : start + size]


def db_datetime(value: datetime) -> Any:
    """A timestamp as the raw driver expects it (SQLite: naive UTC text like Django writes)."""
    if connection.vendor == "sqlite":
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    return [by_attname[name] for name in fields]


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Row]) -> int:
    """Append rows (tuples in `fields` order, attnames) to the model's table; returns how many."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, fields))
    connection.ensure_connection()
    raw: Any = connection.connection
    if connection.vendor == "postgresql":
        count = 0
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    if connection.vendor == "sqlite":
        data = rows if isinstance(rows, list) else list(rows)
        marks = ", ".join("?" * len(fields))
        raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", data)  # noqa: S608 (names quoted)
        return len(data)
    raise NotImplementedError(f"bulk insert on {connection.vendor}")


def update_rows(model: type[models.Model], fields: Sequence[str], objects: Sequence[models.Model]) -> int:
    """Write `fields` (attnames) of already-saved instances, one UPDATE by primary key each, sent as one
    executemany (Django's bulk_update builds a CASE per field and row: far slower on thousands)."""
    if not objects:
        return 0
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(by_attname[name].column)} = %s" for name in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 (quoted)
    rows = [
        [*(by_attname[name].get_db_prep_save(getattr(obj, name), connection) for name in fields), obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def next_id(model: type[models.Model]) -> int:
    """The first free primary key (max + 1) of a table."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 (name quoted)
        row = cursor.fetchone()
    return int(row[0]) if row else 1


BULK_CACHE_KIB = 128 * 1024


@contextmanager
def sqlite_bulk_cache(kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """SQLite: a larger page cache for the connection while a batch touches thousands of index pages
    (SQLite's default is 2 MiB: each insert into a large indexed table then re-reads interior pages and
    spills dirty ones to the WAL before commit); the previous size is put back afterwards.
    Pages of the open transaction stay in memory until it commits either way. No-op on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        row = cursor.fetchone()
        previous = int(row[0]) if row else -2000
        cursor.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


class InValues(Lookup):  # type: ignore[type-arg]
    """`column IN values` with the values as ONE query parameter, however many there are:
    PostgreSQL `column = ANY(%s)` (an array), SQLite `column IN (SELECT value FROM json_each(%s))`.

    For the set-wise reads of the batches (thousands of ids or numbers per query): the same rows and
    the same index plans as `column__in=values`, without Django and psycopg preparing one placeholder
    per value (and without SQLite's parameter limit). Values are ints or strs, used as they are.
    Use as a filter expression: `Model.objects.filter(InValues("person_id", ids))`.
    """

    lookup_name = "in_values"  # not registered on any field: used as an expression only
    prepare_rhs = False

    def __init__(self, lhs: Any, values: Iterable[int | str]) -> None:
        super().__init__(F(lhs) if isinstance(lhs, str) else lhs, list(values))

    def get_prep_lookup(self) -> Any:
        return self.rhs

    def as_sql(self, compiler: SQLCompiler, connection: Any) -> tuple[str, list[Any]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs_sql} = ANY(%s)", [*lhs_params, list(self.rhs)]
        if connection.vendor == "sqlite":
            sql = f"{lhs_sql} IN (SELECT value FROM json_each(%s))"  # noqa: S608 (compiled column)
            return sql, [*lhs_params, json.dumps(self.rhs)]
        raise NotImplementedError(f"InValues on {connection.vendor}")


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys, increasing, for rows the caller then writes with insert_rows (so that
    related rows and audit details can name them without reading anything back). Call inside the
    transaction that inserts them.

    PostgreSQL: taken from the table's identity sequence, as the database's own default would take them
    (other writers get other values). SQLite: past the largest id and the AUTOINCREMENT high-water mark
    (sqlite_sequence), which is what SQLite itself would hand out; the write lock is taken first (a
    no-op UPDATE), so no other connection can insert into the table before this transaction ends.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return sorted(int(row[0]) for row in cursor.fetchall())
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"id reservation on {connection.vendor}")
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids must run inside the transaction that inserts the rows")
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"UPDATE {quoted} SET id = id WHERE 0")  # noqa: S608 (name quoted); takes the write lock
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {quoted}), 0), "  # noqa: S608 (name quoted)
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))", [table])
        row = cursor.fetchone()
    first = int(row[0]) + 1 if row else 1
    return list(range(first, first + count))


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """After explicit ids: move PostgreSQL's sequences past the largest id (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the plain (non-unique, non-constraint) indexes of a table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'", [table])
        else:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "JOIN pg_class c ON c.relname = i.indexname "
                "JOIN pg_index x ON x.indexrelid = c.oid "
                "WHERE i.tablename = %s AND i.schemaname = current_schema() AND NOT x.indisunique", [table])
        return [(str(name), str(sql)) for name, sql in cursor.fetchall()]


def _foreign_keys(table: str) -> list[tuple[str, str]]:
    """PostgreSQL: (name, definition) of a table's foreign-key constraints."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", [table])
        return [(str(name), str(definition)) for name, definition in cursor.fetchall()]


@contextmanager
def indexes_deferred(model_list: Sequence[type[models.Model]]) -> Iterator[None]:
    """Drop the plain secondary indexes (and, on PostgreSQL, the foreign keys) of these tables, and
    rebuild them exactly on exit.

    Building an index once over a full table is far cheaper than maintaining it row by row, and
    re-adding a foreign key checks all rows in one join instead of a trigger per row. Unique indexes
    and constraints stay, so uniqueness is checked during the load; the foreign keys are checked when
    re-added. Use inside the load's transaction: a failure rolls the drops back too.
    """
    saved: list[tuple[str, str]] = []
    keys: list[tuple[str, str, str]] = []
    for model in model_list:
        table = model._meta.db_table
        saved += _secondary_indexes(table)
        keys += [(table, name, definition) for name, definition in _foreign_keys(table)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in saved:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _, sql in saved:
            cursor.execute(sql)
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


M = TypeVar("M", bound=models.Model)


def rows_locked_for_persons(model: type[M], person_ids: Iterable[int], **filters: Any) -> Iterator[M]:
    """The rows of `model` that belong to these persons (and match `filters`), locked for update
    (SELECT … FOR UPDATE on PostgreSQL; SQLite's writer lock covers it), read in chunks of person ids.
    For the imports that supersede what is in force for each person of a file."""
    for part in chunked(sorted(set(person_ids)), CHUNK):
        yield from model._default_manager.select_for_update().filter(person_id__in=part, **filters)


def ids_per_key(parts: Mapping[K, models.QuerySet[Any] | Sequence[str]]) -> dict[K, list[str]]:
    """The primary keys (as text) of each queryset, read in one query (UNION ALL): key → ids; a part given
    as ids already is passed through. For pages that gather a person's records of several tables (the audit
    rows that name them)."""
    sets = [k for k, part in parts.items() if isinstance(part, models.QuerySet)]
    out: dict[K, list[str]] = {k: [] if k in sets else [str(i) for i in parts[k]] for k in parts}
    tagged = [cast(models.QuerySet[Any], parts[k]).order_by()
              .annotate(_part=models.Value(i, output_field=models.IntegerField())).values_list("_part", "pk")
              for i, k in enumerate(sets)]
    if not tagged:
        return out
    rows = tagged[0].union(*tagged[1:], all=True) if len(tagged) > 1 else tagged[0]
    for part, pk in rows:
        out[sets[part]].append(str(pk))
    return out
