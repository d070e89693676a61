"""The reference log (SEC-11) as a keyed chain, sealed like the audit log (kouki.privacy.chain).

`append_reference` is the only writer (kouki.privacy.gate calls it inside its transaction).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from kouki.privacy.chain import (
    GENESIS,
    ORIGIN,
    REFERENCE_LOCK,
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
from kouki.privacy.keys import Keyring, load_keyring
from kouki.privacy.models import ReferenceLog


def _canonical(seq: int, at: datetime, user_id: int, username: str, terminal_id: str, screen: str,
               purpose: str, person_id: int | None, kind: str, number_token: str, key_id: str) -> bytes:
    body = {
        "seq": seq, "at": timestamp(at), "user_id": user_id, "username": username,
        "terminal_id": terminal_id, "screen": screen, "purpose": purpose, "person_id": person_id,
        "kind": kind, "number_token": number_token,
    }  # fmt: skip
    return canonical_json(body, key_id)


def _row(r: ReferenceLog) -> ChainRow:
    canonical = _canonical(r.seq, r.at, r.user_id, r.username, r.terminal_id, r.screen, r.purpose,
                           r.person_id, str(r.kind), r.number_token, r.key_id)
    return ChainRow(r.pk, r.seq, r.key_id, r.prev_hash, r.hash, canonical)


def _rows(batch_size: int, after: int = 0) -> Iterator[ChainRow]:
    for r in ReferenceLog.objects.filter(seq__gt=after).order_by("seq").iterator(chunk_size=batch_size):
        yield _row(r)


def _head(ring: Keyring) -> tuple[int, str]:
    """(seq, hash) of the last row; a legacy tail without stored hashes is walked once to find it."""
    last = ReferenceLog.objects.order_by("-seq").first()
    if last is None:
        return 0, GENESIS
    if last.hash:
        return last.seq, last.hash
    tally = Tally()
    for _ in walk("reference", _rows(2000), ring, tally):
        pass  # problems of old rows are verify's to report; the new row seals what is there
    return tally.head_seq, tally.head_hash


def append_reference(*, user_id: int, username: str, terminal_id: str, screen: str, purpose: str,
                     person_id: int | None, kind: str, number_token: str) -> ReferenceLog:
    """Append one sealed reference row. Must run inside the transaction of the reference it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_reference must be called inside the transaction of the reference")
    ring = load_keyring()
    key_id, key = sealing_key(ring)
    lock_chain(REFERENCE_LOCK)
    last_seq, prev = _head(ring)
    seq, at = last_seq + 1, timezone.now()
    canonical = _canonical(seq, at, user_id, username, terminal_id, screen, purpose, person_id, kind,
                           number_token, key_id)
    return ReferenceLog.objects.create(
        seq=seq, at=at, user_id=user_id, username=username, terminal_id=terminal_id, screen=screen,
        purpose=purpose, person_id=person_id, kind=kind, number_token=number_token,
        prev_hash=prev, hash=link(key, prev, canonical), key_id=key_id,
    )


def verify_references(batch_size: int = 5000, ring: Keyring | None = None,
                      tally: Tally | None = None, start: Anchor = ORIGIN) -> Iterator[ChainProblem]:
    """Walk the reference chain in order; yield each row whose content, link, key or sequence is wrong."""
    yield from walk("reference", _rows(batch_size, start.seq), ring or load_keyring(), tally, start)
