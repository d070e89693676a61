"""Database-level guard: the audit table refuses UPDATE (both databases) and DELETE (PostgreSQL).

SQLite gets no DELETE trigger because Django's test flush empties tables with DELETE; the ORM
guard on AuditEntry refuses deletes there. TRUNCATE on PostgreSQL stays possible for the owner
(retention jobs and test flushes), see docs/operations/keys.md and ADR 0003.
"""

from django.db import migrations

PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION privacy_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'privacy_auditentry is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql""",
    """CREATE TRIGGER privacy_auditentry_append_only
    BEFORE UPDATE OR DELETE ON privacy_auditentry
    FOR EACH ROW EXECUTE FUNCTION privacy_auditentry_append_only()""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS privacy_auditentry_append_only ON privacy_auditentry",
    "DROP FUNCTION IF EXISTS privacy_auditentry_append_only()",
]
SQLITE_FORWARD = [
    """CREATE TRIGGER privacy_auditentry_append_only BEFORE UPDATE ON privacy_auditentry
BEGIN SELECT RAISE(ABORT, 'privacy_auditentry is append-only (UPDATE refused)'); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS privacy_auditentry_append_only"]
STATEMENTS = {
    "postgresql": (PG_FORWARD, PG_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[0]:
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[1]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_reference_kind_append_only")]

    operations = [migrations.RunPython(forward, backward)]
