"""The demo's fiscal year, month by month, after the go-live days of April (kouki.commands.demo):

- the 1st: the month's resident-register changes (one file per month after the go-live days), then the
  daily exchange with the simulated union (its 当初賦課 arrives on July 1; on August 1 it renews
  every certificate), then the clerk's certificate batch for what the union asked to be issued;
- from July, the 10th: the instalment batch (initial plans and 保険料額決定通知書 in July, then plans of
  newcomers and re-plans after a 更正 with their notices) and the slips of every direct instalment; the
  clerk registers the 口座振替依頼書 of the people who pay by debit;
- July 15: the union's 特別徴収結果 of April and June (the 仮徴収 before the plans existed); then on the
  20th of every even month, that month's results;
- the month's payments by every channel (kouki.sandbox.demo_year.channels), in two halves: on the 15th,
  after what fell due by then was paid, the 督促状 of everything unpaid within the reminder window;
- from September, the 25th: refunds decided, registered, transferred and the bank's result taken in;
- the last day: 収納情報・滞納者情報 for the union;
- January: 分納誓約 of the largest arrears; from February, the monthly pledge review;
- March: write-offs (one approved, one left for the supervisor); applications at the counter (a 葬祭費,
  a 療養費, a first 高額療養費, a 減免 and a 徴収猶予 confirmed, a second 徴収猶予 awaiting 再鑑) with
  their 受付票; the confirmed ones sent to the union (with the month's 療養費関連情報), decided, the
  decisions taken in, the notices printed and the 葬祭費's handed over.

When the union's parameters of the next fiscal year are configured (KOUKI_PREMIUM_PARAMETERS), the demo
goes on through that year's April–August the same way: its 当初賦課 in July and the renewal on 8-01.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from kouki.addressees.importers import import_resident_changes
from kouki.arrears.union_files import collection_files_write
from kouki.assessment.models import Instalment, InstalmentMethod, InstalmentPlan
from kouki.banking.accounts import debit_account_register
from kouki.banking.models import Purpose
from kouki.banking.selectors import accounts_of
from kouki.certificates.services import certificate_batch_issue
from kouki.collection.instalment_batch import instalment_batch
from kouki.eligibility.exchange import union_day
from kouki.sandbox.demo_year.cast import Cast
from kouki.sandbox.demo_year.channels import Channels
from kouki.sandbox.demo_year.desk import BANKS, Desk, applications_round_trip
from kouki.sandbox.demo_year.examples import Example, examples
from kouki.sandbox.demo_year.payers import Habit, habits
from kouki.sandbox.union.simulator import UnionSimulator
from kouki.slips.services import slips_issue_for_plans


@dataclass
class YearResult:
    planned: int = 0
    replanned: int = 0
    certificates: int = 0  # the renewals on August 1
    other_certificates: int = 0  # newcomers and changes in the other months
    reminders: int = 0
    refunds: int = 0
    pledges: int = 0
    write_offs: int = 0
    applications: int = 0
    decided: int = 0  # applications the union decided and the city took in
    notification_id: int = 0
    examples: list[Example] = field(default_factory=list)
    renewal_year: int | None = None  # the next fiscal year lived until its 8-01 renewal, if configured


def months(fiscal_year: int) -> list[date]:
    """The first day of May … March of the fiscal year."""
    return [date(fiscal_year + (m < 4), m, 1) for m in (5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def renewal_months(fiscal_year: int) -> list[date]:
    """April … August of the fiscal year: through its 当初賦課 and the 8-01 renewal."""
    return [date(fiscal_year, m, 1) for m in (4, 5, 6, 7, 8)]


def month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


@dataclass
class Year:
    """One fiscal year's staff, channels and counts; `month` lives one month of it."""

    cast: Cast
    union: UnionSimulator
    out: Path
    seed: int
    fiscal_year: int
    municipality_code: str
    tally: YearResult
    say: Callable[[str], None]
    channels: Channels = field(init=False)
    desk: Desk = field(init=False)

    def __post_init__(self) -> None:
        self.channels = Channels(self.cast, self.out, self.seed, self.fiscal_year, self.municipality_code)
        self.desk = Desk(self.cast, self.out, self.seed, self.fiscal_year, self.channels)

    def month(self, first: date, changes: Path | None) -> None:
        cast, out, tally, channels, desk = self.cast, self.out, self.tally, self.channels, self.desk
        last = month_end(first)
        if changes is not None:  # the month's resident-register changes, before the union's day
            channels._imported(import_resident_changes(actor=cast.operator, path=changes,
                                                       report_dir=out / "rejections"))  # fmt: skip
        exchange = out / "union-exchange"
        day = first.isoformat()
        union_day(actor=cast.operator, union=self.union, on=first, outbox=exchange / "outbox" / day,
                  inbox=exchange / "inbox" / day)  # fmt: skip
        # the certificates the union asked for that day: everyone's renewal on August 1, newcomers and
        # changes on the other days
        batch = certificate_batch_issue(actor=cast.clerk, out_dir=out / "certificates" / first.isoformat())
        issued = batch.issued if batch else 0
        if first.month == 8:
            tally.certificates += issued
        else:
            tally.other_certificates += issued
        if first.month in (4, 5, 6):
            return
        self.plans(first.replace(day=10))
        mid = first.replace(day=15)
        channels.month(first, mid)  # what falls due by the 15th, then the 督促状 of what is still unpaid
        if first.month != 7:
            tally.reminders += desk.reminders(mid)
        if first.month == 1:
            tally.pledges += desk.pledges(first.replace(day=20))
        channels.month(mid + timedelta(days=1), last)
        if first.month % 2 == 0:
            channels.pension([first.strftime("%Y%m")], first.replace(day=20))
        if first.month not in (7, 8):
            tally.refunds += desk.refunds(first.replace(day=25))
        if first.month in (2, 3):
            desk.review(last)
        if first.month == 3:
            tally.write_offs += desk.write_offs(first.replace(day=25))
            tally.applications += len(desk.applications(first.replace(day=20)))
            # (sent and decided on the real day: the 再鑑 timestamps are the real time of the run)
            today = timezone.localdate()
            tally.decided += applications_round_trip(self.cast, out, today, today, self.seed)
        collection_files_write(actor=cast.operator, on=last, outbox=out / "union-collection" / "outbox")

    def plans(self, plan_day: date) -> None:
        """The instalment batch, the slips of every direct instalment, the new debit payers' accounts;
        in July the 特別徴収結果 of April and June."""
        fy, cast = self.fiscal_year, self.cast
        result = instalment_batch(actor=cast.operator, fiscal_year=fy, on=plan_day,
                                  out_dir=self.out / "notices" / plan_day.strftime("%Y-%m"))  # fmt: skip
        self.tally.planned += result.planned
        self.tally.replanned += result.replanned
        in_force = list(InstalmentPlan.objects.filter(fiscal_year=fy, superseded_at__isnull=True)
                        .order_by("pk").values_list("pk", flat=True))  # fmt: skip
        slips_issue_for_plans(actor=cast.operator, plan_ids=in_force, on=plan_day)
        _debit_accounts(self.channels, self.desk, plan_day, fy, self.seed)
        if plan_day.month == 7:
            self.channels.pension([f"{fy}04", f"{fy}06"], plan_day.replace(day=15))
            self.say(f"      {fy}-07: 当初賦課 from the union, {result.planned:,} instalment plans with "
                     f"their notices, {len(self.channels.habits):,} people paying directly")  # fmt: skip


