"""Append-only, hash-chained audit log.

Each row's hash is SHA-256 over the previous row's hash and the row's own canonical content, so
editing, deleting or reordering any row breaks the chain from that row on. `audit_record` must be
called inside the caller's transaction (the service's write and its audit row commit together).
Actions and target types are members of kouki.core.audit_vocabulary (AuditAction, AuditTarget); the row
stores their plain string values, the same strings as before the vocabulary was named.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import db_datetime, insert_rows
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.privacy.redaction import assert_no_personal_number

GENESIS = "0" * 64


def _timestamp(at: datetime) -> str:
    """UTC with microseconds: what both SQLite and PostgreSQL store and give back, whatever the zone."""
    if at.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
               target_id: str, detail: dict[str, Any]) -> bytes:
    body = {
        "seq": seq,
        "at": _timestamp(at),
        "actor": actor,
        "terminal_id": terminal_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "detail": detail,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest_for_audit(hexdigest: str) -> str:
    """A hex digest grouped by 8 (``0cdb5143:9ea649b6:…``) for audit details: an ungrouped SHA-256 has a
    run of 12 digits with a valid check digit about once in 50 hashes, which the personal-number guard
    rightly refuses."""
    return ":".join(hexdigest[i : i + 8] for i in range(0, len(hexdigest), 8))


def _plain(value: str) -> str:
    """The stored string of a vocabulary member (a plain str: the canonical JSON and the columns see
    exactly what they saw before the enums)."""
    return str.__str__(value)


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical).hexdigest()


def _lock_chain_head() -> None:
    """Serialise appenders: PostgreSQL takes a transaction-level advisory lock; SQLite has one writer."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7507)")


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
    _lock_chain_head()
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else GENESIS
    at = timezone.now()  # aware UTC, microseconds: stored exactly by both databases
    target_id = str(target_id)
    canonical = _canonical(seq, at, actor.username, actor.terminal_id, stored_action, stored_target,
                           target_id, detail)
    return AuditEntry.objects.create(
        seq=seq, at=at, actor=actor.username, terminal_id=actor.terminal_id, action=stored_action,
        target_type=stored_target, target_id=target_id, detail=detail,
        prev_hash=prev, hash=chain_hash(prev, canonical),
    )


@dataclass(frozen=True)
class AuditItem:
    """One row for `audit_record_many`: the same fields audit_record takes, the actor aside."""

    action: AuditAction
    target_type: AuditTarget = AuditTarget.NONE
    target_id: str = ""
    detail: dict[str, Any] | None = None


AUDIT_FIELDS = ("seq", "at", "actor", "terminal_id", "action", "target_type", "target_id", "detail",
                "prev_hash", "hash")


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
    _lock_chain_head()
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    seq = last.seq if last else 0
    prev = last.hash if last else GENESIS
    at = timezone.now()
    stamp = db_datetime(at)
    rows: list[tuple[Any, ...]] = []
    for action, target_type, detail, target_id in prepared:
        seq += 1
        canonical = _canonical(seq, at, actor.username, actor.terminal_id, action, target_type, target_id,
                               detail)
        digest = chain_hash(prev, canonical)
        rows.append((seq, stamp, actor.username, actor.terminal_id, action, target_type, target_id,
                     json.dumps(detail), prev, digest))  # detail as Django's JSONField writes it
        prev = digest
    # AuditEntry's own manager refuses bulk_create (rows are appended only here and in audit_record):
    # this chained append writes its rows with one COPY / executemany (ids from the table's default).
    insert_rows(AuditEntry, AUDIT_FIELDS, rows)
    return len(rows)


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def verify_report(batch_size: int = 5000) -> tuple[int, list[ChainProblem]]:
    """(rows checked, problems found) for `kouki audit verify`."""
    problems = list(verify_chain(batch_size))
    return AuditEntry.objects.count(), problems


def verify_chain(batch_size: int = 5000) -> Iterator[ChainProblem]:
    """Walk the chain in order; yield each row whose content, link or sequence is wrong."""
    expected_prev = GENESIS
    expected_seq = 1
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            yield ChainProblem(entry.seq, f"sequence gap: expected {expected_seq} (row deleted or reordered)")
        if entry.prev_hash != expected_prev:
            yield ChainProblem(entry.seq, "link broken: prev_hash does not match the previous row")
        canonical = _canonical(entry.seq, entry.at, entry.actor, entry.terminal_id, entry.action,
                               entry.target_type, entry.target_id, entry.detail)
        if chain_hash(entry.prev_hash, canonical) != entry.hash:
            yield ChainProblem(entry.seq, "content changed: hash does not match the row")
        expected_prev = entry.hash
        expected_seq = entry.seq + 1
