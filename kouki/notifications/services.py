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
from kouki.jukinet.selectors import lookup_problem
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
from kouki.privacy.redaction import contains_personal_number
from kouki.privacy.services import personal_number_register
from kouki.privacy.vault import reference_token
from kouki.rules.identity_check import (
    DOCUMENT_LABELS,
    AgentKind,
    AuthorityDocument,
    IdentityCheckInput,
    IdentityCheckResult,
    IdentityDocument,
    check_identity,
)
from kouki.rules.kana import is_kana_name
from kouki.rules.numbers import validate_my_number

NOTE_MAX = 200


class NotificationError(ValueError):
    """A notification write refused: names the field and the reason (Japanese, for the screen)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


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


def _staff(actor: Actor, perm: Perm, what: str) -> StaffUser:
    user = StaffUser.objects.filter(pk=actor.user_id).first() if actor.user_id is not None else None
    if user is None or not user.has_kouki_perm(perm):
        raise NotificationError("actor", f"{what}の権限がありません")
    return user


def _text(value: str, name: str, max_length: int) -> str:
    value = value.strip()
    if contains_personal_number(value):
        raise NotificationError(name, "個人番号は記入できません")
    if len(value) > max_length:
        raise NotificationError(name, f"{max_length}文字以内で入力してください")
    return value


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


def identity_case(data: NotificationInput, *, number_provided: bool) -> IdentityCheckInput:
    agent = data.applicant == Applicant.AGENT
    return IdentityCheckInput(
        number_provided=number_provided,
        documents=data.identity_documents,
        notification_card_matches=data.notification_card_matches,
        resident_network_checked=data.resident_network_lookup_id is not None,
        agent_kind=data.agent_kind if agent else None,
        agent_documents=data.agent_documents if agent else frozenset(),
        authority_documents=data.authority_documents if agent else frozenset(),
    )


def _summary(data: NotificationInput, verdict: IdentityCheckResult) -> str:
    docs = "・".join(DOCUMENT_LABELS[d] for d in sorted(data.identity_documents)) or "書類なし"
    text = f"{Applicant(data.applicant).label}: {docs}"
    if verdict.used_resident_network:
        text += "(住基ネット照会で確認)"
    return text[:200]


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
    agent_name = _text(data.agent_name, "agent_name", 80)
    relationship = _text(data.agent_relationship, "agent_relationship", 40)
    if agent and (data.agent_kind is None or not agent_name or not relationship):
        raise NotificationError("agent", "代理人の区分・氏名・本人との関係を入力してください")
    facility_name = _file_text(data.facility_name, "facility_name")
    facility_address = _file_text(data.facility_address, "facility_address")
    if data.notification_type in FACILITY_TYPES and not (facility_name and facility_address):
        raise NotificationError("facility", "住所地特例の届出には施設名と所在地が必要です")
    note = _file_text(data.note, "note")
    token = ""
    if number:
        validate_my_number(number)  # InvalidNumber; its message never repeats the number
        token = reference_token(number)
    verdict = check_identity(identity_case(data, number_provided=bool(number)))
    if not verdict.ok:
        raise NotificationError("identity", " / ".join(verdict.problems))
    values: dict[str, object] = {
        "person_id": data.person_id,
        "notification_type": data.notification_type,
        "effective_date": data.effective_date,
        "received_on": data.received_on,
        "stated_kana": kana,
        "stated_birth_date": data.stated_birth_date,
        "applicant": data.applicant,
        "agent_kind": str(data.agent_kind) if agent and data.agent_kind else "",
        "agent_name": agent_name if agent else "",
        "agent_relationship": relationship if agent else "",
        "agent_documents": sorted(data.agent_documents) if agent else [],
        "authority_documents": sorted(data.authority_documents) if agent else [],
        "identity_documents": sorted(data.identity_documents),
        "notification_card_matches": data.notification_card_matches,
        "resident_network_checked": data.resident_network_lookup_id is not None,
        "resident_network_lookup_id": data.resident_network_lookup_id,
        "identity_summary": _summary(data, verdict),
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


def _locked(notification_id: int) -> Notification:
    n = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if n is None:
        raise NotificationError("notification", "届出がありません")
    return n


def enterer_ids(notification_id: int) -> set[int]:
    """Everyone who entered or re-entered the notification: none of them may confirm it."""
    actions = (StepAction.ENTERED, StepAction.REENTERED)
    rows = NotificationStep.objects.filter(notification_id=notification_id, action__in=actions)
    return {uid for uid in rows.values_list("actor_id", flat=True) if uid is not None}


def notification_reenter(
    *, actor: Actor, notification_id: int, data: NotificationInput, number: str = ""
) -> Notification:
    """Correct a returned notification; it goes back to waiting for confirmation."""
    user = _staff(actor, Perm.ENTER_NOTIFICATION, "届出の修正")
    number = number.strip()
    if number:
        _staff(actor, Perm.REGISTER_PERSONAL_NUMBER, "個人番号の入力")
    values, token = _validate(data, number)
    with transaction.atomic():
        n = _locked(notification_id)
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
        n.save()
        _step(n, StepAction.REENTERED, actor, user)
        audit_record(
            actor=actor,
            action=AuditAction.NOTIFICATION_REENTER,
            target_type=AuditTarget.NOTIFICATION,
            target_id=str(n.pk),
            detail={"no": n.notification_no, "with_number": bool(token),
                    "register_mismatch": bool(n.entry_mismatch)},
        )
    return n


def _decision(actor: Actor, n: Notification, note: str, what: str) -> tuple[StaffUser, str]:
    user = _staff(actor, Perm.CONFIRM_NOTIFICATION, what)
    if n.status != Status.ENTERED:
        raise NotificationError("status", f"再鑑待ちの届出ではありません(現在: {Status(n.status).label})")
    if user.pk in enterer_ids(n.pk):
        raise NotificationError("actor", "入力(修正)した職員は自分の入力を確認できません(再鑑は別の職員)")
    note = _text(note, "note", NOTE_MAX)
    if not note:
        raise NotificationError("note", "判断の根拠を入力してください")
    return user, note


def notification_return(*, actor: Actor, notification_id: int, note: str) -> None:
    """The checker sends an entry back for correction, saying why."""
    with transaction.atomic():
        n = _locked(notification_id)
        user, note = _decision(actor, n, note, "届出の差戻し")
        n.status = Status.RETURNED
        n.save(update_fields=["status"])
        _step(n, StepAction.RETURNED, actor, user, note)
        audit_record(
            actor=actor,
            action=AuditAction.NOTIFICATION_RETURN,
            target_type=AuditTarget.NOTIFICATION,
            target_id=str(n.pk),
            detail={"no": n.notification_no, "note": note},
        )


def notification_confirm(*, actor: Actor, notification_id: int, note: str, number: str = "") -> Notification:
    """再鑑: a different member of staff confirms; the notification takes effect (and its number, if any,
    is registered once the re-keyed number matches the entered one)."""
    number = number.strip()
    with transaction.atomic():
        n = _locked(notification_id)
        user, note = _decision(actor, n, note, "届出の確認")
        result = ""
        if n.number_token:
            if not number:
                raise NotificationError("number", "届出書の個人番号をもう一度入力してください")
            _staff(actor, Perm.REGISTER_PERSONAL_NUMBER, "個人番号の登録")
            validate_my_number(number)
            if reference_token(number) != n.number_token:
                raise NotificationError("number", "入力時の個人番号と一致しません。届出書を確認してください")
            result = personal_number_register(
                actor=actor, person_id=n.person_id, number=number, source=f"届出 {n.notification_no}"
            )
        elif number:
            raise NotificationError("number", "この届出には個人番号が入力されていません")
        n.status = Status.CONFIRMED
        n.confirmed_by = user
        n.confirmed_at = timezone.now()
        n.number_result = result
        n.save(update_fields=["status", "confirmed_by", "confirmed_at", "number_result"])
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
