"""kana_key compares by code point on PostgreSQL too.

search_current finds a kana prefix with the range `key >= p AND key < p || U+10FFFF`. That range equals
"starts with p" only under code-point (binary) order, which SQLite always uses. On PostgreSQL the column
follows the database collation; under ICU or language collations (e.g. ja-x-icu, ja_JP.UTF-8) katakana
order differently and the range misses or adds rows. Column collation "C" fixes the order; the partial
index pv_current_kana is rebuilt with it.
"""

from django.db import migrations

FORWARD = 'ALTER TABLE addressees_personversion ALTER COLUMN kana_key TYPE varchar(160) COLLATE "C"'
BACKWARD = "ALTER TABLE addressees_personversion ALTER COLUMN kana_key TYPE varchar(160) COLLATE \"default\""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ("addressees", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
