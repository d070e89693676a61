"""USE-01 情報の突合: counter notifications against the resident register → a worklist of mismatches.

Check 1 (住基情報 × 申請・届出): each confirmed notification is compared once with the person's register
state on its effective date — no record, a deceased person, a move-in acquisition for someone not resident,
name kana or birth date differing from the form, the age condition of a disability certification.
Check 3 (住基異動データ × 住登外者の申請・届出): a 住登外者 with a notification in progress who now appears
in the register as a resident (same name kana and birth date, another addressee number); and a death or
move-out recorded in the register after a notification still in progress (not confirmed, or not sent).

`matching_run` is idempotent: a mismatch (kind, notification, subject) is listed once, whatever its status.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kouki.addressees.models import ChangeEvent, ChangeKind, PersonStatus, PersonVersion, Registration
from kouki.addressees.selectors import person_as_of
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.notifications.models import (
    MatchingMismatch,
    MismatchKind,
    Notification,
    NotificationType,
    Status,
)
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.rules.kana import kana_search_key
from kouki.rules.wareki import format_wareki

DISABILITY_AGES = range(65, 75)


def age_on(birth_date: date, on: date) -> int:
    """Completed years on a date (the birthday counts)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


Finding = tuple[MismatchKind, str, str]  # kind, subject key, detail


def name_or_birth_difference(stated_kana: str, stated_birth: date, version: PersonVersion) -> str:
    """How the name kana or birth date on a notification differs from the register ("" if they
    agree): kana compared by its search key (voiced marks, small kana and spaces do not count)."""
    register_kana = kana_search_key(version.family_name_kana + version.given_name_kana)
    differs = []
    if kana_search_key(stated_kana) != register_kana:
        differs.append("氏名カナ")
    if stated_birth != version.birth_date:
        differs.append("生年月日")
    if not differs:
        return ""
    return (
        f"{'・'.join(differs)}が異なります(届出書: {stated_kana} {format_wareki(stated_birth)} / 住民記録: "
        f"{version.family_name_kana} {version.given_name_kana} {format_wareki(version.birth_date)})"
    )


def entry_mismatch(person_id: int, stated_kana: str, stated_birth: date, effective_date: date) -> str:
    """IN-08 at entry: how the stated kana / birth date differ from the register on the effective date (the
    current record where none was in force then); "" if they agree or there is no record."""
    version = (
        person_as_of(person_id, effective_date)
        or PersonVersion.objects.filter(person_id=person_id, is_current=True).first()
    )
    return name_or_birth_difference(stated_kana, stated_birth, version) if version is not None else ""


def register_findings(n: Notification) -> list[Finding]:
    """Check 1 for one notification: what in the register on its effective date contradicts it."""
    version = person_as_of(n.person_id, n.effective_date)
    if version is None:
        return [
            (
                MismatchKind.NO_REGISTER_RECORD,
                "",
                f"{format_wareki(n.effective_date)} に有効な宛名の記録がありません",
            )
        ]
    found: list[Finding] = []
    if version.status == PersonStatus.DECEASED:
        on = format_wareki(n.effective_date)
        found.append((MismatchKind.DECEASED, "", f"{on} 時点で死亡の記録があります"))
    if n.notification_type == NotificationType.MOVE_IN and version.status != PersonStatus.RESIDENT:
        found.append(
            (
                MismatchKind.NOT_RESIDENT,
                "",
                f"{format_wareki(n.effective_date)} 時点の住民記録の状態: "
                f"{PersonStatus(version.status).label}",
            )
        )
    difference = name_or_birth_difference(n.stated_kana, n.stated_birth_date, version)
    if difference:
        found.append((MismatchKind.NAME_OR_BIRTH, "", difference))
    if n.notification_type == NotificationType.DISABILITY_CERTIFICATION:
        age = age_on(version.birth_date, n.effective_date)
        if age not in DISABILITY_AGES:
            found.append((MismatchKind.AGE, "", f"効力発生日の年齢 {age}歳"))
    return found


def _in_progress() -> Q:
    return Q(status__in=[Status.ENTERED, Status.RETURNED]) | Q(status=Status.CONFIRMED, sent_at__isnull=True)


def _same_person_registered(n: Notification, on: date) -> list[Finding]:
    version = (
        person_as_of(n.person_id, on)
        or PersonVersion.objects.filter(person_id=n.person_id, is_current=True).first()
    )
    if version is None:
        return []
    residents = (
        PersonVersion.objects.filter(
            is_current=True,
            kana_key=version.kana_key,
            birth_date=version.birth_date,
            status=PersonStatus.RESIDENT,
            person__registration=Registration.RESIDENT,
        )
        .exclude(person_id=n.person_id)
        .select_related("person")
        .order_by("person__addressee_no")
    )
    return [
        (
            MismatchKind.NONRESIDENT_NOW_RESIDENT,
            r.person.addressee_no,
            f"住民 宛名番号 {r.person.addressee_no}(同じ氏名カナ・生年月日)が住民登録されています",
        )
        for r in residents
    ]


def _later_changes(n: Notification) -> list[Finding]:
    events = ChangeEvent.objects.filter(
        person_id=n.person_id, kind__in=[ChangeKind.DEATH, ChangeKind.MOVE_OUT], recorded_at__gte=n.created_at
    ).order_by("recorded_at")
    return [
        (
            MismatchKind.REGISTER_CHANGE,
            f"change:{e.pk}",
            f"{ChangeKind(e.kind).label} 異動日 {format_wareki(e.effective_date)}(届出の処理中に記録)",
        )
        for e in events
    ]


def _list(n: Notification, findings: list[Finding], on: date, now: datetime) -> int:
    added = 0
    for kind, key, detail in findings:
        if MatchingMismatch.objects.filter(kind=kind, notification=n, subject_key=key).exists():
            continue
        try:
            with transaction.atomic():
                MatchingMismatch.objects.create(
                    kind=kind,
                    notification=n,
                    person_id=n.person_id,
                    subject_key=key,
                    detail=detail[:300],
                    found_on=on,
                    found_at=now,
                )
        except IntegrityError:  # listed by a concurrent run
            continue
        added += 1
    return added


def matching_run(*, actor: Actor, on: date) -> int:
    """Run both USE-01 checks as of `on`; returns how many new mismatches were listed."""
    now = timezone.now()
    with transaction.atomic():
        added = 0
        unchecked = (
            Notification.objects.select_for_update()
            .filter(status=Status.CONFIRMED, register_checked_on__isnull=True, effective_date__lte=on)
            .order_by("pk")
        )
        checked = 0
        for n in unchecked:
            added += _list(n, register_findings(n), on, now)
            n.register_checked_on = on
            n.save(update_fields=["register_checked_on"])
            checked += 1
        open_ones = Notification.objects.filter(_in_progress(), received_on__lte=on).order_by("pk")
        for n in open_ones.select_related("person"):
            findings = _later_changes(n)
            if n.person.registration == Registration.NON_RESIDENT:
                findings += _same_person_registered(n, on)
            added += _list(n, findings, on, now)
        audit_record(
            actor=actor,
            action=AuditAction.NOTIFICATION_MATCHING_RUN,
            target_type=AuditTarget.NOTIFICATIONS,
            target_id=on.isoformat(),
            detail={"on": on.isoformat(), "checked": checked, "added": added},
        )
    return added
