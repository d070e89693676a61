"""Loading a person's fiscal-year account for allocation, and writing allocation results back.

The collection services, decisions and selectors call these inside their transaction; other apps and
the screens use only CollectionError from here (the error every collection write raises).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone

from kouki.assessment.models import Instalment, InstalmentMethod, InstalmentPlan
from kouki.collection import late_charges
from kouki.collection.models import (
    Allocation,
    Channel,
    InstalmentAccount,
    Overpayment,
    OverpaymentCause,
    Receipt,
    ReceiptStatus,
    Refund,
    RefundStatus,
    SetOff,
)
from kouki.core.db import chunked, insert_rows
from kouki.rules import collection as rules
from kouki.rules.wareki import wareki_year

Key = tuple[int, int]  # (person_id, fiscal_year)
CHUNK = 2000
ALLOCATION_FIELDS = ("receipt_id", "instalment_id", "amount", "created_at")
ACCOUNT_FIELDS = (
    "instalment_id", "person_id", "fiscal_year", "due_date", "charged", "paid", "set_off", "written_off",
    "unpaid",
)  # fmt: skip


class CollectionError(ValueError):
    """A collection operation that cannot be done; the message says why (never a personal number).

    `receipt` (1-based among the receipts of one call) and `person_id` say which input it concerns, when
    one does, so that an importer can name the line without reading the message."""

    def __init__(self, message: str, *, receipt: int | None = None, person_id: int | None = None) -> None:
        super().__init__(message)
        self.receipt = receipt
        self.person_id = person_id


KIND_OF_CHANNEL = {
    Channel.SET_OFF: rules.CreditKind.SET_OFF_IN,
    Channel.WRITE_OFF: rules.CreditKind.WRITE_OFF,
}


def credit_kind(channel: str) -> rules.CreditKind:
    return KIND_OF_CHANNEL.get(Channel(channel), rules.CreditKind.PAYMENT)


@dataclass
class AccountRow:
    """An InstalmentAccount row as allocation reads and writes it (pk None: not stored yet)."""

    pk: int | None
    instalment_id: int
    person_id: int
    fiscal_year: int
    due_date: date
    charged: int
    paid: int
    set_off: int
    written_off: int
    unpaid: int

    def values(self) -> tuple[object, ...]:
        return (self.instalment_id, self.person_id, self.fiscal_year, self.due_date, self.charged, self.paid,
                self.set_off, self.written_off, self.unpaid)  # fmt: skip


class Credited(Protocol):
    """What allocation needs of a receipt (a Receipt row, or one about to be inserted)."""

    @property
    def pk(self) -> int: ...
    @property
    def person_id(self) -> int: ...
    @property
    def fiscal_year(self) -> int: ...
    @property
    def channel(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def paid_on(self) -> date: ...
    @property
    def instalment_id(self) -> int | None: ...
    @property
    def period(self) -> int | None: ...


@dataclass
class Row:
    """One instalment of the plan in force with its account (None: no account row yet)."""

    id: int
    method: str
    period: int
    due_date: date
    amount: int
    account: AccountRow | None = None


@dataclass
class Account:
    person_id: int
    fiscal_year: int
    plan_id: int
    amount_due: int
    rows: list[Row] = field(default_factory=list)

    def dues(self) -> list[rules.Due]:
        return [
            rules.Due(r.id, r.due_date, r.amount, r.method == InstalmentMethod.PENSION) for r in self.rows
        ]

    def effective(self) -> dict[int, int]:
        return rules.effective_amounts(self.dues(), self.amount_due)

    def owed(self) -> dict[int, int]:
        """What each instalment still charges now."""
        eff = self.effective()
        return {r.id: (r.account.unpaid if r.account is not None else eff[r.id]) for r in self.rows}

    def row(self, instalment_id: int) -> Row | None:
        return next((r for r in self.rows if r.id == instalment_id), None)

    def row_for(self, method: str, period: int | None) -> Row | None:
        return next((r for r in self.rows if r.method == method and r.period == period), None)


def load_accounts(keys: Iterable[Key], *, lock: bool = False) -> dict[Key, Account]:
    """The plans in force of (person, fiscal year) pairs with their instalments and accounts."""
    wanted = sorted(set(keys))
    out: dict[Key, Account] = {}
    for chunk in chunked(wanted, CHUNK):
        by_person: dict[int, set[int]] = defaultdict(set)
        for person_id, fy in chunk:
            by_person[fy].add(person_id)
        for fy, persons in by_person.items():
            plans = InstalmentPlan.objects.filter(
                fiscal_year=fy, superseded_at__isnull=True, person_id__in=persons
            )
            if lock and connection.vendor == "postgresql":
                plans = plans.select_for_update()
            for pid, person_id, amount_due in plans.values_list("pk", "person_id", "amount_due"):
                out[(person_id, fy)] = Account(person_id, fy, pid, amount_due)
    plan_to_key = {a.plan_id: k for k, a in out.items()}
    plan_ids = list(plan_to_key)
    for part in chunked(plan_ids, CHUNK):
        rows: dict[int, Row] = {}
        for iid, plan_id, method, period, due, amount in (
            Instalment.objects.filter(plan_id__in=part)
            .order_by("due_date", "pk")
            .values_list("pk", "plan_id", "method", "period", "due_date", "amount")
        ):
            row = Row(iid, method, period, due, amount)
            rows[iid] = row
            out[plan_to_key[plan_id]].rows.append(row)
        by_year: dict[int, list[int]] = defaultdict(list)
        for person_id, fy in (plan_to_key[p] for p in part):
            by_year[fy].append(person_id)
        for fy, people in by_year.items():  # by person and year: an index, no list of instalment ids
            for values in InstalmentAccount.objects.filter(fiscal_year=fy, person_id__in=people).values_list(
                "pk", *ACCOUNT_FIELDS
            ):
                found = rows.get(values[1])
                if found is not None:  # accounts of superseded plans' instalments are ignored
                    found.account = AccountRow(*values)
    return out


def require_account(accounts: dict[Key, Account], person_id: int, fiscal_year: int) -> Account:
    acc = accounts.get((person_id, fiscal_year))
    if acc is None:
        raise CollectionError(f"{wareki_year(fiscal_year)}の期割(納付計画)がありません", person_id=person_id)
    return acc


def credit_of(receipt: Credited, account: Account) -> rules.Credit:
    """A receipt as a credit to the plan in force: a named instalment of an earlier plan is found again
    by its method and period."""
    target: int | None = None
    pension = receipt.channel == Channel.PENSION
    if receipt.instalment_id is not None:
        if account.row(receipt.instalment_id) is not None:
            target = receipt.instalment_id
        else:
            method = InstalmentMethod.PENSION if pension else InstalmentMethod.DIRECT
            again = account.row_for(method, receipt.period)
            target = again.id if again is not None else None
    return rules.Credit(
        receipt.pk, credit_kind(receipt.channel), receipt.amount, receipt.paid_on, target, pension
    )


@dataclass
class Writes:
    """What an allocation run changes, written in bulk by `flush`."""

    allocations: list[tuple[int, int, int]] = field(default_factory=list)  # receipt, instalment, amount
    accounts_new: list[AccountRow] = field(default_factory=list)
    accounts_changed: list[AccountRow] = field(default_factory=list)
    overpayments: list[Overpayment] = field(default_factory=list)
    late_keys: set[Key] = field(default_factory=set)  # fiscal years whose 延滞金 must be derived again
    late_changes: list[late_charges.Change] = field(default_factory=list)  # what that changed (to audit)

    def note_late(self, account: Account, result: rules.AllocationResult, dates: dict[int, date]) -> None:
        """Mark the account's year when a credit paid an instalment after its due date."""
        due = {r.id: r.due_date for r in account.rows}
        if any(dates[c] > due[d] for c, d, _ in result.allocations):
            self.late_keys.add((account.person_id, account.fiscal_year))


