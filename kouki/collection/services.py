"""Receipts (収納) from every channel, their allocation (消込), confirmation and cancellation, and the
re-allocation after a re-plan. Every write records its audit row in the same transaction (USE-03).

The channels' importers (bank debit, convenience stores, pension-deduction results) and the counter
screen call `receipts_record`; decisions on overpayments live in `kouki.collection.decisions`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from kouki.assessment.models import Instalment
from kouki.collection import late_charges, limitation, state
from kouki.collection.models import (
    Allocation,
    Channel,
    InstalmentAccount,
    OverpaymentCause,
    Receipt,
    ReceiptStatus,
)
from kouki.collection.state import Account, CollectionError, Key, Writes
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import chunked, db_datetime, insert_rows, reserve_ids
from kouki.core.versioning import bump, check_version
from kouki.interfaces.models import ImportRecord
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.rules import collection as rules
from kouki.rules.formatting import yen
from kouki.rules.wareki import wareki_year

__all__ = [
    "CollectionError",
    "ReceiptInput",
    "cancel_blocked_by",
    "reallocate",
    "receipt_cancel",
    "receipt_record",
    "receipts_confirm",
    "receipts_record",
]  # fmt: skip

RECEIPT_FIELDS = (
    "id", "person_id", "fiscal_year", "channel", "amount", "paid_on", "status", "instalment_id", "period",
    "reference", "import_record_id", "note", "recorded_at", "recorded_by", "cancelled_at", "cancel_reason",
)  # fmt: skip
AUDIT_EACH_UP_TO = 50  # more receipts at once (a file): one audit row per chunk, naming the id range


@dataclass(frozen=True)
class ReceiptInput:
    person_id: int
    fiscal_year: int
    channel: Channel
    amount: int
    paid_on: date
    instalment_id: int | None = None
    reference: str = ""
    provisional: bool = False
    note: str = ""


def _validate(items: Sequence[ReceiptInput]) -> dict[int, tuple[int, int]]:
    """Check the inputs; the period and fiscal year of every named instalment."""
    named = {i.instalment_id for i in items if i.instalment_id is not None}
    info = {
        pk: (period, fy)
        for pk, period, fy in Instalment.objects.filter(pk__in=named).values_list(
            "pk", "period", "plan__fiscal_year"
        )
    }
    for n, item in enumerate(items, start=1):
        if item.amount <= 0:
            raise CollectionError(
                f"{n}件目の収納: 金額は1円以上を入力してください(入力: {yen(item.amount)})", receipt=n
            )
        if item.channel in (Channel.SET_OFF, Channel.WRITE_OFF):
            raise CollectionError(
                f"{n}件目の収納: {Channel(item.channel).label}は収納として入力できません。"
                f"{Channel(item.channel).label}の決定の画面で行ってください",
                receipt=n,
            )
        if item.instalment_id is not None:
            if item.instalment_id not in info:
                raise CollectionError(
                    f"{n}件目の収納: 指定された期がありません。期を選び直してください", receipt=n
                )
            if info[item.instalment_id][1] != item.fiscal_year:
                raise CollectionError(
                    f"{n}件目の収納: 指定された期は{wareki_year(item.fiscal_year)}の期ではありません。"
                    "年度と期を確認してください",
                    receipt=n,
                )
    return {pk: (p, fy) for pk, (p, fy) in info.items()}




@dataclass
class NewReceipt:
    """A receipt about to be inserted in bulk (the attributes of Receipt that allocation and the row need)."""

    pk: int
    person_id: int
    fiscal_year: int
    channel: str
    amount: int
    paid_on: date
    status: str
    instalment_id: int | None
    period: int | None
    reference: str
    note: str


def allocate_new(
    accounts: dict[Key, Account], receipts: Sequence[state.Credited], on: date, writes: Writes
) -> dict[Key, int]:
    """Allocate confirmed receipts into what the instalments still owe; surplus → overpayment events.
    Returns the surplus per account."""
    by_key: dict[Key, list[state.Credited]] = defaultdict(list)
    for r in receipts:
        by_key[(r.person_id, r.fiscal_year)].append(r)
    surplus: dict[Key, int] = {}
    expires = _expiries(accounts, by_key, receipts)
    for key, group in by_key.items():
        account = state.require_account(accounts, *key)
        credits = [state.credit_of(r, account) for r in group]
        charged = account.owed()
        result = rules.allocate(account.dues(), credits, charged=charged, expires=expires)
        state.apply_result(account, result, {c.key: c.kind for c in credits}, writes, charged=charged)
        writes.note_late(account, result, {c.key: c.on for c in credits})
        for credit_id, left in result.surplus.items():
            writes.overpayments.append(
                state.overpayment_event(*key, left, on, OverpaymentCause.SURPLUS, credit_id)
            )
        surplus[key] = result.surplus_total
    return surplus


def _expiries(
    accounts: dict[Key, Account], keys: Iterable[Key], receipts: Sequence[state.Credited]
) -> dict[int, date]:
    """The last collectible day of the instalments these receipts could find extinguished (地方自治法
    §236 ②), counting the renewals of the receipts themselves (issue 10 §5)."""
    if not receipts:
        return {}
    extra = []
    for r in receipts:
        renewal = limitation.receipt_renewal(r.fiscal_year, r.channel, r.paid_on, r.period)
        if renewal is not None:
            extra.append((r.person_id, renewal))
    found = [accounts[k] for k in keys if k in accounts]
    return limitation.expiries_for(found, max(r.paid_on for r in receipts), extra)


def receipts_record(
    *, actor: Actor, items: Sequence[ReceiptInput], on: date, import_record: ImportRecord | None = None,
) -> list[int]:  # fmt: skip
    """Record receipts (confirmed ones are allocated at once; provisional ones wait for confirmation).
    One transaction: a receipt that cannot be placed (no plan in force, …) rejects them all."""
    if not items:
        return []
    with transaction.atomic():
        periods = _validate(items)
        ids = reserve_ids(Receipt, len(items))
        now = db_datetime(timezone.now())
        import_id = import_record.pk if import_record is not None else None
        receipts = [
            NewReceipt(
                rid, i.person_id, i.fiscal_year, str(i.channel), i.amount, i.paid_on,
                ReceiptStatus.PROVISIONAL if i.provisional else ReceiptStatus.CONFIRMED, i.instalment_id,
                periods[i.instalment_id][0] if i.instalment_id is not None else None, i.reference, i.note,
            )
            for rid, i in zip(ids, items, strict=True)
        ]  # fmt: skip
        confirmed = [r for r in receipts if r.status == ReceiptStatus.CONFIRMED]
        accounts = state.load_accounts({(r.person_id, r.fiscal_year) for r in confirmed}, lock=True)
        writes = Writes()
        allocate_new(accounts, confirmed, on, writes)
        insert_rows(Receipt, RECEIPT_FIELDS, [
            (r.pk, r.person_id, r.fiscal_year, r.channel, r.amount, r.paid_on, r.status, r.instalment_id,
             r.period, r.reference, import_id, r.note, now, actor.username, None, "")
            for r in receipts
        ])  # fmt: skip
        state.flush(writes)
        _audit(actor, AuditAction.RECEIPT_RECORD, receipts, import_record)
        late_charges.audit_changes(actor, writes.late_changes)
    return ids


def _audit(
    actor: Actor, action: AuditAction, receipts: Sequence[Receipt | NewReceipt],
    import_record: ImportRecord | None,
) -> None:  # fmt: skip
    if len(receipts) <= AUDIT_EACH_UP_TO:
        items = [
            AuditItem(action, AuditTarget.RECEIPT, str(r.pk), {
                "fiscal_year": r.fiscal_year, "channel": str(r.channel), "amount": r.amount,
                "paid_on": r.paid_on.isoformat(), "status": str(r.status),
                "import": import_record.pk if import_record is not None else None,
            })
            for r in receipts
        ]  # fmt: skip
    else:
        items = []
        for part in chunked(receipts, state.CHUNK):
            items.append(AuditItem(action, AuditTarget.RECEIPT, f"{part[0].pk}-{part[-1].pk}", {
                "receipts": len(part), "amount": sum(r.amount for r in part),
                "import": import_record.pk if import_record is not None else None,
            }))  # fmt: skip
    audit_record_many(actor=actor, items=items)


def receipt_record(*, actor: Actor, item: ReceiptInput, on: date) -> Receipt:
    (rid,) = receipts_record(actor=actor, items=[item], on=on)
    return Receipt.objects.get(pk=rid)


def receipts_confirm(*, actor: Actor, receipt_ids: Sequence[int], on: date) -> int:
    """Confirm provisional receipts (a convenience store's final report) and allocate them."""
    with transaction.atomic():
        receipts = list(Receipt.objects.select_for_update().filter(pk__in=receipt_ids).order_by("pk"))
        if len(receipts) != len(set(receipt_ids)):
            raise CollectionError("確定する収納のうち、見つからないものがあります。一覧を開き直してください")
        wrong = [r.pk for r in receipts if r.status != ReceiptStatus.PROVISIONAL]
        if wrong:
            raise CollectionError(
                f"速報(未確定)でない収納が{len(wrong)}件含まれています(すでに確定または取消済み)。一覧を開き直してください"
            )
        for r in receipts:
            r.status = ReceiptStatus.CONFIRMED
        ids = [r.pk for r in receipts]
        for part in chunked(ids, state.CHUNK):
            Receipt.objects.filter(pk__in=part).update(status=ReceiptStatus.CONFIRMED)
        accounts = state.load_accounts({(r.person_id, r.fiscal_year) for r in receipts}, lock=True)
        writes = Writes()
        allocate_new(accounts, receipts, on, writes)
        state.flush(writes)
        _audit(actor, AuditAction.RECEIPT_CONFIRM, receipts, None)
        late_charges.audit_changes(actor, writes.late_changes)
    return len(receipts)


def receipt_cancel(
    *, actor: Actor, receipt_id: int, reason: str, on: date, seen_version: int | None = None
) -> Receipt:
    """Cancel a receipt (a store's cancellation, a debit reversed, a wrong entry) and re-allocate.
    `seen_version`: the receipt's version the confirmation page showed (kouki.core.versioning)."""
    if not reason.strip():
        raise CollectionError("取消の理由を入力してください")
    with transaction.atomic():
        r = Receipt.objects.select_for_update().get(pk=receipt_id)
        check_version(r.version, seen_version)
        if r.status == ReceiptStatus.CANCELLED:
            raise CollectionError("この収納はすでに取り消されています")
        if r.channel in (Channel.SET_OFF, Channel.WRITE_OFF):
            raise CollectionError(
                f"この収納は{Channel(r.channel).label}です。{Channel(r.channel).label}の決定を取り消してください"
            )
        was_confirmed = r.status == ReceiptStatus.CONFIRMED
        if was_confirmed:
            _refuse_if_decided(r)
        r.status = ReceiptStatus.CANCELLED
        r.cancelled_at = timezone.now()
        r.cancel_reason = reason[:200]
        r.save(update_fields=["status", "cancelled_at", "cancel_reason", bump(r)])
        if was_confirmed:
            _reallocate(actor, r.person_id, r.fiscal_year, on, OverpaymentCause.CANCELLED_DEBT)
        detail = {"amount": r.amount, "reason": reason[:200]}
        audit_record_many(
            actor=actor, items=[AuditItem(AuditAction.RECEIPT_CANCEL, AuditTarget.RECEIPT, str(r.pk), detail)]
        )
    return r


def cancel_blocked_by(receipt: Receipt) -> int:
    """How much of a confirmed receipt's money is already refunded or set off (還付・充当の決定), i.e. what
    cancelling it would take away from a decision that stands; 0: it may be cancelled.

    The receipt's amount is first taken from the year's open (undecided) overpayment; only the rest would
    reach money a decision has spent, leaving the person owing while the refund or set-off stands
    (issue 11 §3). Such a cancellation is refused until the decision is withdrawn."""
    spent = state.withdrawn(receipt.person_id, receipt.fiscal_year)
    if spent == 0 or receipt.status != ReceiptStatus.CONFIRMED:
        return 0
    open_amount = max(state.open_overpayment(receipt.person_id, receipt.fiscal_year), 0)
    return min(max(receipt.amount - open_amount, 0), spent)


def _refuse_if_decided(receipt: Receipt) -> None:
    state.load_accounts([(receipt.person_id, receipt.fiscal_year)], lock=True)
    blocked = cancel_blocked_by(receipt)
    if blocked:
        raise CollectionError(
            f"この収納のうち{yen(blocked)}はすでに還付または充当が決定されています。"
            "先に還付・充当の決定を取り消してください"
        )


def _reallocate(actor: Actor, person_id: int, fiscal_year: int, on: date, cause: OverpaymentCause) -> int:
    """Derive every allocation of a fiscal year again, against the plan in force; returns the open
    overpayment. Money already refunded or set off stays spent; a negative balance is refused."""
    before = state.open_overpayment(person_id, fiscal_year)
    accounts = state.load_accounts([(person_id, fiscal_year)], lock=True)
    account = state.require_account(accounts, person_id, fiscal_year)
    credits_of = Receipt.objects.filter(
        person_id=person_id, fiscal_year=fiscal_year, status=ReceiptStatus.CONFIRMED
    )
    Allocation.objects.filter(receipt__person_id=person_id, receipt__fiscal_year=fiscal_year).delete()
    InstalmentAccount.objects.filter(person_id=person_id, fiscal_year=fiscal_year).delete()
    for row in account.rows:
        row.account = None
    receipts = list(credits_of.order_by("paid_on", "pk"))
    credits = [state.credit_of(r, account) for r in receipts]
    spent = state.withdrawn(person_id, fiscal_year)
    charged = account.effective()
    expires = _expiries(accounts, [(person_id, fiscal_year)], receipts)
    try:
        result = rules.allocate(account.dues(), credits, charged=charged, withdrawn=spent, expires=expires)
    except rules.allocation.AllocationError as exc:
        raise CollectionError(f"{wareki_year(fiscal_year)}の収納を割り当て直せません: {exc}") from None
    writes = Writes()
    state.apply_result(
        account, result, {c.key: c.kind for c in credits}, writes, charged=charged, all_rows=True
    )
    writes.late_keys.add((person_id, fiscal_year))  # allocations derived again: so is the 延滞金
    after = result.surplus_total
    if after > max(before, 0):
        writes.overpayments.append(state.overpayment_event(person_id, fiscal_year, after - max(before, 0), on,
                                                           cause, None))  # fmt: skip
    state.flush(writes)
    late_charges.audit_changes(actor, writes.late_changes)
    return after


def reallocate(
    *, actor: Actor, person_id: int, fiscal_year: int, on: date,
    cause: OverpaymentCause = OverpaymentCause.REASSESSMENT,
) -> int:  # fmt: skip
    """Re-derive a fiscal year's allocations (after a re-plan); an increase of the open overpayment is
    recorded with `cause`. Returns the open overpayment."""
    with transaction.atomic():
        after = _reallocate(actor, person_id, fiscal_year, on, cause)
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.COLLECTION_REALLOCATE, AuditTarget.COLLECTION_PERSON, str(person_id),
            {"fiscal_year": fiscal_year, "on": on.isoformat(), "overpayment": after})])  # fmt: skip
    return after
