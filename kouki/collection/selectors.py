"""Reads of the collection ledger for other apps (slips, banking, stores, arrears, web, documents)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from kouki.assessment.models import Instalment, InstalmentMethod, InstalmentPlan
from kouki.collection import state
from kouki.collection.models import (
    Channel,
    InstalmentAccount,
    Overpayment,
    Receipt,
    ReceiptStatus,
    Refund,
    RefundStatus,
    SetOff,
    WriteOff,
)
from kouki.core.audit_vocabulary import AuditTarget
from kouki.core.db import AuditRecordSets, chunked, ids_per_key
from kouki.rules.collection import Ledger


@dataclass(frozen=True)
class InstalmentStatus:
    instalment_id: int
    method: str
    period: int
    month: str
    due_date: date
    amount: int  # as planned
    charged: int  # what it charges (less after a reduction)
    paid: int
    set_off: int
    written_off: int
    unpaid: int


def instalment_statuses(person_id: int, fiscal_year: int) -> list[InstalmentStatus]:
    """The instalments of the plan in force, each with what paid it and what is still owed."""
    account = state.load_accounts([(person_id, fiscal_year)]).get((person_id, fiscal_year))
    if account is None:
        return []
    eff = account.effective()
    months = dict(Instalment.objects.filter(plan_id=account.plan_id).values_list("pk", "month"))
    out = []
    for r in account.rows:
        a = r.account
        out.append(InstalmentStatus(
            r.id, r.method, r.period, months[r.id], r.due_date, r.amount,
            a.charged if a else eff[r.id], a.paid if a else 0, a.set_off if a else 0,
            a.written_off if a else 0, a.unpaid if a else eff[r.id],
        ))  # fmt: skip
    return out


def ledger(person_id: int, fiscal_year: int, statuses: list[InstalmentStatus] | None = None) -> Ledger:
    """The fiscal year's ledger (issue 5 §6): `ledger(...).balances` must always be true.
    `statuses`: the year's `instalment_statuses`, when the caller has just read them (not read again)."""
    plan = InstalmentPlan.objects.filter(
        person_id=person_id, fiscal_year=fiscal_year, superseded_at__isnull=True
    ).first()
    if statuses is None:
        statuses = instalment_statuses(person_id, fiscal_year)
    money = state.year_balances(person_id, fiscal_year)
    return Ledger(
        assessed=plan.amount_due if plan else 0, received=money.received, refunded=money.refunded,
        set_off_out=money.set_off_out, set_off_in=money.set_off_in, written_off=money.written_off,
        owed=sum(s.unpaid for s in statuses), overpaid=money.open_overpayment,
    )


def open_overpayment(person_id: int, fiscal_year: int) -> int:
    return state.open_overpayment(person_id, fiscal_year)


@dataclass(frozen=True)
class OpenOverpayment:
    person_id: int
    fiscal_year: int
    amount: int


def overpayments_open(limit: int = 500) -> list[OpenOverpayment]:
    """Worklist: fiscal years with an overpayment not yet refunded or set off (newest first)."""
    keys = list(
        Overpayment.objects.order_by("-arose_on")
        .values_list("person_id", "fiscal_year")
        .distinct()[: limit * 4]
    )
    out = []
    for person_id, fy in dict.fromkeys(keys):
        amount = state.open_overpayment(person_id, fy)
        if amount > 0:
            out.append(OpenOverpayment(person_id, fy, amount))
        if len(out) >= limit:
            break
    return out


@dataclass(frozen=True)
class UnpaidInstalment:
    instalment_id: int
    person_id: int
    fiscal_year: int
    period: int
    method: str
    due_date: date
    charged: int
    unpaid: int


def unpaid_instalments(
    *, due_before: date, due_from: date | None = None, method: str | None = InstalmentMethod.DIRECT,
    person_ids: list[int] | None = None, skip_provisional: bool = True,
) -> Iterator[UnpaidInstalment]:  # fmt: skip
    """Instalments of plans in force due before `due_before` (and on or after `due_from`) with
    something still unpaid, ordered by due date and person. For reminders and the arrears list.
    With `skip_provisional`, an instalment a convenience store reported paid (速報, waiting for the
    確報) is left out: its reminder waits for the final report."""
    qs = Instalment.objects.filter(plan__superseded_at__isnull=True, due_date__lt=due_before)
    if due_from is not None:
        qs = qs.filter(due_date__gte=due_from)
    if method is not None:
        qs = qs.filter(method=method)
    if person_ids is not None:
        qs = qs.filter(plan__person_id__in=person_ids)
    accounts = InstalmentAccount.objects.filter(instalment_id__in=qs.values("pk"))
    settled: dict[int, int] = {}
    charged: dict[int, int] = {}
    for instalment_id, account_unpaid, account_charged in accounts.values_list(
            "instalment_id", "unpaid", "charged"):
        settled[instalment_id], charged[instalment_id] = account_unpaid, account_charged
    rows = qs.order_by("due_date", "plan__person_id", "pk").values_list(
        "pk", "plan__person_id", "plan__fiscal_year", "period", "method", "due_date", "amount"
    )
    waiting: set[int] = set()
    if skip_provisional:
        provisional = Receipt.objects.filter(status=ReceiptStatus.PROVISIONAL, instalment_id__isnull=False)
        if person_ids is not None:  # a few people (a person's page): not every 速報 of the city
            provisional = provisional.filter(instalment_id__in=qs.values("pk"))
        waiting = set(provisional.values_list("instalment_id", flat=True))
    for pk, person_id, fy, period, method_, due, amount in rows.iterator(chunk_size=5000):
        unpaid = settled.get(pk, amount)
        if unpaid > 0 and pk not in waiting:
            yield UnpaidInstalment(pk, person_id, fy, period, method_, due, charged.get(pk, amount), unpaid)


