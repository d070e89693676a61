"""Append-only audit log, sealed by a keyed chain (kouki.privacy.chain).

Each row's hash is HMAC-SHA256 under the active audit key (keyring, never the database) over the
previous row's hash and the row's own canonical content, so editing, deleting, reordering or forging any
row breaks the chain from that row on, and nobody without the key can recompute it; checkpoints outside
the database (kouki.privacy.checkpoint) catch a cut tail. `audit_record` must be
called inside the caller's transaction (the service's write and its audit row commit together).
Actions and target types are members of kouki.core.audit_vocabulary (AuditAction, AuditTarget); the row
stores their plain string values, the same strings as before the vocabulary was named.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import db_datetime, insert_rows
from kouki.privacy.chain import (
    AUDIT_LOCK,
    GENESIS,
    ORIGIN,
    Anchor,
    ChainProblem,
    ChainRow,
    Tally,
    canonical_json,
    link,
    lock_chain,
    sealing_key,
    timestamp,
    walk,
)
from kouki.privacy.context import Actor
from kouki.privacy.keys import Keyring, load_keyring
from kouki.privacy.models import AuditEntry
from kouki.privacy.redaction import assert_no_personal_number

__all__ = ["GENESIS", "AuditItem", "ChainProblem", "audit_record", "audit_record_many", "verify_chain",
           "verify_report"]


def _check_json(value: Any, path: str = "detail") -> None:
    """Only values that round-trip unchanged through JSON columns of both databases."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        raise TypeError(f"{path}: floats do not round-trip exactly; store an int or a str")
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_json(item, f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: keys must be str")
            _check_json(item, f"{path}.{key}")
        return
    raise TypeError(f"{path}: {type(value).__name__} is not a JSON value")


def _canonical(seq: int, at: datetime, actor: str, terminal_id: str, action: str, target_type: str,
               target_id: str, detail: dict[str, Any], key_id: str) -> bytes:
    body = {
        "seq": seq,
        "at": timestamp(at),
        "actor": actor,
        "terminal_id": terminal_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "detail": detail,
    }
    return canonical_json(body, key_id)


def digest_for_audit(hexdigest: str) -> str:
    """A hex digest grouped by 8 (``0cdb5143:9ea649b6:…``) for audit details: an ungrouped SHA-256 has a
    run of 12 digits with a valid check digit about once in 50 hashes, which the personal-number guard
    rightly refuses."""
    return ":".join(hexdigest[i : i + 8] for i in range(0, len(hexdigest), 8))


def _plain(value: str) -> str:
    """The stored string of a vocabulary member (a plain str: the canonical JSON and the columns see
    exactly what they saw before the enums)."""
    return str.__str__(value)


def audit_record(*, actor: Actor, action: AuditAction, target_type: AuditTarget = AuditTarget.NONE,
                 target_id: str = "", detail: dict[str, Any] | None = None) -> AuditEntry:
    """Append one audit row. Must run inside the transaction of the write it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the write it records")
    stored_action, stored_target = _plain(action), _plain(target_type)
    detail = detail or {}
    _check_json(detail)
    detail = json.loads(json.dumps(detail))  # tuples -> lists, as the database will give them back
    for text in (json.dumps(detail, ensure_ascii=False), stored_action, stored_target, str(target_id)):
        assert_no_personal_number(text)
    key_id, key = sealing_key()  # before the lock: no audit key, no write
    lock_chain(AUDIT_LOCK)
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else GENESIS
    at = timezone.now()  # aware UTC, microseconds: stored exactly by both databases
    target_id = str(target_id)
    canonical = _canonical(seq, at, actor.username, actor.terminal_id, stored_action, stored_target,
                           target_id, detail, key_id)
    return AuditEntry.objects.create(
        seq=seq, at=at, actor=actor.username, terminal_id=actor.terminal_id, action=stored_action,
        target_type=stored_target, target_id=target_id, detail=detail,
        prev_hash=prev, hash=link(key, prev, canonical), key_id=key_id,
    )


@dataclass(frozen=True)
class AuditItem:
    """One row for `audit_record_many`: the same fields audit_record takes, the actor aside."""

    action: AuditAction
    target_type: AuditTarget = AuditTarget.NONE
    target_id: str = ""
    detail: dict[str, Any] | None = None


AUDIT_FIELDS = ("seq", "at", "actor", "terminal_id", "action", "target_type", "target_id", "detail",
                "prev_hash", "hash", "key_id")


def audit_record_many(*, actor: Actor, items: Sequence[AuditItem], batch_size: int = 2000) -> int:
    """Append len(items) chained rows in order under one chain lock, written with one bulk insert.

    Same checks and the same chain as calling audit_record once per item (`kouki audit verify` cannot
    tell them apart); for batch services that write thousands of rows. Returns how many rows.
    `batch_size` is accepted for compatibility; the rows go in one bulk insert.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must be called inside the transaction of the writes it records")
    prepared: list[tuple[str, str, dict[str, Any], str]] = []
    for item in items:
        detail = item.detail or {}
        # Only plain JSON values pass _check_json, so the JSON text of `detail` (canonical form and
        # stored text) is that of its round trip through the database: no json.loads(json.dumps()).
        _check_json(detail)
        target_id = str(item.target_id)
        action, target_type = _plain(item.action), _plain(item.target_type)
        for text in (json.dumps(detail, ensure_ascii=False), action, target_type, target_id):
            assert_no_personal_number(text)
        prepared.append((action, target_type, detail, target_id))
    if not prepared:
        return 0
    key_id, key = sealing_key()
    lock_chain(AUDIT_LOCK)
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    seq = last.seq if last else 0
    prev = last.hash if last else GENESIS
    at = timezone.now()
    stamp = db_datetime(at)
    rows: list[tuple[Any, ...]] = []
    for action, target_type, detail, target_id in prepared:
        seq += 1
        canonical = _canonical(seq, at, actor.username, actor.terminal_id, action, target_type, target_id,
                               detail, key_id)
        digest = link(key, prev, canonical)
        rows.append((seq, stamp, actor.username, actor.terminal_id, action, target_type, target_id,
                     json.dumps(detail), prev, digest, key_id))  # detail as Django's JSONField writes it
        prev = digest
    # AuditEntry's own manager refuses bulk_create (rows are appended only here and in audit_record):
    # this chained append writes its rows with one COPY / executemany (ids from the table's default).
    insert_rows(AuditEntry, AUDIT_FIELDS, rows)
    return len(rows)


def _rows(batch_size: int, after: int = 0) -> Iterator[ChainRow]:
    for e in AuditEntry.objects.filter(seq__gt=after).order_by("seq").iterator(chunk_size=batch_size):
        canonical = _canonical(e.seq, e.at, e.actor, e.terminal_id, e.action, e.target_type, e.target_id,
                               e.detail, e.key_id)
        yield ChainRow(e.pk, e.seq, e.key_id, e.prev_hash, e.hash, canonical)


def verify_chain(batch_size: int = 5000, ring: Keyring | None = None,
                 tally: Tally | None = None, start: Anchor = ORIGIN) -> Iterator[ChainProblem]:
    """Walk the audit chain in order; yield each row whose content, link, key or sequence is wrong
    (the checkpoint and the database guards are checked by kouki.privacy.integrity)."""
    yield from walk("audit", _rows(batch_size, start.seq), ring or load_keyring(), tally, start)


def verify_report(batch_size: int = 5000) -> tuple[int, list[ChainProblem]]:
    """(audit rows checked, problems of the audit chain); `kouki audit verify` checks more
    (kouki.privacy.integrity.verify_all: the reference log, checkpoints, guards)."""
    tally = Tally()
    problems = list(verify_chain(batch_size, tally=tally))
    return tally.rows, problems
