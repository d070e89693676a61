"""Writes of the addressee registry: resident-register changes (住基異動) with history, and 住登外者.

History rules (see kouki/addressees/models.py and docs/interfaces/resident-register-changes.md §5):

- The non-superseded versions of a person cover disjoint intervals [valid_from, valid_to).
- A change effective on E (any code but 08) closes the version in force on E at E and opens a version
  [E, end) where end is that version's former valid_to (or, if none was in force, the valid_from of the next
  later version, else open). So a change dated before the latest version (遡及異動) splits the interval it
  falls in and leaves later versions alone. A version starting on E itself is closed to the empty
  interval [E, E): history keeps it, no date shows it (the later change of the same day wins).
- A correction (08 職権修正) supersedes the version in force on E (superseded_at = now) and inserts one
  with the corrected values over the same interval; person_as_of then shows the corrected values for
  every date of that interval, and person_history shows both.
- Deceased and moved-out versions belong to no household, so household_as_of lists only members living in it.
- is_current marks exactly one version per person: the non-superseded, non-empty version with the latest
  valid_from (the latest known state; a change announced for a future date is current once recorded).
- The same change (source_change_id) twice is a no-op, whichever file it comes in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models.functions import Length
from django.utils import timezone

from kouki.addressees.models import (
    ChangeEvent,
    ChangeKind,
    Household,
    Person,
    PersonStatus,
    PersonVersion,
    Registration,
)
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.resident_register.record import ChangeCode, ResidentChangeRecord
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.services import personal_number_register
from kouki.rules.kana import is_kana_name, kana_search_key

KIND_BY_CODE: dict[ChangeCode, ChangeKind] = {
    ChangeCode.BIRTH: ChangeKind.BIRTH,
    ChangeCode.DEATH: ChangeKind.DEATH,
    ChangeCode.MOVE_IN: ChangeKind.MOVE_IN,
    ChangeCode.MOVE_OUT: ChangeKind.MOVE_OUT,
    ChangeCode.ADDRESS_CHANGE: ChangeKind.ADDRESS_CHANGE,
    ChangeCode.HOUSEHOLD_CHANGE: ChangeKind.HOUSEHOLD_CHANGE,
    ChangeCode.NAME_CHANGE: ChangeKind.NAME_CHANGE,
    ChangeCode.CORRECTION: ChangeKind.CORRECTION,
}
STATUS_BY_CODE: dict[ChangeCode, PersonStatus] = {
    ChangeCode.BIRTH: PersonStatus.RESIDENT,
    ChangeCode.MOVE_IN: PersonStatus.RESIDENT,
    ChangeCode.DEATH: PersonStatus.DECEASED,
    ChangeCode.MOVE_OUT: PersonStatus.MOVED_OUT,
}
HOUSEHOLD_STATUSES = {PersonStatus.RESIDENT}


class ChangeNotApplicable(ValueError):
    """A change that cannot be applied to the registry as it stands (a correction with nothing to correct)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class ChangeApplied:
    person_id: int
    change_event_id: int
    duplicate: bool  # the change was applied before: nothing done
    number_result: str  # personal_number_register result ("stored", "unchanged", "pending"), "" if duplicate


def _lock_person(person_id: int) -> None:
    Person.objects.select_for_update().filter(pk=person_id).values_list("pk", flat=True).first()


def _live_versions(person_id: int) -> list[PersonVersion]:
    return list(
        PersonVersion.objects.filter(person_id=person_id, superseded_at__isnull=True).order_by(
            "valid_from", "recorded_at", "id"
        )
    )


def _is_empty(v: PersonVersion) -> bool:
    return v.valid_to is not None and v.valid_to <= v.valid_from


def _in_force(versions: list[PersonVersion], on: date) -> PersonVersion | None:
    hits = [v for v in versions if v.valid_from <= on and (v.valid_to is None or v.valid_to > on)]
    return hits[-1] if hits else None


def _latest_before(versions: list[PersonVersion], on: date) -> PersonVersion | None:
    hits = [v for v in versions if v.valid_from <= on]
    return hits[-1] if hits else None


def _refresh_current(person_id: int) -> None:
    """Exactly one current version: non-superseded, non-empty, latest valid_from."""
    candidates = [v for v in _live_versions(person_id) if not _is_empty(v)]
    if not candidates:
        PersonVersion.objects.filter(person_id=person_id, is_current=True).update(is_current=False)
        return
    current = max(candidates, key=lambda v: (v.valid_from, v.recorded_at, v.pk))
    PersonVersion.objects.filter(person_id=person_id, is_current=True).exclude(pk=current.pk).update(
        is_current=False
    )
    if not current.is_current:
        PersonVersion.objects.filter(pk=current.pk).update(is_current=True)


