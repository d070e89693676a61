"""Issue 14 §1 beyond the audit rows: the reference log's chain, the checkpoint file, the database guards,
audit-key rotation and rows from before the keyed chain.

Raw SQL here is deliberate tampering with fixed statements (tests/privacy/chain_helpers.py).
"""
# ruff: noqa: S608

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from kouki.accounts.models import StaffUser
from kouki.cli import main
from kouki.privacy.checkpoint import CheckpointError, write_checkpoint
from kouki.privacy.context import Actor
from kouki.privacy.gate import find_person_by_personal_number
from kouki.privacy.guards import expected_sqlite_triggers, guard_problems, privilege_warnings
from kouki.privacy.integrity import verify_all
from kouki.privacy.keys import load_keyring, write_keyring
from kouki.privacy.models import AppendOnlyError, AuditEntry, ReferenceLog
from kouki.privacy.references import verify_references
from privacy.chain_helpers import (
    AUDIT,
    REFERENCE,
    append_audit,
    append_references,
    keyed_link,
    recompute_audit_chain,
    reference_row_canonical,
    sql,
)

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("tests")


def _reasons(chain: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for p in verify_all().problems:
        if p.chain == chain:
            found.setdefault(p.seq, []).append(p.reason)
    return found


# --- the reference log --------------------------------------------------------------------------------


def test_a_search_appends_a_sealed_reference_row(number_clerk: StaffUser, make_number: object) -> None:
    number = make_number()  # type: ignore[operator]
    assert find_person_by_personal_number(user=number_clerk, number=number, purpose="acquisition",
                                          screen="番号検索", terminal_id="T-0101") is None
    row = ReferenceLog.objects.get()
    assert row.seq == 1 and row.key_id == load_keyring().audit_active
    assert row.hash == keyed_link(load_keyring().audit_key(row.key_id), row.prev_hash,
                                  reference_row_canonical(row, row.key_id))
    assert list(verify_references()) == []


def test_reference_edit_is_reported(number_clerk: StaffUser) -> None:
    append_references(number_clerk.pk, number_clerk.username, 3)
    sql(f"UPDATE {REFERENCE} SET purpose = 'changed' WHERE seq = 2")
    assert _reasons("reference") == {
        2: ["content changed or sealed without the audit key: MAC does not match the row"]}


def test_reference_deleted_middle_row_is_reported(number_clerk: StaffUser) -> None:
    append_references(number_clerk.pk, number_clerk.username, 3)
    sql(f"DELETE FROM {REFERENCE} WHERE seq = 2")
    assert list(_reasons("reference")) == [3]


@pytest.mark.parametrize("deleted", ["seq = 3", "1 = 1"])
def test_reference_cut_tail_or_emptied_table_fails_against_the_checkpoint(
        number_clerk: StaffUser, checkpoint_file: Path, deleted: str) -> None:
    append_references(number_clerk.pk, number_clerk.username, 3)
    assert write_checkpoint(actor=SYSTEM).problems == []
    sql(f"DELETE FROM {REFERENCE} WHERE {deleted}")
    assert any("rows were removed" in r for r in _reasons("reference")[3])


def test_reference_forged_append_is_reported(number_clerk: StaffUser) -> None:
    append_references(number_clerk.pk, number_clerk.username, 1)
    head = ReferenceLog.objects.get()
    with transaction.atomic():
        ReferenceLog(seq=2, at=head.at, user_id=head.user_id, username="forger", terminal_id="T",
                     screen="s", purpose="p", kind="search", number_token="t", prev_hash=head.hash,
                     hash="0" * 64, key_id=head.key_id).save()
    assert list(_reasons("reference")) == [2]


def test_reference_log_refuses_update_and_delete(number_clerk: StaffUser) -> None:
    append_references(number_clerk.pk, number_clerk.username, 1)
    row = ReferenceLog.objects.get()
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        ReferenceLog.objects.all().delete()
    for statement in (f"UPDATE {REFERENCE} SET purpose = 'x'", f"DELETE FROM {REFERENCE}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert ReferenceLog.objects.count() == 1


# --- the checkpoint file ------------------------------------------------------------------------------


def test_checkpoint_refuses_without_a_file(operator: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "checkpoint"]) == 2
    assert "KOUKI_AUDIT_CHECKPOINT_FILE is not set" in capsys.readouterr().err


def test_checkpoint_file_is_private_and_only_appended(operator: str, checkpoint_file: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    append_audit(2)
    assert main(["audit", "checkpoint"]) == 0
    first = checkpoint_file.read_text()
    assert main(["audit", "checkpoint"]) == 0
    assert "checkpoint appended to" in capsys.readouterr().out
    assert stat.S_IMODE(checkpoint_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(checkpoint_file.parent.stat().st_mode) == 0o700
    text = checkpoint_file.read_text()
    assert text.startswith(first) and len(text.splitlines()) == 2
    assert AuditEntry.objects.filter(action="audit.checkpoint").count() == 2
    assert verify_all().ok


def test_checkpoint_refuses_a_folder_open_to_others(operator: str, checkpoint_file: Path) -> None:
    os.chmod(checkpoint_file.parent, 0o750)  # noqa: S103 (the mistake under test)
    with pytest.raises(CheckpointError, match="0700"):
        write_checkpoint(actor=SYSTEM)
    assert not checkpoint_file.exists()


def test_checkpoint_does_not_seal_tampered_rows(checkpoint_file: Path) -> None:
    append_audit(3)
    assert write_checkpoint(actor=SYSTEM).problems == []
    append_audit(2)
    sql(f"UPDATE {AUDIT} SET actor = 'x' WHERE seq = 5")
    result = write_checkpoint(actor=SYSTEM)
    assert [p.seq for p in result.problems] == [5]
    assert len(checkpoint_file.read_text().splitlines()) == 1


def test_edited_or_forged_checkpoint_line_is_reported(checkpoint_file: Path) -> None:
    append_audit(2)
    write_checkpoint(actor=SYSTEM)
    line = json.loads(checkpoint_file.read_text())
    line["audit"]["seq"] = 1  # pretend the log was shorter
    with checkpoint_file.open("a") as fh:
        fh.write(json.dumps(line) + "\n" + "not json\n")
    report = verify_all()
    assert report.other_problems == ["checkpoint line 2: seal does not match (edited or forged)",
                                     "checkpoint line 3: not a checkpoint"]


def test_verify_against_the_checkpoint_copy_of_a_backup(checkpoint_file: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    append_audit(2)
    write_checkpoint(actor=SYSTEM)
    copy = tmp_path / "backup-checkpoints.jsonl"
    copy.write_text(checkpoint_file.read_text())
    sql(f"DELETE FROM {AUDIT}")
    assert main(["audit", "verify", "--checkpoint-file", str(copy)]) == 1
    assert "rows were removed" in capsys.readouterr().out


# --- the database guards ------------------------------------------------------------------------------


def test_guards_are_in_place_after_migrating() -> None:
    assert guard_problems() == []


def test_dropped_or_disabled_trigger_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    append_audit(1)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {AUDIT}_no_delete")
            expected = f"trigger {AUDIT}_no_delete is missing: UPDATE/DELETE on the log is not refused"
        else:
            cursor.execute(f"ALTER TABLE {AUDIT} DISABLE TRIGGER {AUDIT}_append_only")
            expected = f"trigger {AUDIT}_append_only is disabled"
    assert guard_problems() == [expected]
    assert main(["audit", "verify"]) == 1
    assert expected in capsys.readouterr().out


def test_replaced_sqlite_trigger_is_reported() -> None:
    if connection.vendor != "sqlite":
        assert set(expected_sqlite_triggers()) == {f"{t}_no_{op}" for t in (AUDIT, REFERENCE)
                                                   for op in ("update", "delete")}
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {REFERENCE}_no_update")
        cursor.execute(
            f"CREATE TRIGGER {REFERENCE}_no_update BEFORE UPDATE ON {REFERENCE} BEGIN SELECT 1; END")
    assert guard_problems() == [f"trigger {REFERENCE}_no_update has been changed"]


def test_privileges_of_the_database_role_are_reported() -> None:
    """The test role owns the tables: on PostgreSQL verify warns that it may change them."""
    warnings = privilege_warnings()
    if connection.vendor == "postgresql":
        assert len(warnings) == 2 and all("database-roles.md" in w for w in warnings)
        assert "UPDATE/DELETE/TRUNCATE privacy_auditentry" in warnings[0]
    else:
        assert warnings == []


# --- audit keys ---------------------------------------------------------------------------------------


def test_rotated_audit_key_keeps_old_rows_verifiable(own_keyring: Path, operator: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    append_audit(2)
    assert main(["keys", "rotate-audit"]) == 0
    assert "active audit key a2 (was a1)" in capsys.readouterr().out
    append_audit(1)
    assert main(["keys", "status"]) == 0
    out = capsys.readouterr().out
    assert "audit key a1: 3 log rows" in out and "audit key a2 (active): 2 log rows" in out
    key_ids = list(AuditEntry.objects.order_by("seq").values_list("key_id", flat=True))
    assert key_ids == ["a1"] * 3 + ["a2"] * 2
    assert verify_all().ok
    data = json.loads(own_keyring.read_text())
    del data["audit_keys"]["a1"]
    write_keyring(own_keyring, data)
    reasons = _reasons("audit")
    assert sorted(reasons) == [1, 2, 3]
    assert reasons[1] == ["audit key 'a1' is not in the keyring: the row cannot be checked"]


def test_a_keyring_without_audit_key_refuses_audit_writes(own_keyring: Path, operator: str) -> None:
    data = json.loads(own_keyring.read_text())
    del data["audit_keys"], data["audit_active"]
    write_keyring(own_keyring, data)
    from kouki.privacy.keys import KeyringError

    with pytest.raises(KeyringError, match="rotate-audit"):
        append_audit(1)
    assert main(["keys", "rotate-audit"]) == 0  # a1 is named by the operator's enrolment row: not reused
    assert AuditEntry.objects.get(action="keys.rotate_audit").key_id == "a2"
    assert [p.seq for p in verify_all().problems] == [1]  # the row under the lost a1 cannot be checked


# --- rows from before the keyed chain -----------------------------------------------------------------


def test_legacy_rows_are_sealed_by_the_next_keyed_row(number_clerk: StaffUser) -> None:
    """Audit rows of the old SHA-256 chain and reference rows without hashes, as migration 0006 leaves
    them: a keyed row appended afterwards seals them, so an edit of an old row is still reported."""
    append_audit(3)
    append_references(number_clerk.pk, number_clerk.username, 2)
    recompute_audit_chain(key=None, key_id="")
    sql(f"UPDATE {REFERENCE} SET prev_hash = '', hash = '', key_id = ''")
    assert sorted((p.chain, p.seq) for p in verify_all().problems) == [("audit", 3), ("reference", 2)]
    append_audit(1)
    append_references(number_clerk.pk, number_clerk.username, 1)
    assert verify_all().ok
    sql(f"UPDATE {REFERENCE} SET purpose = 'changed' WHERE seq = 1")
    sql(f"UPDATE {AUDIT} SET actor = 'changed' WHERE seq = 1")
    assert sorted((p.chain, p.seq) for p in verify_all().problems) == [
        ("audit", 1), ("reference", 3)]


def test_legacy_tail_is_sealed_by_a_checkpoint(number_clerk: StaffUser, checkpoint_file: Path) -> None:
    """`kouki audit checkpoint` is the re-seal step after migrating: its own audit row seals the audit
    log, its sealed line the reference log (no reference row is written for it)."""
    append_audit(2)
    append_references(number_clerk.pk, number_clerk.username, 2)
    recompute_audit_chain(key=None, key_id="")
    sql(f"UPDATE {REFERENCE} SET prev_hash = '', hash = '', key_id = ''")
    assert not verify_all().ok
    assert write_checkpoint(actor=SYSTEM).problems == []
    assert verify_all().ok
    sql(f"UPDATE {REFERENCE} SET purpose = 'changed' WHERE seq = 2")
    assert [(p.chain, p.seq) for p in verify_all().problems] == [("reference", 2)]


def test_a_command_run_as_an_operator_ends_with_a_checkpoint(
        own_keyring: Path, operator: str, checkpoint_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "rotate-audit"]) == 0
    line = json.loads(checkpoint_file.read_text())
    head = AuditEntry.objects.order_by("-seq").first()
    assert head is not None and line["audit"]["seq"] == head.seq and line["key"] == "a2"
    with transaction.atomic():  # a forged row after the checkpoint
        AuditEntry(seq=head.seq + 1, at=head.at, actor="forger", action="test.write", detail={},
                   prev_hash=head.hash, hash="0" * 64, key_id="a2").save()
    assert main(["keys", "rotate-audit"]) == 1  # done, but the forged row is not sealed
    assert "no audit checkpoint was written" in capsys.readouterr().err
    assert len(checkpoint_file.read_text().splitlines()) == 1
