"""The sealed audit log: each way of tampering is detected (issue 14 §1), append-only guards hold.

Raw SQL here is deliberate tampering with fixed statements (tests/privacy/chain_helpers.py).
"""
# ruff: noqa: S608

from __future__ import annotations

import itertools
import secrets
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from kouki.cli import main
from kouki.privacy.audit import audit_record, verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.integrity import verify_all
from kouki.privacy.keys import load_keyring
from kouki.privacy.models import AppendOnlyError, AuditEntry
from privacy.chain_helpers import (
    AUDIT,
    append_audit,
    audit_row_canonical,
    keyed_link,
    recompute_audit_chain,
    sha256_link,
    sql,
)

pytestmark = pytest.mark.django_db


def _problems() -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for p in verify_chain(batch_size=2):
        found.setdefault(p.seq, []).append(p.reason)
    return found


def _checkpoint() -> None:
    """A checkpoint written through the service, as `kouki audit checkpoint` does."""
    from kouki.privacy.checkpoint import write_checkpoint

    assert write_checkpoint(actor=Actor.system("tests")).problems == []


def test_intact_chain_verifies_after_round_trip() -> None:
    """Timestamps and JSON details read back from the database give the stored MAC."""
    append_audit(5)
    assert list(verify_chain()) == []
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert {e.key_id for e in entries} == {load_keyring().audit_active}


def test_rows_are_keyed_not_plain_sha256() -> None:
    """The stored hash is the HMAC under the audit key: the published code alone cannot produce it."""
    append_audit(1)
    e = AuditEntry.objects.get()
    canonical = audit_row_canonical(e, e.key_id)
    assert e.hash == keyed_link(load_keyring().audit_key(e.key_id), e.prev_hash, canonical)
    assert e.hash != sha256_link(e.prev_hash, canonical)