def _new_version(
    *,
    person: Person,
    record: ResidentChangeRecord,
    status: str,
    phone: str,
    valid_from: date,
    valid_to: date | None,
    event: ChangeEvent,
    now: datetime,
) -> PersonVersion:
    in_household = status in HOUSEHOLD_STATUSES
    household = Household.objects.get_or_create(household_no=record.household_no)[0] if in_household else None
    return PersonVersion.objects.create(
        person=person,
        family_name=record.family_name,
        given_name=record.given_name,
        family_name_kana=record.family_name_kana,
        given_name_kana=record.given_name_kana,
        kana_key=kana_search_key(record.family_name_kana + record.given_name_kana),
        sex=record.sex,
        birth_date=record.birth_date,
        status=status,
        household=household,
        is_householder=record.is_householder and in_household,
        relationship=record.relationship,
        postal_code=record.postal_code,
        municipality_code=record.municipality_code,
        address=record.address,
        phone=phone,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_at=now,
        change=event,
        is_current=False,
    )


def _supersede(version: PersonVersion, now: datetime) -> None:
    version.superseded_at = now
    version.is_current = False
    version.save(update_fields=["superseded_at", "is_current"])


def _insert_change(
    person: Person, record: ResidentChangeRecord, event: ChangeEvent, now: datetime
) -> tuple[PersonVersion, list[int]]:
    """Open a version from the effective date, splitting the interval it falls in; returns (new, touched)."""
    on = record.effective_date
    live = _live_versions(person.pk)
    covering = _in_force(live, on)
    previous = covering or _latest_before([v for v in live if not _is_empty(v)], on)
    touched: list[int] = []
    if covering is not None:
        end = covering.valid_to
        covering.valid_to = on
        covering.save(update_fields=["valid_to"])
        touched.append(covering.pk)
    else:
        later = [v.valid_from for v in live if v.valid_from > on]
        end = min(later) if later else None
    status = STATUS_BY_CODE.get(record.code) or (previous.status if previous else PersonStatus.RESIDENT)
    phone = previous.phone if previous else ""
    version = _new_version(
        person=person,
        record=record,
        status=status,
        phone=phone,
        valid_from=on,
        valid_to=end,
        event=event,
        now=now,
    )
    if record.code == ChangeCode.DEATH:
        touched.extend(_deceased_from(person, on, event, now))
    return version, touched


def _deceased_from(person: Person, on: date, event: ChangeEvent, now: datetime) -> list[int]:
    """A death recorded late: versions starting after the day of death are superseded by deceased copies."""
    touched: list[int] = []
    for later in _live_versions(person.pk):
        if later.valid_from <= on or _is_empty(later) or later.status == PersonStatus.DECEASED:
            continue
        _supersede(later, now)
        touched.append(later.pk)
        # The replacement is a copy of the superseded row with the death applied.
        later.pk = None
        later._state.adding = True
        later.status = PersonStatus.DECEASED
        later.household = None
        later.is_householder = False
        later.recorded_at = now
        later.superseded_at = None
        later.change = event
        later.is_current = False
        later.save()
    return touched


def _correct(
    person: Person, record: ResidentChangeRecord, event: ChangeEvent, now: datetime
) -> tuple[PersonVersion, list[int]]:
    """Supersede the version in force on the effective date by a corrected one over the same interval."""
    target = _in_force(_live_versions(person.pk), record.effective_date)
    if target is None:
        raise ChangeNotApplicable("effective_date", "職権修正の異動日に有効な宛名履歴がありません")
    _supersede(target, now)
    version = _new_version(
        person=person,
        record=record,
        status=target.status,
        phone=target.phone,
        valid_from=target.valid_from,
        valid_to=target.valid_to,
        event=event,
        now=now,
    )
    return version, [target.pk]


def resident_change_apply(
    *, actor: Actor, record: ResidentChangeRecord, source: str, import_record: ImportRecord | None = None
) -> ChangeApplied:
    """Apply one 住基異動 record (a snapshot of the person after the change) with history.

    Creates the person (住登者) if the addressee number is new, except for a correction, which needs an
    existing version (ChangeNotApplicable otherwise). Registers the personal number through the privacy
    gate (IN-04).
    """
    with transaction.atomic():
        existing = ChangeEvent.objects.filter(source_change_id=record.change_id).first()
        if existing is not None:
            return ChangeApplied(existing.person_id, existing.pk, True, "")
        now = timezone.now()
        person = Person.objects.select_for_update().filter(addressee_no=record.addressee_no).first()
        if person is None:
            if record.code == ChangeCode.CORRECTION:
                raise ChangeNotApplicable("addressee_no", "職権修正の対象となる宛名が登録されていません")
            person = Person.objects.create(
                addressee_no=record.addressee_no, registration=Registration.RESIDENT
            )
        elif person.registration != Registration.RESIDENT and record.code in (
            ChangeCode.BIRTH,
            ChangeCode.MOVE_IN,
        ):
            person.registration = Registration.RESIDENT
            person.save(update_fields=["registration"])
        event = ChangeEvent.objects.create(
            source_change_id=record.change_id,
            kind=KIND_BY_CODE[record.code],
            person=person,
            effective_date=record.effective_date,
            notified_date=record.notified_date,
            recorded_at=now,
            import_record=import_record,
        )
        if record.code == ChangeCode.CORRECTION:
            version, replaced = _correct(person, record, event, now)
        else:
            version, replaced = _insert_change(person, record, event, now)
        _refresh_current(person.pk)
        audit_record(
            actor=actor,
            action="addressee.change_apply",
            target_type="addressees.Person",
            target_id=str(person.pk),
            detail={
                "change_event_id": event.pk,
                "kind": str(event.kind),
                "effective_date": record.effective_date.isoformat(),
                "version_id": version.pk,
                "touched_version_ids": replaced,
            },
        )
        number_result = personal_number_register(
            actor=actor, person_id=person.pk, number=record.personal_number, source=source[:100]
        )
        return ChangeApplied(person.pk, event.pk, False, number_result)


