"""情報照会 (issue 13 §2; SEC-29–31): the counter's and the batch's inquiries, opening a result, the purge.

- Only a role holding Perm.INQUIRE may inquire or open a result (InquiryAccessDenied; nothing asked or
  logged). An 照会理由 is required (InvalidInquiry on the field), as a personal-number reveal.
- Who is meant goes as the 団体内統合宛名番号 (kouki.privacy.integrated_gate: its own audit row). The first
  inquiry about a person has the 符号 obtained (kouki.privacy.code_acquisition: a one-use 取得番号, not
  kept).
- The network checks the 照会許可用照合リスト: a refusal is recorded (InquiryRecord status refused) and
  returned; nothing is sent. An answer is kept sealed (InquiryResult) and recorded with its 提供許可証.
- A 年金給付関係情報 answer is written into the income at once (kouki.income.pension_store), where planning
  reads the pension the deduction is made from.
- One InquiryRecord and one audit row per inquiry, in one transaction; never the answer's content.
- A caller that names its own 照会番号 (the monthly batch: one per person, month and attempt) first asks
  the 中間サーバ for the outcome of that 照会番号 (`IntermediateServer.result`): a run killed after the
  answer came and before it was recorded records that same answer when run again — no second provision,
  no second look-up of the 統合宛名番号 (issue 16 §3; docs/operations/crash-safety.md).
- `purge_results` deletes results received before the day KOUKI_INQUIRY_RESULT_DAYS days ago (SEC-31),
  one audit row per run — a second run for the same day, which finds nothing, writes none.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import ConfigError, inquiry_result_days
from kouki.core.faults import fault_point
from kouki.income.pension_store import pension_answer_store
from kouki.inquiries import answers
from kouki.inquiries.catalogue import BASIS, JIMU, KINDS, InquiryKind, inquirer
from kouki.inquiries.envelope import open_sealed
from kouki.inquiries.models import CodeRegistration, InquiryRecord, InquiryResult, InquiryStatus
from kouki.inquiries.network import InquiryRefused, InquiryRequest, IntermediateServer, SealedAnswer, connect
from kouki.privacy.audit import audit_record
from kouki.privacy.code_acquisition import acquisition_number_for
from kouki.privacy.context import Actor
from kouki.privacy.gate import reference_where
from kouki.privacy.integrated_gate import integrated_number_for_person
from kouki.privacy.models import AuditEntry
from kouki.privacy.redaction import contains_personal_number

OTHER = "other"
# 照会理由 (code, label)
PURPOSES: list[tuple[str, str]] = [
    ("move_in", "転入者の年金・所得の確認(保険料の算定・特別徴収)"),
    ("pension_deduction", "特別徴収(年金からの徴収)の可否の確認"),
    ("move_in_union", "転入者の前住所地広域連合における保険料徴収の確認"),
    (OTHER, "その他(理由を記入)"),
]
_LABELS = dict(PURPOSES)
NOTE_MAX = 150
RETENTION_YEARS = 7  # 情報提供等記録 [R37][R38]


class InquiryAccessDenied(PermissionDenied):
    """The user may not inquire through the 中間サーバ (SEC-29). Nothing was asked or logged."""


class InvalidInquiry(ValueError):
    """An inquiry that cannot be asked as given; `field` names the form field. No personal data in it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class ResultExpired(LookupError):
    """The result of this inquiry was deleted after its period (SEC-31) or never received."""


class InquiryNotFound(LookupError):
    """No inquiry was ever recorded with this id (the screen answers 404, issue 16 §4)."""


class PurgeNotConfigured(ConfigError):
    """KOUKI_INQUIRY_RESULT_DAYS is unset ([NF]): the purge deletes nothing."""


@dataclass(frozen=True)
class InquiryOutcome:
    record_id: int
    status: str
    refusal: str
    applied: bool  # the answer changed the income planning reads


def _purpose(code: str, note: str) -> tuple[str, str]:
    code, note = code.strip(), note.strip()
    if code not in _LABELS:
        raise InvalidInquiry("purpose", "照会理由を一覧から選択してください")
    if contains_personal_number(note):
        raise InvalidInquiry("purpose_note", "照会理由に個人番号を書かないでください")
    if len(note) > NOTE_MAX:
        raise InvalidInquiry("purpose_note", f"照会理由は{NOTE_MAX}文字以内で記入してください")
    if code == OTHER and not note:
        raise InvalidInquiry("purpose_note", "その他の場合は照会理由を記入してください")
    return code, f"{_LABELS[code]}: {note}" if note else _LABELS[code]


def _require(user: StaffUser) -> Actor:
    if not user.has_kouki_perm(Perm.INQUIRE):
        raise InquiryAccessDenied("中間サーバで情報照会する権限がありません")
    return Actor(username=user.username, user_id=user.pk)


