"""A synthetic town whose premiums are paid through the real channels and their real files (issue 5 §6):
slips paid at convenience stores (速報 / 確報 from the simulated payment agent), 口座振替 through the
simulated bank (with failures), 特別徴収 results from the simulated union, partial and over payments at
the counter, 更正 up and down mid-year, refunds and set-offs of open overpayments, write-offs of old years.

The `World` keeps its own books (`Book`, one per person and fiscal year) from the events it caused and
the files it handed over — what the store 確報 / bank result / union result actually paid and did not
cancel — never from the collection ledger, so that the test can hold the ledger against them.
"""

from __future__ import annotations

import calendar
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from pathlib import Path

from arrears.helpers import pension_person
from banking.helpers import debtor
from collection_factories import ACTOR, make_direct_plan, reassess

from kouki.addressees.models import Person
from kouki.arrears.importers import import_pension_result
from kouki.assessment.models import Assessment, Instalment, InstalmentMethod
from kouki.banking.debits import debit_request_create
from kouki.banking.results import import_debit_result
from kouki.collection.decisions import (
    refund_cancel,
    refund_decide,
    refunds_mark_paid,
    set_off_decide,
    write_off_record,
)
from kouki.collection.models import Channel
from kouki.collection.selectors import instalment_statuses, open_overpayment
from kouki.collection.services import ReceiptInput, receipt_record
from kouki.interfaces.importing import ImportOutcome, Outcome
from kouki.interfaces.union.pension_result import NotDeductedReason
from kouki.interfaces.zengin.debit import parse_debit_file
from kouki.sandbox.bank.simulator import simulate
from kouki.sandbox.stores.agent import PaymentAgent, StoreDay
from kouki.sandbox.union.collection import ExpectedDeduction, UnionCollection
from kouki.slips.selectors import slips_of_person
from kouki.slips.services import slips_issue_for_plans
from kouki.stores.importers import import_store_report
from kouki.stores.models import StoreWorkItem, WorkKind

FY = 2025
MUNICIPALITY = "11100"
PENSION_MONTHS = {8: "202508", 10: "202510", 12: "202512", 2: "202602"}
FAILURE_CODES = (1, 2, 3, 9)  # 資金不足, 取引なし, 振替停止, その他


@dataclass
class Book:
    """What one person's fiscal year should show, kept from the events alone."""

    assessed: int = 0
    received: int = 0
    refunded: int = 0
    set_off_out: int = 0
    set_off_in: int = 0
    written_off: int = 0
    refunds: dict[int, int] = field(default_factory=dict)  # decided, not cancelled: id -> amount

    def terms(self) -> tuple[int, ...]:
        return (self.assessed, self.received, self.refunded, self.set_off_out, self.set_off_in,
                self.written_off)  # fmt: skip


@dataclass
class StorePaid:
    """One store payment of a known slip as the agent reported it."""

    person_id: int
    fiscal_year: int
    amount: int
    final: bool = False  # a 確報 carrying it was imported
    cancelled: bool = False  # cancelled at the register (in the 確報)


