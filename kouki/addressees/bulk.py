"""Column lists and raw writers of the addressee tables, for the bulk paths (the synthetic city, an
initial migration, and the batch executor `addressees.changes_bulk`). The generic plumbing is `kouki.core.db`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from kouki.addressees.models import Household, Person, PersonVersion
from kouki.core.db import Row, insert_rows

HOUSEHOLD_FIELDS = ("id", "household_no", "created_at")
PERSON_FIELDS = ("id", "addressee_no", "registration", "created_at")
PERSON_VERSION_FIELDS = (
    "person_id", "family_name", "given_name", "family_name_kana", "given_name_kana", "kana_key", "sex",
    "birth_date", "status", "household_id", "is_householder", "relationship", "postal_code",
    "municipality_code", "address", "phone", "valid_from", "valid_to", "recorded_at", "superseded_at",
    "change_id", "is_current",
)


def registry_is_empty() -> bool:
    return not Person.objects.exists() and not Household.objects.exists()


def household_rows_insert(rows: Iterable[Row]) -> int:
    """Rows of HOUSEHOLD_FIELDS."""
    return insert_rows(Household, HOUSEHOLD_FIELDS, rows)


def person_rows_insert(rows: Iterable[Row]) -> int:
    """Rows of PERSON_FIELDS."""
    return insert_rows(Person, PERSON_FIELDS, rows)


def person_version_rows_insert(rows: Iterable[Row]) -> int:
    """Rows of PERSON_VERSION_FIELDS (id assigned by the database)."""
    return insert_rows(PersonVersion, PERSON_VERSION_FIELDS, rows)


ADDRESSEE_MODELS: tuple[type[models.Model], ...] = (Household, Person, PersonVersion)
