"""Booking a convenience-store report (速報 / 確報) into the collection ledger, and the worklist.

- 速報 payment → a provisional receipt (channel store, the slip's instalment,
  reference 納付書番号-再発行区分);
- 確報 payment → confirms the matching provisional receipt, or records a confirmed one when no 速報 came;
- a cancellation (取消区分 1, in either report) → the payment's receipt is cancelled;
- a line that cannot simply be booked opens a work item (StoreWorkItem) and does not reject the file:
  unknown slip, amount ≠ the barcode's, a slip paid twice, an old (re-issued) slip paid, a cancellation of
  nothing; a 速報 without 確報 after `KOUKI_STORE_CONFIRM_DAYS` days is flagged too.

Everything runs in the caller's transaction (the import runner's); the ledger's services write their
own audit rows, this module one row per report and one per resolved work item (USE-03).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from kouki.collection.models import Channel
from kouki.collection.services import (
    CollectionError,
    ReceiptInput,
    receipt_cancel,
    receipts_confirm,
    receipts_record,
)
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import city_config
from kouki.core.db import chunked, insert_rows, reserve_ids
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.stores.records import ReportHeader, ReportKind, StorePaymentRecord
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.rules import gs1
from kouki.slips.selectors import SlipRef, slips_for_codes
from kouki.stores.models import PaymentState, StorePayment, StoreWorkItem, WorkKind, WorkStatus

CHUNK = 2000
PAYMENT_FIELDS = (
    "id", "paid_on", "paid_at", "chain_code", "store_code", "barcode", "amount", "slip_no", "reissue",
    "state", "receipt_id", "preliminary_import_id", "final_import_id", "processed_on", "transfer_on",
    "cancelled_on",
)  # fmt: skip


class StoreReportError(Exception):
    """A line that the ledger refuses (no plan in force, …): the whole report is rejected."""

    def __init__(self, index: int, field: str, reason: str) -> None:
        super().__init__(f"record {index + 1} [{field}] {reason}")
        self.index, self.field, self.reason = index, field, reason


class WorkItemError(ValueError):
    """A work item cannot be resolved; the message says why."""


@dataclass
class ReportResult:
    booked: int = 0  # new receipts
    confirmed: int = 0  # provisional receipts confirmed
    cancelled: int = 0  # receipts cancelled
    skipped: int = 0  # lines already known (a report sent again)
    work_items: dict[str, int] = field(default_factory=dict)

    @property
    def applied(self) -> int:
        return self.booked + self.confirmed + self.cancelled

    def opened(self, kind: WorkKind) -> None:
        self.work_items[kind.value] = self.work_items.get(kind.value, 0) + 1


def confirm_days() -> int:
    return city_config().store_confirm_days


def _reference(slip: SlipRef) -> str:
    return f"{slip.slip_no}-{slip.reissue}"


def _existing(records: Sequence[StorePaymentRecord]) -> dict[tuple[object, ...], StorePayment]:
    codes = sorted({r.barcode for r in records})
    wanted = {r.key for r in records}
    out: dict[tuple[object, ...], StorePayment] = {}
    for part in chunked(codes, CHUNK):
        for p in StorePayment.objects.filter(barcode__in=part):
            key = (p.paid_on, p.paid_at, p.chain_code, p.store_code, p.barcode)
            if key in wanted:
                out[key] = p
    return out


def _paid_slips(slip_nos: set[int]) -> set[int]:
    """Slip numbers that some earlier, not cancelled store payment already booked."""
    numbers = sorted(slip_nos)
    paid: set[int] = set()
    for part in chunked(numbers, CHUNK):
        rows = (
            StorePayment.objects.filter(slip_no__in=part, receipt__isnull=False)
            .exclude(state=PaymentState.CANCELLED)
            .values_list("slip_no", flat=True)
        )
        paid.update(n for n in rows if n is not None)
    return paid


@dataclass
class _Work:
    kind: WorkKind
    payment: StorePayment
    line: int
    detail: str


class _Report:
    """One report being booked."""

    def __init__(self, actor: Actor, header: ReportHeader, import_record: ImportRecord | None) -> None:
        self.actor, self.header, self.import_record = actor, header, import_record
        self.final = header.kind is ReportKind.FINAL
        self.on = header.created_on
        self.result = ReportResult()
        self.work: list[_Work] = []
        self.new: list[StorePayment] = []
        self.inputs: list[tuple[StorePayment, ReceiptInput, int]] = []  # payment, receipt, record index
        self.to_confirm: list[StorePayment] = []
        self.cancelled_keys: set[tuple[object, ...]] = set()

    def open(self, kind: WorkKind, payment: StorePayment, line: int, detail: str) -> None:
        self.work.append(_Work(kind, payment, line, detail))
        self.result.opened(kind)

    def payment(self, r: StorePaymentRecord, slip: SlipRef | None) -> StorePayment:
        imp = self.import_record
        p = StorePayment(
            paid_on=r.paid_on, paid_at=r.paid_at, chain_code=r.chain_code, store_code=r.store_code,
            barcode=r.barcode, amount=r.amount, slip_no=slip.slip_no if slip else None,
            reissue=slip.reissue if slip else None,
            state=PaymentState.CONFIRMED if self.final else PaymentState.PRELIMINARY,
            preliminary_import=None if self.final else imp, final_import=imp if self.final else None,
            processed_on=r.processed_on, transfer_on=r.transfer_on,
        )  # fmt: skip
        self.new.append(p)
        return p


def report_apply(
    *,
    actor: Actor,
    header: ReportHeader,
    records: Sequence[StorePaymentRecord],
    lines: Sequence[int],
    import_record: ImportRecord | None = None,
) -> ReportResult:
    """Book one parsed report (see the module docstring). Raises StoreReportError for a line the ledger
    refuses; run it inside one transaction with the import record (kouki.stores.importers does)."""
    with transaction.atomic():
        rep = _Report(actor, header, import_record)
        rep.cancelled_keys = {r.key for r in records if r.cancelled}
        existing = _existing(records)
        slips = slips_for_codes([r.barcode for r in records])
        paid = _paid_slips({s.slip_no for s in slips.values()})
        by_key: dict[tuple[object, ...], StorePayment] = dict(existing)
        for index, r in enumerate(records):
            if not r.cancelled:
                _payment_line(rep, r, lines[index], index, by_key, slips.get(r.barcode), paid)
        _book(rep)
        for index, r in enumerate(records):
            if r.cancelled:
                _cancel_line(rep, r, lines[index], index, by_key)
        _store_work(rep)
        if rep.final:
            flag_unconfirmed(actor=actor, on=rep.on, import_record=import_record, result=rep.result)
        res = rep.result
        detail = {
            "kind": header.kind.label, "created_on": header.created_on.isoformat(), "booked": res.booked,
            "confirmed": res.confirmed, "cancelled": res.cancelled, "skipped": res.skipped,
            **{f"work_{k}": v for k, v in res.work_items.items()},
        }  # fmt: skip
        target = str(import_record.pk) if import_record is not None else ""
        audit_record_many(
            actor=actor,
            items=[AuditItem(AuditAction.STORE_REPORT_APPLY, AuditTarget.IMPORT_RECORD, target, detail)],
        )
    return rep.result


def _payment_line(
    rep: _Report,
    r: StorePaymentRecord,
    line: int,
    index: int,
    by_key: dict[tuple[object, ...], StorePayment],
    slip: SlipRef | None,
    paid: set[int],
) -> None:
    known = by_key.get(r.key)
    cancelled_here = r.key in rep.cancelled_keys  # the same file cancels it: book nothing, undo nothing more
    if known is not None:
        if cancelled_here and known.state == PaymentState.PRELIMINARY:
            return  # its cancellation line cancels the provisional receipt (no confirm, no re-allocation)
        if rep.final and known.state == PaymentState.PRELIMINARY and known.pk is not None:
            if known.amount != r.amount:
                rep.open(
                    WorkKind.AMOUNT_MISMATCH,
                    known,
                    line,
                    f"確報の金額 {r.amount}円 が速報の {known.amount}円 と違います",
                )
                return
            known.state = PaymentState.CONFIRMED
            known.final_import = rep.import_record
            known.processed_on, known.transfer_on = r.processed_on, r.transfer_on
            rep.to_confirm.append(known)
        else:
            rep.result.skipped += 1
        return
    p = rep.payment(r, slip)
    by_key[r.key] = p
    if cancelled_here:
        return  # taken and cancelled at the register: remembered, nothing booked
    code_amount = int(r.barcode[-1 - gs1.AMOUNT_DIGITS : -1])  # the 金額 digits before the check digit
    if slip is None:
        rep.open(WorkKind.UNKNOWN_SLIP, p, line, "バーコードに該当する納付書がありません")
        return
    if r.amount != code_amount or r.amount != slip.amount:
        rep.open(
            WorkKind.AMOUNT_MISMATCH, p, line, f"収納額 {r.amount}円 が納付書の {slip.amount}円 と違います"
        )
        return
    if slip.superseded:
        rep.open(
            WorkKind.SUPERSEDED_SLIP,
            p,
            line,
            f"再発行前の納付書（再発行区分 {slip.reissue}）で納付されました",
        )
    if slip.slip_no in paid:
        rep.open(WorkKind.DUPLICATE, p, line, f"納付書番号 {slip.slip_no} は既に納付されています（過誤納）")
    paid.add(slip.slip_no)
    item = ReceiptInput(
        person_id=slip.person_id, fiscal_year=slip.fiscal_year, channel=Channel.STORE, amount=r.amount,
        paid_on=r.paid_on, instalment_id=slip.instalment_id, reference=_reference(slip),
        provisional=not rep.final, note=f"コンビニ{r.kind.label} 本部{r.chain_code} 店舗{r.store_code}",
    )  # fmt: skip
    rep.inputs.append((p, item, index))


def _book(rep: _Report) -> None:
    """Record the new receipts, insert the new payments, confirm the matched provisional receipts."""
    try:
        ids = receipts_record(
            actor=rep.actor, items=[i for _, i, _ in rep.inputs], on=rep.on, import_record=rep.import_record
        )
    except CollectionError as exc:
        raise StoreReportError(_index_of(exc, rep), "barcode", f"収納を記録できません: {exc}") from None
    for (p, _, _), rid in zip(rep.inputs, ids, strict=True):
        p.receipt_id = rid
    rep.result.booked = len(ids)
    _insert(rep.new)
    receipt_ids = [p.receipt_id for p in rep.to_confirm if p.receipt_id is not None]
    if receipt_ids:
        try:
            rep.result.confirmed = receipts_confirm(actor=rep.actor, receipt_ids=receipt_ids, on=rep.on)
        except CollectionError as exc:
            raise StoreReportError(0, "barcode", f"速報の収納を確定できません: {exc}") from None
    groups: dict[tuple[date | None, date | None], list[int]] = {}
    for p in rep.to_confirm:
        groups.setdefault((p.processed_on, p.transfer_on), []).append(p.pk)
    for (processed, transfer), pks in groups.items():
        for part in chunked(pks, CHUNK):
            StorePayment.objects.filter(pk__in=part).update(
                state=PaymentState.CONFIRMED, final_import=rep.import_record, processed_on=processed,
                transfer_on=transfer,
            )  # fmt: skip


def _index_of(exc: CollectionError, rep: _Report) -> int:
    """The record index behind a ledger refusal: the receipt it names (1-based among the new receipts), or
    the first new receipt of the person it names; 0 when it names neither."""
    if exc.receipt is not None and 0 < exc.receipt <= len(rep.inputs):
        return rep.inputs[exc.receipt - 1][2]
    if exc.person_id is not None:
        return next((index for _, item, index in rep.inputs if item.person_id == exc.person_id), 0)
    return 0


def _insert(payments: list[StorePayment]) -> None:
    for p, pk in zip(payments, reserve_ids(StorePayment, len(payments)), strict=True):
        p.pk = pk
    insert_rows(StorePayment, PAYMENT_FIELDS, [
        (p.pk, p.paid_on, p.paid_at.isoformat(), p.chain_code, p.store_code, p.barcode, p.amount, p.slip_no,
         p.reissue, p.state, p.receipt_id, p.preliminary_import_id, p.final_import_id, p.processed_on,
         p.transfer_on, p.cancelled_on)
        for p in payments
    ])  # fmt: skip


def _cancel_line(
    rep: _Report, r: StorePaymentRecord, line: int, index: int, by_key: dict[tuple[object, ...], StorePayment]
) -> None:
    p = by_key.get(r.key)
    if p is None:
        p = rep.payment(r, None)
        p.state, p.cancelled_on = PaymentState.CANCELLED, rep.on
        _insert([p])
        rep.new.remove(p)
        by_key[r.key] = p
        rep.open(
            WorkKind.UNMATCHED_CANCELLATION, p, line, f"取り消された収納（{r.amount}円）が見当たりません"
        )
        return
    if p.state == PaymentState.CANCELLED:
        rep.result.skipped += 1
        return
    if p.receipt_id is not None:
        try:
            receipt_cancel(
                actor=rep.actor,
                receipt_id=p.receipt_id,
                reason=f"コンビニ店舗での取消（{r.kind.label}）",
                on=rep.on,
            )
        except CollectionError as exc:
            # money already refunded or set off cannot be taken back by the ledger: staff decide
            # (reclaim the refund, then cancel); the rest of the report is booked
            rep.open(WorkKind.CANCELLATION_REFUSED, p, line, f"収納を取り消せません（還付・充当済）: {exc}")
            return
        rep.result.cancelled += 1
    StorePayment.objects.filter(pk=p.pk).update(state=PaymentState.CANCELLED, cancelled_on=rep.on)
    p.state = PaymentState.CANCELLED


def _store_work(rep: _Report) -> None:
    known = set(
        StoreWorkItem.objects.filter(payment__in=[w.payment.pk for w in rep.work]).values_list(
            "payment_id", "kind"
        )
    )
    now = timezone.now()
    items = []
    for w in rep.work:
        if (w.payment.pk, w.kind.value) in known:
            continue
        known.add((w.payment.pk, w.kind.value))
        items.append(StoreWorkItem(
            kind=w.kind, payment_id=w.payment.pk, import_record=rep.import_record, line=w.line,
            detail=w.detail[:200], opened_on=rep.on, opened_at=now,
        ))  # fmt: skip
    StoreWorkItem.objects.bulk_create(items, batch_size=CHUNK)


def flag_unconfirmed(
    *,
    actor: Actor,
    on: date,
    days: int | None = None,
    import_record: ImportRecord | None = None,
    result: ReportResult | None = None,
) -> int:
    """Open a work item for every 速報 payment still without 確報 `days` days after it was paid."""
    limit = on - timedelta(days=confirm_days() if days is None else days)
    with transaction.atomic():
        stale = list(
            StorePayment.objects.filter(state=PaymentState.PRELIMINARY, paid_on__lt=limit)
            .exclude(work_items__kind=WorkKind.NEVER_CONFIRMED)
            .values_list("pk", "paid_on")
        )
        now = timezone.now()
        StoreWorkItem.objects.bulk_create([
            StoreWorkItem(kind=WorkKind.NEVER_CONFIRMED, payment_id=pk, import_record=import_record,
                          detail=f"{paid_on.isoformat()} の速報に確報がありません", opened_on=on,
                          opened_at=now)
            for pk, paid_on in stale
        ], batch_size=CHUNK)  # fmt: skip
        if result is not None:
            result.work_items[WorkKind.NEVER_CONFIRMED.value] = len(stale)
        elif stale:
            audit_record_many(actor=actor, items=[AuditItem(
                AuditAction.STORE_FLAG_UNCONFIRMED, AuditTarget.STORE_PAYMENT,
                f"{stale[0][0]}-{stale[-1][0]}",
                {"on": on.isoformat(), "items": len(stale)})])  # fmt: skip
    return len(stale)


def work_item_resolve(*, actor: Actor, item_id: int, note: str) -> StoreWorkItem:
    """Close a work item with what was done (a refund decided, the slip found, …); audited."""
    if not note.strip():
        raise WorkItemError("処理内容を入力してください")
    with transaction.atomic():
        item = StoreWorkItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None:
            raise WorkItemError(f"要確認項目 {item_id} はありません")
        if item.status == WorkStatus.RESOLVED:
            raise WorkItemError(f"要確認項目 {item_id} は {item.resolved_by} が処理済です")
        item.status = WorkStatus.RESOLVED
        item.resolved_at = timezone.now()
        item.resolved_by = actor.username
        item.note = note.strip()[:200]
        item.save(update_fields=["status", "resolved_at", "resolved_by", "note"])
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.STORE_WORK_ITEM_RESOLVE, AuditTarget.STORE_WORK_ITEM, str(item.pk),
            {"kind": item.kind, "payment": item.payment_id, "note": item.note})])  # fmt: skip
    return item
