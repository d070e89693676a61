"""The premium breakdown a notice prints (保険料の計算), from the figures of a received assessment and
the union's parameters of its year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.core.signals import setting_changed

from kouki.assessment.models import Assessment
from kouki.core.config import premium_parameter_overrides
from kouki.documents.premium_data import PremiumBreakdown
from kouki.rules.premium import HouseholdMember, PremiumParameters, person_income, resolve_parameters
from kouki.rules.premium.engine import cap_for, income_levy
from kouki.rules.premium.income import resident_tax_basic_deduction

FIGURE_FIELDS = (
    "fiscal_year", "insured_no", "reduction", "per_capita_levy", "income_levy", "income_base", "months",
    "annual_premium", "child_support_levy",
)  # fmt: skip
Revenue = tuple[int, int, int]  # public pension, salary, other income (the year before)
CapFacts = tuple[bool, bool]  # (insured by 障害認定, left the certifying union's area after turning 75)


@dataclass(frozen=True)
class AssessmentFigures:
    """The figures of an assessment that a notice prints."""

    fiscal_year: int
    insured_no: str
    reduction: str
    per_capita_levy: int
    income_levy: int
    income_base: int
    months: int
    annual_premium: int
    child_support_levy: int

    @classmethod
    def of(cls, a: Assessment) -> AssessmentFigures:
        return cls(*(getattr(a, name) for name in FIGURE_FIELDS))


@lru_cache(maxsize=8)
def premium_parameters(fiscal_year: int) -> PremiumParameters:
    """The union's (Saitama) premium parameters of the fiscal year: the presets, with the configured
    values of a year they do not hold (KOUKI_PREMIUM_PARAMETERS, kouki.core.config)."""
    return resolve_parameters(fiscal_year, "saitama", premium_parameter_overrides().get(fiscal_year))


def _forget(*, setting: str, **_: object) -> None:
    if setting == "KOUKI_PREMIUM_PARAMETERS":
        premium_parameters.cache_clear()
        _rate.cache_clear()


setting_changed.connect(_forget, dispatch_uid="kouki.assessment.notice_breakdown")


@lru_cache(maxsize=65536)
def _rate(fiscal_year: int, base: int) -> Decimal:
    params = premium_parameters(fiscal_year)
    return income_levy(base, params.medical, params, medical=True)[1]


def breakdown_from_assessment(
    a: AssessmentFigures,
    params: PremiumParameters,
    revenue: Revenue | None,
    birth_date: date,
    cap_facts: CapFacts = (False, False),
) -> PremiumBreakdown:
    """The printed breakdown of a received assessment (rate and cap from the union's parameters; the cap
    is the person's: the transitional one where it applies, judged as the engine does)."""
    disability, left_after_75 = cap_facts
    cap = cap_for(
        HouseholdMember(a.insured_no, True, birth_date, disability_entry=disability,
                        left_certifying_area_after_75=left_after_75),
        params,
    )  # fmt: skip
    total = 0
    if revenue is not None:
        total = person_income(
            birth_date=birth_date, income_year=a.fiscal_year - 1, public_pension_revenue=revenue[0],
            salary_revenue=revenue[1], other_income=revenue[2],
        ).total  # fmt: skip
    rate = None if a.reduction == "former_dependant" else _rate(a.fiscal_year, a.income_base)
    return PremiumBreakdown(
        per_capita_levy_full=params.medical.per_capita_levy, reduction=a.reduction,
        per_capita_levy=a.per_capita_levy, total_income=total,
        basic_deduction=resident_tax_basic_deduction(total),
        income_base=a.income_base, income_levy_rate=rate, income_levy=a.income_levy,
        annual_cap=cap, months=a.months, annual_premium=a.annual_premium,
        child_support_levy=a.child_support_levy if params.child_support is not None else None,
    )  # fmt: skip
