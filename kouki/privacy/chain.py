"""The keyed chain shared by the audit log and the reference log (issue 14 §1).

Each row's `hash` is HMAC-SHA256, under the audit key named in the row's `key_id`, over the previous
row's `hash` and the row's own canonical content (which names the key id, too). Without the key nobody
can recompute the chain after an edit, a deletion or a forged append: the key lives in the keyring,
never in the database. Rows written before the keyed chain (key_id "") were a plain SHA-256 chain; the
first keyed row's MAC covers their head, so they are sealed by it (see `kouki.privacy.integrity`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from kouki.privacy.keys import Keyring, load_keyring

GENESIS = "0" * 64
LEGACY_KEY_ID = ""
"""key_id of rows from before the keyed chain: SHA-256 without a key."""

AUDIT_LOCK = 7507
REFERENCE_LOCK = 7508


def timestamp(at: datetime) -> str:
    """UTC with microseconds: what both SQLite and PostgreSQL store and give back, whatever the zone."""
    if at.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(body: dict[str, Any], key_id: str) -> bytes:
    """Sorted, compact JSON of a row's content; a keyed row's body names its key id too."""
    if key_id != LEGACY_KEY_ID:
        body = {**body, "key": key_id}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def link(key: bytes | None, prev_hash: str, canonical: bytes) -> str:
    """The row's hash: HMAC-SHA256 under the audit key, or plain SHA-256 for a legacy row (key None)."""
    if key is None:
        return hashlib.sha256(prev_hash.encode() + canonical).hexdigest()
    return hmac.digest(key, prev_hash.encode() + canonical, "sha256").hex()


def sealing_key(ring: Keyring | None = None) -> tuple[str, bytes]:
    """(id, key) of the active audit key; KeyringError when the keyring has none."""
    return (ring or load_keyring()).active_audit_key()


def lock_chain(lock_id: int) -> None:
    """Serialise appenders: PostgreSQL takes a transaction-level advisory lock; SQLite has one writer."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


@dataclass(frozen=True)
class ChainRow:
    """One stored row as the walker sees it: its canonical content is computed by its table's module."""

    row_id: int
    seq: int
    key_id: str
    prev_hash: str
    hash: str
    canonical: bytes


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str
    row_id: int | None = None
    chain: str = "audit"

    def __str__(self) -> str:
        where = f"{self.chain} seq {self.seq}" + (f" (id {self.row_id})" if self.row_id is not None else "")
        return f"{where}: {self.reason}"


@dataclass
class Tally:
    """What a walk saw: how many rows, the head, and the hashes at the sequence numbers asked for."""

    wanted: set[int] = field(default_factory=set)
    rows: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    head_key_id: str = LEGACY_KEY_ID
    seen: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Anchor:
    """Where a walk starts: the row before the first one walked (a checkpoint's head), or the genesis."""

    seq: int = 0
    head: str = GENESIS
    keyed: bool = False


ORIGIN = Anchor()
"""The start of a whole chain: before seq 1, linked to the genesis hash."""


def walk(chain: str, rows: Iterable[ChainRow], ring: Keyring, tally: Tally | None = None,
         start: Anchor = ORIGIN) -> Iterator[ChainProblem]:
    """Check each row's sequence number, link, key and MAC in order; yield every problem found.

    Legacy rows (key_id "") are accepted only before the first keyed row, which seals them; a legacy
    row whose stored hashes are empty (the reference log before the chain) gets its SHA-256 link
    computed here. A legacy tail that no keyed row follows is sealed only by a checkpoint
    (kouki.privacy.integrity reports it when none covers it).
    """
    tally = tally if tally is not None else Tally()
    expected_prev, expected_seq, keyed_seen = start.head, start.seq + 1, start.keyed
    last: ChainRow | None = None
    for row in rows:
        def problem(reason: str, row: ChainRow = row) -> ChainProblem:
            return ChainProblem(row.seq, reason, row.row_id, chain)

        if row.seq != expected_seq:
            yield problem(f"sequence gap: expected {expected_seq} (row deleted, inserted or reordered)")
        stored_hash = row.hash
        if row.key_id == LEGACY_KEY_ID:
            if keyed_seen:
                yield problem("unkeyed row after the keyed chain began (written without the audit key)")
            if not row.hash and not row.prev_hash:  # from before the reference log was chained
                stored_hash = link(None, expected_prev, row.canonical)
            else:
                if row.prev_hash != expected_prev:
                    yield problem("link broken: prev_hash does not match the previous row")
                if link(None, row.prev_hash, row.canonical) != row.hash:
                    yield problem("content changed: hash does not match the row")
        else:
            keyed_seen = True
            key = ring.audit_keys.get(row.key_id)
            if row.prev_hash != expected_prev:
                yield problem("link broken: prev_hash does not match the previous row")
            if key is None:
                yield problem(f"audit key {row.key_id!r} is not in the keyring: the row cannot be checked")
            elif not hmac.compare_digest(link(key, row.prev_hash, row.canonical), row.hash):
                yield problem("content changed or sealed without the audit key: MAC does not match the row")
        if row.seq in tally.wanted:
            tally.seen[row.seq] = stored_hash
        expected_prev, expected_seq, last = stored_hash, row.seq + 1, row
        tally.rows += 1
    if last is not None:
        tally.head_seq, tally.head_hash, tally.head_key_id = last.seq, expected_prev, last.key_id
