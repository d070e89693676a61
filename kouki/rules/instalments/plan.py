"""The instalment plan (期割) of one insured person's premium for one fiscal year. Pure.

Steps:
1. Can the premium be deducted from the pension at all (18万 and one-half conditions [S34])?
2. If the person joined mid-year (or recently), when does the deduction start and which months are paid
   directly until then (the city's start table [S34], for the acquisition reasons it covers)?
3. Direct months without a start rule: the city's regular direct months from the month after the
   acquisition on (odd yen in the first [S59]); with none left, one instalment in the month after the
   acquisition (as the start table's last row does).
4. No 仮徴収 without a February deduction: 仮徴収 (April/June/August) is the deduction of someone whose
   pension was deducted in the previous October–March (介護保険法 §140① applied by 高確法 §110: "the
   previous February's amount" [S37]) or who was notified for it after a mid-year entry (§135③, the
   start table [S34]). A deduction starting in April, June or August with a provisional amount of 0 (not
   deducted in February) is replaced by direct payment until September and 本徴収 from October (Miyoshi,
   https://www.miyoshi.i-tokushima.jp/docs/819428.html; 日本年金機構: a resumed deduction starts with
   the October payment, https://www.nenkin.go.jp/faq/jukyu/kyotsu/tenbiki/20140421-04.html).
5. Amounts: direct and pension instalments together split the premium (odd yen in the first); the pension
   share is then deducted as 仮徴収 (given amount, 平準化) and 本徴収 (October carries the odd yen [S38]).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kouki.rules.business_days import BusinessCalendar
from kouki.rules.instalments.config import CityInstalmentRules
from kouki.rules.instalments.direct import direct_instalments, regular_direct_months, split_odd_in_first
from kouki.rules.instalments.model import (
    DirectReason,
    Instalment,
    InstalmentError,
    InstalmentPlan,
    MissingInput,
    MissingParameter,
    YearMonth,
)
from kouki.rules.instalments.pension import (
    PensionInfo,
    deduction_refusal,
    fiscal_pension_months,
    pension_instalments,
    smoothed_provisional,
)
from kouki.rules.instalments.start_table import decide_start

ACQUISITION_REASONS: frozenset[str] = frozenset({"age", "disability", "move_in", "other"})


@dataclass(frozen=True)
class PlanRequest:
    fiscal_year: int
    annual_premium: int
    insured_from: date | None  # None: insured since before the previous fiscal year
    acquisition_reason: str = "age"
    pension: PensionInfo | None = None


@dataclass(frozen=True)
class _Route:
    direct_months: tuple[YearMonth, ...]
    starts: YearMonth | None  # first pension month (may lie in a later FY)
    reason: DirectReason | None


def _regular_months_after(
    fiscal_year: int, acquired: date | None, rules: CityInstalmentRules, why: str
) -> tuple[YearMonth, ...]:
    months = regular_direct_months(fiscal_year, rules)
    if months is None:
        raise MissingParameter(rules.city, ["direct_months"], why)
    if acquired is None:
        return months
    first = YearMonth.of(acquired).next()
    remaining = tuple(ym for ym in months if ym >= first)
    return remaining or (first,)


def pre_october_direct_months(fiscal_year: int, rules: CityInstalmentRules) -> tuple[YearMonth, ...]:
    """The direct months before a deduction that starts in October: the city's own list, or its regular
    direct months from April to September; MissingParameter when neither is known."""
    if rules.pre_october_direct_months is not None:
        return tuple(YearMonth.in_fiscal_year(fiscal_year, m) for m in rules.pre_october_direct_months)
    months = regular_direct_months(fiscal_year, rules)
    if months is None:
        raise MissingParameter(
            rules.city,
            ["direct_months"],
            "no 仮徴収 without a February deduction: paid directly until September",
        )
    return tuple(ym for ym in months if 4 <= ym.month <= 9)


def _without_provisional(route: _Route, req: PlanRequest, rules: CityInstalmentRules) -> _Route:
    """No February deduction (provisional amount 0): direct until September, 本徴収 from October."""
    fy = req.fiscal_year
    starts = route.starts
    if starts is None or starts.fiscal_year != fy or starts.month not in (4, 6, 8):
        return route
    if req.pension is None or req.pension.provisional_amount != 0:
        return route
    direct = tuple(sorted({*route.direct_months, *pre_october_direct_months(fy, rules)}))
    return _Route(direct, YearMonth.in_fiscal_year(fy, 10), DirectReason.NO_FEBRUARY_DEDUCTION)


def _route(req: PlanRequest, rules: CityInstalmentRules) -> _Route:
    fy = req.fiscal_year
    acquired = req.insured_from
    recent = acquired is not None and acquired >= date(fy - 1, 4, 1)
    mid_year = acquired is not None and acquired >= date(fy, 4, 1)
    refusal = deduction_refusal(req.pension, req.annual_premium, rules)
    if refusal is not None:
        why = f"paid directly: {refusal.value}"
        return _Route(_regular_months_after(fy, acquired if mid_year else None, rules, why), None, refusal)
    table_applies = rules.start_table is not None and req.acquisition_reason in rules.start_table_reasons
    if recent and acquired is not None and rules.start_table is not None and table_applies:
        decision = decide_start(rules.start_table, acquired)
        starts = decision.pension_starts
        if starts.fiscal_year < fy:
            return _Route((), YearMonth.in_fiscal_year(fy, 4), None)
        direct = decision.direct_acquisition_fy if mid_year else decision.direct_next_fy
        if starts.fiscal_year > fy:
            return _Route(direct, starts, DirectReason.BEFORE_DEDUCTION_STARTS)
        return _Route(direct, starts, DirectReason.BEFORE_DEDUCTION_STARTS if direct else None)
    if recent:
        why = f"no pension-deduction start rule for acquisition reason {req.acquisition_reason!r}"
        months = _regular_months_after(fy, acquired if mid_year else None, rules, why)
        return _Route(months, None, DirectReason.NO_START_RULE)
    return _Route((), YearMonth.in_fiscal_year(fy, 4), None)


def _validate(req: PlanRequest) -> None:
    if req.annual_premium < 0:
        raise InstalmentError("annual_premium: must not be negative")
    if req.acquisition_reason not in ACQUISITION_REASONS:
        raise InstalmentError(f"acquisition_reason: must be one of {', '.join(sorted(ACQUISITION_REASONS))}")
    if req.insured_from is not None and req.insured_from > date(req.fiscal_year + 1, 3, 31):
        raise InstalmentError("insured_from: after the end of the fiscal year")
    p = req.pension
    if p is not None:
        for name, value in (
            ("annual_amount", p.annual_amount),
            ("care_premium_annual", p.care_premium_annual),
            ("provisional_amount", p.provisional_amount),
            ("previous_annual_premium", p.previous_annual_premium),
        ):
            if value is not None and value < 0:
                raise InstalmentError(f"pension.{name}: must not be negative")


def plan_instalments(req: PlanRequest, rules: CityInstalmentRules, cal: BusinessCalendar) -> InstalmentPlan:
    _validate(req)
    fy = req.fiscal_year
    if req.annual_premium == 0:
        return InstalmentPlan(fy, 0, (), None, None)
    route = _without_provisional(_route(req, rules), req, rules)
    starts = route.starts
    if starts is None or starts.fiscal_year > fy:
        direct = direct_instalments(req.annual_premium, route.direct_months, rules, cal)
        return InstalmentPlan(fy, req.annual_premium, tuple(direct), starts, route.reason)

    first = starts.year * 12 + starts.month
    pension_months = [ym for ym in fiscal_pension_months(fy) if ym.year * 12 + ym.month >= first]
    provisional_count = sum(1 for ym in pension_months if ym.month in (4, 6, 8))
    provisional: list[int] = []
    if provisional_count:
        assert req.pension is not None  # deduction_refusal returned None
        if req.pension.provisional_amount is None:
            raise MissingInput(
                "pension.provisional_amount",
                f"pension deduction runs from {starts.iso()}: 仮徴収 is the previous February's amount "
                "or the amount of the 仮徴収額決定通知書",
            )
        provisional = smoothed_provisional(
            req.pension.provisional_amount,
            provisional_count,
            req.pension.previous_annual_premium if starts.month == 4 else None,
            rules,
        )
    # Direct months before the deduction and the pension months share the premium (odd yen first).
    direct_count = len(route.direct_months)
    shares = split_odd_in_first(
        req.annual_premium, direct_count + len(pension_months), rules.direct_rounding_unit
    )
    direct_total = sum(shares[:direct_count])
    direct = direct_instalments(direct_total, route.direct_months, rules, cal)
    pension, overpayment = pension_instalments(
        fiscal_year=fy,
        starts=starts,
        pension_share=req.annual_premium - direct_total,
        provisional=provisional,
        rules=rules,
        cal=cal,
    )
    instalments = tuple(sorted([*direct, *pension], key=_due_order))
    return InstalmentPlan(fy, req.annual_premium, instalments, starts, route.reason, overpayment)


def _due_order(i: Instalment) -> tuple[date, str]:
    return (i.due_date, str(i.method))  # str() of the StrEnum is its value: "direct" < "pension"
