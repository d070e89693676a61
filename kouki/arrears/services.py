"""Writes of arrears work (issue 5 §4), each with its audit row in the same transaction (USE-03):
reminders (督促状), contact records, payment pledges (分納誓約) and their review, write-off requests with a
supervisor's approval (不納欠損, four eyes), and the pension-conversion worklist.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kouki.accounts.permissions import Perm, role_has
from kouki.accounts.selectors import staff_by_id
from kouki.arrears.models import (
    ContactChannel,
    ContactRecord,
    PaymentPledge,
    PledgedInstalment,
    PledgeInstalment,
    PledgeStatus,
    Reminder,
    WriteOffGround,
    WriteOffRequest,
    WriteOffStatus,
)
from kouki.arrears.people import addressee_of, insured_no_of
from kouki.arrears.selectors import reminders_missed
from kouki.collection import limitation
from kouki.collection.decisions import write_off_record
from kouki.collection.deferral_selectors import deferred_on
from kouki.collection.labels import instalment_label, instalment_labels
from kouki.collection.selectors import UnpaidInstalment, instalment_statuses, receipts_of, unpaid_instalments
from kouki.collection.state import CollectionError
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import city_config
from kouki.core.outbox import OutgoingFiles, outgoing_files
from kouki.documents.data import default_insurer_name, default_issuer
from kouki.documents.reminder import STEM, ReminderData, ReminderLine, render_reminders
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.privacy.redaction import contains_personal_number
from kouki.rules import arrears as rules
from kouki.rules.business_days import BusinessCalendar, japanese_calendar, next_business_day
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki

AUDIT_EACH_UP_TO = 50


class ArrearsError(ValueError):
    """A request that cannot be done; the message says why (never a personal number)."""


def window_days() -> int:
    return city_config().reminder_window_days


def deadline_days() -> int:
    return city_config().reminder_deadline_days


@lru_cache(maxsize=8)
def _calendar(year: int) -> BusinessCalendar:
    return japanese_calendar([year, year + 1])


def _text(value: str, name: str, max_length: int, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise ArrearsError(f"{name}を入力してください")
    if contains_personal_number(value):
        raise ArrearsError(f"{name}に個人番号は入力できません")
    if len(value) > max_length:
        raise ArrearsError(f"{name}は{max_length}文字以内で入力してください")
    return value


# --- reminders (督促状) ----------------------------------------------------------------------------


@dataclass
class ReminderRun:
    on: date
    reminder_ids: list[int] = field(default_factory=list)
    people: int = 0
    pdf: Path | None = None
    sha256: str = ""
    pdf_bytes: bytes = b""


def _audit(
    actor: Actor, action: AuditAction, target: AuditTarget, pk: str, detail: dict[str, object]
) -> None:
    audit_record_many(actor=actor, items=[AuditItem(action, target, pk, detail)])


def _audit_many(
    actor: Actor, action: AuditAction, target: AuditTarget, items: list[tuple[int, dict[str, object]]]
) -> None:
    if not items:
        return
    if len(items) <= AUDIT_EACH_UP_TO:
        audit_record_many(actor=actor, items=[AuditItem(action, target, str(pk), detail)
                                              for pk, detail in items])  # fmt: skip
    else:
        amount = sum(int(str(d.get("amount", 0))) for _, d in items)
        _audit(
            actor, action, target, f"{items[0][0]}-{items[-1][0]}", {"count": len(items), "amount": amount}
        )


def reminders_issue(
    *,
    actor: Actor,
    on: date,
    out_dir: Path | None = None,
    window: int | None = None,
    deadline: int | None = None,
) -> ReminderRun:
    """督促状 for direct instalments missed at most `window` days (default 20) before `on` that have no
    reminder yet: one Reminder row per instalment (idempotent), one page per person in one PDF
    (`out_dir/tokusokujo-YYYYMMDD.pdf`) when out_dir is given. 指定期限 = on + `deadline` days (default
    10), moved to the next business day."""
    first, _last = rules.reminder_due_window(on, window or window_days())
    with outgoing_files() as out:  # the rows commit once the PDF exists whole under its name
        due = list(unpaid_instalments(due_before=on, due_from=first, method="direct"))
        done = set(Reminder.objects.filter(instalment_id__in=[u.instalment_id for u in due]).values_list(
            "instalment_id", flat=True))  # fmt: skip
        deferred = deferred_on(due, on)  # 徴収猶予 on the day: no 督促状 (issue 12 §2)
        todo = [u for u in due if u.instalment_id not in done and u.instalment_id not in deferred]
        return _issue(actor, on, todo, out, out_dir=out_dir, deadline=deadline, late=False)


def reminders_issue_missed(
    *,
    actor: Actor,
    on: date,
    instalment_ids: Sequence[int] | None = None,
    out_dir: Path | None = None,
    deadline: int | None = None,
) -> ReminderRun:
    """督促状 for the missed instalments (`reminders_missed`; only `instalment_ids` of them when given —
    an id not on that list is refused). Audited as late reminders."""
    with outgoing_files() as out:
        missed = reminders_missed(on)
        if instalment_ids is not None:
            wanted = set(instalment_ids)
            unknown = wanted - {u.instalment_id for u in missed}
            if unknown:
                raise ArrearsError(
                    f"{instalment_labels(unknown)}は{format_wareki(on)}時点で督促状の発行対象ではありません"
                )
            missed = [u for u in missed if u.instalment_id in wanted]
        return _issue(actor, on, missed, out, out_dir=out_dir, deadline=deadline, late=True)


def _issue(
    actor: Actor, on: date, todo: list[UnpaidInstalment], out: OutgoingFiles, *, out_dir: Path | None,
    deadline: int | None, late: bool,
) -> ReminderRun:  # fmt: skip
    run = ReminderRun(on=on)
    if not todo:
        return run
    specified = next_business_day(on + timedelta(days=deadline or deadline_days()), _calendar(on.year))
    by_person: dict[int, list[UnpaidInstalment]] = defaultdict(list)
    for u in todo:
        by_person[u.person_id].append(u)
    pages = []
    for person_id in sorted(by_person):
        items = by_person[person_id]
        pages.append(ReminderData(
            addressee=addressee_of(person_id), insured_no=insured_no_of(person_id, items[0].fiscal_year),
            issued_on=on, deadline=specified,
            lines=tuple(ReminderLine(u.fiscal_year, u.period, u.due_date, u.unpaid) for u in items),
            issuer=default_issuer(), insurer_name=default_insurer_name(),
        ))  # fmt: skip
    pdf = render_reminders(pages)
    run.sha256 = hashlib.sha256(pdf).hexdigest()
    now = timezone.now()
    rows = Reminder.objects.bulk_create([
        Reminder(instalment_id=u.instalment_id, person_id=u.person_id, fiscal_year=u.fiscal_year,
                 period=u.period, due_date=u.due_date, issued_on=on, deadline=specified, amount=u.unpaid,
                 document_sha256=run.sha256, created_at=now, created_by=actor.username)
        for u in todo
    ])  # fmt: skip
    run.reminder_ids = sorted(r.pk for r in rows)
    run.people = len(by_person)
    action = AuditAction.REMINDER_ISSUE_LATE if late else AuditAction.REMINDER_ISSUE
    _audit_many(actor, action, AuditTarget.ARREARS_REMINDER, [
        (r.pk, {"instalment": r.instalment_id, "amount": r.amount, "issued_on": on.isoformat(),
                "deadline": specified.isoformat()}) for r in rows
    ])  # fmt: skip
    run.pdf_bytes = pdf
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        suffix = "-late" if late else ""
        run.pdf = out_dir / f"{STEM}{suffix}-{on:%Y%m%d}.pdf"
        out.add(run.pdf, pdf)
    return run


# --- contacts and pledges ------------------------------------------------------------------------


def contact_record(
    *, actor: Actor, person_id: int, contacted_on: date, channel: str, note: str = "", staff: str = ""
) -> ContactRecord:
    """Record a contact (電話・訪問・文書) with a person in arrears."""
    if channel not in ContactChannel.values:
        raise ArrearsError("接触の方法は電話・訪問・文書から選んでください")
    text = _text(note, "内容", 500)
    who = _text(staff or actor.username, "担当者", 150, required=True)
    with transaction.atomic():
        row = ContactRecord.objects.create(person_id=person_id, contacted_on=contacted_on, channel=channel,
                                           staff=who, note=text, recorded_at=timezone.now())  # fmt: skip
        _audit(actor, AuditAction.CONTACT_RECORD, AuditTarget.ARREARS_CONTACT_RECORD, str(row.pk), {
            "person": person_id, "channel": channel, "contacted_on": contacted_on.isoformat()})  # fmt: skip
    return row


def _named_by_pledge(
    person_id: int, made_on: date, instalment_ids: Sequence[int] | None
) -> list[UnpaidInstalment]:
    """What a pledge names: the given instalments, or (None) every instalment of the person past due
    and unpaid on `made_on`. An instalment extinguished by limitation cannot be acknowledged any more
    (地方自治法 §236 ②): named, it is refused; by default, it is left out."""
    owed = list(unpaid_instalments(due_before=made_on, method=None, person_ids=[person_id]))
    expires = limitation.expiry_dates(
        limitation.ClaimRef(u.instalment_id, u.person_id, u.fiscal_year, u.method, u.period, u.due_date)
        for u in owed
    )
    alive = [u for u in owed if not rules.extinguished(expires[u.instalment_id], made_on)]
    if instalment_ids is None:
        return alive
    wanted = set(instalment_ids)
    dead = wanted & ({u.instalment_id for u in owed} - {u.instalment_id for u in alive})
    if dead:
        raise ArrearsError(
            f"{instalment_labels(dead)}は時効により消滅しています(地方自治法第236条第2項)。"
            "分納誓約の対象にできません"
        )
    unknown = wanted - {u.instalment_id for u in alive}
    if unknown:
        raise ArrearsError(f"{instalment_labels(unknown)}はこの方の納期限を過ぎた未納の期ではありません")
    return [u for u in alive if u.instalment_id in wanted]


def pledge_make(
    *, actor: Actor, person_id: int, made_on: date, schedule: Sequence[tuple[date, int]], note: str = "",
    instalment_ids: Sequence[int] | None = None,
) -> PaymentPledge:  # fmt: skip
    """分納誓約: the person acknowledges the arrears and pledges amounts on dates (on or after made_on).
    The pledge names the instalments it acknowledges (民法 §152: their 時効 starts again on made_on):
    `instalment_ids`, or by default every instalment past due, unpaid and not extinguished."""
    if not schedule:
        raise ArrearsError("納付予定(日付と金額)を1件以上入力してください")
    days = [d for d, _ in schedule]
    if len(set(days)) != len(days):
        raise ArrearsError("同じ納付予定日が複数あります。1日に1件にまとめてください")
    for d, amount in schedule:
        if amount <= 0:
            raise ArrearsError(f"{format_wareki(d)}の納付予定額は1円以上を入力してください")
        if d < made_on:
            raise ArrearsError(
                f"納付予定日{format_wareki(d)}が誓約日より前です。納付予定日は誓約日以降にしてください"
            )
    text = _text(note, "メモ", 500)
    with transaction.atomic():
        named = _named_by_pledge(person_id, made_on, instalment_ids)
        pledge = PaymentPledge.objects.create(
            person_id=person_id, made_on=made_on, arrears=sum(u.unpaid for u in named),
            taken_by=actor.username, note=text, recorded_at=timezone.now(),
        )  # fmt: skip
        PledgeInstalment.objects.bulk_create(
            [PledgeInstalment(pledge=pledge, due_on=d, amount=a) for d, a in sorted(schedule)]
        )
        PledgedInstalment.objects.bulk_create([
            PledgedInstalment(pledge=pledge, instalment_id=u.instalment_id, fiscal_year=u.fiscal_year,
                              method=u.method, period=u.period, unpaid=u.unpaid)
            for u in named
        ])  # fmt: skip
        _audit(actor, AuditAction.PLEDGE_MAKE, AuditTarget.ARREARS_PAYMENT_PLEDGE, str(pledge.pk), {
            "person": person_id, "made_on": made_on.isoformat(), "pledged": sum(a for _, a in schedule),
            "dates": len(schedule), "arrears": pledge.arrears,
            "instalments": [u.instalment_id for u in named]})  # fmt: skip
    return pledge


def pledge_state_of(pledge: PaymentPledge, on: date) -> rules.PledgeState:
    schedule = list(pledge.schedule.order_by("due_on").values_list("due_on", "amount"))
    paid = [
        (r.paid_on, r.amount) for r in receipts_of(pledge.person_id, paid_from=pledge.made_on, paid_to=on)
    ]
    return rules.pledge_state(schedule, paid, on)


def pledges_review(*, actor: Actor, on: date) -> dict[str, int]:
    """Check every active pledge on `on`: broken when a pledged date passed without enough receipts
    (kouki.collection.selectors.receipts_of), kept when all was paid. Returns counts per new status."""
    counts: dict[str, int] = {PledgeStatus.KEPT: 0, PledgeStatus.BROKEN: 0}
    with transaction.atomic():
        changed = []
        for pledge in (
            PaymentPledge.objects.select_for_update().filter(status=PledgeStatus.ACTIVE).order_by("pk")
        ):
            state = pledge_state_of(pledge, on)
            if state != rules.PledgeState.ACTIVE:
                pledge.status, pledge.status_on = str(state), on
                changed.append(pledge)
                counts[str(state)] += 1
        PaymentPledge.objects.bulk_update(changed, ["status", "status_on"])
        _audit_many(actor, AuditAction.PLEDGE_REVIEW, AuditTarget.ARREARS_PAYMENT_PLEDGE,
                    [(p.pk, {"status": p.status, "on": on.isoformat()}) for p in changed])  # fmt: skip
    return counts


# --- write-off (不納欠損) with four eyes ------------------------------------------------------------


def write_off_request(
    *, actor: Actor, instalment_id: int, amount: int, reason: str, on: date, ground: WriteOffGround
) -> WriteOffRequest:
    """起案: ask to write off (part of) an unpaid instalment; a supervisor decides. A request on the
    ground of 時効 is refused before the instalment's limitation date has passed (issue 11 §3)."""
    why = _text(reason, "理由", 200, required=True)
    if amount <= 0:
        raise ArrearsError(f"欠損額は1円以上を入力してください(入力: {yen(amount)})")
    from kouki.assessment.models import Instalment  # (the FK target; read once for person and year)

    inst = Instalment.objects.select_related("plan").filter(pk=instalment_id).first()
    if inst is None:
        raise ArrearsError("指定された期がありません。期を選び直してください")
    person_id, fy = inst.plan.person_id, inst.plan.fiscal_year
    status = next((s for s in instalment_statuses(person_id, fy) if s.instalment_id == instalment_id), None)
    if status is None:
        raise ArrearsError(f"{instalment_label(inst)}は現在の期割にありません")
    if amount > status.unpaid:
        raise ArrearsError(
            f"欠損額{yen(amount)}が{instalment_label(inst)}の未納額{yen(status.unpaid)}を超えています"
        )
    with transaction.atomic():
        if WriteOffRequest.objects.filter(
            instalment_id=instalment_id, status=WriteOffStatus.REQUESTED
        ).exists():
            raise ArrearsError(f"{instalment_label(inst)}には決裁待ちの不納欠損の起案がすでにあります")
        _check_limitation(ground, person_id, fy, instalment_id, on)
        if amount != status.unpaid and limitation.extinguished(person_id, fy, instalment_id, on):
            raise ArrearsError(
                f"{instalment_label(inst)}は時効により消滅しています(地方自治法第236条第2項)。"
                f"未納額の全額{yen(status.unpaid)}を欠損してください"
            )
        req = WriteOffRequest.objects.create(
            instalment_id=instalment_id, person_id=person_id, fiscal_year=fy, amount=amount, reason=why,
            ground=ground, requested_by=actor.username, requested_on=on, recorded_at=timezone.now(),
        )  # fmt: skip
        _audit(actor, AuditAction.WRITE_OFF_REQUEST, AuditTarget.ARREARS_WRITE_OFF_REQUEST, str(req.pk), {
            "instalment": instalment_id, "amount": amount, "reason": why, "ground": str(ground)})  # fmt: skip
    return req


