"""Issue 14 §1: the keyed chain (key id per row) on the audit log and the reference log, and database
guards that refuse UPDATE and DELETE on both tables.

Existing audit rows keep their SHA-256 chain (key id ""); existing reference rows get sequence numbers
in id order and empty hashes. Neither needs the keyring here: the first keyed row appended afterwards
(or the first checkpoint, `kouki audit checkpoint`) seals them, see kouki.privacy.chain.

SQLite now refuses DELETE as well (the test suite's flush drops and re-creates these triggers around its
DELETEs, tests/conftest.py). PostgreSQL TRUNCATE needs the table owner's role, which the application's
role does not hold in production (docs/operations/database-roles.md); kouki.privacy.guards holds the
same statements for `kouki audit verify`, which reports a missing or changed trigger.
"""

from django.db import migrations, models

AUDIT = "privacy_auditentry"
REFERENCE = "privacy_referencelog"


def _sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only ({op} refused)'); END"
        for op in ("UPDATE", "DELETE")
    ]


PG_REFERENCE = [
    """CREATE OR REPLACE FUNCTION privacy_referencelog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'privacy_referencelog is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql""",
    """CREATE TRIGGER privacy_referencelog_append_only
    BEFORE UPDATE OR DELETE ON privacy_referencelog
    FOR EACH ROW EXECUTE FUNCTION privacy_referencelog_append_only()""",
]

FORWARD = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {AUDIT}_append_only",
        *_sqlite_triggers(AUDIT),
        *_sqlite_triggers(REFERENCE),
    ],
    "postgresql": PG_REFERENCE,
}
BACKWARD = {
    "sqlite": [
        *(f"DROP TRIGGER IF EXISTS {t}_no_{op}" for t in (AUDIT, REFERENCE) for op in ("update", "delete")),
        f"CREATE TRIGGER {AUDIT}_append_only BEFORE UPDATE ON {AUDIT} "
        f"BEGIN SELECT RAISE(ABORT, '{AUDIT} is append-only (UPDATE refused)'); END",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS privacy_referencelog_append_only ON privacy_referencelog",
        "DROP FUNCTION IF EXISTS privacy_referencelog_append_only()",
    ],
}


def number_references(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Sequence numbers for the rows from before the chain, in the order they were written."""
    reference_log = apps.get_model("privacy", "ReferenceLog")
    ids = reference_log._base_manager.order_by("pk").values_list("pk", flat=True)
    for seq, pk in enumerate(list(ids), start=1):
        reference_log._base_manager.filter(pk=pk).update(seq=seq)


def guards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in FORWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def unguard(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in BACKWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0005_integrated_addressee")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="監査鍵ID"),
        ),
        migrations.AddField(
            model_name="referencelog",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="監査鍵ID"),
        ),
        migrations.AddField(
            model_name="referencelog",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="referencelog",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="referencelog",
            name="seq",
            field=models.BigIntegerField(null=True, verbose_name="連番"),
        ),
        migrations.RunPython(number_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="referencelog",
            name="seq",
            field=models.BigIntegerField(unique=True, verbose_name="連番"),
        ),
        migrations.RunPython(guards, unguard),
    ]
