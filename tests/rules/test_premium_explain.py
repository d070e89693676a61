"""assess_household(explain=False), the bulk assessment's path (issue 4 §5): the same amounts, reductions,
months, regimes and 賦課のもととなる所得金額 as with the explanation; only `steps` is left empty.
Rules: kouki/rules/premium/engine.py (domain-facts §3)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kouki.rules.premium import HouseholdMember, assess_household, person_income, resolve_parameters
from kouki.rules.premium.engine import income_base

FY2026_REDUCTION = {
    "base": 430_000, "per_earner": 100_000, "per_insured_50": 310_000, "per_insured_20": 570_000,
    "salary_earner_over": 650_000, "pension_earner_over_under_65": 600_000,
    "pension_earner_over_65": 1_250_000, "senior_pension_deduction": 150_000,
}  # fmt: skip
PARAMS = [
    resolve_parameters(2024, "saitama"),
    resolve_parameters(2025, "saitama"),
    resolve_parameters(
        2025,
        "saitama",
        {
            "local_income_levy_reduction": [{"max_income_base": 150_000, "reduction": "0.5"}],
            "premium_rounding": 10,
        },
    ),
    resolve_parameters(
        2026,
        "saitama",
        {
            "per_capita_levy": 50_000,
            "income_levy_rate": "0.0950",
            "reduction": FY2026_REDUCTION,
            "child_support": {
                "per_capita_levy": 1_300,
                "income_levy_rate": "0.0026",
                "reduced_per_capita_rounding": 10,
                "income_levy_rounding": 1,
                "premium_rounding": 100,
            },
        },
    ),
]
revenue = st.integers(min_value=0, max_value=12_000_000)
dates = st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 3, 31))


@st.composite
def households(draw: st.DrawFn) -> list[HouseholdMember]:
    members = []
    for i in range(draw(st.integers(min_value=1, max_value=4))):
        start = draw(st.one_of(st.none(), dates))
        after = (start or date(2022, 1, 1)) + timedelta(days=1)
        until = draw(st.one_of(st.none(), st.dates(min_value=after, max_value=date(2028, 3, 31))))
        members.append(HouseholdMember(
            f"m{i}", insured=i == 0 or draw(st.booleans()),
            birth_date=draw(st.dates(min_value=date(1925, 1, 1), max_value=date(1995, 12, 31))),
            householder=i == 0, public_pension_revenue=draw(revenue), salary_revenue=draw(revenue),
            other_income=draw(revenue), former_dependant=start is not None and draw(st.booleans()),
            insured_from=start, insured_until=until, disability_entry=draw(st.booleans()),
            first_insured_from=draw(st.one_of(st.none(), st.dates(
                min_value=date(2008, 4, 1), max_value=start or date(2027, 3, 31)))),
            left_certifying_area_after_75=draw(st.booleans()),
        ))  # fmt: skip
    return members


@settings(max_examples=400, deadline=None)
@given(households(), st.sampled_from(range(len(PARAMS))))
def test_results_identical_with_and_without_explanation(hh: list[HouseholdMember], pi: int) -> None:
    explained = assess_household(hh, PARAMS[pi])
    quiet = assess_household(hh, PARAMS[pi], explain=False)
    assert [r._replace(steps=()) for r in explained] == quiet
    assert all(r.steps == () for r in quiet)
    assert all(r.steps for r in explained)


@settings(max_examples=200, deadline=None)
@given(households(), st.sampled_from(range(len(PARAMS))), st.booleans())
def test_income_base_is_the_members_assessed_base(hh: list[HouseholdMember], pi: int, explain: bool) -> None:
    p = PARAMS[pi]
    members = {m.id: m for m in hh}
    for r in assess_household(hh, p, explain=explain):
        m = members[r.id]
        inc = person_income(
            birth_date=m.birth_date, income_year=p.fiscal_year - 1,
            public_pension_revenue=m.public_pension_revenue, salary_revenue=m.salary_revenue,
            other_income=m.other_income,
        )  # fmt: skip
        assert r.income_base == income_base(inc)


def test_saitama_example_without_explanation() -> None:
    # Saitama R6 算定例 shape: one person, pension 200万 → 所得 90万, base 47万; FY2025 (tests/rules/
    # test_premium_examples.py holds the sourced figures); explain=False must print nothing and agree.
    member = HouseholdMember("A", True, date(1945, 6, 1), True, public_pension_revenue=2_000_000)
    [full] = assess_household([member], PARAMS[1])
    [quiet] = assess_household([member], PARAMS[1], explain=False)
    assert quiet.annual_premium == full.annual_premium and quiet.income_base == 900_000 - 430_000
    assert quiet.steps == () and len(full.steps) >= 4