def month_days(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


class World:
    def __init__(self, seed: int, tmp: Path) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.tmp = tmp
        self.agent = PaymentAgent(seed=seed)
        self.union = UnionCollection(tmp / "union")
        self.files = itertools.count(1)
        self.books: dict[tuple[int, int], Book] = defaultdict(Book)
        self.people: dict[int, Person] = {}
        self.kind: dict[int, str] = {}  # person -> slip / debit / pension
        self.account_person: dict[int, int] = {}  # debit account id -> person
        self.insured: dict[int, str] = {}
        self.paid_periods: dict[int, set[int]] = defaultdict(set)  # what each person believes paid
        self.store: dict[tuple[object, ...], StorePaid] = {}
        self.pending_finals: list[tuple[date, StoreDay]] = []
        self.counts: dict[str, int] = defaultdict(int)  # what happened (for the test's own checks)
        self.last_file = tmp
        self.store_days: list[date] = []

    # ---- set-up ---------------------------------------------------------------------------------
    def populate(self, n: int = 40) -> None:
        slip_plans = []
        for i in range(n):
            premium = self.rng.randrange(20_000, 160_000, 10)
            if i % 4 == 0:
                person, plan, account = debtor(premium)
                self.account_person[account.pk] = person.pk
                kind = "debit"
            elif i % 6 == 1:
                person, plan = pension_person(premium, FY)
                self.insured[person.pk] = Assessment.objects.get(person=person, fiscal_year=FY).insured_no
                kind = "pension"
            else:
                person, plan = make_direct_plan(premium, FY)
                slip_plans.append(plan.pk)
                kind = "slip"
            self.people[person.pk], self.kind[person.pk] = person, kind
            self.books[(person.pk, FY)].assessed = premium
            if self.rng.random() < 0.3:  # an older year to set off into and write off
                old = self.rng.randrange(10_000, 60_000, 10)
                make_direct_plan(old, FY - 1, person=person)
                self.books[(person.pk, FY - 1)].assessed = old
        slips_issue_for_plans(actor=ACTOR, plan_ids=slip_plans, on=date(FY, 7, 1))
        self.pension(date(FY, 7, 10), ["202504", "202506"])  # the deductions before the replay starts

    # ---- the schedule ---------------------------------------------------------------------------
    def month(self, y: int, m: int) -> None:
        rng, last = self.rng, month_days(y, m)
        events: list[tuple[date, int, str]] = []

        def add(day: int, what: str) -> None:
            events.append((date(y, m, day), len(events), what))

        for _ in range(rng.randint(4, 8)):
            add(rng.randint(1, last), "counter")
        for _ in range(3):
            add(rng.randint(1, last - 5), "store")
        if m != 3:
            for _ in range(rng.randint(1, 3)):
                add(rng.randint(1, last), "reassess")
        if m in PENSION_MONTHS:
            add(20, "pension")
        for due in self._due_dates(y, m):
            add(due.day, "debit")
        add(last, "decide")
        for day, _, what in sorted(events):
            self._finals_due(day)
            if what == "counter":
                self.counter(day)
            elif what == "store":
                self.store_day(day)
            elif what == "reassess":
                self.reassess(day)
            elif what == "pension":
                self.pension(day, [PENSION_MONTHS[m]])
            elif what == "debit":
                self.debit(day)
            else:
                self.decide(day)

    @staticmethod
    def _due_dates(y: int, m: int) -> list[date]:
        """The due dates of direct instalments in the month: the 口座振替 days."""
        start = date(y, m, 1)
        return sorted(set(
            Instalment.objects.filter(
                method=InstalmentMethod.DIRECT, plan__fiscal_year=FY, plan__superseded_at__isnull=True,
                due_date__gte=start, due_date__lt=start + timedelta(days=month_days(y, m)),
            ).values_list("due_date", flat=True)
        ))  # fmt: skip

    def _plan_rows(self, pid: int, fy: int) -> list[Instalment]:
        return list(
            Instalment.objects.filter(
                plan__person_id=pid, plan__fiscal_year=fy, plan__superseded_at__isnull=True
            ).order_by("due_date", "pk")
        )

    def _imported(self, outcome: ImportOutcome, what: str) -> None:
        assert outcome.outcome == Outcome.APPLIED, f"seed {self.seed}: {what} not applied: {outcome.errors}"
        self.counts[what] += 1

    # ---- the counter: exact, partial and over payments -----------------------------------------
    def counter(self, day: date) -> None:
        pid, fy = self.rng.choice(sorted(self.books))
        rows = [r for r in self._plan_rows(pid, fy) if r.method == InstalmentMethod.DIRECT and r.amount]
        row = self.rng.choice(rows) if rows and self.rng.random() < 0.85 else None  # or naming none
        base = row.amount if row else self.rng.randrange(1_000, 20_000)
        how = self.rng.choice(["exact", "partial", "over"])
        amount = {"exact": base, "partial": max(1, base // self.rng.randint(2, 5)),
                  "over": base + self.rng.randrange(1, 8_000)}[how]  # fmt: skip
        receipt_record(actor=ACTOR, on=day, item=ReceiptInput(
            pid, fy, Channel.COUNTER, amount, day, row.pk if row else None, reference="窓口"))  # fmt: skip
        self.books[(pid, fy)].received += amount
        if row is not None and how != "partial":
            self.paid_periods[pid].add(row.period)
        self.counts[f"counter_{how}"] += 1

    # ---- convenience stores --------------------------------------------------------------------
    def _choose_slip(self, pid: int, day: date) -> str | None:
        current = {r.pk for r in self._plan_rows(pid, FY)}
        slips = [s for s in slips_of_person(pid, FY) if s.due_date <= day + timedelta(days=25)]
        fresh = [s for s in slips if s.period not in self.paid_periods[pid]]
        if fresh and self.rng.random() < 0.9:
            in_force = [s for s in fresh if s.instalment_id in current] or fresh
            pool = in_force if self.rng.random() < 0.85 else fresh  # sometimes the old slip of a 更正
            slip = pool[0] if self.rng.random() < 0.7 else self.rng.choice(pool)
        elif slips and self.rng.random() < 0.3:
            slip = self.rng.choice(slips)  # a slip already paid: paid again
            self.counts["store_paid_again"] += 1
        else:
            return None
        if slip.instalment_id not in current:
            self.counts["store_old_slip"] += 1
        self.paid_periods[pid].add(slip.period)
        return self._code_of(slip.slip_id)

    @staticmethod
    def _code_of(slip_id: int) -> str:
        from kouki.slips.models import PaymentSlip

        return PaymentSlip.objects.values_list("barcode", flat=True).get(pk=slip_id)

    def store_day(self, day: date) -> None:
        owners: dict[str, tuple[int, int]] = {}
        for pid, kind in sorted(self.kind.items()):
            if self.rng.random() < (0.4 if kind == "slip" else 0.15 if kind == "debit" else 0.0):
                code = self._choose_slip(pid, day)
                if code is not None:
                    owners[code] = (pid, FY)
        if not owners:
            return
        sd = self.agent.day(sorted(owners), paid_on=day, twice=0.08, cancel=0.06, unknown=1)
        for r in sd.payments:
            if r.barcode in owners:
                pid, fy = owners[r.barcode]
                self.store[r.key] = StorePaid(pid, fy, r.amount)
        modes = ["both", "final_only", "split", "never"]
        # the first store days of the year take every way in turn, then chance decides
        mode = (
            modes[len(self.store_days)]
            if len(self.store_days) < 4
            else self.rng.choices(modes, [65, 15, 15, 5])[0]
        )
        self.store_days.append(day)
        self.counts[f"store_{mode}"] += 1
        if mode != "final_only":
            self._store_file(self.agent.preliminary(sd), "sokuho")
        if mode == "never":
            return  # 速報 only: provisional for ever (a 確報 that never came)
        first = day + timedelta(days=self.rng.randint(2, 5))
        if mode == "split":
            # part of the day confirmed now; weeks later the agent sends the whole day again (those
            # already confirmed are skipped), with the register's cancellations of the day
            later = {r.key for r in sd.payments if self.rng.random() < 0.4}
            now_part = replace(sd, payments=[r for r in sd.payments if r.key not in later], cancellations=[])
            self.pending_finals.append((first, now_part))
            self.pending_finals.append((first + timedelta(days=self.rng.randint(20, 40)), sd))
        else:
            self.pending_finals.append((first, sd))

    def _finals_due(self, today: date) -> None:
        due = sorted((p for p in self.pending_finals if p[0] <= today), key=lambda p: p[0])
        self.pending_finals = [p for p in self.pending_finals if p[0] > today]
        for on, sd in due:
            data = self.agent.final(sd, processed_on=on, transfer_on=on + timedelta(days=5))
            self._store_file(data, "kakuho")
            for r in sd.payments:
                if r.key in self.store:
                    self.store[r.key].final = True
            refused = self._cancellations_refused()
            for c in sd.cancellations:
                if c.key not in self.store:
                    continue
                paid = self.store[c.key]
                if c.key in refused:
                    # kouki keeps a receipt whose money a refund or set-off already spent (a work item
                    # for staff; kouki.collection.services.cancel_blocked_by, tested on its own): only
                    # possible when this year's books show such a decision
                    book = self.books[(paid.person_id, paid.fiscal_year)]
                    assert book.refunded + book.set_off_out > 0, f"seed {self.seed}: refused without cause"
                    self.counts["store_cancel_refused"] += 1
                    continue
                paid.cancelled = True
            if self.rng.random() < 0.1:  # the same file delivered twice is taken in once
                again = import_store_report(actor=ACTOR, path=self.last_file, report_dir=self.tmp / "rej")
                assert again.outcome == Outcome.ALREADY_IMPORTED, again.errors

    @staticmethod
    def _cancellations_refused() -> set[tuple[date, time, str, str, str]]:
        """The store payments whose register cancellation kouki refused (還付・充当済), by their key."""
        items = StoreWorkItem.objects.filter(kind=WorkKind.CANCELLATION_REFUSED).select_related("payment")
        return {(w.payment.paid_on, w.payment.paid_at, w.payment.chain_code, w.payment.store_code,
                 w.payment.barcode) for w in items}

    def _store_file(self, data: bytes, name: str) -> None:
        path = self.tmp / "stores" / f"{name}-{next(self.files):04d}.dat"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.last_file = path
        self._imported(import_store_report(actor=ACTOR, path=path, report_dir=self.tmp / "rej"), name)

    # ---- 口座振替 ------------------------------------------------------------------------------------
    def debit(self, day: date) -> None:
        run = debit_request_create(actor=ACTOR, debit_date=day, outbox=self.tmp / "outbox", fiscal_year=FY)
        if run.run.record_count == 0:
            return
        request = parse_debit_file(run.data, "request", results=False)
        forced = {
            r.customer_no: self.rng.choice(FAILURE_CODES) for r in request.records if self.rng.random() < 0.2
        }
        if self.rng.random() < 0.4:  # a 更正 while the bank holds the request: results name old instalments
            debtors = sorted({self.account_person[int(r.customer_no[:12])] for r in request.records})
            self.reassess(day - timedelta(days=self.rng.randint(0, 6)), self.rng.choice(debtors))
            self.counts["reassess_during_debit"] += 1
        result = simulate(run.data, seed=self.seed, forced=forced)
        path = self.tmp / "bank" / f"kekka-{day:%Y%m%d}.dat"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(result)
        self._imported(import_debit_result(actor=ACTOR, path=path, report_dir=self.tmp / "rej"), "debit")
        for r in parse_debit_file(result, path.name, results=True).records:
            if r.result_code == 0:
                self.books[(self.account_person[int(r.customer_no[:12])], FY)].received += r.amount
                self.counts["debited"] += 1
            else:
                self.counts["debit_failed"] += 1

    # ---- 特別徴収 results ------------------------------------------------------------------------------
    def pension(self, day: date, months: list[str]) -> None:
        expected, deducted = [], []
        reasons = list(NotDeductedReason)
        for pid, kind in sorted(self.kind.items()):
            if kind != "pension":
                continue
            for row in self._plan_rows(pid, FY):
                ym = row.month.replace("-", "")
                if row.method != InstalmentMethod.PENSION or ym not in months or row.amount == 0:
                    continue
                reason = self.rng.choice(reasons) if self.rng.random() < 0.1 else None
                who = self.people[pid].addressee_no
                expected.append(
                    ExpectedDeduction(MUNICIPALITY, who, self.insured[pid], FY, ym, row.amount, reason)
                )
                if reason is None:
                    deducted.append((pid, row.amount))
                self.counts["pension_deducted" if reason is None else "pension_not_deducted"] += 1
        if not expected:
            return
        (path,) = self.union.write_pension_results(
            expected, day, self.tmp / "union-out" / f"{next(self.files)}"
        )
        self._imported(import_pension_result(actor=ACTOR, path=path, report_dir=self.tmp / "rej"), "pension")
        for pid, amount in deducted:
            self.books[(pid, FY)].received += amount
        if self.rng.random() < 0.3:  # the union sends the same results again in another file: skipped
            (again,) = self.union.write_pension_results(
                expected, day + timedelta(days=1), self.tmp / "union-out" / f"{next(self.files)}"
            )
            outcome = import_pension_result(actor=ACTOR, path=again, report_dir=self.tmp / "rej")
            assert outcome.outcome == Outcome.APPLIED and outcome.summary is not None, outcome.errors
            assert outcome.summary.applied == 0 and outcome.summary.skipped == len(expected)
            self.counts["pension_resent"] += 1

    # ---- 更正 ----------------------------------------------------------------------------------------
    def reassess(self, day: date, pid: int | None = None) -> None:
        fy = FY
        if pid is None:
            pid, fy = self.rng.choice(sorted(self.books))
            fy = fy if self.rng.random() < 0.6 else FY  # now and then a 過年度 更正 of the older year
        book = self.books[(pid, fy)]
        new = max(1_000, book.assessed + self.rng.choice([-1, 1]) * self.rng.randrange(1_000, 70_000, 10))
        plan = reassess(self.people[pid], new, fy, on=day)
        book.assessed = new
        self.counts["reassess_down" if new < plan.replaces.amount_due else "reassess_up"] += 1  # type: ignore[union-attr]
        if fy == FY - 1:
            self.counts["reassess_old_year"] += 1
        if self.kind[pid] == "slip" and fy == FY:
            slips_issue_for_plans(actor=ACTOR, plan_ids=[plan.pk], on=day)

    # ---- decisions on overpayments -------------------------------------------------------------
    def decide(self, day: date) -> None:
        rng = self.rng
        for (pid, fy), book in sorted(self.books.items()):
            avail = open_overpayment(pid, fy)
            if avail > 0 and rng.random() < 0.5:
                targets = [
                    (ofy, s) for (p, ofy) in sorted(self.books) if p == pid and ofy != fy
                    for s in instalment_statuses(pid, ofy) if s.unpaid > 0
                ]  # fmt: skip
                if targets and rng.random() < 0.5:
                    to_fy, s = rng.choice(targets)
                    amount = rng.randint(1, min(avail, s.unpaid))
                    set_off_decide(
                        actor=ACTOR,
                        person_id=pid,
                        from_fiscal_year=fy,
                        instalment_id=s.instalment_id,
                        amount=amount,
                        reason="充当",
                        on=day,
                    )
                    book.set_off_out += amount
                    self.books[(pid, to_fy)].set_off_in += amount
                    self.counts["set_off"] += 1
                else:
                    amount = avail if rng.random() < 0.6 else rng.randint(1, avail)
                    refund = refund_decide(
                        actor=ACTOR, person_id=pid, fiscal_year=fy, amount=amount, reason="還付", on=day
                    )
                    book.refunded += amount
                    book.refunds[refund.pk] = amount
                    self.counts["refund"] += 1
            if book.refunds and rng.random() < 0.15:
                rid = rng.choice(sorted(book.refunds))
                if rng.random() < 0.3:
                    refund_cancel(actor=ACTOR, refund_id=rid, reason="口座不明")
                    book.refunded -= book.refunds.pop(rid)
                    self.counts["refund_cancelled"] += 1
                else:
                    refunds_mark_paid(actor=ACTOR, refund_ids=[rid], paid_on=day)
                    book.refunds.pop(rid)  # paid: stays refunded, can no longer be cancelled
            if fy == FY - 1 and day.month == 2 and rng.random() < 0.5:
                unpaid = [s for s in instalment_statuses(pid, fy) if s.unpaid > 0]
                if unpaid:
                    s = unpaid[-1]
                    write_off_record(
                        actor=ACTOR,
                        instalment_id=s.instalment_id,
                        amount=s.unpaid,
                        reason="時効",
                        requested_by="clerk",
                        approved_by="chief",
                        on=day,
                    )
                    book.written_off += s.unpaid
                    self.counts["write_off"] += 1

    # ---- the oracle ------------------------------------------------------------------------------
    def expected(self) -> dict[tuple[int, int], tuple[int, ...]]:
        """Each book's terms, with the store payments a 確報 confirmed and no one cancelled."""
        store: dict[tuple[int, int], int] = defaultdict(int)
        for p in self.store.values():
            if p.final and not p.cancelled:
                store[(p.person_id, p.fiscal_year)] += p.amount
        out = {}
        for key, book in self.books.items():
            a, received, *rest = book.terms()
            out[key] = (a, received + store[key], *rest)
        return out
