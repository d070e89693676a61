"""Co-payment rate (一部負担割合 1割/2割/3割) of the insured people of one household. Pure; no Django.

Order of the judgement (domain-facts §2 and §9; the pages cited are in tests/rules/test_copayment.py):
1. 所得 of each insured member from revenue with the premium engine's own rules
   (kouki.rules.premium.income.person_income: 公的年金等控除, 所得税法別表第五, 所得金額調整控除), for the
   income year: the calendar year before the August 1 that starts the rate year.
2. 課税所得 for the judgement = 住民税 課税標準額 − 33万 × 16歳未満 − 12万 × 16–18歳 dependants counted for
   that member (the member is the 世帯主 and the children, in the household on 12/31 of the income year,
   have income within the limit — the caller counts only those), not below 0 [Shiso][Kitakyushu].
3. 現役並み (3割): some insured member has that 課税所得 ≥ 145万 [S21][S22] — unless
   a. the 210万 rule: an insured member of the household was born on or after 1945-01-02 and the insured
      members' 旧ただし書所得 (総所得金額等 − 住民税 基礎控除 43万, not below 0) add up to ≤ 210万; the
      household is then not 現役並み, no application needed (domain-facts §9) [Shimada][Kitakyushu];
   b. or the 基準収入額 test (on application, or ex officio where the union knows the revenue) [S21][Ama]:
      收入 of the insured members < 383万 (one insured person) or < 520万 (two or more); one insured person
      with ≥ 383万 also passes when their 収入 with that of the household's 70–74-year-olds (not insured
      here) is < 520万 [S21].
   Otherwise every insured member of the household is 3割.
4. 2割 (一定以上所得, from 2022-10-01): some insured member has 課税所得 (as in 2.) ≥ 28万 and the insured
   members' 年金収入 + その他の合計所得金額 ≥ 200万 (one insured person) or ≥ 320万 (two or more)
   [S19][S20]; その他の合計所得金額 = 給与所得 (after 所得金額調整控除) + other income.
5. Otherwise 1割.

配慮措置 (the increase for 2割 people capped at ¥3,000/month for outpatient care) ended 2025-09-30
[S19][S20]: it changes the amount paid, not the rate; `care_measure_applies` says whether it is in force.

Stated approximations: `other_income` is 所得 already net of expenses; the 基準収入額 test counts it as
收入 (the law counts revenue before expenses). Values not confirmed by a source are fields of CopayRules
and listed in docs/adr/0006-open-values-and-assumptions.md §2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kouki.rules.formatting import yen
from kouki.rules.premium.engine import income_base
from kouki.rules.premium.income import PersonIncome, person_income
from kouki.rules.premium.results import Step
from kouki.rules.wareki import age_on, format_wareki, wareki_calendar_year

YEN_MAN = 10_000


@dataclass(frozen=True)
class CopayRules:
    """Thresholds and dates; the defaults are the law as of 2026 (domain-facts §2, §9)."""

    third_taxable_income: int = 145 * YEN_MAN  # 課税所得 for 3割
    income_test_single: int = 383 * YEN_MAN  # 基準収入額, one insured person (<)
    income_test_multi: int = 520 * YEN_MAN  # two or more, or one with the 70–74 members (<)
    old_proviso_limit: int = 210 * YEN_MAN  # 旧ただし書所得 of the insured members (≤)
    old_proviso_born_from: date = date(1945, 1, 2)  # the 210万 rule: someone insured born on or after
    dependant_under_16: int = 33 * YEN_MAN  # deducted from 課税所得 per dependant under 16
    dependant_16_18: int = 12 * YEN_MAN  # per dependant aged 16–18
    household_senior_ages: tuple[int, int] = (70, 74)  # household members counted in the 520万 variant
    second_taxable_income: int = 28 * YEN_MAN  # 課税所得 for 2割
    second_income_single: int = 200 * YEN_MAN  # 年金収入 + その他の合計所得 (≥)
    second_income_multi: int = 320 * YEN_MAN
    # Deducted from 給与所得 in その他の合計所得金額 for the 2割 test; 0 until a source says otherwise
    # (ADR 0006 §2).
    second_salary_income_reduction: int = 0
    second_from: date = date(2022, 10, 1)  # 2割 introduced
    care_measure_from: date = date(2022, 10, 1)
    care_measure_until: date = date(2025, 9, 30)  # 配慮措置 ended (inclusive)
    year_start_month: int = 8  # the rate year starts on August 1


DEFAULT_COPAY_RULES = CopayRules()


class CopayBasis(StrEnum):
    ACTIVE_LEVEL = "現役並み所得者"
    OLD_PROVISO = "旧ただし書所得210万円以下"
    INCOME_TEST = "基準収入額適用"
    ABOVE_CERTAIN = "一定以上所得者"
    GENERAL = "一般"


@dataclass(frozen=True)
class MemberIncome:
    """One member of the household and their income for the income year (yen).

    insured=False: a household member not insured here; counts only as a 70–74-year-old in the 520万
    variant of the 基準収入額 test.
    """

    person_key: str
    birth_date: date
    public_pension_revenue: int
    salary_revenue: int
    other_income: int
    taxable_income: int  # 住民税 課税標準額 of the income year
    insured: bool = True
    dependants_under_16: int = 0
    dependants_16_18: int = 0


@dataclass(frozen=True)
class CopayDecision:
    rate: int  # 10, 20 or 30 (%)
    basis: CopayBasis
    income_test_applied: bool  # the 基準収入額 test brought a 3割 household below 3割
    reasons: tuple[str, ...] = ()  # which rule decided, in Japanese, for the counter
    steps: tuple[Step, ...] = ()  # the judgement step by step (the counter screen)


def copay_year_start(on: date, rules: CopayRules = DEFAULT_COPAY_RULES) -> date:
    """The August 1 on or before `on` (the start of the rate year)."""
    start = date(on.year, rules.year_start_month, 1)
    return start if on >= start else date(on.year - 1, rules.year_start_month, 1)


def income_year_for(on: date, rules: CopayRules = DEFAULT_COPAY_RULES) -> int:
    """The calendar year whose income decides the rate on `on` (the year before the rate year started)."""
    return copay_year_start(on, rules).year - 1


def care_measure_applies(rate: int, on: date, rules: CopayRules = DEFAULT_COPAY_RULES) -> bool:
    """配慮措置 (cap on the 2割 increase) in force for this rate on this day."""
    return rate == 20 and rules.care_measure_from <= on <= rules.care_measure_until


def dependant_deduction(m: MemberIncome, rules: CopayRules = DEFAULT_COPAY_RULES) -> int:
    """What is deducted from the member's 課税所得 for dependants under 19 (before flooring at 0)."""
    return m.dependants_under_16 * rules.dependant_under_16 + m.dependants_16_18 * rules.dependant_16_18


