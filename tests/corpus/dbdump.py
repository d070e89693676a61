"""A canonical dump of every table, to show that a rejected import changed nothing (issue 16 §4).

`dump()` reads every concrete model (auto-created many-to-many tables included) ordered by primary key, all
field values as stored (binary values as bytes). `changed_tables(before, after)` names the tables that
differ. Values are compared, never printed: a table may hold personal numbers (encrypted or not), so a
failing assertion names tables and row counts only.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

Dump = dict[str, list[tuple[Any, ...]]]


def _value(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def dump() -> Dump:
    out: Dump = {}
    for model in apps.get_models(include_auto_created=True):
        names = [f.attname for f in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*names)
        out[model._meta.db_table] = [tuple(_value(v) for v in row) for row in rows]
    return out


def changed_tables(before: Dump, after: Dump) -> dict[str, tuple[int, int]]:
    """{table: (rows before, rows after)} for every table whose contents differ."""
    return {
        table: (len(before.get(table, [])), len(after.get(table, [])))
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    }
