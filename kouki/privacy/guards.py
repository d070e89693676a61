"""The database guards of the two chained logs, as `kouki audit verify` expects to find them.

SQLite: BEFORE UPDATE and BEFORE DELETE triggers on both tables (migration 0006). Any writer of the file
can drop them, so verify reports a missing or changed trigger as a problem: a dropped trigger is
evidence of tampering even when the chain still checks out.
PostgreSQL: the row triggers exist too, but the real guard is the application's role lacking UPDATE,
DELETE and TRUNCATE on both tables (docs/operations/database-roles.md); verify warns when the
current role holds any of them.
"""

from __future__ import annotations

import re

from django.db import connection

CHAINED_TABLES = ("privacy_auditentry", "privacy_referencelog")
PG_TRIGGERS = {"privacy_auditentry": "privacy_auditentry_append_only",
               "privacy_referencelog": "privacy_referencelog_append_only"}
PRIVILEGES = ("UPDATE", "DELETE", "TRUNCATE")


def sqlite_trigger_sql(table: str, op: str) -> str:
    return (f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only ({op} refused)'); END")


def expected_sqlite_triggers() -> dict[str, str]:
    return {f"{t}_no_{op.lower()}": sqlite_trigger_sql(t, op) for t in CHAINED_TABLES
            for op in ("UPDATE", "DELETE")}


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def guard_problems() -> list[str]:
    """Missing, changed or disabled triggers on the chained tables (each one a failure of verify)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            found = {name: sql for name, sql in cursor.fetchall()}
        problems = []
        for name, sql in expected_sqlite_triggers().items():
            if name not in found:
                problems.append(f"trigger {name} is missing: UPDATE/DELETE on the log is not refused")
            elif _normal(found[name]) != _normal(sql):
                problems.append(f"trigger {name} has been changed")
        return problems
    if connection.vendor == "postgresql":
        problems = []
        with connection.cursor() as cursor:
            for table, trigger in PG_TRIGGERS.items():
                cursor.execute(
                    "SELECT tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = %s",
                    [table, trigger],
                )
                row = cursor.fetchone()
                if row is None:
                    problems.append(f"trigger {trigger} is missing")
                elif row[0] == "D":
                    problems.append(f"trigger {trigger} is disabled")
        return problems
    return [f"no guard check for database {connection.vendor}"]


def privilege_warnings() -> list[str]:
    """PostgreSQL: the privileges of the current role that let it change the logs (none in production)."""
    if connection.vendor != "postgresql":
        return []
    warnings = []
    with connection.cursor() as cursor:
        for table in CHAINED_TABLES:
            held = []
            for privilege in PRIVILEGES:
                cursor.execute("SELECT has_table_privilege(current_user, %s, %s)", [table, privilege])
                row = cursor.fetchone()
                if row and row[0]:
                    held.append(privilege)
            if held:
                warnings.append(
                    f"the database role of this connection may {'/'.join(held)} {table}: run the "
                    "application under a role with INSERT and SELECT only (docs/operations/database-roles.md)"
                )
    return warnings