def _check_limitation(ground: str, person_id: int, fiscal_year: int, instalment_id: int, on: date) -> None:
    """時効 as the ground: the instalment's own limitation date (renewals counted) must have passed."""
    if ground != WriteOffGround.LIMITATION:
        return
    last = limitation.instalment_expiry(person_id, fiscal_year, instalment_id)
    if last is None or not rules.extinguished(last, on):
        until = f"(時効の完成は{format_wareki(last)}の経過後)" if last is not None else ""
        raise ArrearsError(
            f"{instalment_labels([instalment_id])}の時効は{format_wareki(on)}時点でまだ完成していません{until}"
            "(督促・納付・誓約による更新を含む)。時効を根拠とする不納欠損はできません"
        )


def _supervisor(actor: Actor, req: WriteOffRequest) -> str:
    user = staff_by_id(actor.user_id) if actor.user_id is not None else None
    if user is None or not user.is_active or not role_has(user.role, Perm.DECIDE_COLLECTION):
        raise ArrearsError("不納欠損の決裁は審査・監督者だけが行えます")
    if user.username == req.requested_by or actor.username == req.requested_by:
        raise ArrearsError("起案者本人は自分の起案を決裁できません。別の審査・監督者が決裁してください")
    return str(user.username)


def _open_request(request_id: int) -> WriteOffRequest:
    req = WriteOffRequest.objects.select_for_update().filter(pk=request_id).first()
    if req is None:
        raise ArrearsError("この不納欠損の起案は見つかりません。一覧を開き直してください")
    if req.status != WriteOffStatus.REQUESTED:
        raise ArrearsError(f"この起案はすでに決裁されています({WriteOffStatus(req.status).label})")
    return req