def judged_taxable_income(m: MemberIncome, rules: CopayRules = DEFAULT_COPAY_RULES) -> int:
    """課税所得 for the judgement: 課税標準額 less the dependant deduction, not below 0."""
    return max(0, m.taxable_income - dependant_deduction(m, rules))


def member_income(m: MemberIncome, income_year: int) -> PersonIncome:
    """所得 of the member by the premium engine's rules (raises IncomeRuleUnknown for unknown years)."""
    return person_income(
        birth_date=m.birth_date,
        income_year=income_year,
        public_pension_revenue=m.public_pension_revenue,
        salary_revenue=m.salary_revenue,
        other_income=m.other_income,
    )


def other_total_income(inc: PersonIncome, rules: CopayRules = DEFAULT_COPAY_RULES) -> int:
    """その他の合計所得金額 = 合計所得金額 − 公的年金等に係る雑所得 (not below 0)."""
    salary = max(0, inc.salary_income - rules.second_salary_income_reduction)
    return max(0, salary + inc.other_income)


def revenue_for_income_test(m: MemberIncome) -> int:
    """収入 for the 基準収入額 test (other income counted as given, see the module)."""
    return m.public_pension_revenue + m.salary_revenue + max(0, m.other_income)


def _man(amount: int) -> str:
    return f"{amount // YEN_MAN}万円" if amount % YEN_MAN == 0 else yen(amount)


