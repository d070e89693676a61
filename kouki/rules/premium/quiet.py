"""The engine's quiet path (`assess_household(..., explain=False)`): the bulk assessment. Pure.

The same computation as engine.assess_member (steps 2–7 of the engine's docstring, in the same order), for
a whole household at once, without the 試算 screen's explanation and with the parameters of the fiscal year
compiled once into whole-yen tables (issue 16 §6: the union's annual assessment of 1.1M insured within 3×
of its I/O floor):

- every rate (Decimal) becomes the exact fraction num/den, so floor(amount × rate) = amount × num // den —
  the same 1円未満切り捨て (rounding.yen_floor) without Decimal arithmetic;
- the reduced 均等割 of every reduction label (7割/5割/2割/none/被扶養者) is computed once per levy with
  rounding.reduced_per_capita (the union's unit);
- the household is judged once per judgement date for the members insured that day (engine.judge_household's
  people, counted the same way), and each member's income once.

Income itself comes from the shared functions of income.py (salary_income, public_pension_income,
income_adjustment, resident_tax_basic_deduction): the law lives there only.
tests/rules/test_premium_explain.py (hypothesis) checks that this path and the explained one give equal
results except `steps`; the premium table tests and the union replays run through it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kouki.rules.premium.household import HouseholdMember, SameMonthRule, month_index, month_label
from kouki.rules.premium.income import (
    income_adjustment,
    public_pension_income,
    resident_tax_basic_deduction,
    salary_income,
    senior_born_on_or_before,
)
from kouki.rules.premium.parameters import LevyParameters, PremiumParameters
from kouki.rules.premium.results import MemberPremium, Regime
from kouki.rules.premium.rounding import reduced_per_capita

FORMER_DEPENDANT = "former_dependant"
_SHARES: tuple[tuple[str, Decimal], ...] = (
    ("70%", Decimal("0.7")), ("50%", Decimal("0.5")), ("20%", Decimal("0.2")), ("none", Decimal(0)),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Levy:
    per_capita: dict[str, int]  # reduction label → full-year 均等割 after the reduction
    num: int  # 所得割率 = num / den
    den: int
    income_rounding: int
    premium_rounding: int
    cap: int


@dataclass(frozen=True, slots=True)
class _Year:
    """One fiscal year's parameters as whole-yen tables."""

    fiscal_year: int
    income_year: int
    start: date  # 賦課期日 (April 1)
    first_month: int  # month index of April
    same_month_charged: bool
    senior_born_on_or_before: date  # 65 or over on 12/31 of the income year
    medical: _Levy
    child: _Levy | None
    low_num: int  # the FY2024 low-income rate (den 0 = none)
    low_den: int
    low_max: int
    fd_months: int
    fd_share_charged: Decimal
    fd_share_remaining_per_label: dict[str, bool]  # does the 被扶養者軽減 beat this household reduction?
    labels: dict[int, str]  # month index → "YYYY-MM" for the months of the fiscal year


def _levy(levy: LevyParameters, p: PremiumParameters, cap: int) -> _Levy:
    per_capita = {
        label: levy.per_capita_levy if share == 0
        else reduced_per_capita(levy.per_capita_levy, 1 - share, levy.reduced_per_capita_rounding)
        for label, share in _SHARES
    }  # fmt: skip
    per_capita[FORMER_DEPENDANT] = reduced_per_capita(
        levy.per_capita_levy, p.former_dependant.share_charged, levy.reduced_per_capita_rounding
    )
    num, den = levy.income_levy_rate.as_integer_ratio()
    return _Levy(per_capita, num, den, levy.income_levy_rounding, levy.premium_rounding, cap)


_COMPILED: dict[int, tuple[PremiumParameters, _Year]] = {}


def _compiled(p: PremiumParameters) -> _Year:
    """The compiled year of these parameters, by identity (hashing the frozen parameters on every household
    would cost more than the assessment; the entry keeps `p` alive, so its id is not reused)."""
    entry = _COMPILED.get(id(p))
    if entry is None or entry[0] is not p:
        if len(_COMPILED) >= 64:
            _COMPILED.clear()
        entry = _COMPILED[id(p)] = (p, _compile(p))
    return entry[1]


