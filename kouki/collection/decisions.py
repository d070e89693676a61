"""Decisions on a fiscal year's money, each recorded with who and why (USE-03): refund (還付) and
set-off (充当) of an overpayment, and write-off (不納欠損) of an unpaid instalment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from kouki.assessment.models import Instalment, InstalmentMethod
from kouki.collection import late_charges, limitation, state
from kouki.collection.labels import instalment_label, instalment_labels
from kouki.collection.models import Channel, Receipt, ReceiptStatus, Refund, RefundStatus, SetOff, WriteOff
from kouki.collection.services import allocate_new
from kouki.collection.state import CollectionError, Writes
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.versioning import check_version
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.rules.formatting import yen
from kouki.rules.wareki import wareki_year


def _reason(reason: str) -> str:
    if not reason.strip():
        raise CollectionError("決定の理由を入力してください")
    return reason.strip()[:200]


def _positive(amount: int) -> None:
    if amount <= 0:
        raise CollectionError(f"金額は1円以上を入力してください(入力: {yen(amount)})")


def refund_decide(
    *, actor: Actor, person_id: int, fiscal_year: int, amount: int, reason: str, on: date,
    seen_open: int | None = None,
) -> Refund:
    """Decide to refund part or all of a fiscal year's open overpayment. `seen_open`: the open
    overpayment the decision page showed; another decision since then refuses this one (StaleEdit)."""
    _positive(amount)
    why = _reason(reason)
    with transaction.atomic():
        state.load_accounts([(person_id, fiscal_year)], lock=True)
        available = state.open_overpayment(person_id, fiscal_year)
        check_version(available, seen_open)
        if amount > available:
            raise CollectionError(
                f"還付額{yen(amount)}が{wareki_year(fiscal_year)}の"
                f"過誤納額{yen(max(available, 0))}を超えています"
            )
        refund = Refund.objects.create(
            person_id=person_id, fiscal_year=fiscal_year, amount=amount, decided_on=on,
            decided_by=actor.username, reason=why, recorded_at=timezone.now(),
        )  # fmt: skip
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.REFUND_DECIDE, AuditTarget.REFUND, str(refund.pk), {
            "person": person_id, "fiscal_year": fiscal_year, "amount": amount, "reason": why})])  # fmt: skip
    return refund


def refunds_mark_paid(*, actor: Actor, refund_ids: Sequence[int], paid_on: date) -> int:
    """Record that decided refunds were paid (the transfer file was sent, or cash at the counter)."""
    with transaction.atomic():
        refunds = list(Refund.objects.select_for_update().filter(pk__in=refund_ids))
        bad = [r.pk for r in refunds if r.status != RefundStatus.DECIDED]
        if bad or len(refunds) != len(set(refund_ids)):
            raise CollectionError(
                "支払済みまたは取消済みの還付(または見つからない還付)が含まれています。一覧を開き直してください"
            )
        for r in refunds:
            r.status, r.paid_on = RefundStatus.PAID, paid_on
        Refund.objects.bulk_update(refunds, ["status", "paid_on"])
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.REFUND_PAID, AuditTarget.REFUND, str(r.pk), {
            "amount": r.amount, "paid_on": paid_on.isoformat()}) for r in refunds])  # fmt: skip
    return len(refunds)


def refunds_returned(*, actor: Actor, returns: Sequence[tuple[int, str]], on: date) -> int:
    """Transfers the bank returned (振込不能, from its 振込結果 file): each refund, marked paid when the file
    was written, is open again (decided, unpaid) to be paid once more; `returns` are (refund id, the
    bank's reason). Audited per refund."""
    ids = [rid for rid, _ in returns]
    with transaction.atomic():
        refunds = list(Refund.objects.select_for_update().filter(pk__in=ids))
        bad = [r.pk for r in refunds if r.status != RefundStatus.PAID]
        if bad or len(refunds) != len(set(ids)):
            raise CollectionError(
                "支払済みでない還付(または見つからない還付)が含まれています。"
                "組戻しにできるのは支払済みの還付だけです"
            )
        for r in refunds:
            r.status, r.paid_on = RefundStatus.DECIDED, None
        Refund.objects.bulk_update(refunds, ["status", "paid_on"])
        why = dict(returns)
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.REFUND_RETURNED, AuditTarget.REFUND, str(r.pk), {
            "amount": r.amount, "on": on.isoformat(), "reason": why[r.pk]}) for r in refunds])  # fmt: skip
    return len(refunds)


def refund_cancel(*, actor: Actor, refund_id: int, reason: str) -> Refund:
    """Withdraw a refund decision that was not paid (the money is overpaid again)."""
    why = _reason(reason)
    with transaction.atomic():
        r = Refund.objects.select_for_update().get(pk=refund_id)
        if r.status != RefundStatus.DECIDED:
            raise CollectionError(
                f"この還付は{RefundStatus(r.status).label}です。取り消せるのは未払いの還付決定だけです"
            )
        r.status = RefundStatus.CANCELLED
        r.save(update_fields=["status"])
        audit_record_many(
            actor=actor,
            items=[AuditItem(AuditAction.REFUND_CANCEL, AuditTarget.REFUND, str(r.pk), {"reason": why})],
        )
    return r