@dataclass
class _Judgement:
    """Working state of one household judgement (the steps and reasons as they are found)."""

    insured: list[MemberIncome]
    seniors: list[MemberIncome]
    incomes: dict[str, PersonIncome]
    taxable: dict[str, int]
    on: date
    rules: CopayRules
    steps: list[Step]
    reasons: list[str]

    def step(self, label: str, detail: str, amount: int | None = None, member: str | None = None) -> None:
        self.steps.append(Step(member, label, detail, amount))


def _member_steps(j: _Judgement, m: MemberIncome, income_year: int) -> None:
    inc = j.incomes[m.person_key]
    key = m.person_key
    if m.public_pension_revenue:
        j.step(
            "公的年金等所得",
            f"{income_year}年分 収入 {yen(m.public_pension_revenue)} − 公的年金等控除 "
            f"{yen(inc.pension_deduction)}",
            inc.pension_income,
            key,
        )
    if m.salary_revenue:
        j.step(
            "給与所得",
            f"{income_year}年分 収入 {yen(m.salary_revenue)} − 給与所得控除 {yen(inc.salary_deduction)}"
            + (f" − 所得金額調整控除 {yen(inc.adjustment)}" if inc.adjustment else "")
            + " (所得税法別表第五)",
            inc.salary_income,
            key,
        )
    j.step("総所得金額等", "公的年金等所得 + 給与所得 + その他の所得", inc.total, key)
    j.step("旧ただし書所得", "総所得金額等 − 基礎控除 (0円未満は0円)", income_base(inc), key)
    deduction = dependant_deduction(m, j.rules)
    detail = f"住民税の課税標準額 {yen(m.taxable_income)}"
    if deduction:
        detail += (
            f" − 19歳未満の扶養控除 {yen(deduction)} (16歳未満 {m.dependants_under_16}人 × "
            f"{_man(j.rules.dependant_under_16)}、16〜18歳 {m.dependants_16_18}人 × "
            f"{_man(j.rules.dependant_16_18)})"
        )
    j.step("課税所得(判定用)", detail, j.taxable[key], key)


def _old_proviso_rule(j: _Judgement) -> bool:
    """The 210万 rule: True when it takes the household out of 現役並み (a reason is added)."""
    r = j.rules
    young = [m for m in j.insured if m.birth_date >= r.old_proviso_born_from]
    total = sum(income_base(j.incomes[m.person_key]) for m in j.insured)
    born_from = format_wareki(r.old_proviso_born_from)
    if not young:
        j.step("旧ただし書所得の判定", f"{born_from}以降生まれの被保険者がいないため対象外")
        j.reasons.append(
            f"{born_from}以降生まれの被保険者がいないため、旧ただし書所得{_man(r.old_proviso_limit)}以下の特例は"
            "当たりません"
        )
        return False
    j.step(
        "旧ただし書所得の判定",
        f"{born_from}以降生まれの被保険者がいる世帯: 被保険者の旧ただし書所得の合計 {yen(total)} "
        f"({'≤' if total <= r.old_proviso_limit else '>'} {_man(r.old_proviso_limit)})",
        total,
    )
    if total > r.old_proviso_limit:
        j.reasons.append(
            f"被保険者の旧ただし書所得の合計 {yen(total)} が{_man(r.old_proviso_limit)}を超えるため、"
            f"旧ただし書所得{_man(r.old_proviso_limit)}以下の特例は当たりません"
        )
        return False
    j.reasons.append(
        f"{born_from}以降生まれの被保険者がいて、被保険者の旧ただし書所得(総所得金額等−基礎控除)の合計"
        f" {yen(total)} が{_man(r.old_proviso_limit)}以下のため、現役並み所得者に当たりません(申請は不要です)"
    )
    return True


