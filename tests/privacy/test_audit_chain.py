"""The hash-chained audit log: verify, tamper detection, append-only guards.

Design "privacy by construction": the audit log is append-only and hash-chained; a command verifies it.
Raw SQL here is deliberate tampering with fixed statements.
"""
# ruff: noqa: S608

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, transaction

from kouki.cli import main
from kouki.privacy.audit import audit_record, verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db

TABLE = "privacy_auditentry"
TRIGGER = "privacy_auditentry_append_only"
SQLITE_TRIGGER = (
    f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only (UPDATE refused)'); END"
)


def _append(n: int) -> None:
    actor = Actor(username="clerk01", terminal_id="T-0101", user_id=1)
    for i in range(n):
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="test.write",
                target_type="person",
                target_id=str(i),
                detail={"i": i, "名前": "テスト", "nested": {"b": [1, 2], "a": None, "ok": True}},
            )


@contextmanager
def tampering() -> Iterator[None]:
    """Switch off the database trigger for raw-SQL tampering; the test transaction restores it anyway."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
        else:
            cursor.execute(f"DROP TRIGGER {TRIGGER}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
        else:
            cursor.execute(SQLITE_TRIGGER)


def _sql(statement: str, params: list[str] | None = None) -> None:
    with tampering(), connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _problems() -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for p in verify_chain(batch_size=2):
        found.setdefault(p.seq, []).append(p.reason)
    return found


def test_intact_chain_verifies_after_round_trip() -> None:
    """Timestamps and JSON details read back from the database hash to the stored value."""
    _append(5)
    assert list(verify_chain()) == []
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))


def test_cli_verify_ok(capsys: pytest.CaptureFixture[str]) -> None:
    _append(3)
    assert main(["audit", "verify"]) == 0
    head = AuditEntry.objects.get(seq=3)
    out = capsys.readouterr().out.splitlines()
    assert out == ["OK: audit chain intact, 3 rows", f"head: seq 3 hash {head.hash}"]


def test_edited_detail_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    _append(4)
    _sql(f"UPDATE {TABLE} SET detail = %s WHERE seq = 2", ['{"i": 99}'])
    assert _problems() == {2: ["content changed: hash does not match the row"]}
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "seq 2: content changed" in out and "FAILED: 1 problems in 4 rows" in out


def test_edited_actor_is_reported() -> None:
    _append(3)
    _sql(f"UPDATE {TABLE} SET actor = 'someone_else' WHERE seq = 3")
    assert list(_problems()) == [3]


def test_deleted_row_is_reported() -> None:
    _append(4)
    _sql(f"DELETE FROM {TABLE} WHERE seq = 2")
    problems = _problems()
    assert list(problems) == [3]
    assert any("sequence gap" in r for r in problems[3]) and any("link broken" in r for r in problems[3])


def test_deleted_first_row_is_reported() -> None:
    _append(3)
    _sql(f"DELETE FROM {TABLE} WHERE seq = 1")
    assert 2 in _problems()


def test_swapped_rows_are_reported() -> None:
    _append(4)
    _sql(f"UPDATE {TABLE} SET seq = -2 WHERE seq = 2")
    _sql(f"UPDATE {TABLE} SET seq = 2 WHERE seq = 3")
    _sql(f"UPDATE {TABLE} SET seq = 3 WHERE seq = -2")
    problems = _problems()
    assert {2, 3} <= set(problems)
    assert all(any("content changed" in r for r in problems[s]) for s in (2, 3))


def test_changed_hash_is_reported() -> None:
    _append(4)
    _sql(f"UPDATE {TABLE} SET hash = %s WHERE seq = 2", ["f" * 64])
    problems = _problems()
    assert problems[2] == ["content changed: hash does not match the row"]
    assert problems[3] == ["link broken: prev_hash does not match the previous row"]


def test_orm_refuses_update_and_delete() -> None:
    _append(2)
    entry = AuditEntry.objects.get(seq=1)
    entry.action = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=1).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry(seq=9, at=entry.at, actor="x", action="x")])
    assert list(verify_chain()) == []


def test_database_refuses_raw_update() -> None:
    """The trigger stops tampering that bypasses the ORM (UPDATE on both databases)."""
    _append(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'changed' WHERE seq = 1")
    assert AuditEntry.objects.get(seq=1).action == "test.write"


def test_database_refuses_raw_delete_on_postgresql() -> None:
    _append(1)
    if connection.vendor != "postgresql":
        # SQLite keeps DELETE possible for Django's test flush; the ORM guard refuses it (test above).
        assert connection.vendor == "sqlite"
        return
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq = 1")
    assert AuditEntry.objects.count() == 1


def test_audit_record_needs_a_transaction(transactional_db: None) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=Actor.system("test"), action="test.write")


def test_detail_must_round_trip() -> None:
    with transaction.atomic(), pytest.raises(TypeError, match="float"):
        audit_record(actor=Actor.system("test"), action="test.write", detail={"amount": 1.5})
    with transaction.atomic(), pytest.raises(TypeError, match="keys must be str"):
        audit_record(actor=Actor.system("test"), action="test.write", detail={1: "x"})  # type: ignore[dict-item]
    with transaction.atomic():
        audit_record(actor=Actor.system("test"), action="test.write", detail={"t": (1, 2)})
    assert list(verify_chain()) == []
