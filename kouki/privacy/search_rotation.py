"""Rotation of the search-hash (blind index) key of personal numbers (issue 14 §2).

`search_hash_rotate` (`kouki keys rotate-search-hash`):
1. adds a new search-hash key to the keyring and makes it active, recording the rotation as begun in the
   same write (the file is replaced atomically: every process sees either the old ring or the new one);
   new rows are indexed under it from then on; the audit row of phase "start" commits;
2. re-indexes every stored hash — current numbers, their history and the confirmation list — in batches,
   each in its own transaction: decrypt, hash under the new key, store hash and key id together;
3. writes the audit row of phase "complete" (counts: the rows under the new key), then removes the old
   key (no row names it) and the record of the rotation from the keyring in one write.
While it runs, lookups hash the number under every key of the keyring and match (key id, hash) pairs
(kouki.privacy.vault.index_match), so rows not yet re-indexed are still found. Killed at any point, the
same command run again finds the keyring's record of the rotation (or, on a keyring written before that
record existed, rows under an old key or a second key) and finishes it: the start row if it is missing,
the rows left, the complete row, the old key's retirement — no second new key, and the audit rows an
uninterrupted run writes. Reference tokens are not touched (kouki.privacy.vault.reference_token).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db import connection, transaction

from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.faults import fault_point
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.keys import SEARCH, KeyringError, add_search_key, end_rotation, keyring_path, load_keyring
from kouki.privacy.models import AuditEntry, PersonalNumber, PersonalNumberPending
from kouki.privacy.vault import blind_index, decrypt_number

DEFAULT_BATCH = 1000
Row = TypeVar("Row", PersonalNumber, PersonalNumberPending)
MODELS: tuple[type[PersonalNumber] | type[PersonalNumberPending], ...] = (PersonalNumber,
                                                                         PersonalNumberPending)
ROTATE = AuditAction.KEYS_ROTATE_SEARCH_HASH


@dataclass(frozen=True)
class SearchRotationResult:
    previous_keys: tuple[str, ...]  # the keys retired
    active_key: str
    resumed: bool
    personal_numbers: int  # rows this run re-indexed
    pending: int


def search_key_usage() -> dict[str, int]:
    """Rows per search-hash key id (numbers and confirmation-list rows together)."""
    usage: dict[str, int] = {}
    for model in MODELS:
        for key_id in model.objects.order_by().values_list("index_key_id", flat=True):
            usage[key_id] = usage.get(key_id, 0) + 1
    return usage


def _stale(model: type[PersonalNumber] | type[PersonalNumberPending], active: str) -> bool:
    return model.objects.exclude(index_key_id=active).exists()


def _update(model: type[Row], params: list[tuple[str, str, int]]) -> None:
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(model._meta.db_table)} SET {qn('blind_index')} = %s, {qn('index_key_id')} = %s "  # noqa: S608
           f"WHERE {qn('id')} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _reindex(model: type[Row], batch_size: int, progress: Callable[[str, int], None] | None) -> int:
    """Re-make the hash of every row not under the active key; returns rows changed."""
    ring = load_keyring()
    done = 0
    while True:
        with transaction.atomic():
            rows = list(model.objects.select_for_update().exclude(index_key_id=ring.search_active)
                        .order_by("pk")[:batch_size])
            if not rows:
                return done
            params = []
            for row in rows:
                if row.blind_index:  # a blank arrival on the list has no number and no hash
                    assert row.ciphertext is not None
                    number = decrypt_number(row.ciphertext, row.key_id, row.person_id, ring)
                    params.append((blind_index(number, ring), ring.search_active, row.pk))
                else:
                    params.append(("", ring.search_active, row.pk))
            _update(model, params)
        done += len(rows)
        if progress is not None:
            progress(model.__name__, done)
        fault_point("mid-write", model.__name__)  # crash tests: killed between two committed batches


def _phase_recorded(key_id: str, phase: str) -> bool:
    """The audit row of `phase` of the rotation to `key_id` has committed (key ids are never reused)."""
    return any(d.get("phase") == phase for d in AuditEntry.objects.filter(action=ROTATE, target_id=key_id)
               .values_list("detail", flat=True))


def search_hash_rotate(*, actor: Actor, batch_size: int = DEFAULT_BATCH,
                       progress: Callable[[str, int], None] | None = None) -> SearchRotationResult:
    """Start a rotation, or finish one cut short; see the module's text."""
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    ring = load_keyring()
    begun = ring.rotating.get(SEARCH)
    older = sorted(k for k in ring.search_keys if k != ring.search_active)
    # a keyring written before rotations were recorded in it: an old key or rows under one is the sign
    unrecorded = begun is None and (any(_stale(m, ring.search_active) for m in MODELS) or bool(older))
    if begun is not None:
        previous, new = begun
        if ring.search_active != new:
            raise KeyringError(f"the keyring records a search-hash rotation to {new!r} but "
                               f"{ring.search_active!r} is active; restore the keyring from the offline copy")
    elif unrecorded:
        previous, new = (older[0] if len(older) == 1 else ""), ring.search_active
    else:
        previous, new = add_search_key(keyring_path(), rotation=True)
    if not _phase_recorded(new, "start"):
        with transaction.atomic():
            audit_record(actor=actor, action=ROTATE, target_type=AuditTarget.KEYRING, target_id=new,
                         detail={"phase": "start", "previous_key": previous, "active_key": new})
    ring = load_keyring()
    numbers = pending = 0
    if not _phase_recorded(new, "complete"):
        numbers = _reindex(PersonalNumber, batch_size, progress)
        pending = _reindex(PersonalNumberPending, batch_size, progress)
        with transaction.atomic():
            in_use = search_key_usage()
            retired = sorted(k for k in ring.search_keys if k != new and not in_use.get(k))
            audit_record(actor=actor, action=ROTATE, target_type=AuditTarget.KEYRING, target_id=new,
                         detail={"phase": "complete", "active_key": new, "retired_keys": retired,
                                 "personal_numbers": PersonalNumber.objects.filter(index_key_id=new).count(),
                                 "pending": PersonalNumberPending.objects.filter(index_key_id=new).count()})
            fault_point("before-commit", "keys rotate-search-hash")
        fault_point("after-commit", "keys rotate-search-hash")
    in_use = search_key_usage()
    retired = sorted(k for k in ring.search_keys if k != new and not in_use.get(k))
    end_rotation(keyring_path(), SEARCH, frozenset(retired))
    return SearchRotationResult(tuple(retired), new, begun is not None or unrecorded, numbers, pending)