def _income_test(j: _Judgement, income_test_applied: bool) -> bool:
    """The 基準収入額 test: True when it takes the household out of 現役並み (a reason is added)."""
    r = j.rules
    revenue = sum(revenue_for_income_test(m) for m in j.insured)
    if len(j.insured) == 1:
        passed = revenue < r.income_test_single
        detail = f"被保険者1人の収入 {yen(revenue)} ({'<' if passed else '≥'} {_man(r.income_test_single)})"
        text = f"被保険者の収入 {yen(revenue)} が{_man(r.income_test_single)}未満"
        if not passed and j.seniors:
            with_seniors = revenue + sum(revenue_for_income_test(m) for m in j.seniors)
            lo, hi = r.household_senior_ages
            passed = with_seniors < r.income_test_multi
            detail += (
                f"、世帯の{lo}〜{hi}歳の方を含めた収入 {yen(with_seniors)} "
                f"({'<' if passed else '≥'} {_man(r.income_test_multi)})"
            )
            text = (
                f"被保険者と世帯の{lo}〜{hi}歳の方の収入の合計 {yen(with_seniors)} が"
                f"{_man(r.income_test_multi)}未満"
            )
    else:
        passed = revenue < r.income_test_multi
        detail = (
            f"被保険者{len(j.insured)}人の収入の合計 {yen(revenue)} "
            f"({'<' if passed else '≥'} {_man(r.income_test_multi)})"
        )
        text = f"被保険者の収入の合計 {yen(revenue)} が{_man(r.income_test_multi)}未満"
    j.step("基準収入額の判定", detail, revenue)
    if not passed:
        j.reasons.append(f"{text.removesuffix('未満')}以上のため、基準収入額の適用はありません")
        return False
    if not income_test_applied:
        j.reasons.append(f"{text}ですが、基準収入額適用の申請がないため、現役並み所得者のままです")
        return False
    j.reasons.append(f"{text}のため、基準収入額の適用により現役並み所得者に当たりません")
    return True


def _second_rate(j: _Judgement) -> bool:
    r = j.rules
    if j.on < r.second_from:
        j.step("2割の判定", f"{format_wareki(r.second_from)}より前のため2割の区分はありません")
        j.reasons.append(f"{format_wareki(r.second_from)}より前は2割の区分がないため、1割です")
        return False
    top = max(j.insured, key=lambda m: j.taxable[m.person_key])
    if j.taxable[top.person_key] < r.second_taxable_income:
        j.step("2割の判定", f"課税所得{_man(r.second_taxable_income)}以上の被保険者がいません")
        j.reasons.append(f"課税所得が{_man(r.second_taxable_income)}以上の被保険者がいないため、1割です")
        return False
    total = sum(m.public_pension_revenue + other_total_income(j.incomes[m.person_key], r) for m in j.insured)
    single = len(j.insured) == 1
    limit = r.second_income_single if single else r.second_income_multi
    passed = total >= limit
    who = "被保険者1人" if single else f"被保険者{len(j.insured)}人の合計"
    j.step(
        "2割の判定",
        f"課税所得{_man(r.second_taxable_income)}以上の被保険者({top.person_key})がいる。"
        f"年金収入 + その他の合計所得金額: {who} {yen(total)} ({'≥' if passed else '<'} {_man(limit)})",
        total,
    )
    if passed:
        j.reasons.append(
            f"課税所得が{_man(r.second_taxable_income)}以上の被保険者({top.person_key})がいて、"
            f"年金収入+その他の合計所得金額{'' if single else 'の合計'} {yen(total)} が"
            f"{_man(limit)}以上のため、2割です"
        )
    else:
        j.reasons.append(
            f"課税所得が{_man(r.second_taxable_income)}以上の被保険者はいますが、年金収入+その他の合計所得金額"
            f"{'' if single else 'の合計'} {yen(total)} が{_man(limit)}未満のため、1割です"
        )
    return passed


