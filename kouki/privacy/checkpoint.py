"""Sealed checkpoints of the two chains, appended to a file outside the database (issue 14 §1).

One JSON line per checkpoint: the sequence number and head hash of the audit log and of the reference
log, the time, the audit key id and an HMAC over the rest under that key. Rows up to a checkpoint must
stay in the database with that head: a cut tail, an emptied table or a deleted last row fails
`kouki audit verify` although what remains of the chain still links. The file
(KOUKI_AUDIT_CHECKPOINT_FILE) is only appended to, 0600 in a 0700 folder, and copied into every backup.
A checkpoint first checks the rows written since the previous one, so it never seals tampering.
"""

from __future__ import annotations

import hmac
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kouki.core.audit_vocabulary import AuditAction
from kouki.core.config import audit_checkpoint_file
from kouki.privacy.chain import (
    AUDIT_LOCK,
    REFERENCE_LOCK,
    Anchor,
    ChainProblem,
    Tally,
    lock_chain,
    sealing_key,
    timestamp,
)
from kouki.privacy.context import Actor
from kouki.privacy.keys import Keyring, KeyringError, load_keyring

CHAINS = ("audit", "reference")
_DOMAIN = b"kouki-audit-checkpoint\n"  # never the start of a row's MAC input (64 hex digits)


class CheckpointError(RuntimeError):
    """The checkpoint file is not configured, not safe, or not readable."""


@dataclass(frozen=True)
class Checkpoint:
    line: int
    at: str
    key_id: str
    heads: dict[str, Anchor]


def checkpoint_path(override: str | Path | None = None) -> Path | None:
    value = str(override or audit_checkpoint_file())
    return Path(value) if value else None


def _mac(key: bytes, body: dict[str, Any]) -> str:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hmac.digest(key, _DOMAIN + text, "sha256").hex()


def _body(at: str, key_id: str, heads: dict[str, Anchor]) -> dict[str, Any]:
    return {"v": 1, "at": at, "key": key_id,
            **{c: {"seq": a.seq, "head": a.head, "keyed": a.keyed} for c, a in heads.items()}}


def read_checkpoints(path: Path, ring: Keyring) -> tuple[list[Checkpoint], list[str]]:
    """(checkpoints whose seal holds, in file order; a problem per line that is not a sealed checkpoint)."""
    good: list[Checkpoint] = []
    problems: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [], []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
            mac, key_id, at = str(data.pop("mac")), str(data["key"]), str(data["at"])
            heads = {c: Anchor(int(data[c]["seq"]), str(data[c]["head"]), bool(data[c]["keyed"]))
                     for c in CHAINS}
        except (ValueError, KeyError, TypeError, AttributeError):
            problems.append(f"checkpoint line {number}: not a checkpoint")
            continue
        key = ring.audit_keys.get(key_id)
        if key is None:
            problems.append(f"checkpoint line {number}: audit key {key_id!r} is not in the keyring")
            continue
        if data != _body(at, key_id, heads) or not hmac.compare_digest(_mac(key, data), mac):
            problems.append(f"checkpoint line {number}: seal does not match (edited or forged)")
            continue
        if good and any(heads[c].seq < good[-1].heads[c].seq for c in CHAINS):
            problems.append(f"checkpoint line {number}: goes back behind the checkpoint before it")
        good.append(Checkpoint(number, at, key_id, heads))
    return good, problems


def _safe_file(path: Path) -> None:
    """0700 folder (created if missing), 0600 file; refuse when either is open to others."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    if stat.S_IMODE(folder.stat().st_mode) & 0o077:
        raise CheckpointError(f"{folder} must be mode 0700 (it holds the audit checkpoints)")
    if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise CheckpointError(f"{path} must be mode 0600")


def _append_line(path: Path, line: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class CheckpointResult:
    path: Path
    heads: dict[str, Anchor]
    problems: list[ChainProblem]


def write_checkpoint(*, actor: Actor, path: str | Path | None = None) -> CheckpointResult:
    """Record the checkpoint in the audit log, check every row since the last checkpoint, then append
    the sealed line. Nothing is appended when a row fails (the problems are returned instead)."""
    from kouki.privacy.audit import audit_record, verify_chain
    from kouki.privacy.references import verify_references

    target = checkpoint_path(path)
    if target is None:
        raise CheckpointError("KOUKI_AUDIT_CHECKPOINT_FILE is not set: name the append-only checkpoint file")
    _safe_file(target)
    ring = load_keyring()
    key_id, key = sealing_key(ring)
    previous, unreadable = read_checkpoints(target, ring)
    if unreadable:
        raise CheckpointError("; ".join(unreadable))
    last = previous[-1].heads if previous else {c: Anchor() for c in CHAINS}
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.AUDIT_CHECKPOINT, detail={"file": target.name})
        lock_chain(AUDIT_LOCK)
        lock_chain(REFERENCE_LOCK)
        tallies = {c: Tally() for c in CHAINS}
        problems = list(verify_chain(ring=ring, tally=tallies["audit"], start=last["audit"]))
        problems += verify_references(ring=ring, tally=tallies["reference"], start=last["reference"])
        problems += anchor_problems(last)
        heads = {c: Anchor(t.head_seq, t.head_hash, t.head_key_id != "") if t.rows else last[c]
                 for c, t in tallies.items()}
        if problems:
            return CheckpointResult(target, heads, problems)
    body = _body(timestamp(timezone.now()), key_id, heads)
    _append_line(target, json.dumps({**body, "mac": _mac(key, body)}, ensure_ascii=False, sort_keys=True))
    return CheckpointResult(target, heads, [])


def sealed_at_head(path: str | Path | None = None) -> bool:
    """True when the file's last checkpoint seals both chains as they stand: its seal holds, its head rows
    are there with the sealed hashes, and no row was written since. A new checkpoint would seal nothing
    more (a purge re-run after a crash that followed its checkpoint writes none). CheckpointError when the
    file is not safe."""
    from kouki.privacy.models import AuditEntry, ReferenceLog

    target = checkpoint_path(path)
    if target is None or not target.exists():
        return False
    _safe_file(target)
    good, unreadable = read_checkpoints(target, load_keyring())
    if unreadable or not good:
        return False
    heads = good[-1].heads
    if anchor_problems(heads):
        return False
    last = {"audit": AuditEntry.objects.aggregate(last=Max("seq"))["last"] or 0,
            "reference": ReferenceLog.objects.aggregate(last=Max("seq"))["last"] or 0}
    return all(last[c] == heads[c].seq for c in CHAINS)


def anchor_problems(heads: dict[str, Anchor]) -> list[ChainProblem]:
    """The rows a checkpoint sealed must still be there with the sealed hash."""
    from kouki.privacy.models import AuditEntry, ReferenceLog

    models: dict[str, type[AuditEntry] | type[ReferenceLog]] = {
        "audit": AuditEntry, "reference": ReferenceLog}
    problems = []
    for chain, anchor in heads.items():
        if anchor.seq == 0:
            continue
        stored = models[chain].objects.filter(seq=anchor.seq).values_list("hash", flat=True).first()
        if stored is None:
            problems.append(ChainProblem(anchor.seq, "row sealed by a checkpoint is missing "
                                         "(deleted, or the tail was cut)", None, chain))
        elif stored and stored != anchor.head:
            problems.append(ChainProblem(anchor.seq, "row differs from the checkpoint's head", None, chain))
    return problems


__all__ = ["CheckpointError", "KeyringError", "read_checkpoints", "sealed_at_head", "write_checkpoint"]
