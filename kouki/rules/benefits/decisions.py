"""What the union decides on one application: 療養費, 葬祭費, 高額療養費, 保険料の減免 and 徴収猶予. Pure.

The simulated union (kouki.sandbox.union.benefits) calls these; the facts are domain-facts-next §1–§2.
Every decision is a `Decision`: the result (支給 / 一部支給 / 不支給 / 却下), the amount decided (paid,
reduced or deferred; never negative, never above what was claimed), the base it was computed from and
the reason of anything but a grant in full. Checks come in a fixed order, the application's own
defects first: time limit (却下), missing documents (却下), then the substance (不支給 / 一部).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kouki.rules.benefits.codes import (
    ApplicationKind,
    DecisionReason,
    DecisionResult,
    Document,
    ReliefEvidence,
    ReliefGround,
)
from kouki.rules.benefits.high_cost import MemberRefund

CLAIM_YEARS = 2  # 時効: 2 years from the day after the right day (domain-facts-next §1 [R4][R6][R10])
FUNERAL_AMOUNT_SAITAMA = 50_000  # 葬祭費, Saitama (domain-facts-next §1 「葬祭費」 [R6][R7])


@dataclass(frozen=True)
class Decision:
    result: DecisionResult
    amount: int  # yen: paid (給付), reduced (減免) or deferred (猶予); 0 when refused or dismissed
    base_amount: int  # 算定基礎額: what the amount was computed from
    reason: DecisionReason | None  # None for a grant in full
    percent: int = 0  # 減免率 (%)
    months: int = 0  # 猶予期間 (months)

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("a decided amount is never negative")
        if (self.result is DecisionResult.GRANTED) != (self.reason is None):
            raise ValueError("a grant in full has no reason; every other result has one")


def _refused(
    reason: DecisionReason, base: int = 0, result: DecisionResult = DecisionResult.REFUSED
) -> Decision:
    return Decision(result, 0, base, reason)


def claim_deadline(right_date: date) -> date:
    """The last day to claim: 2 years counted from the day after the right day (民法 §140, §143: the
    period ends on the day before the anniversary of the day after, i.e. the anniversary of the right
    day; a 29 February with no anniversary ends on the last day of February)."""
    year = right_date.year + CLAIM_YEARS
    try:
        return right_date.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def within_time_limit(right_date: date, received_on: date) -> bool:
    return received_on <= claim_deadline(right_date)


def _defects(within_limit: bool, missing: frozenset[Document]) -> Decision | None:
    if not within_limit:
        return _refused(DecisionReason.TIME_LIMIT, result=DecisionResult.DISMISSED)
    if missing:
        return _refused(DecisionReason.DOCUMENTS_MISSING, result=DecisionResult.DISMISSED)
    return None


def copayment_ten_yen(cost: int, percent: int) -> int:
    """一部負担金相当額 of a 療養費: cost × 負担割合, 10円未満四捨五入 (the counter's rounding of
    一部負担金; an assumption for 療養費, ADR 0006 issue 12 §2)."""
    return (cost * percent + 500) // 1000 * 10


@dataclass(frozen=True)
class MedicalExpenseClaim:
    """療養費: what the applicant paid (10割) and what the union assessed as the 保険診療相当額."""

    claimed: int  # 申請額: what was paid
    assessed_cost: int  # 保険診療相当額 the union's 審査 arrives at
    copay_percent: int  # 10 / 20 / 30
    missing: frozenset[Document]
    within_limit: bool
    insured: bool  # insured on the right day


def medical_expense_decision(claim: MedicalExpenseClaim) -> Decision:
    """The insurer's share of the lower of the claimed and the assessed cost (domain-facts-next §1
    「療養費」)."""
    defect = _defects(claim.within_limit, claim.missing)
    if defect is not None:
        return defect
    if not claim.insured:
        return _refused(DecisionReason.NOT_INSURED)
    cost = max(0, min(claim.claimed, claim.assessed_cost))
    paid = max(0, cost - copayment_ten_yen(cost, claim.copay_percent))
    if paid == 0:
        return _refused(DecisionReason.ASSESSED_LOWER, cost)
    if cost < claim.claimed:
        return Decision(DecisionResult.PARTIAL, paid, cost, DecisionReason.ASSESSED_LOWER)
    return Decision(DecisionResult.GRANTED, paid, cost, None)


@dataclass(frozen=True)
class FuneralClaim:
    death_key: str  # the deceased (insured number) and the day of death: one 葬祭費 per death
    claimed: int
    former_insurer_pays: bool  # the former employee insurance pays (death within 3 months of leaving it)
    missing: frozenset[Document]
    within_limit: bool
    insured: bool  # the deceased was insured on the day of death


def funeral_decision(
    claim: FuneralClaim, *, already_paid: bool, amount: int = FUNERAL_AMOUNT_SAITAMA
) -> Decision:
    """葬祭費 (domain-facts-next §1 「葬祭費」 [R6][R7][R8]): the fixed amount (at most what was claimed),
    once per death, not when the former employee insurance pays."""
    defect = _defects(claim.within_limit, claim.missing)
    if defect is not None:
        return defect
    if not claim.insured:
        return _refused(DecisionReason.NOT_INSURED, amount)
    if claim.former_insurer_pays:
        return _refused(DecisionReason.OTHER_INSURER, amount)
    if already_paid:
        return _refused(DecisionReason.ALREADY_PAID, amount)
    paid = max(0, min(amount, claim.claimed))
    if paid == 0:
        return _refused(DecisionReason.ASSESSED_LOWER, amount)
    return Decision(DecisionResult.GRANTED, paid, amount, None)


def funeral_decisions(
    claims: Sequence[FuneralClaim], paid_deaths: frozenset[str] = frozenset(),
    *, amount: int = FUNERAL_AMOUNT_SAITAMA,
) -> list[Decision]:  # fmt: skip
    """Claims decided in order: the first grantable claim for a death is paid, later ones refused."""
    paid = set(paid_deaths)
    out = []
    for claim in claims:
        decision = funeral_decision(claim, already_paid=claim.death_key in paid, amount=amount)
        if decision.amount > 0:
            paid.add(claim.death_key)
        out.append(decision)
    return out


def high_cost_decision(member: MemberRefund, *, missing: frozenset[Document], within_limit: bool,
                       insured: bool) -> Decision:  # fmt: skip
    """高額療養費 of the applicant for the month (kouki.rules.benefits.high_cost gives the refund)."""
    defect = _defects(within_limit, missing)
    if defect is not None:
        return defect
    if not insured:
        return _refused(DecisionReason.NOT_INSURED, member.copayment)
    if member.refund <= 0:
        return _refused(DecisionReason.WITHIN_LIMIT, member.copayment)
    return Decision(DecisionResult.GRANTED, min(member.refund, member.copayment), member.copayment, None)


_INCOME_EVIDENCE = frozenset({ReliefEvidence.GROUND_FACT, ReliefEvidence.INCOME_LAST_YEAR,
                              ReliefEvidence.INCOME_THIS_YEAR, ReliefEvidence.SAVINGS})  # fmt: skip


@dataclass(frozen=True)
class ReliefCriteria:
    """How the union judges 減免 and 徴収猶予. Saitama's thresholds and rates are not public
    (domain-facts-next §2 [NOT FOUND]): the defaults are the simulated union's own assumptions (ADR 0006,
    issue 12 §2), except the 6-month 猶予 [R24][R25] and the 50/70/100 % disaster rates [R27]."""

    income_fall_percent: int = (
        30  # grounds 1–4: this year's expected 合計所得 at least 30 % below last year's
    )
    income_ceiling: int = 10_000_000  # grounds 1–4: last year's 合計所得 above it → not met
    # grounds 1–4: 減免率 by last year's 合計所得 (the first tier whose ceiling it does not exceed)
    income_tiers: tuple[tuple[int, int], ...] = (
        (3_000_000, 100), (4_000_000, 80), (5_500_000, 60), (7_500_000, 40), (10_000_000, 20),
    )  # fmt: skip
    # ground 5: 減免率 by damage (% of the house's or goods' value), the first tier met
    disaster_tiers: tuple[tuple[int, int], ...] = ((50, 100), (40, 70), (30, 50))
    other_ground_percent: int = 0  # ground 6: what the 広域連合長 recognises (none unless configured)
    deferral_max_months: int = 6  # 徴収猶予: up to 6 months (条例第17条 [R24][R25])
    # the evidence each ground needs ([R28] typical evidence; the same list as the counter's checklist,
    # kouki.rules.applications.GROUND_EVIDENCE): a ground's evidence missing → 却下
    evidence: tuple[tuple[ReliefGround, frozenset[ReliefEvidence]], ...] = (
        *((g, _INCOME_EVIDENCE) for g in (ReliefGround.DEATH, ReliefGround.ILLNESS, ReliefGround.BUSINESS,
                                          ReliefGround.CROP)),
        (ReliefGround.DISASTER, frozenset({ReliefEvidence.DISASTER_CERTIFICATE})),
        (ReliefGround.OTHER, frozenset({ReliefEvidence.GROUND_FACT})),
    )  # fmt: skip

    def evidence_of(self, ground: ReliefGround) -> frozenset[ReliefEvidence]:
        return next((e for g, e in self.evidence if g is ground), frozenset())


DEFAULT_RELIEF_CRITERIA = ReliefCriteria()


@dataclass(frozen=True)
class ReliefClaim:
    ground: ReliefGround
    amount: int  # 減免: the year's premium concerned; 猶予: the instalments to defer
    prior_income: int  # last year's 合計所得 of the insured and the 生計維持者
    expected_income: int  # this year's expected 合計所得
    damage_percent: int  # ground 5: the damage as % of the value
    months_requested: int  # 猶予
    missing: frozenset[Document]
    # the ground's evidence presented (証拠書類の内訳); None: not carried (only the 添付書類 flag is judged)
    evidence: frozenset[ReliefEvidence] | None = None


def relief_judgement(
    claim: ReliefClaim, criteria: ReliefCriteria = DEFAULT_RELIEF_CRITERIA
) -> tuple[int, DecisionReason | None]:
    """(減免率, why it is 0): the percent the criteria give a claim and, when none, the reason."""
    if claim.ground is ReliefGround.DISASTER:
        percent = next((p for least, p in criteria.disaster_tiers if claim.damage_percent >= least), 0)
        return percent, None if percent else DecisionReason.DAMAGE_SHORT
    if claim.ground is ReliefGround.OTHER:
        percent = criteria.other_ground_percent
        return percent, None if percent else DecisionReason.CRITERIA_NOT_MET
    prior = claim.prior_income
    if prior <= 0:
        return 0, DecisionReason.INCOME_FALL_SHORT  # no income last year: nothing fell
    if prior > criteria.income_ceiling:
        return 0, DecisionReason.INCOME_ABOVE_CEILING
    if (prior - claim.expected_income) * 100 < criteria.income_fall_percent * prior:
        return 0, DecisionReason.INCOME_FALL_SHORT
    percent = next((p for ceiling, p in criteria.income_tiers if prior <= ceiling), 0)
    return percent, None if percent else DecisionReason.INCOME_ABOVE_CEILING


def relief_percent(claim: ReliefClaim, criteria: ReliefCriteria = DEFAULT_RELIEF_CRITERIA) -> int:
    """The 減免率 the criteria give a claim (0: not met). 猶予 is granted when it is above 0."""
    return relief_judgement(claim, criteria)[0]


def relief_decision(kind: ApplicationKind, claim: ReliefClaim,
                    criteria: ReliefCriteria = DEFAULT_RELIEF_CRITERIA) -> Decision:  # fmt: skip
    """減免 (amount × 減免率, 1円未満切捨て) or 徴収猶予 (the amount for up to `deferral_max_months`)."""
    if claim.missing:
        return _refused(DecisionReason.DOCUMENTS_MISSING, claim.amount, DecisionResult.DISMISSED)
    if claim.evidence is not None and criteria.evidence_of(claim.ground) - claim.evidence:
        return _refused(DecisionReason.EVIDENCE_MISSING, claim.amount, DecisionResult.DISMISSED)
    found, why = relief_judgement(claim, criteria)
    percent = min(100, max(0, found))
    if percent == 0:
        return _refused(why or DecisionReason.CRITERIA_NOT_MET, claim.amount)
    if kind is ApplicationKind.REDUCTION:
        reduced = max(0, claim.amount) * percent // 100
        if percent == 100:
            return Decision(DecisionResult.GRANTED, reduced, claim.amount, None, percent=percent)
        return Decision(
            DecisionResult.PARTIAL, reduced, claim.amount, DecisionReason.PARTLY_MET, percent=percent
        )
    if kind is not ApplicationKind.DEFERRAL:
        raise ValueError(f"not a relief kind: {kind}")
    requested = max(1, claim.months_requested)
    months = min(requested, criteria.deferral_max_months)
    deferred = max(0, claim.amount)
    if months < requested:
        return Decision(
            DecisionResult.PARTIAL, deferred, claim.amount, DecisionReason.PARTLY_MET, months=months
        )
    return Decision(DecisionResult.GRANTED, deferred, claim.amount, None, months=months)