def _instalment(instalment_id: int) -> Instalment:
    try:
        return Instalment.objects.select_related("plan").get(pk=instalment_id)
    except Instalment.DoesNotExist:
        raise CollectionError("指定された期がありません。期を選び直してください") from None


def _unpaid(person_id: int, fiscal_year: int, instalment_id: int) -> int:
    accounts = state.load_accounts([(person_id, fiscal_year)], lock=True)
    account = state.require_account(accounts, person_id, fiscal_year)
    if account.row(instalment_id) is None:
        raise CollectionError(f"{instalment_labels([instalment_id])}は現在の期割にありません")
    return account.owed()[instalment_id]


def _credit(
    actor: Actor, person_id: int, fiscal_year: int, inst: Instalment, channel: Channel, amount: int, on: date
) -> Receipt:
    r = Receipt.objects.create(
        person_id=person_id, fiscal_year=fiscal_year, channel=channel, amount=amount, paid_on=on,
        status=ReceiptStatus.CONFIRMED, instalment=inst, period=inst.period, recorded_at=timezone.now(),
        recorded_by=actor.username,
    )  # fmt: skip
    accounts = state.load_accounts([(person_id, fiscal_year)])
    writes = Writes()
    allocate_new(accounts, [r], on, writes)
    state.flush(writes)
    late_charges.audit_changes(actor, writes.late_changes)
    return r


def set_off_decide(
    *,
    actor: Actor,
    person_id: int,
    from_fiscal_year: int,
    instalment_id: int,
    amount: int,
    reason: str,
    on: date,
    seen_open: int | None = None,
) -> SetOff:
    """Apply part of `from_fiscal_year`'s overpayment to an unpaid instalment of the same person.
    `seen_open`: as for refund_decide."""
    _positive(amount)
    why = _reason(reason)
    inst = _instalment(instalment_id)
    if inst.plan.person_id != person_id:
        raise CollectionError(f"{instalment_label(inst)}はこの方の期ではありません")
    with transaction.atomic():
        state.load_accounts([(person_id, from_fiscal_year)], lock=True)
        available = state.open_overpayment(person_id, from_fiscal_year)
        check_version(available, seen_open)
        if amount > available:
            raise CollectionError(
                f"充当額{yen(amount)}が{wareki_year(from_fiscal_year)}の"
                f"過誤納額{yen(max(available, 0))}を超えています"
            )
        owed = _unpaid(person_id, inst.plan.fiscal_year, instalment_id)
        if amount > owed:
            raise CollectionError(
                f"充当額{yen(amount)}が{instalment_label(inst)}の未納額{yen(owed)}を超えています"
            )
        if limitation.extinguished(person_id, inst.plan.fiscal_year, instalment_id, on):
            raise CollectionError(
                f"{instalment_label(inst)}は時効により消滅しています(地方自治法第236条第2項)。充当できません"
            )
        credit = _credit(actor, person_id, inst.plan.fiscal_year, inst, Channel.SET_OFF, amount, on)
        decision = SetOff.objects.create(
            person_id=person_id, from_fiscal_year=from_fiscal_year, credit=credit, amount=amount,
            decided_on=on, decided_by=actor.username, reason=why, recorded_at=timezone.now(),
        )  # fmt: skip
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.SET_OFF_DECIDE, AuditTarget.SET_OFF, str(decision.pk), {
            "person": person_id, "from_fiscal_year": from_fiscal_year, "instalment": instalment_id,
            "amount": amount, "reason": why})])  # fmt: skip
    return decision


def write_off_record(
    *,
    actor: Actor,
    instalment_id: int,
    amount: int,
    reason: str,
    requested_by: str,
    approved_by: str,
    on: date,
) -> WriteOff:
    """不納欠損 of an unpaid instalment, once approved by a different user than the requester."""
    _positive(amount)
    why = _reason(reason)
    if not requested_by or not approved_by or requested_by == approved_by:
        raise CollectionError("不納欠損には起案者と、起案者とは別の決裁者が必要です")
    inst = _instalment(instalment_id)
    person_id, fiscal_year = inst.plan.person_id, inst.plan.fiscal_year
    with transaction.atomic():
        owed = _unpaid(person_id, fiscal_year, instalment_id)
        if amount > owed:
            raise CollectionError(
                f"欠損額{yen(amount)}が{instalment_label(inst)}の未納額{yen(owed)}を超えています"
            )
        credit = _credit(actor, person_id, fiscal_year, inst, Channel.WRITE_OFF, amount, on)
        decision = WriteOff.objects.create(
            person_id=person_id, fiscal_year=fiscal_year, credit=credit, amount=amount, reason=why,
            decided_on=on, requested_by=requested_by, approved_by=approved_by, recorded_at=timezone.now(),
        )  # fmt: skip
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.WRITE_OFF_RECORD, AuditTarget.WRITE_OFF, str(decision.pk), {
            "person": person_id, "fiscal_year": fiscal_year, "instalment": instalment_id, "amount": amount,
            "reason": why, "requested_by": requested_by, "approved_by": approved_by,
            "method": str(InstalmentMethod(inst.method))})])  # fmt: skip
    return decision
