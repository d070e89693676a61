"""Helpers of the sealed-chain tests: write rows to both logs, tamper with them in raw SQL the way an
operator of the database could (triggers switched off first), and recompute MACs with or without a key.
Raw SQL here is deliberate tampering with fixed table names."""
# ruff: noqa: S608

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from kouki.privacy.audit import _canonical as audit_canonical
from kouki.privacy.audit import audit_record
from kouki.privacy.chain import GENESIS
from kouki.privacy.context import Actor
from kouki.privacy.guards import PG_TRIGGERS, expected_sqlite_triggers
from kouki.privacy.models import AuditEntry, ReferenceLog
from kouki.privacy.references import _canonical as reference_canonical
from kouki.privacy.references import append_reference

AUDIT = "privacy_auditentry"
REFERENCE = "privacy_referencelog"


def append_audit(n: int) -> None:
    actor = Actor(username="clerk01", terminal_id="T-0101", user_id=1)
    for i in range(n):
        with transaction.atomic():
            audit_record(
                actor=actor, action="test.write", target_type="person", target_id=str(i),  # type: ignore[arg-type]
                detail={"i": i, "名前": "テスト", "nested": {"b": [1, 2], "a": None, "ok": True}},
            )


def append_references(user_id: int, username: str, n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            append_reference(user_id=user_id, username=username, terminal_id="T-0101", screen="宛名詳細",
                             purpose="窓口での本人確認", person_id=None, kind="search",
                             number_token=f"tok{i:04d}")


@contextmanager
def tampering() -> Iterator[None]:
    """Switch the triggers of both tables off for raw-SQL tampering, and back on afterwards."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending FK checks
            for table, trigger in PG_TRIGGERS.items():
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        else:
            for name in expected_sqlite_triggers():
                cursor.execute(f"DROP TRIGGER {name}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table, trigger in PG_TRIGGERS.items():
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for sql in expected_sqlite_triggers().values():
                cursor.execute(sql)


def sql(statement: str, params: list[Any] | None = None) -> None:
    with tampering(), connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def sha256_link(prev: str, canonical: bytes) -> str:
    return hashlib.sha256(prev.encode() + canonical).hexdigest()


def keyed_link(key: bytes, prev: str, canonical: bytes) -> str:
    return hmac.digest(key, prev.encode() + canonical, "sha256").hex()


def audit_row_canonical(e: AuditEntry, key_id: str) -> bytes:
    return audit_canonical(e.seq, e.at, e.actor, e.terminal_id, e.action, e.target_type, e.target_id,
                           e.detail, key_id)


def reference_row_canonical(r: ReferenceLog, key_id: str) -> bytes:
    return reference_canonical(r.seq, r.at, r.user_id, r.username, r.terminal_id, r.screen, r.purpose,
                               r.person_id, str(r.kind), r.number_token, key_id)


def recompute_audit_chain(*, key: bytes | None, key_id: str) -> None:
    """Rewrite every audit row's prev_hash/hash (and key id) as a forger would: with `key`, or with
    plain SHA-256 when key is None (all that the published code gives without the keyring)."""
    prev = GENESIS
    for e in list(AuditEntry.objects.order_by("seq")):
        canonical = audit_row_canonical(e, key_id)
        digest = keyed_link(key, prev, canonical) if key else sha256_link(prev, canonical)
        sql(f"UPDATE {AUDIT} SET prev_hash = %s, hash = %s, key_id = %s WHERE seq = %s",
            [prev, digest, key_id, e.seq])
        prev = digest
