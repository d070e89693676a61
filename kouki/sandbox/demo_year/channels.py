"""The month's payments of the demo's year, each through its channel's real file or counter service:

- 口座振替: the city's request file for each due date (kouki.banking.debits), answered by the simulated
  bank (kouki.sandbox.bank, with its share of failures) and taken in as the bank's result; half of the
  month's failures get their slip from the worklist and are paid at the counter a week later.
- convenience stores: the slips of the store payers paid a few days before the due date, reported by the
  simulated payment agent (速報, then 確報, with its few double payments, register cancellations and
  unknown codes) and taken in.
- counter: the counter payers (and the late ones, after the due date) pay the instalment at the counter
  through the service the counter screen uses; now and then someone pays an instalment already paid.
- 特別徴収: the simulated union's 特別徴収結果 for the pension months, from the city's plans, with a few
  non-deductions, taken in.

Nothing is written to the database except through the city's services and imports, as the acting member
of staff; what went wrong in an import stops the demo with the import's own errors.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from kouki.arrears.importers import import_pension_result
from kouki.assessment.models import Assessment, Instalment, InstalmentMethod
from kouki.banking.debits import debit_request_create
from kouki.banking.failures import failed_debits, issue_slips
from kouki.banking.results import import_debit_result
from kouki.collection.models import Channel
from kouki.collection.services import ReceiptInput, receipt_record
from kouki.interfaces.importing import ImportOutcome, Outcome
from kouki.interfaces.union.pension_result import NotDeductedReason
from kouki.sandbox.bank.simulator import run_bank
from kouki.sandbox.demo_year.cast import Cast
from kouki.sandbox.demo_year.payers import Habit
from kouki.sandbox.stores.agent import PaymentAgent
from kouki.sandbox.union.collection import ExpectedDeduction, UnionCollection
from kouki.slips.models import PaymentSlip
from kouki.stores.importers import import_store_report

PENSION_MONTHS = ("04", "06", "08", "10", "12", "02")  # 特別徴収: the even months of pension payment


class DemoYearError(RuntimeError):
    """A step of the demo's year failed (an import rejected its file): the message names the file."""


@dataclass(frozen=True)
class Due:
    """An amount a person owes and will pay at the counter: one instalment, or (instalment None) a part
    of a 分納誓約, which the ledger allocates to the oldest instalments."""

    person_id: int
    instalment_id: int | None
    due_date: date
    amount: int