def test_cli_verify_ok_with_checkpoint(checkpoint_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append_audit(3)
    _checkpoint()
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    head = AuditEntry.objects.order_by("-seq").first()
    assert head is not None and f"audit log: 4 rows, head seq 4 hash {head.hash}" in out
    assert "last checkpoint: line 1 of" in out and "audit seq 4" in out
    assert "OK: chains intact under the audit key" in out and "consistent with the last checkpoint" in out
    assert "WARNING" not in out or connection.vendor == "postgresql"  # PostgreSQL: the role's privileges


def test_cli_verify_without_checkpoint_file_says_it_is_weaker(capsys: pytest.CaptureFixture[str]) -> None:
    append_audit(2)
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "WARNING: KOUKI_AUDIT_CHECKPOINT_FILE is not set" in out and "would NOT be noticed" in out
    assert "consistent with the last checkpoint" not in out


def test_edited_row_is_reported_and_named(capsys: pytest.CaptureFixture[str]) -> None:
    append_audit(4)
    sql(f"UPDATE {AUDIT} SET detail = %s WHERE seq = 2", ['{"i": 99}'])
    assert _problems() == {2: ["content changed or sealed without the audit key: MAC does not match the row"]}
    assert main(["audit", "verify"]) == 1
    row_id = AuditEntry.objects.get(seq=2).pk
    out = capsys.readouterr().out
    assert f"first bad row: audit seq 2 (id {row_id}): content changed" in out and "FAILED: 1 problems" in out


def test_edited_actor_is_reported() -> None:
    append_audit(3)
    sql(f"UPDATE {AUDIT} SET actor = 'someone_else' WHERE seq = 3")
    assert list(_problems()) == [3]


def test_edit_and_recompute_with_plain_sha256_is_reported() -> None:
    """A forger without the key recomputes the whole chain with SHA-256, as the old code did."""
    append_audit(4)
    sql(f"UPDATE {AUDIT} SET actor = 'someone_else' WHERE seq = 2")
    recompute_audit_chain(key=None, key_id=load_keyring().audit_active)
    problems = _problems()
    assert all(any("MAC does not match" in r for r in problems[s]) for s in (1, 2, 3, 4))


def test_recompute_as_unkeyed_legacy_chain_is_reported() -> None:
    """Key ids blanked and SHA-256 recomputed: the rows pass as a legacy chain, but nothing seals it."""
    append_audit(3)
    recompute_audit_chain(key=None, key_id="")
    report = verify_all()
    assert [(p.chain, p.seq) for p in report.problems] == [("audit", 3)]
    assert "nothing seals them" in report.problems[0].reason


def test_recompute_with_a_wrong_key_is_reported() -> None:
    append_audit(3)
    recompute_audit_chain(key=secrets.token_bytes(32), key_id=load_keyring().audit_active)
    assert set(_problems()) == {1, 2, 3}


def test_recompute_under_an_unknown_key_id_is_reported() -> None:
    append_audit(2)
    recompute_audit_chain(key=secrets.token_bytes(32), key_id="a99")
    assert _problems()[1] == ["audit key 'a99' is not in the keyring: the row cannot be checked"]


def test_deleted_middle_row_is_reported() -> None:
    append_audit(4)
    sql(f"DELETE FROM {AUDIT} WHERE seq = 2")
    problems = _problems()
    assert list(problems) == [3]
    assert any("sequence gap" in r for r in problems[3]) and any("link broken" in r for r in problems[3])


def test_deleted_first_row_is_reported() -> None:
    append_audit(3)
    sql(f"DELETE FROM {AUDIT} WHERE seq = 1")
    assert 2 in _problems()


@pytest.mark.parametrize("deleted", ["seq >= 4", "seq = (SELECT MAX(seq) FROM privacy_auditentry)", "1 = 1"])
def test_cut_tail_last_row_or_emptied_table_fail_against_the_checkpoint(
        checkpoint_file: Path, deleted: str, capsys: pytest.CaptureFixture[str]) -> None:
    append_audit(5)
    _checkpoint()  # seals seq 6 (its own audit row)
    sql(f"DELETE FROM {AUDIT} WHERE {deleted}")
    report = verify_all()
    assert not report.ok
    assert any("rows were removed" in p.reason and p.seq == 6 for p in report.problems)
    assert main(["audit", "verify"]) == 1
    assert "first bad row: audit seq" in capsys.readouterr().out


def test_deleted_last_row_without_checkpoint_is_only_a_warning() -> None:
    """Without a checkpoint nothing outside the database remembers the head: verify says so."""
    append_audit(3)
    sql(f"DELETE FROM {AUDIT} WHERE seq = 3")
    report = verify_all()
    assert report.ok and any("would NOT be noticed" in w for w in report.warnings)


def test_forged_append_is_reported(checkpoint_file: Path) -> None:
    """A row added at the end with a link to the real head, sealed with SHA-256 or a guessed key."""
    append_audit(2)
    head = AuditEntry.objects.get(seq=2)
    key_id = head.key_id
    for seq, key in ((3, None), (4, secrets.token_bytes(32))):
        prev = AuditEntry.objects.get(seq=seq - 1).hash
        with transaction.atomic():
            forged = AuditEntry(seq=seq, at=head.at, actor="forger", terminal_id="", action="test.write",
                                detail={}, prev_hash=prev, key_id=key_id)
            canonical = audit_row_canonical(forged, key_id)
            forged.hash = keyed_link(key, prev, canonical) if key else sha256_link(prev, canonical)
            forged.save()
    assert set(_problems()) == {3, 4}


def test_swapped_rows_are_reported() -> None:
    append_audit(4)
    sql(f"UPDATE {AUDIT} SET seq = -2 WHERE seq = 2")
    sql(f"UPDATE {AUDIT} SET seq = 2 WHERE seq = 3")
    sql(f"UPDATE {AUDIT} SET seq = 3 WHERE seq = -2")
    problems = _problems()
    assert {2, 3} <= set(problems)
    assert all(any("MAC does not match" in r for r in problems[s]) for s in (2, 3))


def test_changed_hash_is_reported() -> None:
    append_audit(4)
    sql(f"UPDATE {AUDIT} SET hash = %s WHERE seq = 2", ["f" * 64])
    problems = _problems()
    assert problems[2] == ["content changed or sealed without the audit key: MAC does not match the row"]
    assert problems[3] == ["link broken: prev_hash does not match the previous row"]


def test_orm_refuses_update_and_delete() -> None:
    append_audit(2)
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


@pytest.mark.parametrize("statement", [f"UPDATE {AUDIT} SET action = 'changed' WHERE seq = 1",
                                       f"DELETE FROM {AUDIT} WHERE seq = 1"])
def test_database_refuses_raw_update_and_delete(statement: str) -> None:
    """The triggers stop tampering that bypasses the ORM, on both databases."""
    append_audit(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.get(seq=1).action == "test.write"


def test_audit_record_needs_a_transaction(transactional_db: None) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=Actor.system("test"), action="test.write")  # type: ignore[arg-type]


def test_detail_must_round_trip() -> None:
    with transaction.atomic(), pytest.raises(TypeError, match="float"):
        audit_record(actor=Actor.system("test"), action="test.write", detail={"amount": 1.5})  # type: ignore[arg-type]
    with transaction.atomic(), pytest.raises(TypeError, match="keys must be str"):
        audit_record(actor=Actor.system("test"), action="test.write", detail={1: "x"})  # type: ignore[arg-type, dict-item]
    with transaction.atomic():
        audit_record(actor=Actor.system("test"), action="test.write", detail={"t": (1, 2)})  # type: ignore[arg-type]
    assert list(verify_chain()) == []