def apply_result(
    account: Account, result: rules.AllocationResult, kinds: dict[int, rules.CreditKind], writes: Writes,
    *, charged: dict[int, int], all_rows: bool = False,
) -> None:  # fmt: skip
    """Record a result in `writes`: allocations, and the touched instalments' accounts (every
    instalment's, with `all_rows` or when the plan charges less than its planned amounts)."""
    all_rows = all_rows or full_rows(charged, account)
    touched: dict[int, dict[str, int]] = defaultdict(lambda: {"paid": 0, "set_off": 0, "written_off": 0})
    for credit, due, amount in result.allocations:
        writes.allocations.append((credit, due, amount))
        column = {rules.CreditKind.PAYMENT: "paid", rules.CreditKind.SET_OFF_IN: "set_off",
                  rules.CreditKind.WRITE_OFF: "written_off"}[kinds[credit]]  # fmt: skip
        touched[due][column] += amount
    for row in account.rows:
        if row.id not in touched and (row.account is not None or not all_rows):
            continue
        add = touched.get(row.id, {"paid": 0, "set_off": 0, "written_off": 0})
        if row.account is None:
            row.account = AccountRow(
                None, row.id, account.person_id, account.fiscal_year, row.due_date, charged[row.id],
                add["paid"], add["set_off"], add["written_off"], result.unpaid[row.id],
            )  # fmt: skip
            writes.accounts_new.append(row.account)
        else:
            acc = row.account
            acc.paid += add["paid"]
            acc.set_off += add["set_off"]
            acc.written_off += add["written_off"]
            acc.unpaid = result.unpaid[row.id]
            writes.accounts_changed.append(acc)


