"""Read-only views of the collection ledger for the staff screens (収納状況, 窓口収納, 過誤納):
a person's fiscal years, every receipt of a year with who recorded or cancelled it, every decision
(還付, 充当, 不納欠損) with who decided and why, and the data printed on a counter 領収証書.

Nothing here writes; the writes are kouki.collection.services / decisions. No personal number is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q

from kouki.accounts.models import StaffUser
from kouki.addressees.models import PersonVersion
from kouki.addressees.selectors import person_current
from kouki.assessment.models import InstalmentPlan
from kouki.collection.limitation import ClaimRef, expiry_dates
from kouki.collection.models import (
    Allocation,
    Channel,
    Overpayment,
    OverpaymentCause,
    Receipt,
    ReceiptStatus,
    Refund,
    RefundStatus,
    SetOff,
    WriteOff,
)
from kouki.collection.selectors import UnpaidInstalment, unpaid_instalments
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.documents.counter_receipt import CounterReceiptData
from kouki.documents.data import default_issuer, sender_for
from kouki.documents.premium_data import METHOD_LABELS
from kouki.privacy.models import AuditEntry
from kouki.rules.arrears import extinguished
from kouki.rules.wareki import wareki_year

FAR_FUTURE = date(9999, 12, 31)


SYSTEM_ACTOR_LABEL = "システム処理"  # a batch job (``system:…``) in place of a member of staff's name


def staff_names(usernames: Iterable[str]) -> dict[str, str]:
    """職員氏名 by username (a system job or a removed account keeps its username)."""
    wanted = {u for u in usernames if u}
    names = dict(StaffUser.objects.filter(username__in=wanted).values_list("username", "staff_name"))
    names.update({u: SYSTEM_ACTOR_LABEL for u in wanted if u.startswith("system:")})
    return names


def _who(username: str, names: dict[str, str]) -> str:
    return names.get(username, username)


def fiscal_years_of(person_id: int) -> list[int]:
    """Fiscal years with a plan in force or a receipt, newest first."""
    years = set(
        InstalmentPlan.objects.filter(person_id=person_id, superseded_at__isnull=True).values_list(
            "fiscal_year", flat=True
        )
    )
    years |= set(Receipt.objects.filter(person_id=person_id).values_list("fiscal_year", flat=True))
    return sorted(years, reverse=True)


def has_plan_in_force(person_id: int, fiscal_year: int) -> bool:
    return InstalmentPlan.objects.filter(
        person_id=person_id, fiscal_year=fiscal_year, superseded_at__isnull=True
    ).exists()


@dataclass(frozen=True)
class ReceiptRow:
    receipt_id: int
    channel: str
    channel_label: str
    amount: int
    paid_on: date
    period: int | None
    status: str
    status_label: str
    recorded_by: str  # 職員氏名(username)
    recorded_at: datetime
    cancelled_at: datetime | None
    cancel_reason: str
    cancelled_by: str

    @property
    def cancellable(self) -> bool:
        return self.status != ReceiptStatus.CANCELLED and self.channel not in (
            Channel.SET_OFF,
            Channel.WRITE_OFF,
        )

    @property
    def printable(self) -> bool:
        """A 領収証書 exists for money taken at the counter that still stands."""
        return self.channel == Channel.COUNTER and self.status != ReceiptStatus.CANCELLED


def _cancellers(receipt_ids: list[int]) -> dict[int, str]:
    rows = AuditEntry.objects.filter(
        action=AuditAction.RECEIPT_CANCEL, target_type=AuditTarget.RECEIPT,
        target_id__in=[str(i) for i in receipt_ids],
    ).values_list("target_id", "actor")
    return {int(target): actor for target, actor in rows}


def receipts_of_year(person_id: int, fiscal_year: int) -> list[ReceiptRow]:
    """Every receipt of the year (any channel and status, set-off and write-off credits included)."""
    receipts = list(
        Receipt.objects.filter(person_id=person_id, fiscal_year=fiscal_year).order_by("paid_on", "pk")
    )
    cancelled = _cancellers([r.pk for r in receipts if r.status == ReceiptStatus.CANCELLED])
    names = staff_names([r.recorded_by for r in receipts] + list(cancelled.values()))
    return [
        ReceiptRow(
            r.pk, r.channel, r.get_channel_display(), r.amount, r.paid_on, r.period, r.status,
            r.get_status_display(), _who(r.recorded_by, names), r.recorded_at, r.cancelled_at,
            r.cancel_reason, _who(cancelled.get(r.pk, ""), names),
        )
        for r in receipts
    ]  # fmt: skip


@dataclass(frozen=True)
class DecisionRow:
    kind: str  # refund | set_off_out | set_off_in | write_off
    label: str
    amount: int
    decided_on: date
    decided_by: str  # 職員氏名(username); for a write-off: requester → approver
    reason: str
    status: str  # the refund's state, else ""
    detail: str  # where a set-off went or came from


def _period(period: int | None) -> str:
    return f"第{period}期" if period is not None else "期別指定なし"


def decisions_of(person_id: int, fiscal_year: int) -> list[DecisionRow]:
    """The year's 還付, 充当 (out of this year, into this year) and 不納欠損 decisions, oldest first."""
    refunds = list(Refund.objects.filter(person_id=person_id, fiscal_year=fiscal_year))
    either = Q(from_fiscal_year=fiscal_year) | Q(credit__fiscal_year=fiscal_year)
    set_offs = list(SetOff.objects.filter(either, person_id=person_id).select_related("credit")
                    .order_by("pk"))
    out_of = [s for s in set_offs if s.from_fiscal_year == fiscal_year]
    into = [s for s in set_offs if s.credit.fiscal_year == fiscal_year]
    write_offs = list(
        WriteOff.objects.filter(person_id=person_id, fiscal_year=fiscal_year).select_related("credit")
    )
    names = staff_names(
        [r.decided_by for r in refunds]
        + [s.decided_by for s in out_of + into]
        + [w.requested_by for w in write_offs]
        + [w.approved_by for w in write_offs]
    )
    rows = [
        DecisionRow(
            "refund",
            "還付",
            r.amount,
            r.decided_on,
            _who(r.decided_by, names),
            r.reason,
            RefundStatus(r.status).label,
            "",
        )
        for r in refunds
    ]
    rows += [
        DecisionRow(
            "set_off_out",
            "充当(出)",
            s.amount,
            s.decided_on,
            _who(s.decided_by, names),
            s.reason,
            "",
            f"{wareki_year(s.credit.fiscal_year)} {_period(s.credit.period)}へ",
        )
        for s in out_of
    ]
    rows += [
        DecisionRow(
            "set_off_in",
            "充当(入)",
            s.amount,
            s.decided_on,
            _who(s.decided_by, names),
            s.reason,
            "",
            f"{wareki_year(s.from_fiscal_year)}の過誤納金から {_period(s.credit.period)}へ",
        )
        for s in into
    ]
    rows += [
        DecisionRow(
            "write_off",
            "不納欠損",
            w.amount,
            w.decided_on,
            f"{_who(w.requested_by, names)} → 承認 {_who(w.approved_by, names)}",
            w.reason,
            "",
            _period(w.credit.period),
        )
        for w in write_offs
    ]
    return sorted(rows, key=lambda d: (d.decided_on, d.kind))


