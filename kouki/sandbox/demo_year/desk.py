"""The staff's work on the money in the demo's year, through the services their screens use:

- refunds: the supervisor decides most open overpayments (some are left open for the worklist); the
  clerk registers the 還付金振込口座 the person names; the operator writes the 総合振込 file, the simulated
  bank answers (with its few 振込不能, which reopen the refund) and the operator takes the result in;
- reminders: the operator issues the 督促状 of the month (PDF in reminders/);
- pledges: the clerk phones some people in arrears and takes a 分納誓約; some keep it at the counter;
  the operator reviews the pledges monthly;
- write-offs: the clerk asks, the supervisor approves one and leaves one for the supervisor's worklist;
- a 届出 entered at the counter, waiting for its 再鑑;
- applications at the counter (kouki.applications): a 葬祭費 for someone who died in the year, a 療養費
  and a first 高額療養費 (kouki.sandbox.demo_year.benefit_counter), a 保険料の減免 and a 徴収猶予 of
  people in arrears, all confirmed by the supervisor, their 受付票 printed; and a second 徴収猶予 left
  waiting for its 再鑑.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from kouki.addressees.models import PersonStatus, PersonVersion
from kouki.addressees.selectors import person_current
from kouki.applications.decisions import applications_decisions_apply
from kouki.applications.models import Application, Status
from kouki.applications.notices import (
    application_notice_delivered,
    application_notice_printed,
    notice_document,
)
from kouki.applications.selectors import receipt_data
from kouki.applications.services import (
    ApplicationInput,
    PaymentAccount,
    application_confirm,
    application_receipt_printed,
    application_receive,
)
from kouki.applications.union_send import applications_send, medical_expenses_send
from kouki.arrears.models import ContactChannel, WriteOffGround
from kouki.arrears.services import (
    contact_record,
    pledge_make,
    pledges_review,
    reminders_issue,
    write_off_approve,
    write_off_request,
)
from kouki.banking.accounts import refund_account_register
from kouki.banking.models import Purpose
from kouki.banking.refund_results import import_transfer_result
from kouki.banking.refunds import refund_transfer_create
from kouki.banking.selectors import accounts_of
from kouki.collection.decisions import refund_decide
from kouki.collection.selectors import overpayments_open, unpaid_instalments
from kouki.documents.application_receipt import KIND as RECEIPT_KIND
from kouki.eligibility.selectors import insured_person_ids_on
from kouki.interfaces.benefit_decisions import import_benefit_decision
from kouki.interfaces.importing import Outcome
from kouki.interfaces.zengin.charset import to_zengin
from kouki.notifications.models import NotificationType
from kouki.notifications.services import NotificationInput, notification_enter
from kouki.privacy.context import Actor
from kouki.rules.applications import Applicant, ApplicationKind
from kouki.rules.identity_check import IdentityDocument
from kouki.sandbox.bank.simulator import run_bank
from kouki.sandbox.demo_year.benefit_counter import (
    high_cost_input,
    high_cost_invited,
    medical_input,
    notice_file_name,
)
from kouki.sandbox.demo_year.cast import Cast
from kouki.sandbox.demo_year.channels import Channels, DemoYearError, Due
from kouki.sandbox.union.benefits import UnionBenefits

RELIEF_EVIDENCE = ("form", "ground_fact", "income_last_year", "income_this_year", "savings")
BANKS = (("0001", "001"), ("0005", "001"), ("0009", "001"), ("0017", "104"), ("0010", "101"))


@dataclass
class Desk:
    cast: Cast
    out: Path
    seed: int
    fiscal_year: int
    channels: Channels
    rng: random.Random = field(init=False)
    left_open: set[tuple[int, int]] = field(default_factory=set)  # overpayments kept for the worklist

    def __post_init__(self) -> None:
        self.rng = random.Random(f"demo-desk:{self.seed}")

    def holder_kana(self, person_id: int) -> str:
        v = person_current(person_id)
        if v is None:
            raise ValueError(f"person {person_id}: no current version")
        return to_zengin(f"{v.family_name_kana} {v.given_name_kana}")[:30]

    def account_no(self) -> str:
        return f"{self.rng.randrange(1, 10**7):07d}"

    # ---- refunds -----------------------------------------------------------------------------------
    def refunds(self, on: date) -> int:
        decided = 0
        for o in overpayments_open():
            key = (o.person_id, o.fiscal_year)
            if key in self.left_open or self.rng.random() < 0.25:
                self.left_open.add(key)
                continue
            if not accounts_of(o.person_id, Purpose.REFUND):
                bank, branch = self.rng.choice(BANKS)
                refund_account_register(
                    actor=self.cast.clerk,
                    person_id=o.person_id,
                    bank_code=bank,
                    branch_code=branch,
                    deposit_type=1,
                    account_number=self.account_no(),
                    holder_kana=self.holder_kana(o.person_id),
                    valid_from=on,
                    applied_on=on,
                )
            refund_decide(
                actor=self.cast.supervisor,
                person_id=o.person_id,
                fiscal_year=o.fiscal_year,
                amount=o.amount,
                reason="過誤納金の還付",
                on=on,
            )
            decided += 1
        transfer = on + timedelta(days=5)
        run = refund_transfer_create(
            actor=self.cast.operator,
            transfer_date=transfer,
            outbox=self.out / "bank" / "outbox",
            issued_on=on,
        )
        if run.path is not None:
            result = run_bank(run.path, self.out / "bank" / "inbox", seed=self.seed)
            self.channels._imported(
                import_transfer_result(
                    actor=self.cast.operator, path=result, report_dir=self.out / "rejections"
                )
            )
        return decided

    # ---- reminders and pledges ---------------------------------------------------------------------
    def reminders(self, on: date) -> int:
        return len(
            reminders_issue(actor=self.cast.operator, on=on, out_dir=self.out / "reminders").reminder_ids
        )

    def pledges(self, on: date, people: int = 12) -> int:
        owed: dict[int, int] = defaultdict(int)
        for u in unpaid_instalments(due_before=on):
            owed[u.person_id] += u.unpaid
        chosen = sorted(owed, key=lambda p: (-owed[p], p))[:people]
        for n, pid in enumerate(chosen):
            contact_record(
                actor=self.cast.clerk,
                person_id=pid,
                contacted_on=on,
                channel=ContactChannel.PHONE,
                note="未納について電話で納付を案内。来庁の約束あり",
            )
            half = owed[pid] // 2
            schedule = [(on + timedelta(days=30), half), (on + timedelta(days=60), owed[pid] - half)]
            pledge_make(
                actor=self.cast.clerk,
                person_id=pid,
                made_on=on + timedelta(days=3),
                schedule=schedule,
                note="分納誓約(2回)",
            )
            if n % 3 != 2:  # two in three pay the first part at the counter on the day
                paid_on = schedule[0][0]
                self.channels.later.append((paid_on, Due(pid, None, paid_on, half)))
        return len(chosen)

    def review(self, on: date) -> dict[str, int]:
        return pledges_review(actor=self.cast.operator, on=on)

    # ---- write-offs and a notification -------------------------------------------------------------
    def write_offs(self, on: date) -> int:
        """Two requests on the oldest unpaid instalments of the year: one approved, one left for the
        supervisor's worklist."""
        unpaid = [u for u in unpaid_instalments(due_before=on) if u.fiscal_year == self.fiscal_year]
        asked = 0
        for u in unpaid[:2]:
            req = write_off_request(
                actor=self.cast.clerk, instalment_id=u.instalment_id, amount=u.unpaid, on=on,
                reason="居所不明(住民票の住所に居住の実態なし。実態調査の結果、滞納処分できる財産なし)",
                ground=WriteOffGround.OTHER,
            )  # fmt: skip
            if asked == 0:
                write_off_approve(actor=self.cast.supervisor, request_id=req.pk, on=on, note="調査記録を確認")
            asked += 1
        return asked

    def notification(self, person_id: int, on: date) -> int:
        v = person_current(person_id)
        if v is None:
            raise ValueError(f"person {person_id}: no current version")
        n = notification_enter(
            actor=self.cast.clerk,
            data=NotificationInput(
                person_id=person_id,
                notification_type=NotificationType.ADDRESS_EXCEPTION_START,
                effective_date=on,
                received_on=on,
                identity_documents=frozenset({IdentityDocument.DRIVERS_LICENCE}),
                stated_kana=f"{v.family_name_kana} {v.given_name_kana}",
                stated_birth_date=v.birth_date,
                facility_name="特別養護老人ホーム みどりの郷",
                facility_address="東京都八王子市元本郷町三丁目24番1号",
                note="区域外の施設への入所",
            ),
        )
        return n.pk

    def applications(self, on: date) -> list[int]:
        """A 葬祭費, a 療養費, a 高額療養費 (初回), a 減免 and a 徴収猶予 (confirmed) and a 徴収猶予 awaiting
        再鑑; their 受付票 in documents/. Returns the application ids."""
        made = self._benefits(on)
        dead = _deceased_insured(self.fiscal_year)
        if dead is not None:
            funeral = application_receive(actor=self.cast.clerk, data=ApplicationInput(
                person_id=dead, kind=ApplicationKind.FUNERAL, received_on=on, applicant=Applicant.MOURNER,
                details={"funeral_date": (on - timedelta(days=20)).isoformat(), "mourner_name": "見本 一郎",
                         "mourner_relationship": "長男", "former_insurance": "no"},
                documents=frozenset({"form", "card", "funeral_letter", "account"}),
                identity_documents=frozenset({IdentityDocument.DRIVERS_LICENCE}), accept_warnings=True,
            ))  # fmt: skip
            application_confirm(
                actor=self.cast.supervisor, application_id=funeral.pk, note="会葬礼状・口座と照合"
            )
            made.append(funeral.pk)
        owed: dict[int, list[int]] = defaultdict(list)
        for u in unpaid_instalments(due_before=on):
            if u.fiscal_year == self.fiscal_year:
                owed[u.person_id].append(u.instalment_id)
        people = sorted(owed, key=lambda p: (-len(owed[p]), p))[:3]
        relief_kinds = (ApplicationKind.PREMIUM_REDUCTION, ApplicationKind.PREMIUM_DEFERRAL,
                        ApplicationKind.PREMIUM_DEFERRAL)  # fmt: skip
        for n, (pid, kind) in enumerate(zip(people, relief_kinds, strict=False)):
            # 事由3 (失業): last year's 合計所得 of the household and this year's after losing the job
            details: dict[str, object] = {"ground": "3", "prior_income": 2_400_000,
                                          "expected_income": 600_000}
            if kind == ApplicationKind.PREMIUM_DEFERRAL:
                details["months"] = 3
            relief = application_receive(actor=self.cast.clerk, data=ApplicationInput(
                person_id=pid, kind=kind, received_on=on, applicant=Applicant.SELF, details=details,
                documents=frozenset(RELIEF_EVIDENCE),
                instalment_ids=tuple(owed[pid][-2:]),
                identity_documents=frozenset({IdentityDocument.DRIVERS_LICENCE}), accept_warnings=True,
            ))  # fmt: skip
            if n < 2:  # the second 徴収猶予 waits for its 再鑑
                application_confirm(
                    actor=self.cast.supervisor, application_id=relief.pk, note="離職票・収入と照合"
                )
            made.append(relief.pk)
        for pk in made:  # the applicant's 受付票, printed at the counter (recorded like the screen's)
            receipt = application_receipt_print(actor=self.cast.clerk, application_id=pk)
            (self.out / "documents").mkdir(parents=True, exist_ok=True)
            (self.out / "documents" / f"uketsukehyo-{pk}.pdf").write_bytes(receipt)
        return made


    def _benefits(self, on: date) -> list[int]:
        """A 療養費 and a first 高額療養費 of living insured people, confirmed (see benefit_counter)."""
        living = set(PersonVersion.objects.filter(is_current=True, status=PersonStatus.RESIDENT)
                     .values_list("person_id", flat=True)) & insured_person_ids_on(on)  # fmt: skip
        if not living:
            return []
        made: list[int] = []
        first = min(living)
        medical = application_receive(actor=self.cast.clerk, data=medical_input(first, on))
        application_confirm(actor=self.cast.supervisor, application_id=medical.pk, note="領収書・明細と照合")
        made.append(medical.pk)
        union = UnionBenefits(self.out / "union-state", seed=self.seed)
        months = [date(on.year, on.month, 1) - timedelta(days=31 * k) for k in range(2, 6)]
        invited = high_cost_invited(union, living - {first}, [m.replace(day=1) for m in months])
        if invited is not None:
            pid, month = invited
            bank, branch = self.rng.choice(BANKS)
            account = PaymentAccount(bank, branch, 1, self.account_no(), self.holder_kana(pid))
            high = application_receive(actor=self.cast.clerk, data=high_cost_input(pid, on, month, account))
            application_confirm(
                actor=self.cast.supervisor, application_id=high.pk, note="申請勧奨通知・口座と照合"
            )
            made.append(high.pk)
        return made


