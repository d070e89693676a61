"""Writes of counter notifications: entry, return for correction, re-entry, confirmation (再鑑), sending.

Four-eyes (IN-11): a notification takes effect only when a member of staff holding
Perm.CONFIRM_NOTIFICATION confirms it, and that person never entered (or re-entered) it. Identity
documents are judged by kouki.rules.identity_check (IN-07…IN-09). A personal number written on the form
is typed by the clerk and typed again by the confirmer; only when both agree is it registered through
kouki.privacy.services.personal_number_register (source "届出 <no>", IN-04 applies). Every write appends
its audit row in the same transaction; no audit detail, note or error text carries a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.addressees.models import Person
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.versioning import bump, check_version
from kouki.jukinet.selectors import lookup_problem
from kouki.notifications.counter import (
    CounterError,
    checked_text,
    four_eyes_checker,
    identity_values,
    number_token,
    rekeyed_number_register,
    staff_with,
)
from kouki.notifications.matching import entry_mismatch
from kouki.notifications.models import (
    FACILITY_TYPES,
    FILE_BYTES,
    Applicant,
    MatchingMismatch,
    MismatchStatus,
    Notification,
    NotificationStep,
    NotificationType,
    Status,
    StepAction,
)
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.rules.identity_check import AgentKind, AuthorityDocument, IdentityDocument
from kouki.rules.kana import is_kana_name

NOTE_MAX = 200

# A refused notification write: the shared counter refusal (field and Japanese reason for the screen).
NotificationError = CounterError


@dataclass(frozen=True)
class NotificationInput:
    """What the clerk enters from the form (everything but the personal number)."""

    person_id: int
    notification_type: NotificationType
    effective_date: date
    received_on: date
    stated_kana: str
    stated_birth_date: date
    applicant: Applicant = Applicant.SELF
    identity_documents: frozenset[IdentityDocument] = frozenset()
    notification_card_matches: bool = False
    resident_network_lookup_id: int | None = None  # the 住基ネット lookup that verified it (IN-09)
    agent_kind: AgentKind | None = None
    agent_name: str = ""
    agent_relationship: str = ""
    agent_documents: frozenset[IdentityDocument] = frozenset()
    authority_documents: frozenset[AuthorityDocument] = field(default_factory=frozenset)
    facility_name: str = ""
    facility_address: str = ""
    note: str = ""

    @property
    def resident_network_checked(self) -> bool:
        """Checked against 住基ネット: a lookup is cited (kouki.notifications.counter.CounterVisit)."""
        return self.resident_network_lookup_id is not None


def _staff(actor: Actor, perm: Perm, what: str) -> StaffUser:
    return staff_with(actor, perm, what)


def _text(value: str, name: str, max_length: int) -> str:
    return checked_text(value, name, max_length)


def _file_text(value: str, name: str) -> str:
    """A text that travels in 届出情報: CP932 (never shift_jis) and within the field's bytes."""
    limit = FILE_BYTES[name]
    value = _text(value, name, limit)
    try:
        size = len(value.encode("cp932"))
    except UnicodeEncodeError:
        raise NotificationError(
            name, "送付ファイルで使えない文字(外字・機種依存文字など)が含まれています"
        ) from None
    if size > limit:
        raise NotificationError(name, f"全角{limit // 2}文字(半角{limit}文字)以内で入力してください")
    return value


def _validate(data: NotificationInput, number: str) -> tuple[dict[str, object], str]:
    """Field values to store and the number's token; NotificationError on the first problem."""
    if not Person.objects.filter(pk=data.person_id).exists():
        raise NotificationError("person", "宛名が登録されていません")
    if data.received_on > timezone.localdate():
        raise NotificationError("received_on", "受付日が未来の日付です")
    kana = _text(data.stated_kana, "stated_kana", 160)
    if not is_kana_name(kana):
        raise NotificationError("stated_kana", "氏名はカナで入力してください")
    agent = data.applicant == Applicant.AGENT
    facility_name = _file_text(data.facility_name, "facility_name")
    facility_address = _file_text(data.facility_address, "facility_address")
    if data.notification_type in FACILITY_TYPES and not (facility_name and facility_address):
        raise NotificationError("facility", "住所地特例の届出には施設名と所在地が必要です")
    note = _file_text(data.note, "note")
    token = number_token(number)  # InvalidNumber; its message never repeats the number
    identity = identity_values(
        data, agent=agent, number_provided=bool(number), applicant_label=Applicant(data.applicant).label
    )
    values: dict[str, object] = {
        "person_id": data.person_id,
        "notification_type": data.notification_type,
        "effective_date": data.effective_date,
        "received_on": data.received_on,
        "stated_kana": kana,
        "stated_birth_date": data.stated_birth_date,
        "applicant": data.applicant,
        **identity,
        "resident_network_lookup_id": data.resident_network_lookup_id,
        "facility_name": facility_name,
        "facility_address": facility_address,
        "note": note,
        # IN-08: a kana or birth date differing from the register is recorded with the notification
        "entry_mismatch": entry_mismatch(data.person_id, kana, data.stated_birth_date, data.effective_date),
    }
    return values, token