def set_off_targets(person_id: int) -> list[UnpaidInstalment]:
    """The person's instalments (any fiscal year, plans in force) that still owe something."""
    return list(unpaid_instalments(due_before=FAR_FUTURE, method=None, person_ids=[person_id]))


def live_set_off_targets(person_id: int, on: date) -> list[UnpaidInstalment]:
    """`set_off_targets` less the instalments extinguished by limitation on `on` (地方自治法 §236 ②:
    nothing can be set off to them)."""
    owed = set_off_targets(person_id)
    expires = expiry_dates(
        ClaimRef(u.instalment_id, u.person_id, u.fiscal_year, u.method, u.period, u.due_date) for u in owed
    )
    return [u for u in owed if not extinguished(expires[u.instalment_id], on)]


def person_labels(person_ids: Iterable[int]) -> dict[int, PersonVersion]:
    """The current version of each person (for a worklist), with the person for the 宛名番号."""
    return {
        v.person_id: v
        for v in PersonVersion.objects.filter(person_id__in=set(person_ids), is_current=True).select_related(
            "person"
        )
    }


def counter_receipt(receipt_id: int) -> Receipt | None:
    return Receipt.objects.filter(pk=receipt_id).first()


def receipt_no(receipt_id: int) -> str:
    return f"{receipt_id:010d}"


@dataclass(frozen=True)
class ReceiptEffect:
    """Where one receipt's money went: the instalments it paid (label, amount) and what became an
    overpayment (過誤納) when it was taken."""

    paid: tuple[tuple[str, int], ...]
    overpaid: int


def receipt_effect(receipt_id: int) -> ReceiptEffect:
    """The instalments a receipt pays now (its allocations) and the surplus it left when recorded."""
    rows = (
        Allocation.objects.filter(receipt_id=receipt_id)
        .select_related("instalment")
        .order_by("instalment__due_date", "instalment__pk")
    )
    paid = tuple(
        (f"{METHOD_LABELS.get(a.instalment.method, a.instalment.method)} 第{a.instalment.period}期", a.amount)
        for a in rows
    )  # fmt: skip
    surplus = Overpayment.objects.filter(receipt_id=receipt_id, cause=OverpaymentCause.SURPLUS)
    return ReceiptEffect(paid, sum(o.amount for o in surplus))


def counter_receipt_data(receipt: Receipt) -> CounterReceiptData:
    """What the 領収証書 of a counter receipt prints (the person's current name; 宛名番号, no number)."""
    if receipt.channel != Channel.COUNTER:
        raise ValueError("a 領収証書 is printed for counter receipts only")
    version = person_current(receipt.person_id)
    if version is None:
        raise ValueError("no current version of the payer")
    due = receipt.instalment.due_date if receipt.instalment is not None else None
    label = _period(receipt.period) if receipt.period is not None else "(納期の早い期から充当)"
    names = staff_names([receipt.recorded_by])
    effect = receipt_effect(receipt.pk)
    return CounterReceiptData(
        receipt_no=receipt_no(receipt.pk), addressee_no=version.person.addressee_no,
        name=f"{version.family_name}\u3000{version.given_name}", fiscal_year=receipt.fiscal_year,
        period_label=label, due_date=due, amount=receipt.amount, paid_on=receipt.paid_on,
        received_by=names.get(receipt.recorded_by, receipt.recorded_by),
        office=sender_for(version.address).office,
        issuer=default_issuer(), applied=effect.paid, overpaid=effect.overpaid,
    )  # fmt: skip
