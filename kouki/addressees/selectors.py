"""Reads of the addressee registry that other apps and the screens use.

`person_as_of` and `household_as_of` answer "what was true on date D" from the version history,
ignoring versions superseded by corrections recorded later (ADR 0002).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import Concat

from kouki.addressees.errors import UnknownAddressee
from kouki.addressees.models import Household, Person, PersonStatus, PersonVersion
from kouki.core.audit_vocabulary import AuditTarget
from kouki.core.db import AuditRecordSets, chunked
from kouki.rules.kana import kana_search_key


def _in_force_on(on: date) -> Q:
    open_or_later = Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    return Q(valid_from__lte=on) & open_or_later & Q(superseded_at__isnull=True)


def person_as_of(person_id: int, on: date) -> PersonVersion | None:
    """The version of a person in force on a date, or None before the first or after none applies."""
    return (
        PersonVersion.objects.filter(_in_force_on(on), person_id=person_id)
        .select_related("person", "household")
        .order_by("-valid_from", "-recorded_at")
        .first()
    )


def person_current(person_id: int) -> PersonVersion | None:
    return (
        PersonVersion.objects.filter(person_id=person_id, is_current=True)
        .select_related("person", "household")
        .first()
    )


def person_history(person_id: int) -> list[PersonVersion]:
    """All versions, superseded ones included, oldest effective date first."""
    return list(
        PersonVersion.objects.filter(person_id=person_id)
        .select_related("change", "household")
        .order_by("valid_from", "recorded_at")
    )


@dataclass(frozen=True)
class HouseholdState:
    household: Household
    on: date
    members: list[PersonVersion]

    @property
    def householder(self) -> PersonVersion | None:
        return next((m for m in self.members if m.is_householder), None)


def household_as_of(household_id: int, on: date) -> HouseholdState:
    """Members (and so the householder) of a household on a date."""
    household = Household.objects.get(pk=household_id)
    members = list(
        PersonVersion.objects.filter(_in_force_on(on), household_id=household_id)
        .select_related("person")
        .order_by("-is_householder", "person__addressee_no")
    )
    return HouseholdState(household=household, on=on, members=members)


def person_by_addressee_no(addressee_no: str) -> Person | None:
    return Person.objects.filter(addressee_no=addressee_no).first()


KANA_KEY_UPPER = "\U0010ffff"


def search_current(*, kana: str = "", birth_date: date | None = None, addressee_no: str = "",
                   limit: int = 50) -> QuerySet[PersonVersion]:
    """Search current versions by kana prefix (normalised), birth date and/or addressee number.

    The kana prefix is a range on the indexed kana_key (key >= p AND key < p + U+10FFFF), which uses the
    partial index on both SQLite and PostgreSQL, unlike LIKE.
    """
    return search_current_query(kana=kana, birth_date=birth_date, addressee_no=addressee_no)[:limit]


def _current_versions(kana: str, birth_date: date | None) -> QuerySet[PersonVersion]:
    """Current versions by kana (a prefix of the normalised kana key) and birth date, where given."""
    qs = PersonVersion.objects.filter(is_current=True)
    if kana:
        key = kana_search_key(kana)
        qs = qs.filter(kana_key__gte=key, kana_key__lt=key + KANA_KEY_UPPER)
    if birth_date:
        qs = qs.filter(birth_date=birth_date)
    return qs


def search_current_query(*, kana: str = "", birth_date: date | None = None,
                         addressee_no: str = "") -> QuerySet[PersonVersion]:
    """The query of `search_current`, ordered and not yet sliced (so a screen can annotate it first)."""
    qs = _current_versions(kana, birth_date)
    if addressee_no:
        qs = qs.filter(person__addressee_no=addressee_no)
    return qs.select_related("person").order_by("kana_key", "birth_date", "person_id")


def person_ids_matching(*, name: str = "", kana: str = "", birth_date: date | None = None,
                        addressee_no: str = "", limit: int = 100) -> list[int]:
    """People whose current version matches every criterion given, at most `limit` + 1 ids (the caller
    tells "too many" from `limit`): name as a part of 氏 + 名 (spaces ignored), kana as a prefix of the
    normalised kana key (as `search_current`), birth date, and 宛名番号 as a part of the number."""
    qs = _current_versions(kana, birth_date)
    if addressee_no:
        qs = qs.filter(person__addressee_no__contains=addressee_no)
    if name.split():
        qs = qs.annotate(full_name=Concat("family_name", "given_name"))
        for part in name.split():
            qs = qs.filter(full_name__contains=part)
    return list(qs.order_by("kana_key", "person_id").values_list("person_id", flat=True)[: limit + 1])


_BULK_CHUNK = 5000


def person_ids_by_addressee_no(numbers: Iterable[str]) -> dict[str, int]:
    """宛名番号 → person id, in bulk (file imports)."""
    out: dict[str, int] = {}
    for chunk in chunked(sorted(set(numbers)), _BULK_CHUNK):
        out.update(Person.objects.filter(addressee_no__in=chunk).values_list("addressee_no", "pk"))
    return out


def person_ids_strict(addressee_nos: Sequence[str]) -> list[int]:
    """The person id of each 宛名番号, in the given order (file imports: a record per number).
    Raises UnknownAddressee naming the first number (by position) the city does not hold."""
    found = person_ids_by_addressee_no(addressee_nos)
    for index, number in enumerate(addressee_nos):
        if number not in found:
            raise UnknownAddressee(index, number)
    return [found[number] for number in addressee_nos]


def addressee_numbers(person_ids: Iterable[int]) -> dict[int, str]:
    """person id → 宛名番号, in bulk (outbound files)."""
    out: dict[int, str] = {}
    for chunk in chunked(sorted(set(person_ids)), _BULK_CHUNK):
        out.update(Person.objects.filter(pk__in=chunk).values_list("pk", "addressee_no"))
    return out


def persons_current(person_ids: Iterable[int]) -> dict[int, PersonVersion]:
    """person id → the current version, in bulk (the batches that address thousands of people)."""
    out: dict[int, PersonVersion] = {}
    for chunk in chunked(sorted(set(person_ids)), _BULK_CHUNK):
        versions = PersonVersion.objects.filter(person_id__in=chunk, is_current=True)
        out.update((v.person_id, v) for v in versions)
    return out


def death_dates(person_ids: Iterable[int]) -> dict[int, date]:
    """person id → the first day the register shows the person deceased (the earliest 死亡 version not
    superseded by a correction), in bulk; the living are absent."""
    out: dict[int, date] = {}
    for chunk in chunked(sorted(set(person_ids)), _BULK_CHUNK):
        rows = (PersonVersion.objects.filter(person_id__in=chunk, superseded_at__isnull=True,
                                             status=PersonStatus.DECEASED)
                .order_by("person_id", "valid_from", "recorded_at")
                .values_list("person_id", "valid_from"))  # fmt: skip
        for person_id, valid_from in rows:
            out.setdefault(person_id, valid_from)
    return out


def audit_targets_of(person_id: int) -> dict[AuditTarget, list[str]]:
    """How audit rows name the person themselves: the 宛名 and the personal-number rows about them."""
    return {AuditTarget.ADDRESSEES_PERSON: [str(person_id)], AuditTarget.PERSON: [str(person_id)]}


def audit_record_sets(person_id: int) -> AuditRecordSets:
    """As `audit_targets_of` (no query: the person is named by their own id)."""
    return dict(audit_targets_of(person_id))