@dataclass(frozen=True)
class ReceiptLine:
    receipt_id: int
    person_id: int
    fiscal_year: int
    channel: str
    amount: int
    paid_on: date
    period: int | None
    status: str
    reference: str


def _lines(qs: object) -> list[ReceiptLine]:
    return [
        ReceiptLine(*row)
        for row in qs.order_by("paid_on", "pk").values_list(  # type: ignore[attr-defined]
            "pk", "person_id", "fiscal_year", "channel", "amount", "paid_on", "period", "status", "reference"
        )
    ]


def receipts_of(
    person_id: int, *, paid_from: date | None = None, paid_to: date | None = None
) -> list[ReceiptLine]:
    """A person's confirmed payments (not set-offs or write-offs), e.g. for a 納付確認書."""
    qs = Receipt.objects.filter(person_id=person_id, status=ReceiptStatus.CONFIRMED).exclude(
        channel__in=[Channel.SET_OFF, Channel.WRITE_OFF]
    )
    if paid_from is not None:
        qs = qs.filter(paid_on__gte=paid_from)
    if paid_to is not None:
        qs = qs.filter(paid_on__lte=paid_to)
    return _lines(qs)


def receipts_recorded_between(start: date, end: date) -> list[ReceiptLine]:
    """Receipts (any status, any channel) recorded or cancelled on start..end, for the daily 収納情報."""
    return _lines(Receipt.objects.filter(
        Q(recorded_at__date__gte=start, recorded_at__date__lte=end)
        | Q(cancelled_at__date__gte=start, cancelled_at__date__lte=end)))  # fmt: skip


@dataclass(frozen=True)
class RefundLine:
    refund_id: int
    person_id: int
    fiscal_year: int
    amount: int
    decided_on: date
    status: str
    paid_on: date | None


def refunds_decided_between(start: date, end: date) -> list[RefundLine]:
    return [
        RefundLine(*row)
        for row in Refund.objects.filter(decided_on__gte=start, decided_on__lte=end)
        .order_by("pk")
        .values_list("pk", "person_id", "fiscal_year", "amount", "decided_on", "status", "paid_on")
    ]


def refunds_to_pay() -> list[RefundLine]:
    return [
        RefundLine(*row)
        for row in Refund.objects.filter(status=RefundStatus.DECIDED)
        .order_by("pk")
        .values_list("pk", "person_id", "fiscal_year", "amount", "decided_on", "status", "paid_on")
    ]


@dataclass(frozen=True)
class SetOffLine:
    set_off_id: int
    person_id: int
    from_fiscal_year: int
    to_fiscal_year: int
    to_period: int | None
    amount: int
    decided_on: date


def set_offs_decided_between(start: date, end: date) -> list[SetOffLine]:
    return [
        SetOffLine(*row)
        for row in SetOff.objects.filter(decided_on__gte=start, decided_on__lte=end)
        .order_by("pk")
        .values_list(
            "pk", "person_id", "from_fiscal_year", "credit__fiscal_year", "credit__period", "amount",
            "decided_on",
        )
    ]


def pension_receipts_recorded(person_ids: Iterable[int], references: Iterable[str]) -> set[tuple[int, str]]:
    """(person, reference) of pension-deduction receipts already recorded and not cancelled."""
    refs = set(references)
    ids = sorted(set(person_ids))
    out: set[tuple[int, str]] = set()
    for part in chunked(ids, state.CHUNK):
        out.update(
            Receipt.objects.filter(person_id__in=part, channel=Channel.PENSION,
                                   reference__in=refs)
            .exclude(status=ReceiptStatus.CANCELLED)
            .values_list("person_id", "reference")
        )  # fmt: skip
    return out


def audit_targets_of(person_id: int) -> dict[AuditTarget, list[str]]:
    """The person's receipts and decisions as audit rows name them (for the person's history)."""
    return ids_per_key(audit_record_sets(person_id))


def audit_record_sets(person_id: int) -> AuditRecordSets:
    """The records `audit_targets_of` names, as querysets (gathered with other apps' in one query)."""
    return {
        AuditTarget.RECEIPT: Receipt.objects.filter(person_id=person_id),
        AuditTarget.REFUND: Refund.objects.filter(person_id=person_id),
        AuditTarget.SET_OFF: SetOff.objects.filter(person_id=person_id),
        AuditTarget.WRITE_OFF: WriteOff.objects.filter(person_id=person_id),
        AuditTarget.COLLECTION_PERSON: [str(person_id)],
    }


def pension_deductions_in_year(year: int) -> dict[int, tuple[int, int]]:
    """person id → (yen, count) of the confirmed 特別徴収 receipts paid in calendar year `year`
    (the premiums deducted from pensions that year; cancelled receipts left out)."""
    rows = (
        Receipt.objects.filter(channel=Channel.PENSION, status=ReceiptStatus.CONFIRMED,
                               paid_on__range=(date(year, 1, 1), date(year, 12, 31)))
        .values_list("person_id", "amount")
    )  # fmt: skip
    out: dict[int, tuple[int, int]] = {}
    for person_id, amount in rows:
        total, count = out.get(person_id, (0, 0))
        out[person_id] = (total + amount, count + 1)
    return out
