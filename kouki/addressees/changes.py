"""Resident-register changes (住基異動) applied one at a time through the ORM: the executor of the history
rules (`kouki.rules.history`) for `resident_change_apply`, and what both executors share.

The same change (source_change_id) twice is a no-op, whichever file it comes in. The bulk executor
(`addressees.changes_bulk`) gives exactly the result of this one, record by record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
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
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.resident_register.record import ChangeCode, ResidentChangeRecord
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.services import personal_number_register
from kouki.rules.history import (
    Change,
    Close,
    Effect,
    Insert,
    MarkCurrent,
    NothingInForce,
    Plan,
    Supersede,
    Version,
    plan_change,
)
from kouki.rules.kana import kana_search_key
from kouki.rules.prefectures import prefecture_of_address

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
EFFECT_BY_CODE: dict[ChangeCode, Effect] = {
    ChangeCode.DEATH: Effect.DEATH,
    ChangeCode.CORRECTION: Effect.CORRECTION,
}
NO_PERSON_TO_CORRECT = "職権修正の対象となる宛名が登録されていません"
# Only a birth or a move-in brings a new person into the register; every other change is about someone
# the city already holds (issue 16: a 転居 or 死亡 of an unknown 宛名番号 silently created a person).
CREATES_PERSON = frozenset({ChangeCode.BIRTH, ChangeCode.MOVE_IN})
CODE_LABELS: dict[ChangeCode, str] = {
    ChangeCode.BIRTH: "出生", ChangeCode.DEATH: "死亡", ChangeCode.MOVE_IN: "転入",
    ChangeCode.MOVE_OUT: "転出", ChangeCode.ADDRESS_CHANGE: "転居", ChangeCode.HOUSEHOLD_CHANGE: "世帯変更",
    ChangeCode.NAME_CHANGE: "氏名変更", ChangeCode.CORRECTION: "職権修正",
}
NOTHING_IN_FORCE = "職権修正の異動日に有効な宛名履歴がありません"


def unknown_person_reason(code: ChangeCode) -> str | None:
    """Why a record of this change cannot name a 宛名番号 the city does not hold (None: it may, 出生 and
    転入)."""
    if code in CREATES_PERSON:
        return None
    if code == ChangeCode.CORRECTION:
        return NO_PERSON_TO_CORRECT
    return (f"{CODE_LABELS[code]}（{code}）の対象となる宛名が登録されていません"
            "（新しい宛名は出生・転入でのみ登録されます）")


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


def history_change(record: ResidentChangeRecord, now: datetime) -> Change:
    """The record as the history rules see it."""
    return Change(
        on=record.effective_date,
        at=now,
        effect=EFFECT_BY_CODE.get(record.code, Effect.CHANGE),
        status=STATUS_BY_CODE.get(record.code),
    )


def moved_to_prefecture(record: ResidentChangeRecord) -> str:
    """The prefecture code of a 転出's 転出先住所 (its leading 都道府県名), else "" (abroad, unknown,
    not a 転出)."""
    if record.code != ChangeCode.MOVE_OUT:
        return ""
    return prefecture_of_address(record.other_address) or ""


def becomes_resident(registration: str, code: ChangeCode) -> bool:
    """A birth or move-in makes a 住登外者 (or any non-resident addressee) a 住登者."""
    return registration != Registration.RESIDENT and code in (ChangeCode.BIRTH, ChangeCode.MOVE_IN)


def _live_versions(person_id: int) -> list[PersonVersion]:
    return list(
        PersonVersion.objects.filter(person_id=person_id, superseded_at__isnull=True).order_by(
            "valid_from", "recorded_at", "id"
        )
    )


def _version(v: PersonVersion) -> Version:
    return Version(v.pk, v.valid_from, v.valid_to, v.recorded_at, v.status, v.is_current)


def _plan(
    person: Person, record: ResidentChangeRecord, now: datetime
) -> tuple[Plan, dict[int, PersonVersion]]:
    """The plan of the change and the person's live versions by key (their ids)."""
    stored = {v.pk: v for v in _live_versions(person.pk)}
    versions = [_version(v) for v in stored.values()]
    try:
        plan = plan_change(versions, history_change(record, now), next_key=max(stored, default=0) + 1)
    except NothingInForce:
        raise ChangeNotApplicable("effective_date", NOTHING_IN_FORCE) from None
    return plan, stored


