"""The simulated union's benefit side (給付・減免・猶予): only files cross.

    benefits = UnionBenefits(state_dir, seed=7)
    benefits.receive(path)                     # 申請情報 / 療養費関連情報 (all or nothing; once per file)
    records = benefits.decide(on)              # every application it can decide
    records += benefits.high_cost_month(month, on)     # automatic 高額療養費 of people with an account
    records += benefits.outpatient_year(year_end, on)  # the annual 外来 cap (一般, 8/1–7/31)
    paths = benefits.write_decisions(records, on, out_dir)   # 決定情報, one file per municipality

It decides by the pure rules (kouki.rules.benefits): 療養費 once its 療養費関連情報 has arrived (the
insurer's share of the assessed cost at the person's co-payment rate; refused when documents are
missing), 葬祭費 (the fixed amount, once per death, not when the former employee insurance pays),
高額療養費 (two steps, 多数回 from the 4th time in 12 months, the 2割 配慮措置, the annual 外来 cap),
減免 and 猶予 by `ReliefCriteria`.

What the union knows that the files do not carry is synthetic, from the seed (the simulator's own
assumptions, ADR 0006 issue 12 §2): each insured person's 所得区分 (`InsuredProfile`; the co-payment
rate follows it), their monthly medical costs (`monthly_costs`: 10割, multiples of 10円) and the
保険診療相当額 its 審査 accepts for a 療養費 (mostly the amount paid, sometimes less). A caller (a test, a
replayed year) can give the profiles and costs instead. Everyone is insured unless a profile says
otherwise; a household is the person alone unless profiles share a household key. Payment is
`payment_days` after the decision (Saitama's payment calendar is not public).
"""

from __future__ import annotations

import calendar
import json
import random
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kouki.core.config import high_cost_tables
from kouki.interfaces.union.application_info import ApplicationInfoRecord, parse_application_info
from kouki.interfaces.union.benefit_decision import BenefitDecisionRecord, dump_benefit_decision
from kouki.interfaces.union.files import BENEFIT_CITY_TO_UNION, union_file_name
from kouki.interfaces.union.medical_expense_info import MedicalExpenseInfoRecord, parse_medical_expense_info
from kouki.rules.benefits.certificates import (
    CertificateDecision,
    combined_decision,
    limit_certificate_decision,
    long_stay_decision,
    specified_disease_decision,
)
from kouki.rules.benefits.codes import (
    CERTIFICATE_KINDS,
    MEDICAL_EXPENSE_KINDS,
    ApplicationKind,
    DecisionResult,
    documents_of,
    evidence_of,
    is_paid,
    missing_documents,
)
from kouki.rules.benefits.decisions import (
    DEFAULT_RELIEF_CRITERIA,
    FUNERAL_AMOUNT_SAITAMA,
    Decision,
    FuneralClaim,
    MedicalExpenseClaim,
    ReliefClaim,
    ReliefCriteria,
    funeral_decision,
    high_cost_decision,
    medical_expense_decision,
    relief_decision,
    within_time_limit,
)
from kouki.rules.benefits.high_cost import (
    COPAY_PERCENT,
    IncomeClass,
    LimitTable,
    MemberCosts,
    TableUnknown,
    annual_outpatient_refund,
    table_for,
)
from kouki.rules.benefits.many_times import (
    MonthResult,
    household_months,
    month_index,
    month_of_index,
    outpatient_still_borne,
)
from kouki.rules.claim_limits import claim_in_time, high_cost_event_day
from kouki.sandbox.union.reductions import record_reduction
from kouki.sandbox.union.simulator import UnionFileRejected, read_new_file
from kouki.sandbox.union.state import record_from_json, record_to_json, write_json