def _compile(p: PremiumParameters) -> _Year:
    start = date(p.fiscal_year, 4, 1)
    low = p.low_income_rate
    low_num, low_den = low.rate.as_integer_ratio() if low is not None else (0, 0)
    fd = p.former_dependant
    return _Year(
        fiscal_year=p.fiscal_year,
        income_year=p.fiscal_year - 1,
        start=start,
        first_month=month_index(start),
        same_month_charged=p.same_month == SameMonthRule.CHARGED,
        senior_born_on_or_before=senior_born_on_or_before(p.fiscal_year - 1),
        medical=_levy(p.medical, p, p.medical.annual_cap),
        child=_levy(p.child_support, p, p.child_support.annual_cap) if p.child_support else None,
        low_num=low_num,
        low_den=low_den,
        low_max=low.max_income_base if low is not None else -1,
        fd_months=fd.months,
        fd_share_charged=fd.share_charged,
        fd_share_remaining_per_label={label: share <= 1 - fd.share_charged for label, share in _SHARES},
        labels={i: month_label(i) for i in range(month_index(start), month_index(start) + 12)},
    )


def _judgement_day(m: HouseholdMember, y: _Year) -> date:
    return y.start if m.insured_from is None or m.insured_from <= y.start else m.insured_from


def _insured_on(m: HouseholdMember, day: date) -> bool:
    return m.insured and (m.insured_from is None or m.insured_from <= day) and (
        m.insured_until is None or m.insured_until > day
    )


def _months(m: HouseholdMember, y: _Year) -> tuple[int, int]:
    """(first, last) insured month index of the fiscal year (household.insured_months); last < first: none."""
    first = y.first_month
    start = first if m.insured_from is None else max(first, month_index(m.insured_from))
    end = first + 11
    if m.insured_until is not None:
        loss = month_index(m.insured_until)
        both = m.insured_from is not None and month_index(m.insured_from) == loss
        end = min(end, loss if both and y.same_month_charged else loss - 1)
    return start, end


def _cap(m: HouseholdMember, p: PremiumParameters) -> int:
    """engine.cap_for: the transitional cap by birth date or as a disability entrant."""
    t = p.transitional_cap
    if t is None:
        return p.medical.annual_cap
    if m.birth_date <= t.born_on_or_before or (
        t.disability_entrants and m.disability_entry
        and not t.excludes(m.birth_date, m.left_certifying_area_after_75)
    ):  # fmt: skip
        return min(t.amount, p.medical.annual_cap)
    return p.medical.annual_cap


def _income_levy(base: int, levy: _Levy, num: int, den: int) -> int:
    """所得割額: base × rate, 1円未満切り捨て, then truncated to the union's unit (engine.income_levy)."""
    amount = base * num // den
    return amount // levy.income_rounding * levy.income_rounding


def assess_household_quiet(household: Sequence[HouseholdMember], p: PremiumParameters) -> list[MemberPremium]:
    """engine.assess_household(household, p, explain=False) for a validated household."""
    y = _compiled(p)
    r = p.reduction
    # each member's income: (総所得金額等, 軽減判定所得, 給与所得者等?, 賦課のもととなる所得金額)
    incomes: dict[str, tuple[int, int, bool, int]] = {}
    for m in household:
        senior = m.birth_date <= y.senior_born_on_or_before
        salary = salary_income(m.salary_revenue, y.income_year) if m.salary_revenue > 0 else 0
        pension = public_pension_income(
            m.public_pension_revenue, age_65_or_over=senior, other_income=salary + m.other_income
        )
        adjustment = income_adjustment(salary, pension)
        total = pension + salary - adjustment + m.other_income
        earner = m.salary_revenue > r.salary_earner_over or m.public_pension_revenue > (
            r.pension_earner_over_65 if senior else r.pension_earner_over_under_65
        )
        reduction_total = total - min(r.senior_pension_deduction, pension) if senior else total
        incomes[m.id] = (total, reduction_total, earner, max(0, total - resident_tax_basic_deduction(total)))

    judged_on: dict[date, str] = {}
    results = []
    for member in household:
        if not member.insured:
            continue
        cap = _cap(member, p) if p.transitional_cap is not None else p.medical.annual_cap
        base = incomes[member.id][3]
        if member.insured_from is None and member.insured_until is None:  # insured all year: the usual case
            first, last, day, shared = y.first_month, y.first_month + 11, y.start, True
        else:
            first, last = _months(member, y)
            if last < first:
                results.append(MemberPremium(member.id, "none", 0, 0, 0, 0, 0, cap, (), (), base))
                continue
            day = _judgement_day(member, y)
            shared = _insured_on(member, day)
        reduction = judged_on.get(day) if shared else None
        if reduction is None:
            if len(household) == 1:  # alone: N = 1, the member's own income and 給与所得者等
                _, own_total, earner, _ = incomes[member.id]
                reduction = _reduction(own_total, 1, earner, p) if member.income_declared else "none"
            else:
                reduction = _judge(member, household, incomes, day, p)
            if shared:
                judged_on[day] = reduction
        groups = _groups(member, first, last, reduction, y)
        medical = y.medical
        if member.former_dependant:
            il = 0
        else:
            if y.low_den and base <= y.low_max:  # the FY2024 low-income rate
                il = _income_levy(base, medical, y.low_num, y.low_den)
            else:
                il = _income_levy(base, medical, medical.num, medical.den)
            for rule in p.local_rules:
                il = rule.adjust_income_levy(income_base=base, income_levy=il)
        premium, regimes = _levy_total(groups, medical, il, cap, y.labels)
        child = 0
        if y.child is not None:
            cs = y.child
            cs_il = 0 if member.former_dependant else _income_levy(base, cs, cs.num, cs.den)
            child = _levy_total(groups, cs, cs_il, cs.cap, y.labels)[0]
        results.append(MemberPremium(
            member.id, regimes[0].reduction, regimes[0].per_capita_levy, il, last - first + 1, premium, child,
            cap, regimes, (), base,
        ))  # fmt: skip
    return results