def _execute(
    plan: Plan,
    rows: dict[int, PersonVersion],
    *,
    person: Person,
    record: ResidentChangeRecord,
    event: ChangeEvent,
    now: datetime,
) -> None:
    """Run the plan's operations through the ORM; `rows` (key -> version) gains the inserted versions."""
    for op in plan.operations:
        if isinstance(op, Close):
            version = rows[op.key]
            version.valid_to = op.on
            version.save(update_fields=["valid_to"])
        elif isinstance(op, Supersede):
            version = rows[op.key]
            version.superseded_at = now
            version.is_current = False
            version.save(update_fields=["superseded_at", "is_current"])
        elif isinstance(op, Insert):
            rows[op.key] = _insert(op, rows, person=person, record=record, event=event, now=now)
        elif isinstance(op, MarkCurrent):
            current = rows[op.key]
            PersonVersion.objects.filter(person_id=person.pk, is_current=True).exclude(pk=current.pk).update(
                is_current=False
            )
            if not current.is_current:
                PersonVersion.objects.filter(pk=current.pk).update(is_current=True)
                current.is_current = True


_COPIED = tuple(f.attname for f in PersonVersion._meta.concrete_fields if not f.primary_key)


def _insert(
    op: Insert,
    rows: dict[int, PersonVersion],
    *,
    person: Person,
    record: ResidentChangeRecord,
    event: ChangeEvent,
    now: datetime,
) -> PersonVersion:
    if op.copy_of is not None:
        source = rows[op.copy_of]
        version = PersonVersion(**{name: getattr(source, name) for name in _COPIED})
        if not op.in_household:
            version.household = None
            version.is_householder = False
    else:
        household = (
            Household.objects.get_or_create(household_no=record.household_no)[0] if op.in_household else None
        )
        version = PersonVersion(
            person=person,
            family_name=record.family_name,
            given_name=record.given_name,
            family_name_kana=record.family_name_kana,
            given_name_kana=record.given_name_kana,
            kana_key=kana_search_key(record.family_name_kana + record.given_name_kana),
            sex=record.sex,
            birth_date=record.birth_date,
            household=household,
            is_householder=record.is_householder and op.in_household,
            relationship=record.relationship,
            postal_code=record.postal_code,
            municipality_code=record.municipality_code,
            address=record.address,
            phone=rows[op.phone_of].phone if op.phone_of is not None else "",
        )
    version.status = op.status
    version.valid_from = op.valid_from
    version.valid_to = op.valid_to
    version.recorded_at = now
    version.superseded_at = None
    version.change = event
    version.is_current = False
    version.save(force_insert=True)
    return version


def resident_change_apply(
    *, actor: Actor, record: ResidentChangeRecord, source: str, import_record: ImportRecord | None = None
) -> ChangeApplied:
    """Apply one 住基異動 record (a snapshot of the person after the change) with history.

    Creates the person (住登者) if the addressee number is new and the change is a birth or a move-in;
    any other change needs a person the city holds (ChangeNotApplicable otherwise). Registers the
    personal number through the privacy gate (IN-04).
    """
    with transaction.atomic():
        existing = ChangeEvent.objects.filter(source_change_id=record.change_id).first()
        if existing is not None:
            return ChangeApplied(existing.person_id, existing.pk, True, "")
        now = timezone.now()
        person = Person.objects.select_for_update().filter(addressee_no=record.addressee_no).first()
        if person is None:
            reason = unknown_person_reason(record.code)
            if reason is not None:
                raise ChangeNotApplicable("addressee_no", reason)
            person = Person.objects.create(
                addressee_no=record.addressee_no, registration=Registration.RESIDENT
            )
        elif becomes_resident(person.registration, record.code):
            person.registration = Registration.RESIDENT
            person.save(update_fields=["registration"])
        event = ChangeEvent.objects.create(
            source_change_id=record.change_id,
            kind=KIND_BY_CODE[record.code],
            person=person,
            effective_date=record.effective_date,
            notified_date=record.notified_date,
            recorded_at=now,
            moved_to_prefecture=moved_to_prefecture(record),
            import_record=import_record,
        )
        plan, rows = _plan(person, record, now)
        _execute(plan, rows, person=person, record=record, event=event, now=now)
        audit_record(
            actor=actor,
            action=AuditAction.ADDRESSEE_CHANGE_APPLY,
            target_type=AuditTarget.ADDRESSEES_PERSON,
            target_id=str(person.pk),
            detail={
                "change_event_id": event.pk,
                "kind": str(event.kind),
                "effective_date": record.effective_date.isoformat(),
                "version_id": rows[plan.version].pk,
                "touched_version_ids": [rows[key].pk for key in plan.touched],
            },
        )
        number_result = personal_number_register(
            actor=actor, person_id=person.pk, number=record.personal_number, source=source[:100]
        )
        return ChangeApplied(person.pk, event.pk, False, number_result)
