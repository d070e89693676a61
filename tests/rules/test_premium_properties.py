"""Property tests of the premium engine (hypothesis).

Monotonicity holds for a change of income that does not change who is a 給与所得者等: the law's
43万 + 10万 × (k − 1) term can lower a household's premium when a member's revenue crosses the earner
threshold (tests/rules/test_premium_engine.py::test_earner_term_only_from_two_earners). So the monotone
property is checked for other income (never an earner criterion) and for single-member households.

A second legal exception: for a person 65 or over, 軽減判定所得 deducts up to 15万 of the pension income
(高確法施行令 §18, domain-facts §3), while more pension revenue can leave 総所得金額等 unchanged (within the
公的年金等控除, and the 所得金額調整控除 offsets the first 10万 of pension income against salary income). One
more yen of pension income can so move a person to a larger reduction and a lower premium
(test_senior_pension_yen_can_lower_the_premium). Monotonicity in pension revenue is checked under 65.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kouki.rules.premium import HouseholdMember, assess_household, resolve_parameters
from kouki.rules.premium.engine import cap_for
from kouki.rules.premium.income import is_65_or_over

TOKYO_BANDS = [
    {"max_income_base": 150_000, "reduction": "0.5"},
    {"max_income_base": 200_000, "reduction": "0.25"},
]
FY2026 = {
    "per_capita_levy": 50_000,
    "income_levy_rate": "0.0950",
    "reduction": {
        "base": 430_000,
        "per_earner": 100_000,
        "per_insured_50": 310_000,
        "per_insured_20": 570_000,
        "salary_earner_over": 650_000,
        "pension_earner_over_under_65": 600_000,
        "pension_earner_over_65": 1_250_000,
        "senior_pension_deduction": 150_000,
    },
    "child_support": {
        "per_capita_levy": 1_300,
        "income_levy_rate": "0.0026",
        "reduced_per_capita_rounding": 10,
        "income_levy_rounding": 1,
        "premium_rounding": 100,
    },
}
PARAMS = [
    resolve_parameters(2023, "saitama"),
    resolve_parameters(2024, "saitama"),
    resolve_parameters(2025, "saitama"),
    resolve_parameters(
        2025,
        "saitama",
        {
            "local_income_levy_reduction": TOKYO_BANDS,
            "premium_rounding": 10,
            "reduced_per_capita_rounding": 1,
        },
    ),
    resolve_parameters(2026, "saitama", FY2026),
]

yen = st.integers(min_value=0, max_value=30_000_000)
small = st.integers(min_value=0, max_value=4_000_000)
births = st.dates(min_value=date(1925, 1, 1), max_value=date(1961, 3, 31))
in_year = st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 3, 31)))


@st.composite
def households(draw: st.DrawFn) -> list[HouseholdMember]:
    n = draw(st.integers(min_value=1, max_value=4))
    members = []
    for i in range(n):
        start = draw(in_year)
        until = draw(
            st.one_of(
                st.none(),
                st.dates(
                    min_value=(start or date(2020, 1, 1)) + timedelta(days=1), max_value=date(2028, 3, 31)
                ),
            )
        )
        former = draw(st.booleans()) and start is not None
        members.append(
            HouseholdMember(
                f"m{i}",
                insured=(i == 0) or draw(st.booleans()),
                birth_date=draw(births),
                householder=(i == 0),
                public_pension_revenue=draw(small),
                salary_revenue=draw(small),
                other_income=draw(small),
                former_dependant=former,
                insured_from=start,
                insured_until=until,
                disability_entry=draw(st.booleans()),
            )
        )
    return members


@settings(max_examples=300, deadline=None)
@given(households(), st.sampled_from(range(len(PARAMS))), st.integers(min_value=1, max_value=30_000_000))
def test_more_other_income_never_lowers_any_premium(hh: list[HouseholdMember], pi: int, extra: int) -> None:
    p = PARAMS[pi]
    before = {r.id: r for r in assess_household(hh, p)}
    richer = [
        m._replace(other_income=m.other_income + extra) if m.id == "m0" else m
        for m in hh
    ]
    after = {r.id: r for r in assess_household(richer, p)}
    for mid, r in before.items():
        assert after[mid].annual_premium >= r.annual_premium
        assert after[mid].child_support_levy >= r.child_support_levy


@settings(max_examples=300, deadline=None)
@given(births, yen, yen, yen, yen, st.sampled_from(range(len(PARAMS))))
def test_single_person_premium_monotone_in_every_revenue(
    born: date, pension: int, salary: int, other: int, extra: int, pi: int
) -> None:
    p = PARAMS[pi]

    def premium(pe: int, sa: int, ot: int) -> int:
        [r] = assess_household([HouseholdMember("A", True, born, True, pe, sa, ot)], p)
        return r.annual_premium

    base = premium(pension, salary, other)
    if not is_65_or_over(born, p.fiscal_year - 1):  # see the module docstring
        assert premium(pension + extra, salary, other) >= base
    assert premium(pension, salary + extra, other) >= base
    assert premium(pension, salary, other + extra) >= base


def test_senior_pension_yen_can_lower_the_premium() -> None:
    # FY2023 Saitama, born 1958-01-01 (65 at the end of 2022), salary 65万 (給与所得 10万), other
    # 620,001円: 総所得金額等 720,001円 → 2割 (5割 ≤ 72万). Pension 1,100,001円: pension income 1円,
    # 所得金額調整控除 1円, 総所得金額等 still 720,001円, but 軽減判定所得 = 720,001 − 1 = 720,000円 → 5割
    # (found by hypothesis).
    p = resolve_parameters(2023, "saitama")
    born = date(1958, 1, 1)
    [without] = assess_household([HouseholdMember("A", True, born, True, 0, 650_000, 620_001)], p)
    senior = HouseholdMember("A", True, born, True, 1_100_001, 650_000, 620_001)
    [with_pension] = assess_household([senior], p)
    assert (without.reduction, without.annual_premium) == ("20%", 59_600)
    assert (with_pension.reduction, with_pension.annual_premium) == ("50%", 46_300)


@settings(max_examples=300, deadline=None)
@given(households(), st.sampled_from(range(len(PARAMS))))
def test_caps_reductions_pro_rating_and_rounding_units(hh: list[HouseholdMember], pi: int) -> None:
    p = PARAMS[pi]
    members = {m.id: m for m in hh}
    for r in assess_household(hh, p):
        m = members[r.id]
        cap = cap_for(m, p)
        assert 0 <= r.annual_premium <= cap
        assert r.annual_premium % p.medical.premium_rounding == 0
        for regime in r.regimes:
            assert regime.per_capita_levy <= p.medical.per_capita_levy
            assert (
                regime.per_capita_levy == p.medical.per_capita_levy
                or regime.per_capita_levy % p.medical.reduced_per_capita_rounding == 0
            )
        if p.child_support is not None:
            assert 0 <= r.child_support_levy <= p.child_support.annual_cap
            assert r.child_support_levy % p.child_support.premium_rounding == 0
        else:
            assert r.child_support_levy == 0
        if m.former_dependant:
            assert r.income_levy == 0
        # the same person insured for the whole year (alone, so the household judgement is unchanged)
        # never pays less than for part of it
        if r.months < 12 and not m.former_dependant:
            alone = {**m._asdict(), "householder": True}
            part = assess_household([HouseholdMember(**alone)], p)[0]
            whole = assess_household(
                [HouseholdMember(**{**alone, "insured_from": None, "insured_until": None})], p
            )[0]
            assert part.annual_premium <= whole.annual_premium


@settings(max_examples=200, deadline=None)
@given(births, small, small, small, st.sampled_from(range(len(PARAMS))))
def test_reductions_only_lower_the_per_capita_levy(
    born: date, pension: int, salary: int, other: int, pi: int
) -> None:
    p = PARAMS[pi]
    [r] = assess_household([HouseholdMember("A", True, born, True, pension, salary, other)], p)
    full = p.medical.per_capita_levy
    shares = {"70%": 3, "50%": 5, "20%": 8, "none": 10}
    assert r.per_capita_levy <= full
    assert full * shares[r.reduction] // 10 - p.medical.reduced_per_capita_rounding < r.per_capita_levy