def live_fiscal_year(
    *, monthly_changes: Mapping[date, Path], cast: Cast, union: UnionSimulator, out: Path, seed: int,
    fiscal_year: int, municipality_code: str, renewal: bool = False, say: Callable[[str], None] = print,
) -> YearResult:  # fmt: skip
    """The fiscal year from May to March; with `renewal`, the next one from April to its 8-01 renewal
    (when the union's parameters of that year are configured)."""
    tally = YearResult()
    year = Year(cast, union, out, seed, fiscal_year, municipality_code, tally, say)
    for first in months(fiscal_year):
        year.month(first, monthly_changes.get(first))
    person_id = _notified_person(year.channels)
    end = date(fiscal_year + 1, 3, 31)
    tally.notification_id = year.desk.notification(person_id, end)
    tally.examples = examples(habits=year.channels.habits, left_open=year.desk.left_open,
                              notified_person_id=person_id, fiscal_year=fiscal_year, on=end)  # fmt: skip
    if renewal:
        following = Year(cast, union, out, seed, fiscal_year + 1, municipality_code, tally, say)
        for first in renewal_months(fiscal_year + 1):
            following.month(first, monthly_changes.get(first))
        tally.renewal_year = fiscal_year + 1
    return tally


def _debit_accounts(channels: Channels, desk: Desk, on: date, fiscal_year: int, seed: int) -> None:
    """Habits for everyone who pays directly; the 口座振替依頼書 of the new debit payers."""
    direct = set(
        Instalment.objects.filter(
            method=InstalmentMethod.DIRECT, plan__fiscal_year=fiscal_year, plan__superseded_at__isnull=True
        ).values_list("plan__person_id", flat=True)
    )
    new = habits(direct - channels.habits.keys(), seed)
    channels.habits.update(new)
    for pid in sorted(p for p, h in new.items() if h == Habit.DEBIT):
        if accounts_of(pid, Purpose.DEBIT):
            continue
        bank, branch = desk.rng.choice(BANKS)
        debit_account_register(
            actor=desk.cast.clerk,
            person_id=pid,
            bank_code=bank,
            branch_code=branch,
            deposit_type=1,
            account_number=desk.account_no(),
            holder_kana=desk.holder_kana(pid),
            valid_from=on.replace(day=1),
            applied_on=on - timedelta(days=desk.rng.randint(1, 8)),
        )


def _notified_person(channels: Channels) -> int:
    """Someone who pays at the counter: the person whose 届出 waits for its 再鑑."""
    return min(p for p, h in channels.habits.items() if h == Habit.COUNTER)
