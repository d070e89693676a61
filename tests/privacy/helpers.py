"""Helpers shared by the privacy tests."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection

from kouki.accounts.models import StaffUser
from kouki.privacy.context import Actor


def actor_of(user: StaffUser, terminal_id: str = "T-0101") -> Actor:
    return Actor(username=user.username, terminal_id=terminal_id, user_id=user.pk)


def all_text_and_binary_values() -> Iterator[tuple[str, str, object]]:
    """(table, column, value) for every non-null cell of every table in the database."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (own table names)
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        yield table, column, value


def value_holds(value: object, numbers: list[str]) -> bool:
    """True when a cell holds one of the numbers as text or as bytes."""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return any(n.encode() in value for n in numbers)
    text = value if isinstance(value, str) else str(value)
    return any(n in text for n in numbers)