def _judge(
    member: HouseholdMember,
    household: Sequence[HouseholdMember],
    incomes: dict[str, tuple[int, int, bool, int]],
    day: date,
    p: PremiumParameters,
) -> str:
    """engine.judge_household's reduction label: the householder and the members insured on `day`."""
    n = k = total = 0
    declared = True
    for m in household:
        insured = _insured_on(m, day)
        if not (m.householder or insured or m is member):
            continue
        if insured or m is member:
            n += 1
        income = incomes[m.id]
        total += income[1]
        k += income[2]
        declared = declared and m.income_declared
    if not declared:
        return "none"  # an income not known (未申告): no 軽減
    return _reduction(total, n, k, p)


def _reduction(total: int, n: int, k: int, p: PremiumParameters) -> str:
    """The 軽減 for the household's 軽減判定所得 total, N insured and k 給与所得者等 (施行令 §18)."""
    r = p.reduction
    earner_term = r.per_earner * (k - 1) if k >= 2 else 0
    if total <= r.base + earner_term:
        return "70%"
    if total <= r.base + r.per_insured_50 * n + earner_term:
        return "50%"
    if total <= r.base + r.per_insured_20 * n + earner_term:
        return "20%"
    return "none"


def _groups(
    member: HouseholdMember, first: int, last: int, reduction: str, y: _Year
) -> list[tuple[str, int, int]]:
    """engine._month_regimes as (label, first month, number of months)."""
    if not member.former_dependant:
        return [(reduction, first, last - first + 1)]
    start = member.former_dependant_start()
    assert start is not None  # validate_household
    window_end = month_index(start) + y.fd_months - 1
    fd_wins = y.fd_share_remaining_per_label[reduction]
    groups: list[tuple[str, int, int]] = []
    for month in range(first, last + 1):
        label = FORMER_DEPENDANT if (month <= window_end and fd_wins) else reduction
        if groups and groups[-1][0] == label:
            groups[-1] = (label, groups[-1][1], groups[-1][2] + 1)
        else:
            groups.append((label, month, 1))
    return groups


def _levy_total(
    groups: list[tuple[str, int, int]], levy: _Levy, income: int, cap: int, labels: dict[int, str]
) -> tuple[int, tuple[Regime, ...]]:
    """engine._levy_total: Σ over regimes of min(cap, 均等割 + 所得割) × months / 12, then the unit."""
    if len(groups) == 1:  # no 被扶養者軽減 window: the usual case
        label, first, months = groups[0]
        pc = levy.per_capita[label]
        twelfths = min(cap, pc + income) * months
        regimes: tuple[Regime, ...] = (Regime(labels[first], label, pc, months),)
    else:
        regimes = tuple(Regime(labels[first], label, levy.per_capita[label], n) for label, first, n in groups)
        twelfths = sum(min(cap, r.per_capita_levy + income) * r.months for r in regimes)
    return twelfths // 12 // levy.premium_rounding * levy.premium_rounding, regimes