def retain_until(on: date) -> date:
    try:
        return on.replace(year=on.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return on.replace(year=on.year + RETENTION_YEARS, day=28)


def _ensure_code(server: IntermediateServer, actor: Actor, person_id: int, integrated: str) -> None:
    """Register the person with the 中間サーバ (符号取得) unless done; the 取得番号 is spent at once."""
    if CodeRegistration.objects.filter(person_id=person_id).exists() and server.has_code(integrated):
        return
    acquisition = acquisition_number_for(actor=actor, person_id=person_id, issue=server.acquisition_number)
    if acquisition is None:
        raise InvalidInquiry("person", "個人番号が登録されていないため符号を取得できません")
    server.register_code(integrated, acquisition)
    CodeRegistration.objects.update_or_create(
        person_id=person_id, defaults={"registered_at": timezone.now(), "username": actor.username}
    )


def inquire(
    *,
    user: StaffUser,
    person_id: int,
    kind: str,
    purpose: str,
    screen: str,
    terminal_id: str,
    provider: str = "",
    purpose_note: str = "",
    request_id: str = "",
) -> InquiryOutcome:
    """Ask the network for one item about one person; record it (情報提供等記録), refused or answered.
    With a `request_id` (照会番号) of the caller's: the outcome the network already gave under it, if any."""
    actor = _require(user)
    try:
        spec = KINDS[InquiryKind(kind)]
    except ValueError:
        raise InvalidInquiry("kind", "照会の種類を一覧から選択してください") from None
    code, text = _purpose(purpose, purpose_note)
    screen, terminal_id = reference_where(screen, terminal_id)
    actor = Actor(username=user.username, terminal_id=terminal_id, user_id=user.pk)
    provider = provider.strip()
    if not provider and spec.kind is InquiryKind.UNION_PREMIUM:
        raise InvalidInquiry("provider", "転入前の住所地の広域連合を選択してください")
    provider = provider or spec.providers[0]  # 年金給付関係情報: 日本年金機構 unless a 共済 is chosen
    if contains_personal_number(provider) or len(provider) > 100:
        raise InvalidInquiry("provider", "情報提供者を一覧から選択してください")
    if request_id:
        server = connect()
        asked = InquiryRequest(inquirer=inquirer(), provider=provider, jimu=JIMU, item=spec.item,
                               integrated_number="", request_id=request_id)  # fmt: skip
        try:
            given = server.result(request_id)
        except InquiryRefused as exc:
            return _record(actor, user, person_id, spec.kind, asked, timezone.now(), None, exc.reason[:200],
                           code=code, text=text, screen=screen)  # fmt: skip
        if given is not None:
            return _record(actor, user, person_id, spec.kind, asked, given.requested_at, given, "",
                           code=code, text=text, screen=screen)  # fmt: skip
    integrated = integrated_number_for_person(
        user=user, person_id=person_id, purpose=OTHER, purpose_note=f"情報照会: {spec.item}",
        screen=screen, terminal_id=terminal_id,
    )  # fmt: skip
    if integrated is None:
        raise InvalidInquiry("person", "団体内統合宛名番号が付番されていません(個人番号の登録が必要です)")
    server = connect()
    _ensure_code(server, actor, person_id, integrated)
    request = InquiryRequest(
        inquirer=inquirer(), provider=provider, jimu=JIMU, item=spec.item,
        integrated_number=integrated,
        request_id=request_id or f"Q{timezone.now():%Y%m%d}-{secrets.token_hex(6)}",
    )  # fmt: skip
    requested_at = timezone.now()
    answer: SealedAnswer | None = None
    refusal = ""
    try:
        answer = server.inquire(request)
    except InquiryRefused as exc:
        refusal = exc.reason[:200]
    return _record(actor, user, person_id, spec.kind, request, requested_at, answer, refusal,
                   code=code, text=text, screen=screen)  # fmt: skip


def _record(
    actor: Actor,
    user: StaffUser,
    person_id: int,
    kind: InquiryKind,
    request: InquiryRequest,
    requested_at: datetime,
    answer: SealedAnswer | None,
    refusal: str,
    *,
    code: str,
    text: str,
    screen: str,
) -> InquiryOutcome:
    with transaction.atomic():
        record = InquiryRecord.objects.create(
            person_id=person_id, kind=kind, inquirer=request.inquirer, provider=request.provider,
            jimu=request.jimu, item=request.item, basis=BASIS[:200], request_id=request.request_id,
            permit_id=answer.permit_id if answer else "",
            status=InquiryStatus.PROVIDED if answer else InquiryStatus.REFUSED, refusal=refusal,
            requested_at=answer.requested_at if answer else requested_at,
            provided_at=answer.provided_at if answer else None,
            nondisclosure=answer.nondisclosure if answer else False,
            user=user, username=user.username, terminal_id=actor.terminal_id, screen=screen,
            purpose_code=code, purpose=text, retain_until=retain_until(timezone.localdate()),
        )  # fmt: skip
        applied = False
        if answer is not None:
            result = InquiryResult.objects.create(
                record=record, sealed=answer.sealed, received_at=timezone.now()
            )
            if kind is InquiryKind.PENSION:
                applied = _apply_pension(actor, record, result)
        audit_record(
            actor=actor,
            action=AuditAction.INQUIRY,
            target_type=AuditTarget.INQUIRY_RECORD,
            target_id=str(record.pk),
            detail={"person_id": person_id, "kind": str(kind), "provider": request.provider,
                    "status": record.status, "purpose": code, "screen": screen, "applied": applied},
        )  # fmt: skip
        fault_point("before-commit", request.request_id)
    fault_point("after-commit", request.request_id)
    return InquiryOutcome(record.pk, record.status, refusal, applied)


def _apply_pension(actor: Actor, record: InquiryRecord, result: InquiryResult) -> bool:
    body = answers.decode(open_sealed(result.sealed, record.request_id))
    pension = answers.pension_answer(body)
    if pension is None:
        return False
    changed = pension_answer_store(
        actor=actor, person_id=record.person_id, answer=pension, source=f"情報照会 {record.request_id}"
    )
    result.applied_at = timezone.now()
    result.save(update_fields=["applied_at"])
    return changed


@dataclass(frozen=True)
class OpenedResult:
    record: InquiryRecord
    rows: list[tuple[str, str]]
    found: bool


def open_result(*, user: StaffUser, record_id: int, screen: str, terminal_id: str) -> OpenedResult:
    """The answer of an inquiry, opened in memory for the screen (audited); ResultExpired when purged or
    not received, InquiryNotFound when no inquiry has that id."""
    _require(user)
    screen, terminal_id = reference_where(screen, terminal_id)
    record = InquiryRecord.objects.filter(pk=record_id).first()
    if record is None:
        raise InquiryNotFound("この照会の記録はありません")
    result = InquiryResult.objects.filter(record_id=record_id).first()
    if result is None:
        raise ResultExpired("照会結果は保存期間を過ぎて消去されたか、受信していません")
    body: dict[str, Any] = answers.decode(open_sealed(result.sealed, record.request_id))
    audit_record(
        actor=Actor(username=user.username, terminal_id=terminal_id, user_id=user.pk),
        action=AuditAction.INQUIRY_RESULT_OPEN,
        target_type=AuditTarget.INQUIRY_RECORD,
        target_id=str(record.pk),
        detail={"person_id": record.person_id, "screen": screen},
    )
    return OpenedResult(record, answers.display_rows(InquiryKind(record.kind), body), body["found"])


@dataclass(frozen=True)
class PurgeSummary:
    deleted: int
    cutoff: datetime


def purge_results(*, actor: Actor, now: datetime | None = None) -> PurgeSummary:
    """Delete the results received before the start of the day KOUKI_INQUIRY_RESULT_DAYS days before today
    (SEC-31); the records stay. One audit row per run, except a run that finds nothing to delete for a
    cut-off already purged (run again the same day, or re-run after a crash past its commit)."""
    days = inquiry_result_days()
    if days is None or days < 0:
        raise PurgeNotConfigured(
            "KOUKI_INQUIRY_RESULT_DAYS is not set (the period after which inquiry results are deleted is "
            "[NF] in the PIA L2862–2865: the city's 中間サーバ operating rules give it); nothing was deleted"
        )
    day = timezone.localdate(now or timezone.now()) - timedelta(days=days)
    cutoff = timezone.make_aware(datetime.combine(day, time.min))
    with transaction.atomic():
        expired = InquiryResult.objects.filter(received_at__lt=cutoff)
        span = expired.aggregate(first=Min("record_id"), last=Max("record_id"))
        fault_point("after-read", "inquiries purge")
        deleted = expired.delete()[0]
        if not deleted and _purged(cutoff):
            return PurgeSummary(0, cutoff)
        audit_record(
            actor=actor,
            action=AuditAction.INQUIRY_RESULTS_PURGE,
            target_type=AuditTarget.INQUIRY_RECORD,
            target_id="",
            detail={"deleted": deleted, "cutoff": cutoff.isoformat(), "days": days,
                    "first_record_id": span["first"], "last_record_id": span["last"]},
        )  # fmt: skip
        fault_point("before-commit", "inquiries purge")
    fault_point("after-commit", "inquiries purge")
    return PurgeSummary(deleted, cutoff)


def _purged(cutoff: datetime) -> bool:
    """A purge with this cut-off was recorded already."""
    return AuditEntry.objects.filter(action=AuditAction.INQUIRY_RESULTS_PURGE,
                                     detail__cutoff=cutoff.isoformat()).exists()  # fmt: skip