def _check_lookup(data: NotificationInput, user: StaffUser, notification: Notification | None = None) -> None:
    """IN-09: the cited 住基ネット lookup is the entering member's own, of today, with exactly one person
    found, and verifies no other notification. Kept unchanged on re-entry, it stays valid."""
    lookup_id = data.resident_network_lookup_id
    if lookup_id is None:
        return
    if notification is not None and notification.resident_network_lookup_id == lookup_id:
        return
    problem = lookup_problem(lookup_id, user.pk)
    if problem is None and Notification.objects.filter(resident_network_lookup_id=lookup_id).exists():
        problem = "この照会は別の届出の確認に使われています"
    if problem is not None:
        raise NotificationError("resident_network_lookup", problem)


def _step(n: Notification, action: StepAction, actor: Actor, user: StaffUser | None, note: str = "") -> None:
    NotificationStep.objects.create(
        notification=n, action=action, actor=user, actor_name=actor.username, at=timezone.now(), note=note
    )


def notification_enter(*, actor: Actor, data: NotificationInput, number: str = "") -> Notification:
    """A clerk enters a notification; it waits for a different member of staff to confirm it (IN-11)."""
    user = _staff(actor, Perm.ENTER_NOTIFICATION, "届出の入力")
    number = number.strip()
    if number:
        _staff(actor, Perm.REGISTER_PERSONAL_NUMBER, "個人番号の入力")
    values, token = _validate(data, number)
    with transaction.atomic():
        _check_lookup(data, user)
        n = Notification.objects.create(
            **values, number_token=token, status=Status.ENTERED, entered_by=user, entered_at=timezone.now()
        )
        n.notification_no = f"{n.pk:010d}"
        n.save(update_fields=["notification_no"])
        _step(n, StepAction.ENTERED, actor, user)
        audit_record(
            actor=actor,
            action=AuditAction.NOTIFICATION_ENTER,
            target_type=AuditTarget.NOTIFICATION,
            target_id=str(n.pk),
            detail={
                "no": n.notification_no,
                "type": n.notification_type,
                "person_id": n.person_id,
                "with_number": bool(token),
                "register_mismatch": bool(n.entry_mismatch),
                "jukinet_lookup_id": n.resident_network_lookup_id,
            },
        )
    return n


def _locked(notification_id: int, seen_version: int | None = None) -> Notification:
    """The notification, locked; StaleEdit when the form was opened before another change (issue 16 §5)."""
    n = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if n is None:
        raise NotificationError("notification", "届出がありません")
    check_version(n.version, seen_version)
    return n


def enterer_ids(notification_id: int) -> set[int]:
    """Everyone who entered or re-entered the notification: none of them may confirm it."""
    actions = (StepAction.ENTERED, StepAction.REENTERED)
    rows = NotificationStep.objects.filter(notification_id=notification_id, action__in=actions)
    return {uid for uid in rows.values_list("actor_id", flat=True) if uid is not None}


def notification_reenter(
    *, actor: Actor, notification_id: int, data: NotificationInput, number: str = "",
    seen_version: int | None = None,
) -> Notification:
    """Correct a returned notification; it goes back to waiting for confirmation. `seen_version`: the
    version the edit form was opened with (kouki.core.versioning; None from a command)."""
    user = _staff(actor, Perm.ENTER_NOTIFICATION, "届出の修正")
    number = number.strip()
    if number:
        _staff(actor, Perm.REGISTER_PERSONAL_NUMBER, "個人番号の入力")
    values, token = _validate(data, number)
    with transaction.atomic():
        n = _locked(notification_id, seen_version)
        if n.status != Status.RETURNED:
            raise NotificationError("status", "差戻し中の届出だけを修正できます")
        if values["person_id"] != n.person_id:
            raise NotificationError("person", "届出の対象者は変更できません")
        _check_lookup(data, user, n)
        for name, value in values.items():
            setattr(n, name, value)
        n.number_token = token
        n.status = Status.ENTERED
        n.entered_by = user
        n.entered_at = timezone.now()
        bump(n)
        n.save()
        _step(n, StepAction.REENTERED, actor, user)
        audit_record(
            actor=actor,
            action=AuditAction.NOTIFICATION_REENTER,
            target_type=AuditTarget.NOTIFICATION,
            target_id=str(n.pk),
            detail={
                "no": n.notification_no,
                "with_number": bool(token),
                "register_mismatch": bool(n.entry_mismatch),
            },
        )
    return n


