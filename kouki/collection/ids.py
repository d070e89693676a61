"""Primary keys reserved before a bulk insert, so that related rows can be written without reading back."""

from __future__ import annotations

from django.db import connection, models

from kouki.addressees.bulk import next_id


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh ids for `model`. PostgreSQL: from the table's sequence. SQLite: max(id)+1 onwards,
    which is safe because the caller's transaction holds SQLite's single write lock once it has
    written; a write is forced first (an UPDATE that changes nothing) to take the lock."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [int(row[0]) for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"UPDATE {quoted} SET id = id WHERE 1 = 0")  # noqa: S608 (name quoted)
    first = next_id(model)
    return list(range(first, first + count))