def application_receipt_print(*, actor: Actor, application_id: int) -> bytes:
    """The 受付票 PDF of an application, its print recorded (as the screen does)."""
    pdf = RECEIPT_KIND.render([receipt_data(Application.objects.get(pk=application_id))])
    application_receipt_printed(actor=actor, application_id=application_id)
    return pdf


def _deceased_insured(fiscal_year: int) -> int | None:
    """Someone insured during the year who has since died (the register's current state)."""
    dead = set(PersonVersion.objects.filter(is_current=True, status=PersonStatus.DECEASED)
               .values_list("person_id", flat=True))  # fmt: skip
    ever = set()
    for month in (4, 7, 10, 1):
        ever |= set(insured_person_ids_on(date(fiscal_year + (month < 4), month, 1)))
    both = sorted(dead & ever)
    return both[0] if both else None


def applications_round_trip(cast: Cast, out: Path, sent_on: date, decided_on: date, seed: int) -> int:
    """The confirmed applications sent to the simulated union (申請情報), decided by it (決定情報 back),
    the decisions taken in and applied, each notice printed into documents/ and the 葬祭費's handed over
    at the counter. Returns the applications decided."""
    outbox = out / "union-benefits" / "outbox"
    sent = applications_send(actor=cast.operator, on=sent_on, outbox=outbox)
    if sent.sent is None:
        return 0
    union = UnionBenefits(out / "union-state", seed=seed)
    union.receive(sent.sent.path)
    medical = medical_expenses_send(actor=cast.operator, month=sent_on, outbox=outbox)  # the 療養費's 審査
    if medical.sent is not None:
        union.receive(medical.sent.path)
    records = union.decide(decided_on)
    for path in union.write_decisions(records, decided_on, out / "union-benefits" / "inbox"):
        outcome = import_benefit_decision(actor=cast.operator, path=path, report_dir=out / "rejections")
        if outcome.outcome == Outcome.REJECTED:
            raise DemoYearError(f"{outcome.file_name}: rejected; report {outcome.report_path}")
    result = applications_decisions_apply(actor=cast.operator)
    for a in Application.objects.filter(status=Status.DECIDED).order_by("pk"):
        notice = notice_document(a, decided_on)
        if notice is None:
            continue
        pdf, name = notice
        (out / "documents" / notice_file_name(name, a.kind, a.pk)).write_bytes(pdf)
        application_notice_printed(actor=cast.clerk, application_id=a.pk)
        if a.kind == ApplicationKind.FUNERAL:
            application_notice_delivered(actor=cast.clerk, application_id=a.pk, how="handed_over",
                                         on=decided_on)  # fmt: skip
    return result.decided
