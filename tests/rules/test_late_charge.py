"""延滞金 on a premium instalment paid late, pure (issue 10 §4; ADR 0008, ADR 0006 §4).

Worked examples come from city pages that publish the ordinance's formula; where a page shows only the
formula, the expected figures are worked by hand in the test from that formula (each step written out).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.collection.late_charge import (
    LateChargeRules,
    MissingRate,
    Reduction,
    SpecialRate,
    early_period_end,
    late_charge,
)
from kouki.rules.collection.late_charge_rates import (
    MODEL_EARLY_MONTHS,
    TOKYO_WARDS_EARLY_MONTHS,
    rules_for,
)

MODEL = rules_for(MODEL_EARLY_MONTHS)
SHINAGAWA = "https://www.city.shinagawa.tokyo.jp/PC/procedure/procedure-kenkouhoken/procedure-kenkouhoken-osamekata/hpg000022304.html"
KODAIRA = "http://www.city.kodaira.tokyo.jp/kurashi/047/047189.html"


def test_shinagawa_worked_example_three_month_ordinance() -> None:
    # SHINAGAWA: 保険料 100,000円, 納期限 令和3年4月30日, 令和3年10月31日 に全額納付:
    # (100,000×2.5%×92÷365) + (100,000×8.8%×92÷365) = 2,848円 → 2,800円 (100円未満切捨て).
    rules = rules_for(TOKYO_WARDS_EARLY_MONTHS)
    got = late_charge(100_000, date(2021, 4, 30), [], date(2021, 10, 31), rules)
    assert [(s.days, s.percent) for s in got.segments] == [(92, Decimal("2.5")), (92, Decimal("8.8"))]
    assert got.computed == 2848
    assert got.amount == 2800


@pytest.mark.parametrize(
    ("principal", "due", "paid", "days", "computed", "amount"),
    [
        # KODAIRA formula, model ordinance (1 month), 令和7年 2.4 % / 8.7 %:
        # base 50,500 → 50,000; 8/1–8/31 31 days × 2.4 % = 101.92; 9/1–12/10 101 days × 8.7 % = 1,203.70
        (50_500, date(2025, 7, 31), date(2025, 12, 10), 132, 1305, 1300),
        # across the year end: 12/1–12/31 2025 at 2.4 % = 203.84; 2026 1/1–3/31 90 days at 9.1 %
        # (令和8年 特例基準割合 1.8 %, 米沢市/南陽市 pages) = 2,243.84 → 2,447 → 2,400
        (100_000, date(2025, 11, 30), date(2026, 3, 31), 121, 2447, 2400),
        # leap year 2024 still divides by 365:
        # 1/1–1/31 × 2.4 % = 203.84; 2/1–12/31 335 days × 8.7 % = 7,984.93
        (100_000, date(2023, 12, 31), date(2024, 12, 31), 366, 8188, 8100),
        # 保険料額が2,000円未満: no charge (KODAIRA)
        (1_999, date(2025, 4, 30), date(2026, 3, 31), 0, 0, 0),
        # 算出した延滞金が1,000円未満: nothing collected (KODAIRA): 10,000 × 2.4 % × 31 / 365 = 20.38
        (10_000, date(2025, 4, 30), date(2025, 5, 31), 31, 20, 0),
        # paid on the due date: none
        (100_000, date(2025, 4, 30), date(2025, 4, 30), 0, 0, 0),
    ],
)
def test_model_ordinance_table(
    principal: int, due: date, paid: date, days: int, computed: int, amount: int
) -> None:
    got = late_charge(principal, due, [], paid, MODEL)
    assert (got.days, got.computed, got.amount) == (days, computed, amount)


def test_part_payment_reduces_the_base_after_the_payment_day() -> None:
    # The ordinance: a part paid → the base of the later days is the premium less what was paid.
    # 100,000 due 6/30; 40,000 paid 7/20; 60,000 paid 10/31 (2025, 2.4 % / 8.7 %):
    # 7/1–7/20 100,000 × 2.4 % × 20 = 131.51; 7/21–7/31 60,000 × 2.4 % × 11 = 43.40;
    # 8/1–10/31 60,000 × 8.7 % × 92 = 1,315.73 → 1,490 → 1,400
    got = late_charge(
        100_000, date(2025, 6, 30), [Reduction(date(2025, 7, 20), 40_000)], date(2025, 10, 31), MODEL
    )
    assert [(s.base, s.days) for s in got.segments] == [(100_000, 20), (60_000, 11), (60_000, 92)]
    assert (got.computed, got.amount) == (1490, 1400)


@pytest.mark.parametrize(
    ("due", "months", "end"),
    [
        (date(2025, 4, 30), 1, date(2025, 5, 31)),  # 5/1 + 1 month → the day before 6/1
        (date(2025, 1, 30), 1, date(2025, 2, 28)),  # 1/31: no 2/31 → February's last day (民法 §143②)
        (date(2024, 1, 30), 1, date(2024, 2, 29)),
        (date(2025, 7, 15), 1, date(2025, 8, 15)),  # 7/16 → the day before 8/16
        (date(2021, 4, 30), 3, date(2021, 7, 31)),  # SHINAGAWA: 92 days from 5/1
        (date(2025, 12, 31), 1, date(2026, 1, 31)),
    ],
)
def test_early_period_end(due: date, months: int, end: date) -> None:
    assert early_period_end(due, months) == end


def test_a_year_without_a_published_rate_is_refused_naming_it() -> None:
    with pytest.raises(MissingRate) as exc:
        late_charge(100_000, date(2026, 11, 30), [], date(2027, 2, 1), MODEL)
    assert exc.value.years == (2027,)
    assert "2027年" in str(exc.value)


def test_an_unconfigured_ordinance_is_refused() -> None:
    with pytest.raises(ValueError, match="未設定"):
        late_charge(100_000, date(2025, 4, 30), [], date(2025, 9, 1), rules_for(None))


def test_a_special_rate_of_7_3_or_more_gives_the_ordinance_rates() -> None:
    rules = LateChargeRules(early_months=1, special_rates=(SpecialRate(2025, Decimal("7.3"), "test"),))
    assert rules.rates_of(2025) == (Decimal("7.3"), Decimal("14.6"))


# --- properties -------------------------------------------------------------------------------------

DUE = st.dates(date(2021, 1, 1), date(2025, 12, 31))
PRINCIPAL = st.integers(0, 2_000_000)
DAYS = st.integers(0, 500)


@given(PRINCIPAL, DUE, DAYS, DAYS)
def test_monotone_in_days(principal: int, due: date, d1: int, d2: int) -> None:
    a, b = sorted((d1, d2))
    until_a, until_b = due + timedelta(days=a), due + timedelta(days=b)
    if until_b.year > 2026:
        return
    assert late_charge(principal, due, [], until_a, MODEL).computed <= late_charge(
        principal, due, [], until_b, MODEL
    ).computed


@given(PRINCIPAL, PRINCIPAL, DUE, DAYS)
def test_monotone_in_principal(p1: int, p2: int, due: date, days: int) -> None:
    lo, hi = sorted((p1, p2))
    until = due + timedelta(days=days)
    if until.year > 2026:
        return
    assert late_charge(lo, due, [], until, MODEL).amount <= late_charge(hi, due, [], until, MODEL).amount


@given(st.integers(2_000, 2_000_000), DUE, DAYS)
def test_year_split_equals_the_closed_formula_per_year(principal: int, due: date, days: int) -> None:
    """Every day is charged at the rate of its own calendar year: the exact sum equals a day-by-day sum."""
    until = due + timedelta(days=days)
    if until.year > 2026:
        return
    got = late_charge(principal, due, [], until, MODEL)
    base = principal - principal % 1000
    early_end = early_period_end(due, 1)
    exact = Fraction(0)
    d = due + timedelta(days=1)
    while d <= until:
        early, later = MODEL.rates_of(d.year)
        exact += Fraction(base) * Fraction(early if d <= early_end else later)
        d += timedelta(days=1)
    assert got.computed == int(exact / 100 / 365)
    assert sum(s.days for s in got.segments) == (days if base else 0)


@given(st.integers(2_000, 2_000_000), DUE, DAYS, st.integers(0, 500), st.integers(0, 2_000_000))
def test_a_part_payment_never_raises_the_charge(
    principal: int, due: date, days: int, paid_after: int, part: int
) -> None:
    until = due + timedelta(days=days)
    if until.year > 2026:
        return
    paid_on = due + timedelta(days=min(paid_after, days))
    without = late_charge(principal, due, [], until, MODEL)
    with_part = late_charge(principal, due, [Reduction(paid_on, min(part, principal))], until, MODEL)
    assert with_part.computed <= without.computed
    # paid on the last day counted: that day is still charged on the old base
    same = late_charge(principal, due, [Reduction(until, min(part, principal))], until, MODEL)
    assert same.computed == without.computed or until <= due


@given(st.integers(2_000, 2_000_000), DUE, DAYS)
def test_amount_is_cut_to_100_and_zero_under_1000(principal: int, due: date, days: int) -> None:
    until = due + timedelta(days=days)
    if until.year > 2026:
        return
    got = late_charge(principal, due, [], until, MODEL)
    assert got.amount % 100 == 0
    assert got.amount == 0 or got.amount >= 1000
    assert got.computed - 100 < got.amount <= got.computed or got.amount == 0


# 徴収猶予: 「猶予の期間の延滞金は免除」 (Saitama union 条例 第17条; domain-facts-next §2 [R24][R25]).


def test_no_charge_runs_on_the_days_of_a_deferral() -> None:
    # the first table row (50,500 due 2025-07-31, paid 2025-12-10) deferred 8/1–9/30: only 10/1–12/10
    # (71 days at 8.7 %) is charged: 50,000 × 8.7 % × 71 / 365 = 846.16 → under 1,000円, not collected
    got = late_charge(50_500, date(2025, 7, 31), [], date(2025, 12, 10), MODEL,
                      waived=[(date(2025, 8, 1), date(2025, 9, 30))])  # fmt: skip
    assert (got.days, got.computed, got.amount) == (71, 846, 0)
    whole = late_charge(50_500, date(2025, 7, 31), [], date(2025, 12, 10), MODEL,
                        waived=[(date(2025, 7, 1), date(2026, 1, 31))])  # fmt: skip
    assert (whole.days, whole.computed, whole.amount) == (0, 0, 0)


@given(PRINCIPAL, DUE, DAYS, st.integers(-30, 400), st.integers(0, 200))
def test_a_deferral_never_raises_the_charge_and_removes_exactly_its_days(
    principal: int, due: date, days: int, offset: int, length: int
) -> None:
    until = due + timedelta(days=days)
    if until.year > 2026:
        return
    first = due + timedelta(days=offset)
    last = first + timedelta(days=length)
    plain = late_charge(principal, due, [], until, MODEL)
    deferred = late_charge(principal, due, [], until, MODEL, waived=[(first, last)])
    assert deferred.computed <= plain.computed
    charged = {s.start + timedelta(days=i) for s in deferred.segments for i in range(s.days)}
    assert not any(first <= d <= last for d in charged)
    overlap = max(0, (min(last, until) - max(first, due + timedelta(days=1))).days + 1)
    if plain.segments:
        assert deferred.days == plain.days - overlap