def write_off_approve(*, actor: Actor, request_id: int, on: date, note: str = "") -> WriteOffRequest:
    """承認: a supervisor other than the requester approves; the write-off is recorded in
    kouki.collection (kouki.collection.decisions.write_off_record) in the same transaction."""
    text = _text(note, "決裁メモ", 200)
    with transaction.atomic():
        req = _open_request(request_id)
        approver = _supervisor(actor, req)
        _check_limitation(req.ground, req.person_id, req.fiscal_year, req.instalment_id, on)
        try:
            decision = write_off_record(
                actor=actor, instalment_id=req.instalment_id, amount=req.amount, reason=req.reason,
                requested_by=req.requested_by, approved_by=approver, on=on,
            )  # fmt: skip
        except CollectionError as exc:
            raise ArrearsError(str(exc)) from None
        req.status, req.decided_by, req.decided_on = WriteOffStatus.APPROVED, approver, on
        req.decision_note, req.write_off_id = text, decision.pk
        req.save(update_fields=["status", "decided_by", "decided_on", "decision_note", "write_off_id"])
        _audit(actor, AuditAction.WRITE_OFF_APPROVE, AuditTarget.ARREARS_WRITE_OFF_REQUEST, str(req.pk), {
            "write_off": decision.pk, "amount": req.amount, "requested_by": req.requested_by})  # fmt: skip
    return req


def write_off_reject(*, actor: Actor, request_id: int, on: date, note: str) -> WriteOffRequest:
    text = _text(note, "却下の理由", 200, required=True)
    with transaction.atomic():
        req = _open_request(request_id)
        decider = _supervisor(actor, req)
        req.status, req.decided_by, req.decided_on = WriteOffStatus.REJECTED, decider, on
        req.decision_note = text
        req.save(update_fields=["status", "decided_by", "decided_on", "decision_note"])
        _audit(actor, AuditAction.WRITE_OFF_REJECT, AuditTarget.ARREARS_WRITE_OFF_REQUEST, str(req.pk), {
            "note": text})  # fmt: skip
    return req