# ---------------------------------------------------------------- 住登外者 (non-resident addressees)

NONRESIDENT_PREFIX_DEFAULT = "9"
NONRESIDENT_DIGITS_DEFAULT = 10


def _nonresident_sequence() -> tuple[str, int]:
    """(prefix, total digits) of addressee numbers given to 住登外者; settings override the defaults.

    The range must be one the resident register never uses (KOUKI_NONRESIDENT_ADDRESSEE_PREFIX,
    KOUKI_NONRESIDENT_ADDRESSEE_DIGITS).
    """
    prefix = str(getattr(settings, "KOUKI_NONRESIDENT_ADDRESSEE_PREFIX", NONRESIDENT_PREFIX_DEFAULT))
    digits = int(getattr(settings, "KOUKI_NONRESIDENT_ADDRESSEE_DIGITS", NONRESIDENT_DIGITS_DEFAULT))
    if not prefix.isdigit() or not len(prefix) < digits <= 15:
        raise ValueError(
            "KOUKI_NONRESIDENT_ADDRESSEE_PREFIX/DIGITS: digits only, prefix shorter than 15 digits"
        )
    return prefix, digits


def _next_nonresident_addressee_no() -> str:
    prefix, digits = _nonresident_sequence()
    if connection.vendor == "postgresql":  # serialise number assignment; SQLite has one writer anyway
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7508)")
    last = (
        Person.objects.annotate(n=Length("addressee_no"))
        .filter(addressee_no__startswith=prefix, n=digits)
        .order_by("-addressee_no")
        .values_list("addressee_no", flat=True)
        .first()
    )
    width = digits - len(prefix)
    following = int(last[len(prefix) :]) + 1 if last else 1
    if following >= 10**width:
        raise ValueError("住登外者の宛名番号の範囲を使い切りました")
    return f"{prefix}{following:0{width}d}"


def nonresident_register(
    *,
    actor: Actor,
    family_name: str,
    given_name: str,
    family_name_kana: str,
    given_name_kana: str,
    sex: str,
    birth_date: date,
    postal_code: str,
    municipality_code: str,
    address: str,
    registered_on: date,
    phone: str = "",
    personal_number: str = "",
    source: str = "住登外登録",
) -> Person:
    """Register a 住登外者 (not in the city's resident register) with a new addressee number."""
    problems = []
    if not family_name.strip():
        problems.append("family_name is required")
    if not is_kana_name(family_name_kana) or (given_name_kana and not is_kana_name(given_name_kana)):
        problems.append("kana names must be katakana")
    if sex not in ("1", "2"):
        problems.append("sex must be 1 or 2")
    if not (len(postal_code) == 7 and postal_code.isascii() and postal_code.isdigit()):
        problems.append("postal_code must be 7 digits")
    if not (len(municipality_code) == 5 and municipality_code.isascii() and municipality_code.isdigit()):
        problems.append("municipality_code must be 5 digits")
    if birth_date > registered_on:
        problems.append("birth_date is after registered_on")
    if problems:
        raise ValueError("; ".join(problems))
    with transaction.atomic():
        now = timezone.now()
        addressee_no = _next_nonresident_addressee_no()
        person = Person.objects.create(addressee_no=addressee_no, registration=Registration.NON_RESIDENT)
        event = ChangeEvent.objects.create(
            source_change_id=f"NR-{addressee_no}",
            kind=ChangeKind.NON_RESIDENT_REGISTRATION,
            person=person,
            effective_date=registered_on,
            notified_date=registered_on,
            recorded_at=now,
        )
        version = PersonVersion.objects.create(
            person=person,
            family_name=family_name,
            given_name=given_name,
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            kana_key=kana_search_key(family_name_kana + given_name_kana),
            sex=sex,
            birth_date=birth_date,
            status=PersonStatus.NON_RESIDENT,
            household=None,
            is_householder=False,
            relationship="",
            postal_code=postal_code,
            municipality_code=municipality_code,
            address=address,
            phone=phone,
            valid_from=registered_on,
            valid_to=None,
            recorded_at=now,
            change=event,
            is_current=True,
        )
        audit_record(
            actor=actor,
            action="addressee.nonresident_register",
            target_type="addressees.Person",
            target_id=str(person.pk),
            detail={"addressee_no": addressee_no, "change_event_id": event.pk, "version_id": version.pk},
        )
        if personal_number:
            personal_number_register(actor=actor, person_id=person.pk, number=personal_number, source=source)
        return person