@dataclass
class Channels:
    cast: Cast
    out: Path
    seed: int
    fiscal_year: int
    municipality_code: str
    habits: dict[int, Habit] = field(default_factory=dict)
    rng: random.Random = field(init=False)
    agent: PaymentAgent = field(init=False)
    union: UnionCollection = field(init=False)
    later: list[tuple[date, Due]] = field(default_factory=list)  # counter payments to come

    def __post_init__(self) -> None:
        self.rng = random.Random(f"demo-channels:{self.seed}")
        self.agent = PaymentAgent(seed=self.seed)
        self.union = UnionCollection(self.out / "union-state")

    # ---- what is due ------------------------------------------------------------------------------
    def due_in(self, first: date, last: date) -> list[Due]:
        rows = Instalment.objects.filter(
            method=InstalmentMethod.DIRECT,
            plan__fiscal_year=self.fiscal_year,
            plan__superseded_at__isnull=True,
            due_date__gte=first,
            due_date__lte=last,
            amount__gt=0,
        ).order_by("due_date", "plan__person_id", "pk")
        return [
            Due(p, i, d, a) for p, i, d, a in rows.values_list("plan__person_id", "pk", "due_date", "amount")
        ]

    def _imported(self, outcome: ImportOutcome) -> None:
        if outcome.outcome == Outcome.REJECTED:
            first = "; ".join(str(e) for e in outcome.errors[:3])
            raise DemoYearError(f"{outcome.file_name}: rejected ({first}); report {outcome.report_path}")

    # ---- the month ----------------------------------------------------------------------------------
    def month(self, first: date, last: date) -> None:
        """The month's direct payments by habit, then the counter payments that fell due this month."""
        by_habit: dict[Habit, list[Due]] = defaultdict(list)
        for due in self.due_in(first, last):
            habit = self.habits.get(due.person_id)
            if habit is not None:
                by_habit[habit].append(due)
        self.store(by_habit[Habit.STORE])
        for due in by_habit[Habit.COUNTER]:
            self.later.append((due.due_date - timedelta(days=self.rng.randint(0, 12)), due))
        for due in by_habit[Habit.LATE]:
            if self.rng.random() < 0.6:
                self.later.append((due.due_date + timedelta(days=self.rng.randint(25, 45)), due))
        self.debit(sorted({d.due_date for d in by_habit[Habit.DEBIT]}), last)
        self.counter(last)

    def counter(self, until: date) -> None:
        """The counter payments dated up to `until`, in date order (the clerk at the counter)."""
        today = sorted(
            (p for p in self.later if p[0] <= until),
            key=lambda p: (p[0], p[1].person_id, p[1].instalment_id or 0),
        )
        self.later = [p for p in self.later if p[0] > until]
        for paid_on, due in today:
            receipt_record(
                actor=self.cast.clerk,
                on=paid_on,
                item=ReceiptInput(
                    due.person_id,
                    self.fiscal_year,
                    Channel.COUNTER,
                    due.amount,
                    paid_on,
                    due.instalment_id,
                    reference="窓口",
                ),
            )
            if self.rng.random() < 0.04:  # the same instalment paid once more later: an overpayment
                self.later.append((paid_on + timedelta(days=self.rng.randint(10, 40)), due))

    # ---- convenience stores -------------------------------------------------------------------------
    def store(self, dues: list[Due]) -> None:
        if not dues:
            return
        codes: dict[int | None, str] = dict(
            PaymentSlip.objects.filter(
                instalment_id__in=[d.instalment_id for d in dues], superseded_at__isnull=True
            ).values_list("instalment_id", "barcode")
        )
        days: dict[date, list[str]] = defaultdict(list)
        for due in dues:
            if due.instalment_id in codes and self.rng.random() < 0.96:
                days[due.due_date - timedelta(days=self.rng.randint(1, 10))].append(codes[due.instalment_id])
        for paid_on in sorted(days):
            day = self.agent.day(days[paid_on], paid_on=paid_on, twice=0.03, cancel=0.005, unknown=1)
            pre, fin = self.agent.write(
                day,
                self.out / "stores" / f"{paid_on:%Y%m%d}",
                processed_on=paid_on + timedelta(days=2),
                transfer_on=paid_on + timedelta(days=7),
            )
            for path in (pre, fin):
                self._imported(
                    import_store_report(
                        actor=self.cast.operator, path=path, report_dir=self.out / "rejections"
                    )
                )

    # ---- 口座振替 -----------------------------------------------------------------------------------
    def debit(self, debit_dates: list[date], month_end: date) -> None:
        for on in debit_dates:
            run = debit_request_create(
                actor=self.cast.operator,
                debit_date=on,
                outbox=self.out / "bank" / "outbox",
                fiscal_year=self.fiscal_year,
            )
            if run.run.record_count == 0:
                continue
            result = run_bank(run.path, self.out / "bank" / "inbox", seed=self.seed)
            self._imported(
                import_debit_result(actor=self.cast.operator, path=result, report_dir=self.out / "rejections")
            )
        pending = [f for f in failed_debits(pending_only=True) if f.debit_date <= month_end]
        chosen = [f for f in pending if self.rng.random() < 0.5]
        if chosen:
            issue_slips(actor=self.cast.clerk, on=month_end, line_ids=[f.line_id for f in chosen])
            for f in chosen:
                if f.instalment_id is not None:
                    amount = Instalment.objects.values_list("amount", flat=True).get(pk=f.instalment_id)
                    due = Due(f.person_id, f.instalment_id, f.debit_date, amount)
                    self.later.append((f.debit_date + timedelta(days=self.rng.randint(7, 20)), due))

    # ---- 特別徴収 -----------------------------------------------------------------------------------
    def pension(self, months: list[str], on: date) -> int:
        """The union's 特別徴収結果 for the pension months (YYYYMM) of the plans in force; returns how
        many deductions it reported."""
        rows = Instalment.objects.filter(
            method=InstalmentMethod.PENSION,
            plan__fiscal_year=self.fiscal_year,
            plan__superseded_at__isnull=True,
            amount__gt=0,
        ).values_list(
            "plan__person_id", "plan__person__addressee_no", "plan__assessment_id", "month", "amount"
        )
        wanted = {f"{m[:4]}-{m[4:]}" for m in months}
        chosen = [r for r in rows if r[3] in wanted]
        insured = dict(
            Assessment.objects.filter(pk__in={r[2] for r in chosen}).values_list("pk", "insured_no")
        )
        reasons = list(NotDeductedReason)
        expected = [
            ExpectedDeduction(
                self.municipality_code,
                addressee,
                insured[assessment],
                self.fiscal_year,
                month.replace("-", ""),
                amount,
                self.rng.choice(reasons) if self.rng.random() < 0.01 else None,
            )
            for _pid, addressee, assessment, month, amount in chosen
        ]
        if not expected:
            return 0
        for path in self.union.write_pension_results(
            expected, on, self.out / "union-collection" / f"{on:%Y%m%d}"
        ):
            self._imported(
                import_pension_result(actor=self.cast.operator, path=path, report_dir=self.out / "rejections")
            )
        return len(expected)