def full_rows(charged: dict[int, int], account: Account) -> bool:
    """Every instalment gets an account row when the plan charges less than its planned amounts."""
    return any(charged[r.id] != r.amount for r in account.rows if r.account is None)


def flush(writes: Writes) -> None:
    now = timezone.now()
    insert_rows(Allocation, ALLOCATION_FIELDS, [(r, i, a, now) for r, i, a in writes.allocations])
    changed = [a for a in writes.accounts_changed if a.pk is not None]
    for part in chunked(changed, CHUNK):  # rewritten in place: one DELETE and one bulk insert
        InstalmentAccount.objects.filter(pk__in=[a.pk for a in part]).delete()
    insert_rows(InstalmentAccount, ("id", *ACCOUNT_FIELDS), [(a.pk, *a.values()) for a in changed])
    insert_rows(InstalmentAccount, ACCOUNT_FIELDS, [a.values() for a in writes.accounts_new])
    if writes.overpayments:
        Overpayment.objects.bulk_create(writes.overpayments, batch_size=CHUNK)
    if writes.late_keys:
        writes.late_changes += late_charges.refresh(writes.late_keys)


# --- balances ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearBalances:
    """A person's fiscal year in money, read in four queries (the ledger, the open overpayment)."""

    received: int  # confirmed receipts but set-offs in and write-offs (cash that came in)
    set_off_in: int  # confirmed receipts of channel set_off (充当 from another year)
    cash: int  # confirmed receipts but write-offs: payments and set-offs in
    cash_allocated: int  # of `cash`, allocated to instalments
    written_off: int  # allocations of confirmed write-off receipts
    refunded: int  # refunds not cancelled
    set_off_out: int  # set-offs from this year to another, their credit confirmed

    @property
    def withdrawn(self) -> int:
        return self.refunded + self.set_off_out

    @property
    def open_overpayment(self) -> int:
        return self.cash - self.cash_allocated - self.withdrawn


def year_balances(person_id: int, fiscal_year: int) -> YearBalances:
    receipts = Receipt.objects.filter(person_id=person_id, fiscal_year=fiscal_year,
                                      status=ReceiptStatus.CONFIRMED).aggregate(
        received=Sum("amount", filter=~Q(channel__in=[Channel.SET_OFF, Channel.WRITE_OFF])),
        set_off_in=Sum("amount", filter=Q(channel=Channel.SET_OFF)),
        cash=Sum("amount", filter=~Q(channel=Channel.WRITE_OFF)))
    allocations = Allocation.objects.filter(
        receipt__person_id=person_id, receipt__fiscal_year=fiscal_year,
        receipt__status=ReceiptStatus.CONFIRMED,
    ).aggregate(written_off=Sum("amount", filter=Q(receipt__channel=Channel.WRITE_OFF)),
                cash_allocated=Sum("amount", filter=~Q(receipt__channel=Channel.WRITE_OFF)))
    refunded, set_off_out = _refunded_and_set_off_out(person_id, fiscal_year)
    return YearBalances(
        received=int(receipts["received"] or 0), set_off_in=int(receipts["set_off_in"] or 0),
        cash=int(receipts["cash"] or 0), cash_allocated=int(allocations["cash_allocated"] or 0),
        written_off=int(allocations["written_off"] or 0), refunded=refunded, set_off_out=set_off_out,
    )  # fmt: skip


def _refunded_and_set_off_out(person_id: int, fiscal_year: int) -> tuple[int, int]:
    refunded = Refund.objects.filter(person_id=person_id, fiscal_year=fiscal_year).exclude(
        status=RefundStatus.CANCELLED).aggregate(s=Sum("amount"))["s"]
    set_off_out = SetOff.objects.filter(person_id=person_id, from_fiscal_year=fiscal_year,
                                        credit__status=ReceiptStatus.CONFIRMED).aggregate(s=Sum("amount"))["s"]
    return int(refunded or 0), int(set_off_out or 0)


def withdrawn(person_id: int, fiscal_year: int) -> int:
    """Money of this fiscal year already refunded or set off elsewhere."""
    return sum(_refunded_and_set_off_out(person_id, fiscal_year))


def open_overpayment(person_id: int, fiscal_year: int) -> int:
    """Confirmed cash credits (payments and set-offs in) not allocated to any instalment, less what was
    refunded or set off elsewhere."""
    return year_balances(person_id, fiscal_year).open_overpayment


def overpayment_event(
    person_id: int, fiscal_year: int, amount: int, on: date, cause: OverpaymentCause, receipt_id: int | None
) -> Overpayment:
    return Overpayment(
        person_id=person_id, fiscal_year=fiscal_year, amount=amount, arose_on=on, cause=cause,
        receipt_id=receipt_id, recorded_at=timezone.now(),
    )  # fmt: skip
