"""後期高齢者医療 premium engine (保険料): income from revenue, reductions, caps, 月割, child-support levy.

Pure: no Django, no I/O. Public API re-exported here; see engine.py for the order of computation.
"""

from kouki.rules.premium.engine import (
    FORMER_DEPENDANT,
    InvalidHousehold,
    assess_household,
    judge_household,
)
from kouki.rules.premium.household import HouseholdMember, SameMonthRule, insured_months, judgement_date
from kouki.rules.premium.income import (
    IncomeRuleUnknown,
    PersonIncome,
    person_income,
    public_pension_income,
    resident_tax_basic_deduction,
    salary_income,
)
from kouki.rules.premium.parameters import (
    IncomeLevyBand,
    IncomeLevyBandReduction,
    InvalidParameter,
    LevyParameters,
    LocalRule,
    MissingParameters,
    ParameterError,
    PremiumParameters,
)
from kouki.rules.premium.presets import KNOWN_UNIONS, preset_values, resolve_parameters
from kouki.rules.premium.results import MemberPremium, Regime, Step

__all__ = [
    "FORMER_DEPENDANT",
    "KNOWN_UNIONS",
    "HouseholdMember",
    "IncomeLevyBand",
    "IncomeLevyBandReduction",
    "IncomeRuleUnknown",
    "InvalidHousehold",
    "InvalidParameter",
    "LevyParameters",
    "LocalRule",
    "MemberPremium",
    "MissingParameters",
    "ParameterError",
    "PersonIncome",
    "PremiumParameters",
    "Regime",
    "SameMonthRule",
    "Step",
    "assess_household",
    "insured_months",
    "judge_household",
    "judgement_date",
    "person_income",
    "preset_values",
    "public_pension_income",
    "resident_tax_basic_deduction",
    "resolve_parameters",
    "salary_income",
]
