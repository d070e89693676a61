"""Reads of the convenience-store worklist and payments for screens, reports and other apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from kouki.slips.selectors import slips_for_codes
from kouki.stores.models import PaymentState, StorePayment, StoreWorkItem, WorkStatus


@dataclass(frozen=True)
class WorkItemRow:
    item_id: int
    kind: str
    kind_label: str
    status: str
    detail: str
    opened_on: date
    line: int | None
    import_id: int | None
    payment_id: int
    paid_on: date
    paid_at: time
    chain_code: str
    store_code: str
    amount: int
    slip_no: int | None
    receipt_id: int | None
    person_id: int | None = None  # from the receipt booked, else from the slip the code names
    fiscal_year: int | None = None


def open_work_items(*, kind: str | None = None, limit: int | None = None) -> list[WorkItemRow]:
    """Open work items, oldest first (optionally of one kind)."""
    rows = (
        StoreWorkItem.objects.filter(status=WorkStatus.OPEN)
        .select_related("payment", "payment__receipt")
        .order_by("opened_on", "pk")
    )
    if kind is not None:
        rows = rows.filter(kind=kind)
    if limit is not None:
        rows = rows[:limit]
    items = list(rows)
    slips = slips_for_codes([w.payment.barcode for w in items if w.payment.receipt is None])

    def owner(w: StoreWorkItem) -> tuple[int | None, int | None]:
        if w.payment.receipt is not None:
            return w.payment.receipt.person_id, w.payment.receipt.fiscal_year
        slip = slips.get(w.payment.barcode)
        return (slip.person_id, slip.fiscal_year) if slip is not None else (None, None)

    return [
        WorkItemRow(
            item_id=w.pk,
            kind=w.kind,
            kind_label=w.get_kind_display(),
            status=w.status,
            detail=w.detail,
            opened_on=w.opened_on,
            line=w.line,
            import_id=w.import_record_id,
            payment_id=w.payment_id,
            paid_on=w.payment.paid_on,
            paid_at=w.payment.paid_at,
            chain_code=w.payment.chain_code,
            store_code=w.payment.store_code,
            amount=w.payment.amount,
            slip_no=w.payment.slip_no,
            receipt_id=w.payment.receipt_id,
            person_id=owner(w)[0],
            fiscal_year=owner(w)[1],
        )
        for w in items
    ]


def open_work_counts() -> dict[str, int]:
    """Open work items per kind."""
    out: dict[str, int] = {}
    for kind in StoreWorkItem.objects.filter(status=WorkStatus.OPEN).values_list("kind", flat=True):
        out[kind] = out.get(kind, 0) + 1
    return out


def payments_awaiting_final(*, paid_before: date | None = None) -> int:
    """How many 速報 payments have no 確報 yet (paid before the date, if given)."""
    rows = StorePayment.objects.filter(state=PaymentState.PRELIMINARY)
    if paid_before is not None:
        rows = rows.filter(paid_on__lt=paid_before)
    return rows.count()
