"""The premium engine: 均等割 + 所得割 per insured member of a household for one fiscal year. Pure.

Order of computation (each rounding named in kouki.rules.premium.rounding):
1. 所得 from 収入 for each member (income.py) for the income year FY − 1.
2. 均等割軽減 judged per insured member on the judgement date (April 1 or the acquisition date): the sum of
   the 軽減判定所得 of the householder and the members insured that day (65+ pension income less up to
   15万), N = insured members that day, k = 給与所得者等 among those people (counted only if ≥ 2).
   7割 ≤ base + per_earner × (k−1); 5割 ≤ … + per_insured_50 × N; 2割 ≤ … + per_insured_20 × N
   (高確法施行令 §18; domain-facts §3 [S28][S29][S32]).
3. Reduced 均等割 = 均等割 × (1 − reduction), truncated to the union's unit (Saitama 10円).
   被扶養者軽減: 均等割 × 0.5 for the months up to the month in which two years from the first entry into
   後期高齢者医療 (in any union: first_insured_from, else insured_from) have passed (24 months from that
   month), and no 所得割 at all; where the household reduction is larger it applies instead
   (domain-facts §3 [S29][S33][S67], §9). On a tie the label is "former_dependant".
4. 所得割 = (総所得金額等 − 基礎控除) × rate (the FY2024 low-income rate when the base ≤ 58万), truncated to
   the union's unit, then any local rule (Tokyo's reduction).
5. Per regime: min(cap, 均等割 + 所得割); cap = the transitional cap where it applies (FY2024: born on or
   before 1949-03-31, or a disability entrant — except one born 1949-04-01 to 1950-03-31 who, after turning
   75, left the area of the union that made the 障害認定).
6. 月割: Σ over insured months of that full-year amount / 12, truncated to the yen, then the annual premium
   truncated to the union's unit (Saitama 100円). With 12 months this is min(cap, 均等割 + 所得割) truncated,
   which reproduces Saitama's R6 算定例 (tests/rules/test_premium_examples.py).
7. From FY2026 the child-support levy: the same steps with its own 均等割, rate, cap and roundings, the
   same reduction shares and the same 被扶養者 treatment; no low-income rate and no local rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kouki.rules.formatting import percent, yen
from kouki.rules.premium.household import (
    HouseholdMember,
    insured_months,
    judgement_date,
    month_index,
    month_label,
)
from kouki.rules.premium.income import PersonIncome, person_income, resident_tax_basic_deduction
from kouki.rules.premium.parameters import LevyParameters, PremiumParameters
from kouki.rules.premium.quiet import assess_household_quiet
from kouki.rules.premium.results import MemberPremium, Regime, Step
from kouki.rules.premium.rounding import reduced_per_capita, round_down_to, yen_floor


class InvalidHousehold(ValueError):
    """The household cannot be assessed as given (the message names the member and the field)."""


REDUCTION_SHARES: dict[str, Decimal] = {
    "70%": Decimal("0.7"),
    "50%": Decimal("0.5"),
    "20%": Decimal("0.2"),
    "none": Decimal(0),
}
FORMER_DEPENDANT = "former_dependant"


@dataclass(frozen=True)
class HouseholdJudgement:
    reduction: str
    total: int
    insured_count: int
    earners: int
    limits: dict[str, int]


UNDECLARED_NOTE = "、所得未申告の者がいるため軽減なし"


def _is_earner(member: HouseholdMember, inc: PersonIncome, p: PremiumParameters) -> bool:
    r = p.reduction
    pension_limit = r.pension_earner_over_65 if inc.age_65_or_over else r.pension_earner_over_under_65
    return member.salary_revenue > r.salary_earner_over or member.public_pension_revenue > pension_limit


def reduction_income(inc: PersonIncome, p: PremiumParameters) -> int:
    """軽減判定所得: 総所得金額等, less up to 15万 of the pension income of a person 65 or over."""
    if inc.age_65_or_over:
        return inc.total - min(p.reduction.senior_pension_deduction, inc.pension_income)
    return inc.total


def judge_household(
    member: HouseholdMember,
    household: Sequence[HouseholdMember],
    incomes: dict[str, PersonIncome],
    p: PremiumParameters,
) -> HouseholdJudgement:
    day = judgement_date(member, p.fiscal_year)
    counted = [m for m in household if m.householder or m.insured_on(day)]
    if member not in counted:
        counted.append(member)
    n = sum(1 for m in counted if m.insured_on(day) or m is member)
    k = sum(1 for m in counted if _is_earner(m, incomes[m.id], p))
    total = sum(reduction_income(incomes[m.id], p) for m in counted)
    r = p.reduction
    earner_term = r.per_earner * (k - 1) if k >= 2 else 0
    limits = {
        "70%": r.base + earner_term,
        "50%": r.base + r.per_insured_50 * n + earner_term,
        "20%": r.base + r.per_insured_20 * n + earner_term,
    }
    reduction = next((label for label, limit in limits.items() if total <= limit), "none")
    if any(not m.income_declared for m in counted):
        reduction = "none"  # an income not known (未申告): no 軽減 (HouseholdMember.income_declared)
    return HouseholdJudgement(reduction, total, n, k, limits)


def income_base(inc: PersonIncome) -> int:
    """賦課のもととなる所得金額 = 総所得金額等 − 基礎控除 (not below 0)."""
    return max(0, inc.total - resident_tax_basic_deduction(inc.total))


def income_levy(
    base: int, levy: LevyParameters, p: PremiumParameters, *, medical: bool
) -> tuple[int, Decimal]:
    rate = levy.income_levy_rate
    if medical and p.low_income_rate is not None and base <= p.low_income_rate.max_income_base:
        rate = p.low_income_rate.rate
    amount = round_down_to(yen_floor(Decimal(base) * rate), levy.income_levy_rounding)
    if medical:
        for rule in p.local_rules:
            amount = rule.adjust_income_levy(income_base=base, income_levy=amount)
    return amount, rate


def cap_for(member: HouseholdMember, p: PremiumParameters) -> int:
    t = p.transitional_cap
    if t is None:
        return p.medical.annual_cap
    by_birth = member.birth_date <= t.born_on_or_before
    by_disability = (
        t.disability_entrants
        and member.disability_entry
        and not t.excludes(member.birth_date, member.left_certifying_area_after_75)
    )
    if by_birth or by_disability:
        return min(t.amount, p.medical.annual_cap)
    return p.medical.annual_cap


def _per_capita(levy: LevyParameters, reduction: str, p: PremiumParameters) -> int:
    if reduction == FORMER_DEPENDANT:
        return reduced_per_capita(
            levy.per_capita_levy, p.former_dependant.share_charged, levy.reduced_per_capita_rounding
        )
    share = REDUCTION_SHARES[reduction]
    if share == 0:
        return levy.per_capita_levy
    return reduced_per_capita(levy.per_capita_levy, 1 - share, levy.reduced_per_capita_rounding)


def _month_regimes(
    member: HouseholdMember, months: list[int], household_reduction: str, p: PremiumParameters
) -> list[tuple[str, list[int]]]:
    """Group the insured months by the reduction that applies in them."""
    if not member.former_dependant:  # no 被扶養者軽減 window: one group (what the loop below gives)
        return [(household_reduction, list(months))] if months else []
    groups: list[tuple[str, list[int]]] = []
    start = member.former_dependant_start()
    assert start is not None  # validate_household
    window_end = month_index(start) + p.former_dependant.months - 1
    fd_wins = REDUCTION_SHARES[household_reduction] <= 1 - p.former_dependant.share_charged
    for m in months:
        label = FORMER_DEPENDANT if (m <= window_end and fd_wins) else household_reduction
        if groups and groups[-1][0] == label:
            groups[-1][1].append(m)
        else:
            groups.append((label, [m]))
    return groups


def _levy_total(
    groups: list[tuple[str, list[int]]], levy: LevyParameters, income: int, cap: int, p: PremiumParameters
) -> tuple[int, list[Regime]]:
    """Σ over regimes of min(cap, 均等割 + 所得割) × months / 12, truncated to the yen, then rounded."""
    regimes = []
    twelfths = 0
    for label, months in groups:
        pc = _per_capita(levy, label, p)
        regimes.append(Regime(month_label(months[0]), label, pc, len(months)))
        twelfths += min(cap, pc + income) * len(months)
    return round_down_to(twelfths // 12, levy.premium_rounding), regimes


def assess_member(
    member: HouseholdMember,
    household: Sequence[HouseholdMember],
    incomes: dict[str, PersonIncome],
    p: PremiumParameters,
) -> MemberPremium:
    """The premium of one insured member with the 試算 explanation (the bulk path: quiet.py)."""
    steps: list[Step] = []
    mid = member.id
    inc = incomes[mid]
    months = insured_months(member, p.fiscal_year, p.same_month)
    if not months:
        steps.append(Step(mid, "月数", "この年度に被保険者である月はありません", 0))
        return MemberPremium(
            mid, "none", 0, 0, 0, 0, 0, cap_for(member, p), (), tuple(steps), income_base(inc)
        )
    judged = judge_household(member, household, incomes, p)
    steps.append(
        Step(
            mid,
            "軽減判定",
            (
                f"判定日 {judgement_date(member, p.fiscal_year).isoformat()}、"
                f"世帯主と被保険者の軽減判定所得の合計 "
                f"{yen(judged.total)}、被保険者数 {judged.insured_count}、給与所得者等の数 {judged.earners}; "
                f"7割 ≤ {yen(judged.limits['70%'])}、5割 ≤ {yen(judged.limits['50%'])}、"
                f"2割 ≤ {yen(judged.limits['20%'])}"
                f"{UNDECLARED_NOTE if any(not m.income_declared for m in household) else ''}"
                f" → {judged.reduction}"
            ),
            judged.total,
        )
    )
    groups = _month_regimes(member, months, judged.reduction, p)
    base = income_base(inc)
    cap = cap_for(member, p)
    if member.former_dependant:
        il = 0
        steps.append(Step(mid, "被扶養者軽減", _former_dependant_window(member, p), None))
        steps.append(Step(mid, "所得割額", "被扶養者軽減: 所得割はかかりません", 0))
    else:
        il, rate = income_levy(base, p.medical, p, medical=True)
        steps.append(
            Step(
                mid,
                "所得割額",
                (
                    f"(総所得金額等 {yen(inc.total)} − "
                    f"基礎控除 {yen(resident_tax_basic_deduction(inc.total))}) = "
                    f"{yen(base)} × {percent(rate)}"
                    + (" (地方独自の軽減あり)" if p.local_rules else "")
                ),
                il,
            )
        )
    premium, regimes = _levy_total(groups, p.medical, il, cap, p)
    for r in regimes:
        steps.append(
            Step(
                mid,
                "均等割額",
                f"{r.from_month} から {r.months} か月: 軽減 {r.reduction} → 年額 {yen(r.per_capita_levy)}",
                r.per_capita_levy,
            )
        )
    steps.append(
        Step(
            mid,
            "保険料額",
            (
                f"min(賦課限度額 {yen(cap)}, 均等割額 + 所得割額) × {len(months)}/12、"
                f"{p.medical.premium_rounding}円未満切り捨て"
            ),
            premium,
        )
    )
    child = 0
    if p.child_support is not None:
        cs = p.child_support
        cs_il = 0 if member.former_dependant else income_levy(base, cs, p, medical=False)[0]
        child, cs_regimes = _levy_total(groups, cs, cs_il, cs.annual_cap, p)
        cs_pc = " / ".join(yen(r.per_capita_levy) for r in cs_regimes)
        steps.append(
            Step(
                mid,
                "子ども・子育て支援金",
                (
                    f"均等割 {cs_pc} (軽減後、年額)、所得割 {yen(cs_il)}、"
                    f"限度額 {yen(cs.annual_cap)}、"
                    f"{len(months)}/12、{cs.premium_rounding}円未満切り捨て"
                ),
                child,
            )
        )
    return MemberPremium(
        mid,
        regimes[0].reduction,
        regimes[0].per_capita_levy,
        il,
        len(months),
        premium,
        child,
        cap,
        tuple(regimes),
        tuple(steps),
        base,
    )


def _former_dependant_window(member: HouseholdMember, p: PremiumParameters) -> str:
    start = member.former_dependant_start()
    assert start is not None  # validate_household
    last = month_label(month_index(start) + p.former_dependant.months - 1)
    where = "後期高齢者医療の最初の資格取得日" if member.first_insured_from is not None else "資格取得日"
    return (
        f"{where} {start.isoformat()} の月から {p.former_dependant.months} か月 ({last} まで) "
        f"均等割の {percent(p.former_dependant.share_charged)} を負担"
    )


def _income_steps(member: HouseholdMember, inc: PersonIncome, income_year: int) -> list[Step]:
    steps = []
    if member.public_pension_revenue:
        steps.append(
            Step(
                member.id,
                "公的年金等所得",
                (
                    f"{income_year}年分 収入 {yen(member.public_pension_revenue)} − 公的年金等控除 "
                    f"{yen(inc.pension_deduction)} ({'65歳以上' if inc.age_65_or_over else '65歳未満'})"
                ),
                inc.pension_income,
            )
        )
    if member.salary_revenue:
        steps.append(
            Step(
                member.id,
                "給与所得",
                (
                    f"{income_year}年分 収入 {yen(member.salary_revenue)} − "
                    f"給与所得控除 {yen(inc.salary_deduction)}"
                    + (f" − 所得金額調整控除 {yen(inc.adjustment)}" if inc.adjustment else "")
                ),
                inc.salary_income,
            )
        )
    steps.append(Step(member.id, "総所得金額等", "公的年金等所得 + 給与所得 + その他の所得", inc.total))
    return steps


def validate_household(household: Sequence[HouseholdMember], fiscal_year: int) -> None:
    ids = set()
    householders = 0
    for m in household:
        if m.id in ids:
            raise InvalidHousehold(f"member {m.id!r}: id appears more than once")
        ids.add(m.id)
        householders += m.householder
    if householders > 1:
        raise InvalidHousehold("more than one member has householder: true")
    for m in household:
        if m.public_pension_revenue < 0 or m.salary_revenue < 0 or m.other_income < 0:
            name = next(n for n in ("public_pension_revenue", "salary_revenue", "other_income")
                        if getattr(m, n) < 0)  # fmt: skip
            raise InvalidHousehold(f"member {m.id!r}: {name} must not be negative")
        if m.insured_from and m.insured_until and m.insured_until <= m.insured_from:
            raise InvalidHousehold(f"member {m.id!r}: insured_until must be after insured_from")
        if m.insured and m.former_dependant and m.former_dependant_start() is None:
            raise InvalidHousehold(
                f"member {m.id!r}: former_dependant needs first_insured_from (最初の資格取得日) or "
                "insured_from (資格取得日) to count the 24 months of the reduction"
            )
        if m.first_insured_from and m.insured_from and m.first_insured_from > m.insured_from:
            raise InvalidHousehold(
                f"member {m.id!r}: first_insured_from must not be after insured_from "
                "(the first entry into 後期高齢者医療 comes first)"
            )


def assess_household(
    household: Sequence[HouseholdMember], p: PremiumParameters, *, explain: bool = True
) -> list[MemberPremium]:
    """The premium of every insured member of the household for p.fiscal_year.

    explain=False: the same amounts, reductions, months and regimes with `steps` left empty (bulk runs
    skip building the 試算 screen's explanation strings)."""
    validate_household(household, p.fiscal_year)
    if not explain:
        return assess_household_quiet(household, p)  # kouki.rules.premium.quiet: the bulk path
    income_year = p.fiscal_year - 1
    incomes = {
        m.id: person_income(
            birth_date=m.birth_date,
            income_year=income_year,
            public_pension_revenue=m.public_pension_revenue,
            salary_revenue=m.salary_revenue,
            other_income=m.other_income,
        )
        for m in household
    }
    results = []
    for member in household:
        if not member.insured:
            continue
        result = assess_member(member, household, incomes, p)
        steps = (*_income_steps(member, incomes[member.id], income_year), *result.steps)
        results.append(
            MemberPremium(
                result.id,
                result.reduction,
                result.per_capita_levy,
                result.income_levy,
                result.months,
                result.annual_premium,
                result.child_support_levy,
                result.cap,
                result.regimes,
                steps,
                result.income_base,
            )
        )
    return results
