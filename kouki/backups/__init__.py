"""Database backups that restore (issue 16 §2): `kouki backup create | verify | restore`.

A backup is a folder: `database.kbk` (the database — SQLite online backup or `pg_dump --format=custom` —
sealed under KOUKI_BACKUP_PASSPHRASE, kouki.core.passphrase_box), `checkpoints.jsonl` (the audit
checkpoint file with a checkpoint taken for this backup; no secret) and `manifest.json` (what is in it:
counts per table, migrations, hashes, the checkpoint's heads; authenticated with a key from the same
passphrase). The keyring is never in it: `kouki keys export` seals it separately.
"""