def household_copay(
    members: Sequence[MemberIncome],
    *,
    on: date,
    income_test_applied: bool = True,
    rules: CopayRules = DEFAULT_COPAY_RULES,
) -> CopayDecision:
    """The rate of every insured member of one household on `on` (the rate year of `on`, its income year).

    members: the household; those with insured=False count only as 70–74-year-olds for the 基準収入額
    test. income_test_applied: the 基準収入額 application was made (or the union applies it ex officio).
    Raises ValueError without an insured member, IncomeRuleUnknown for an income year whose 給与所得 rules
    are not implemented.
    """
    insured = [m for m in members if m.insured]
    if not insured:
        raise ValueError("a household without insured members has no co-payment rate")
    income_year = income_year_for(on, rules)
    lo, hi = rules.household_senior_ages
    seniors = [m for m in members if not m.insured and lo <= age_on(m.birth_date, on) <= hi]
    j = _Judgement(
        insured=insured,
        seniors=seniors,
        incomes={m.person_key: member_income(m, income_year) for m in members},
        taxable={m.person_key: judged_taxable_income(m, rules) for m in insured},
        on=on,
        rules=rules,
        steps=[],
        reasons=[],
    )
    start = copay_year_start(on, rules)
    end = date(start.year + 1, start.month, 1) - timedelta(days=1)
    j.step(
        "判定の年度",
        f"{format_wareki(start)}〜{format_wareki(end)}の負担割合: "
        f"{wareki_calendar_year(income_year)}({income_year}年)中の所得で判定",
    )
    for m in insured:
        _member_steps(j, m, income_year)
    for m in seniors:
        j.step("収入", f"世帯の{lo}〜{hi}歳の方(被保険者ではない)", revenue_for_income_test(m), m.person_key)
    top = max(insured, key=lambda m: j.taxable[m.person_key])
    top_taxable = j.taxable[top.person_key]
    active = top_taxable >= rules.third_taxable_income
    j.step(
        "現役並み所得の判定",
        f"被保険者の課税所得の最高 {yen(top_taxable)} ({top.person_key}) "
        f"({'≥' if active else '<'} {_man(rules.third_taxable_income)})",
        top_taxable,
    )
    exception: CopayBasis | None = None
    if active:
        j.reasons.append(
            f"課税所得が{_man(rules.third_taxable_income)}以上の被保険者({top.person_key}、"
            f"{yen(top_taxable)})がいる世帯です"
        )
        if _old_proviso_rule(j):
            exception = CopayBasis.OLD_PROVISO
        elif _income_test(j, income_test_applied):
            exception = CopayBasis.INCOME_TEST
        else:
            j.reasons.append("世帯の被保険者全員が現役並み所得者として3割です")
            j.step("結果", "3割 (現役並み所得者)")
            return CopayDecision(30, CopayBasis.ACTIVE_LEVEL, False, tuple(j.reasons), tuple(j.steps))
    else:
        j.reasons.append(
            f"課税所得が{_man(rules.third_taxable_income)}以上の被保険者がいないため、現役並み所得者に"
            "当たりません"
        )
    second = _second_rate(j)
    rate = 20 if second else 10
    basis = exception or (CopayBasis.ABOVE_CERTAIN if second else CopayBasis.GENERAL)
    j.step("結果", f"{rate // 10}割 ({basis.value})")
    return CopayDecision(rate, basis, exception is CopayBasis.INCOME_TEST, tuple(j.reasons), tuple(j.steps))