BENEFITS_FILE = "union-benefits.json"
HISTORY_MONTHS = 24  # 多数回 is judged from this many months before (or the first month of the table)
# 所得区分 of the synthetic insured (an assumption: roughly the shares of the 後期 population)
CLASS_WEIGHTS: tuple[tuple[IncomeClass, int], ...] = (
    (IncomeClass.GENERAL_1, 45), (IncomeClass.GENERAL_2, 20), (IncomeClass.LOW_2, 17), (IncomeClass.LOW_1, 8),
    (IncomeClass.ACTIVE_1, 6), (IncomeClass.ACTIVE_2, 2), (IncomeClass.ACTIVE_3, 2),
)  # fmt: skip


@dataclass(frozen=True)
class InsuredProfile:
    income_class: IncomeClass
    household: str  # members with the same key share the household step
    insured_from: date | None = None  # None: insured throughout
    insured_until: date | None = None  # inclusive

    def insured_on(self, day: date) -> bool:
        return (self.insured_from is None or self.insured_from <= day) and (
            self.insured_until is None or day <= self.insured_until
        )


CostSource = Callable[[str, date], MemberCosts]  # (insured_no, first day of the month) → costs


@dataclass
class BenefitsState:
    received: list[str] = field(default_factory=list)  # sha-256 of files taken in
    applications: dict[str, dict[str, Any]] = field(default_factory=dict)  # reception_no → record
    details: dict[str, dict[str, Any]] = field(default_factory=dict)  # reception_no → 療養費関連情報
    decided: dict[str, dict[str, Any]] = field(default_factory=dict)  # reception_no → decision record
    paid_deaths: list[str] = field(default_factory=list)  # "insured_no:death date" of 葬祭費 paid
    accounts: dict[str, str] = field(default_factory=dict)  # insured_no → reception_no that registered it


def _add_months(day: date, months: int) -> date:
    index = month_index(day) + months
    first = month_of_index(index)
    return first.replace(day=min(day.day, calendar.monthrange(first.year, first.month)[1]))


