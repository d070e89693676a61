"""Bulk storing of personal numbers (initial loads). Encrypts each number for its person and writes
ciphertext, key id and blind index only; the plain number never reaches the database.

Call inside the load's transaction, on people that have no stored number yet (no pending logic here:
that is `services.personal_number_register` for day-to-day arrivals).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from kouki.core.db import db_datetime, insert_rows
from kouki.privacy.integrated import assign_in_load
from kouki.privacy.keys import load_keyring
from kouki.privacy.models import PersonalNumber
from kouki.privacy.vault import blind_index, encrypt_number

FIELDS = (
    "person_id", "ciphertext", "key_id", "blind_index", "index_key_id", "is_current", "recorded_at",
    "replaced_at", "source",
)


def bulk_store_numbers(rows: Iterable[tuple[int, str]], *, source: str) -> int:
    """Store (person_id, number) pairs as current numbers; returns how many. Invalid numbers raise
    kouki.rules.numbers.InvalidNumber (the message never repeats the number) and nothing is kept
    once the caller's transaction rolls back. Each person also gets a 団体内統合宛名番号 (assign_in_load)."""
    ring = load_keyring()
    recorded_at = db_datetime(timezone.now())
    persons: list[int] = []

    def encrypted() -> Iterator[tuple[Any, ...]]:
        for person_id, number in rows:
            blob, key_id = encrypt_number(number, person_id, ring)
            persons.append(person_id)
            yield (person_id, blob, key_id, blind_index(number, ring), ring.search_active, True, recorded_at,
                   None, source)

    stored = insert_rows(PersonalNumber, FIELDS, encrypted())
    assign_in_load(persons, source=source)
    return stored