def _decision(actor: Actor, n: Notification, note: str, what: str) -> tuple[StaffUser, str]:
    return four_eyes_checker(
        actor, Perm.CONFIRM_NOTIFICATION, what, waiting=n.status == Status.ENTERED,
        status_label=Status(n.status).label, noun="届出", makers=enterer_ids(n.pk),
        maker_refusal="入力(修正)した職員は自分の入力を確認できません(再鑑は別の職員)",
        note=note, note_max=NOTE_MAX,
    )  # fmt: skip


def notification_return(
    *, actor: Actor, notification_id: int, note: str, seen_version: int | None = None
) -> None:
    """The checker sends an entry back for correction, saying why."""
    with transaction.atomic():
        n = _locked(notification_id, seen_version)
        user, note = _decision(actor, n, note, "届出の差戻し")
        n.status = Status.RETURNED
        n.save(update_fields=["status", bump(n)])
        _step(n, StepAction.RETURNED, actor, user, note)
        audit_record(
            actor=actor,
            action=AuditAction.NOTIFICATION_RETURN,
            target_type=AuditTarget.NOTIFICATION,
            target_id=str(n.pk),
            detail={"no": n.notification_no, "note": note},
        )


def notification_confirm(
    *, actor: Actor, notification_id: int, note: str, number: str = "", seen_version: int | None = None
) -> Notification:
    """再鑑: a different member of staff confirms; the notification takes effect (and its number, if any,
    is registered once the re-keyed number matches the entered one)."""
    number = number.strip()
    with transaction.atomic():
        n = _locked(notification_id, seen_version)
        user, note = _decision(actor, n, note, "届出の確認")
        result = rekeyed_number_register(
            actor,
            person_id=n.person_id,
            token=n.number_token,
            number=number,
            source=f"届出 {n.notification_no}",
            what="届出",
        )
        n.status = Status.CONFIRMED
        n.confirmed_by = user
        n.confirmed_at = timezone.now()
        n.number_result = result
        n.save(update_fields=["status", "confirmed_by", "confirmed_at", "number_result", bump(n)])
        _step(n, StepAction.CONFIRMED, actor, user, note)
        audit_record(
            actor=actor,
            action=AuditAction.NOTIFICATION_CONFIRM,
            target_type=AuditTarget.NOTIFICATION,
            target_id=str(n.pk),
            detail={"no": n.notification_no, "note": note, "number_result": result},
        )
    return n


def notifications_mark_sent(*, actor: Actor, notification_ids: Sequence[int], file_name: str) -> int:
    """Record that confirmed notifications went to the union in `file_name`; returns how many were marked.

    Already-sent or unconfirmed ones are left alone (a re-run of the same export changes nothing).
    """
    file_name = _text(file_name, "file_name", 100)
    if not file_name:
        raise NotificationError("file_name", "ファイル名が必要です")
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update()
            .filter(pk__in=list(notification_ids), status=Status.CONFIRMED, sent_at__isnull=True)
            .order_by("pk")
        )
        if not rows:
            return 0
        now = timezone.now()
        for n in rows:
            n.sent_at = now
            n.sent_file_name = file_name
        Notification.objects.bulk_update(rows, ["sent_at", "sent_file_name"])
        NotificationStep.objects.bulk_create(
            [
                NotificationStep(
                    notification=n,
                    action=StepAction.SENT,
                    actor=None,
                    actor_name=actor.username,
                    at=now,
                    note=file_name,
                )
                for n in rows
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.NOTIFICATION_SENT,
            target_type=AuditTarget.NOTIFICATION,
            target_id=file_name,
            detail={"file_name": file_name, "count": len(rows), "notification_ids": [n.pk for n in rows]},
        )
        return len(rows)


def notification_mark_sent(*, actor: Actor, notification_id: int, file_name: str) -> bool:
    return notifications_mark_sent(actor=actor, notification_ids=[notification_id], file_name=file_name) == 1


def mismatch_resolve(*, actor: Actor, mismatch_id: int, note: str) -> None:
    """Close one worklist row with what was done about it (note required)."""
    user = _staff(actor, Perm.CONFIRM_NOTIFICATION, "突合不一致の処理")
    note = _text(note, "note", NOTE_MAX)
    if not note:
        raise NotificationError("note", "処理内容を入力してください")
    with transaction.atomic():
        m = MatchingMismatch.objects.select_for_update().filter(pk=mismatch_id).first()
        if m is None:
            raise NotificationError("mismatch", "不一致の記録がありません")
        if m.status != MismatchStatus.OPEN:
            raise NotificationError("status", "処理済みです")
        m.status = MismatchStatus.RESOLVED
        m.resolved_by = user
        m.resolved_at = timezone.now()
        m.resolution_note = note
        m.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
        audit_record(
            actor=actor,
            action=AuditAction.NOTIFICATION_MISMATCH_RESOLVE,
            target_type=AuditTarget.MATCHING_MISMATCH,
            target_id=str(m.pk),
            detail={"kind": m.kind, "notification_id": m.notification_id, "note": note},
        )