class UnionBenefits:
    def __init__(
        self, state_dir: Path, *, seed: int = 0, criteria: ReliefCriteria = DEFAULT_RELIEF_CRITERIA,
        funeral_amount: int = FUNERAL_AMOUNT_SAITAMA, profiles: Mapping[str, InsuredProfile] | None = None,
        costs: CostSource | None = None, payment_days: int = 20, tables: Sequence[LimitTable] | None = None,
        care_costs: Callable[[str, int], int] | None = None,
    ) -> None:  # fmt: skip
        self.state_dir = Path(state_dir)
        self.seed = seed
        self.criteria = criteria
        self.funeral_amount = funeral_amount
        self.profiles = dict(profiles or {})
        self.costs: CostSource = costs or self.monthly_costs
        # (insured_no, period end year) → the person's 介護 自己負担 of the 高額介護合算 period
        self.care_costs: Callable[[str, int], int] = care_costs or self.annual_care_costs
        self.payment_days = payment_days
        # the limit tables: the built-in ones and KOUKI_HIGH_COST_PARAMETERS (a month with none waits)
        self.tables: tuple[LimitTable, ...] = tuple(tables) if tables is not None else high_cost_tables()
        path = self.state_dir / BENEFITS_FILE
        self.state = (
            BenefitsState(**json.loads(path.read_text(encoding="utf-8")))
            if path.exists()
            else BenefitsState()
        )

    def save(self) -> None:
        write_json(self.state_dir, BENEFITS_FILE, asdict(self.state))

    # ------------------------------------------------------------ what the union knows (synthetic)

    def profile(self, insured_no: str) -> InsuredProfile:
        given = self.profiles.get(insured_no)
        if given is not None:
            return given
        rng = random.Random(f"{self.seed}:{insured_no}:profile")
        classes, weights = zip(*CLASS_WEIGHTS, strict=True)
        return InsuredProfile(rng.choices(classes, weights)[0], insured_no)

    def monthly_costs(self, insured_no: str, month: date) -> MemberCosts:
        """The person's synthetic 医療費 (10割) of a month, from the seed: mostly small outpatient costs,
        sometimes large ones, now and then a stay in hospital."""
        rng = random.Random(f"{self.seed}:{insured_no}:{month:%Y-%m}")
        roll = rng.random()
        if roll < 0.6:
            outpatient = rng.randrange(0, 6_000) * 10
        elif roll < 0.95:
            outpatient = rng.randrange(6_000, 30_000) * 10
        else:
            outpatient = rng.randrange(30_000, 100_000) * 10
        inpatient = rng.randrange(20_000, 150_000) * 10 if rng.random() < 0.08 else 0
        return MemberCosts(insured_no, outpatient, inpatient)

    def assessed_cost(self, reception_no: str, paid: int) -> int:
        """The 保険診療相当額 the union's 審査 accepts: the amount paid (10円未満切捨て), one case in five
        less."""
        rng = random.Random(f"{self.seed}:{reception_no}:assessed")
        if rng.random() < 0.2:
            return paid * rng.randrange(60, 96) // 100 // 10 * 10
        return paid // 10 * 10

    def household_of(self, insured_no: str) -> list[str]:
        key = self.profile(insured_no).household
        members = {n for n, p in self.profiles.items() if p.household == key}
        return sorted(members | {insured_no})

    # ------------------------------------------------------------ files in

    def receive(self, path: Path) -> int:
        """Take in one 申請情報 or 療養費関連情報 file; returns the records taken in (0 when seen before)."""
        new = read_new_file(path, self.state.received, BENEFIT_CITY_TO_UNION,
                            "申請情報・療養費関連情報のファイルではありません")  # fmt: skip
        if new is None:
            return 0
        data, kind, sha = new
        if kind == "application-info":
            applications = parse_application_info(data, path.name)
            if applications.errors:
                raise UnionFileRejected(path.name, applications.errors)
            for a in applications.records:
                self.state.applications.setdefault(a.reception_no, record_to_json(a))
            count = len(applications.records)
        else:
            details = parse_medical_expense_info(data, path.name)
            if details.errors:
                raise UnionFileRejected(path.name, details.errors)
            for d in details.records:
                self.state.details.setdefault(d.reception_no, record_to_json(d))
            count = len(details.records)
        self.state.received.append(sha)
        self.save()
        return count

    def pending(self) -> list[str]:
        """受付番号 of the applications not decided yet (療養費 waiting for their 療養費関連情報 included)."""
        return sorted(set(self.state.applications) - set(self.state.decided))

    # ------------------------------------------------------------ deciding

    def decide(self, on: date) -> list[BenefitDecisionRecord]:
        """Decide every pending application that can be decided on `on` (in 受付日, 受付番号 order)."""
        apps = [record_from_json(ApplicationInfoRecord, self.state.applications[n]) for n in self.pending()]
        out = []
        for app in sorted(apps, key=lambda a: (a.received_on, a.reception_no)):
            if app.received_on > on:
                continue
            waiting = app.kind in MEDICAL_EXPENSE_KINDS and app.reception_no not in self.state.details
            if waiting and not self._defective(app):
                continue  # waits for the monthly 療養費関連情報 (a defective one is dismissed at once)
            decision = self._decide(app)
            if decision is None:
                continue
            out.append(self._record(app, decision, on))
        self._keep(out)
        return out

    @staticmethod
    def _defective(app: ApplicationInfoRecord) -> bool:
        """Dismissed whatever the 審査 finds: documents missing or the time limit passed."""
        missing = missing_documents(app.kind, documents_of(app.documents))
        return bool(missing) or not within_time_limit(app.right_date, app.received_on)

    def _decide(self, app: ApplicationInfoRecord) -> Decision | CertificateDecision | None:
        missing = missing_documents(app.kind, documents_of(app.documents))
        within = within_time_limit(app.right_date, app.received_on)
        if app.kind is ApplicationKind.HIGH_COST:  # from the month after the care month (or the payment)
            within = claim_in_time(high_cost_event_day(app.right_date, app.copay_paid_on), app.received_on)
        profile = self.profile(app.insured_no)
        insured = profile.insured_on(app.death_date or app.right_date)
        if app.kind in MEDICAL_EXPENSE_KINDS:
            detail = self.state.details.get(app.reception_no)
            paid = 0 if detail is None else record_from_json(MedicalExpenseInfoRecord, detail).paid_amount
            return medical_expense_decision(MedicalExpenseClaim(
                claimed=app.amount_claimed, assessed_cost=self.assessed_cost(app.reception_no, paid),
                copay_percent=COPAY_PERCENT[profile.income_class], missing=missing, within_limit=within,
                insured=insured,
            ))  # fmt: skip
        if app.kind is ApplicationKind.FUNERAL:
            death = f"{app.insured_no}:{app.death_date}"
            claim = FuneralClaim(death, app.amount_claimed, app.former_insurer_pays, missing, within, insured)
            decision = funeral_decision(claim, already_paid=death in self.state.paid_deaths,
                                        amount=self.funeral_amount)  # fmt: skip
            if decision.amount > 0:
                self.state.paid_deaths.append(death)
            return decision
        if app.kind is ApplicationKind.HIGH_COST:
            month = app.right_date.replace(day=1)
            try:
                result = self._household_month(app.insured_no, month)
            except TableUnknown:
                return None  # no limit table for the month (yet): left pending, never guessed
            member = next(m for m in result.result.members if m.key == app.insured_no)
            decision = high_cost_decision(member, missing=missing, within_limit=within, insured=insured)
            if not missing and within:
                self.state.accounts[app.insured_no] = app.reception_no  # the account is registered
            return decision
        if app.kind in CERTIFICATE_KINDS or app.kind is ApplicationKind.HIGH_COST_COMBINED:
            return self._decide_certificate(app, profile.income_class, bool(missing), within, insured)
        assert app.ground is not None  # (the layout requires it for 減免・猶予)
        relief = ReliefClaim(
            ground=app.ground, amount=app.amount_claimed, prior_income=app.prior_income,
            expected_income=app.expected_income, damage_percent=app.damage_percent,
            months_requested=app.months_requested, missing=missing,
            evidence=evidence_of(app.relief_evidence),
        )  # fmt: skip
        return relief_decision(app.kind, relief, self.criteria)

    def _decide_certificate(
        self, app: ApplicationInfoRecord, income_class: IncomeClass, missing: bool, within: bool,
        insured: bool,
    ) -> Decision | CertificateDecision | None:
        """限度額・長期入院・特定疾病 from the union's 所得区分 of the household (the profile) and the
        application; 高額介護合算 from the household's year of 医療 and 介護 burdens (None while a month of
        the period has no 高額療養費 table: left pending)."""
        if app.kind is ApplicationKind.LIMIT_CERTIFICATE:
            return limit_certificate_decision(income_class, app.received_on, missing)
        if app.kind is ApplicationKind.LONG_STAY:
            return long_stay_decision(income_class, app.inpatient_days, app.amount_claimed, app.received_on,
                                      missing)  # fmt: skip
        if app.kind is ApplicationKind.SPECIFIED_DISEASE:
            return specified_disease_decision(app.disease, app.received_on, missing)
        try:
            medical = self.annual_medical_burden(app.insured_no, app.period_end_year)
        except TableUnknown:
            return None
        care = sum(self.care_costs(n, app.period_end_year) for n in self.household_of(app.insured_no))
        return combined_decision(income_class, medical, care, missing=missing, within_limit=within,
                                 insured=insured)  # fmt: skip

    def annual_medical_burden(self, insured_no: str, period_end_year: int) -> int:
        """The household's 医療 自己負担 of 8/1–7/31 still borne after the monthly 高額療養費."""
        last = date(period_end_year, 7, 1)
        total = 0
        for i in range(11, -1, -1):
            result = self._household_month(insured_no, month_of_index(month_index(last) - i))
            total += sum(m.copayment - m.refund for m in result.result.members)
        return total

    def annual_care_costs(self, insured_no: str, period_end_year: int) -> int:
        """The person's synthetic 介護保険 自己負担 of the period (yen), from the seed: none for half, else
        up to 600,000円."""
        rng = random.Random(f"{self.seed}:{insured_no}:care:{period_end_year}")
        return 0 if rng.random() < 0.5 else rng.randrange(100, 60_000) * 10

    def high_cost_due(self, insured_no: str, month: date) -> int:
        """The 高額療養費 the union would pay the person for `month` (0: none, or no limit table): what its
        申請勧奨 letter tells a person who has not applied yet (the demo asks it whom to invite)."""
        try:
            result = self._household_month(insured_no, month.replace(day=1))
        except TableUnknown:
            return 0
        return max(0, next(m for m in result.result.members if m.key == insured_no).refund)

    def _household_month(self, insured_no: str, month: date) -> MonthResult:
        members = self.household_of(insured_no)
        first = max(month_index(self.tables[0].first), month_index(month) - HISTORY_MONTHS)
        months = [month_of_index(i) for i in range(first, month_index(month) + 1)]
        results = household_months(self.profile(insured_no).income_class, months,
                                   lambda m: [self.costs(n, m) for n in members], self.tables)  # fmt: skip
        return results[-1]

    def _record(self, app: ApplicationInfoRecord, decided: Decision | CertificateDecision, on: date,
                reception_no: str | None = None) -> BenefitDecisionRecord:  # fmt: skip
        cert = decided if isinstance(decided, CertificateDecision) else None
        d = decided.decision if isinstance(decided, CertificateDecision) else decided
        granted = d.result in (DecisionResult.GRANTED, DecisionResult.PARTIAL)
        paid = granted and is_paid(app.kind, d.amount)
        deferred = granted and app.kind is ApplicationKind.DEFERRAL
        return BenefitDecisionRecord(
            municipality_code=app.municipality_code, reception_no=reception_no or app.reception_no,
            kind=app.kind, addressee_no=app.addressee_no, insured_no=app.insured_no, result=d.result,
            reason=d.reason, amount_claimed=app.amount_claimed, base_amount=d.base_amount,
            amount_decided=d.amount, right_date=app.right_date, decided_on=on,
            payment_date=on + timedelta(days=self.payment_days) if paid else None, notice_date=on,
            payee_account_ref=app.payee_account_ref if paid else "", fiscal_year=app.fiscal_year,
            reduction_percent=d.percent if granted and app.kind is ApplicationKind.REDUCTION else 0,
            deferral_from=app.received_on if deferred else None,
            deferral_until=_add_months(app.received_on, d.months) - timedelta(days=1) if deferred else None,
            recipient_name=app.applicant_name, recipient_postal_code=app.applicant_postal_code,
            recipient_address=app.applicant_address,
            certificate_class=cert.certificate_class if cert else "",
            valid_from=cert.valid_from if cert else None, valid_until=cert.valid_until if cert else None,
        )  # fmt: skip

    def _keep(self, records: list[BenefitDecisionRecord]) -> None:
        for r in records:
            self.state.decided[r.reception_no] = record_to_json(r)
            if r.kind is ApplicationKind.REDUCTION and r.amount_decided > 0:
                # the assessment side lowers the premium and sends the 更正 (kouki.sandbox.union.reductions)
                key = f"{r.municipality_code}:{r.addressee_no}"
                record_reduction(self.state_dir, r.reception_no, key, r.fiscal_year, r.amount_decided)
        self.save()

    def _registered(self) -> list[ApplicationInfoRecord]:
        return [record_from_json(ApplicationInfoRecord, self.state.applications[n])
                for n in sorted(self.state.accounts.values())]  # fmt: skip

    def high_cost_month(self, month: date, on: date) -> list[BenefitDecisionRecord]:
        """高額療養費 of `month` paid automatically to everyone whose account is registered (only amounts
        above 0; a month already decided for the person is skipped), under 受付番号
        KG-<被保険者番号>-<YYYYMM>."""
        month = month.replace(day=1)
        out = []
        for app in self._registered():
            reception_no = f"KG-{app.insured_no}-{month:%Y%m}"
            if reception_no in self.state.decided or app.right_date.replace(day=1) == month:
                continue
            if not self.profile(app.insured_no).insured_on(month):
                continue
            try:
                result = self._household_month(app.insured_no, month)
            except TableUnknown:
                return []  # no limit table for the month (KOUKI_HIGH_COST_PARAMETERS): nothing paid yet
            member = next(m for m in result.result.members if m.key == app.insured_no)
            if member.refund <= 0:
                continue
            d = Decision(DecisionResult.GRANTED, member.refund, member.copayment, None)
            out.append(self._record(_auto(app, month), d, on, reception_no))
        self._keep(out)
        return out

    def outpatient_year(self, year_end: date, on: date) -> list[BenefitDecisionRecord]:
        """The annual 外来 cap for the year 8/1–7/31 ending in `year_end`'s July: 一般Ⅱ/Ⅰ with a registered
        account get what their 外来 still borne after the monthly 高額療養費 exceeds 144,000円
        (kouki.rules.benefits.high_cost.annual_outpatient_refund), under 受付番号 KN-<被保険者番号>-<YYYY>."""
        last = date(year_end.year, 7, 1)
        months = [month_of_index(month_index(last) - i) for i in range(11, -1, -1)]
        try:
            cap_classes = table_for(last, self.tables).annual_cap_classes
        except TableUnknown:
            return []  # no limit table for the year's last month: nothing settled yet
        out = []
        for app in self._registered():
            reception_no = f"KN-{app.insured_no}-{last.year}"
            income_class = self.profile(app.insured_no).income_class
            if reception_no in self.state.decided or income_class not in cap_classes:
                continue
            borne = 0
            for month in months:
                result = self._household_month(app.insured_no, month)
                member = next(m for m in result.result.members if m.key == app.insured_no)
                borne += outpatient_still_borne(self.costs(app.insured_no, month), member, income_class)
            refund = annual_outpatient_refund(income_class, last, borne, self.tables)
            if refund <= 0:
                continue
            d = Decision(DecisionResult.GRANTED, refund, borne, None)
            out.append(self._record(_auto(app, date(last.year, 7, 31)), d, on, reception_no))
        self._keep(out)
        return out

    # ------------------------------------------------------------ files out

    def write_decisions(self, records: list[BenefitDecisionRecord], on: date, out_dir: Path) -> list[Path]:
        """決定情報 files, one per municipality (a second file of the day gets the next serial)."""
        by_city: dict[str, list[BenefitDecisionRecord]] = defaultdict(list)
        for r in records:
            by_city[r.municipality_code].append(r)
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for municipality in sorted(by_city):
            serial = 0
            while (path := out_dir / union_file_name("benefit-decision", municipality, on, serial)).exists():
                serial += 1
            path.write_bytes(dump_benefit_decision(by_city[municipality], created_on=on))
            paths.append(path)
        return paths

    def run(self, on: date, out_dir: Path) -> list[Path]:
        """decide + write_decisions."""
        return self.write_decisions(self.decide(on), on, out_dir)


def _auto(app: ApplicationInfoRecord, right_date: date) -> ApplicationInfoRecord:
    """The registering application, as the base of an automatic payment for another month."""
    return replace(app, right_date=right_date, amount_claimed=0, kind=ApplicationKind.HIGH_COST)


__all__ = ["CostSource", "InsuredProfile", "UnionBenefits"]
