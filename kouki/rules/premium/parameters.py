"""Parameters of the premium engine for one union and fiscal year, and how they are resolved from the
national facts, a union preset and explicit overrides. Pure; no Django, no I/O.

Key names are the ones of `kouki calc premium` (docs/interfaces/calc-premium.md). Resolution merges
national facts ⊕ union preset ⊕ overrides key by key (nested objects key by key too). A value that is not
known is never guessed: `MissingParameters` lists every missing key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from kouki.rules.premium.household import SameMonthRule
from kouki.rules.premium.rounding import ALLOWED_UNITS


class ParameterError(ValueError):
    """Base class of parameter errors (the CLI turns them into exit 2)."""


class MissingParameters(ParameterError):
    def __init__(self, fiscal_year: int, union: str | None, missing: Sequence[str]) -> None:
        self.fiscal_year = fiscal_year
        self.union = union
        self.missing = tuple(missing)
        who = f"union {union!r}" if union else "no union preset"
        super().__init__(
            f"premium parameters for fiscal year {fiscal_year} ({who}) are incomplete; supply these in "
            f'"parameters": {", ".join(self.missing)}'
        )


class InvalidParameter(ParameterError):
    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"parameters.{key}: {reason}")


@dataclass(frozen=True)
class LevyParameters:
    """One levy (the medical part, or from FY2026 the child-support levy).

    均等割, 所得割率, cap and the three roundings.
    """

    per_capita_levy: int
    income_levy_rate: Decimal
    annual_cap: int
    reduced_per_capita_rounding: int
    income_levy_rounding: int
    premium_rounding: int


@dataclass(frozen=True)
class ReductionThresholds:
    """均等割軽減 thresholds of the fiscal year (施行令 §18), and the 給与所得者等 definition."""

    base: int  # 43万 (7割: base + per_earner × (k − 1))
    per_earner: int  # 10万 per 給与所得者等 beyond the first (k counted only if ≥ 2)
    per_insured_50: int  # 5割: + this × N
    per_insured_20: int  # 2割: + this × N
    salary_earner_over: int  # 給与収入 > this → 給与所得者等
    pension_earner_over_under_65: int  # 公的年金等収入 > this (under 65) → 給与所得者等
    pension_earner_over_65: int  # … (65 or over)
    senior_pension_deduction: int  # 15万 off 65+ pension income, for the reduction test only


@dataclass(frozen=True)
class LowIncomeRate:
    """A lower 所得割率 for 賦課のもととなる所得金額 ≤ max_income_base (FY2024 only)."""

    rate: Decimal
    max_income_base: int


@dataclass(frozen=True)
class TransitionalCap:
    """A lower cap (FY2024: 73万) for people born on or before a date, and for those insured by 障害認定.

    FY2024 (静岡県後期高齢者医療広域連合, https://shizuoka-ki.jp/hokenryo/index2.html , 令和6年度の賦課限度額
    ※2): 73万 for (1) people born on or before 1949-03-31 and (2) people insured by the 障害認定 of 高確法
    §50(2) on or before 2025-03-31 — except, in (2), people born 1949-04-01 to 1950-03-31 who, after
    turning 75, no longer have an address in the area of the union that made the 障害認定
    (`excluded_born_from` … `excluded_born_to` with HouseholdMember.left_certifying_area_after_75).
    """

    amount: int
    born_on_or_before: date
    disability_entrants: bool
    excluded_born_from: date | None = None
    excluded_born_to: date | None = None

    def excludes(self, birth_date: date, left_certifying_area_after_75: bool) -> bool:
        """The exclusion from the disability route (born in the range and moved away after turning 75)."""
        if self.excluded_born_from is None or self.excluded_born_to is None:
            return False
        in_range = self.excluded_born_from <= birth_date <= self.excluded_born_to
        return in_range and left_certifying_area_after_75


@dataclass(frozen=True)
class FormerDependantRule:
    """被扶養者軽減: 均等割 × share_charged up to the month `months` − 1 after the entry month; no 所得割."""

    share_charged: Decimal
    months: int


class LocalRule(Protocol):
    """A union's own rule adjusting the 所得割額 (e.g. Tokyo's reduction for low incomes)."""

    @property
    def name(self) -> str: ...

    def adjust_income_levy(self, *, income_base: int, income_levy: int) -> int: ...


@dataclass(frozen=True)
class IncomeLevyBand:
    max_income_base: int
    reduction: Decimal  # share of the 所得割額 taken off (0.5 = 50 % off)


@dataclass(frozen=True)
class IncomeLevyBandReduction:
    """所得割額 reduced by the first band whose max_income_base ≥ 賦課のもととなる所得金額 (1円未満切り捨て).

    Tokyo: ≤ 15万 → 50 % off, ≤ 20万 → 25 % off (domain-facts §3 [S63]).
    """

    bands: tuple[IncomeLevyBand, ...]
    name: str = "local_income_levy_reduction"

    def adjust_income_levy(self, *, income_base: int, income_levy: int) -> int:
        for band in sorted(self.bands, key=lambda b: b.max_income_base):
            if income_base <= band.max_income_base:
                return int(Decimal(income_levy) * (1 - band.reduction))
        return income_levy


@dataclass(frozen=True)
class PremiumParameters:
    fiscal_year: int
    medical: LevyParameters
    reduction: ReductionThresholds
    former_dependant: FormerDependantRule
    low_income_rate: LowIncomeRate | None = None
    transitional_cap: TransitionalCap | None = None
    child_support: LevyParameters | None = None
    local_rules: tuple[LocalRule, ...] = field(default_factory=tuple)
    union: str | None = None
    # 同月得喪: the union's 条例 (key same_month_acquisition_and_loss); see SameMonthRule and ADR 0006
    same_month: SameMonthRule = SameMonthRule.NOT_CHARGED


# ---------------------------------------------------------------------------------------------------
# resolution from plain mappings (JSON values)

LEVY_KEYS = (
    "per_capita_levy",
    "income_levy_rate",
    "annual_cap",
    "reduced_per_capita_rounding",
    "income_levy_rounding",
    "premium_rounding",
)
REDUCTION_KEYS = (
    "base",
    "per_earner",
    "per_insured_50",
    "per_insured_20",
    "salary_earner_over",
    "pension_earner_over_under_65",
    "pension_earner_over_65",
    "senior_pension_deduction",
)
TOP_KEYS = (
    *LEVY_KEYS,
    "low_income_rate",
    "transitional_cap",
    "reduction",
    "former_dependant",
    "local_income_levy_reduction",
    "child_support",
    "child_support_from",
    "same_month_acquisition_and_loss",
)


def merge(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Later layers override earlier ones key by key; nested mappings merge key by key too."""
    out: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
                out[key] = merge(out[key], value)
            elif isinstance(value, Mapping):
                out[key] = merge(value)
            else:
                out[key] = value
    return out


def _int(key: str, value: Any, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParameter(key, f"must be an integer number of yen, got {value!r}")
    if value < minimum:
        raise InvalidParameter(key, f"must be ≥ {minimum}, got {value}")
    return int(value)


def _rate(key: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidParameter(key, f'must be a decimal string such as "0.0903", got {value!r}')
    try:
        rate = Decimal(str(value))
    except InvalidOperation:
        raise InvalidParameter(key, f"not a decimal number: {value!r}") from None
    if not (rate.is_finite() and Decimal(0) <= rate < Decimal(1)):
        raise InvalidParameter(key, f"must be between 0 and 1, got {value!r}")
    return rate


def _unit(key: str, value: Any) -> int:
    if isinstance(value, bool) or value not in ALLOWED_UNITS:
        raise InvalidParameter(
            key, f"must be one of {', '.join(map(str, ALLOWED_UNITS))} (yen), got {value!r}"
        )
    return int(value)


def _date(key: str, value: Any) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidParameter(key, f"must be a date YYYY-MM-DD, got {value!r}") from None


def _mapping(key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidParameter(key, f"must be an object, got {value!r}")
    return value


def _unknown_keys(prefix: str, values: Mapping[str, Any], allowed: Sequence[str]) -> None:
    for key in values:
        if key not in allowed:
            raise InvalidParameter(f"{prefix}{key}", f"unknown key (known: {', '.join(allowed)})")


def _levy(prefix: str, values: Mapping[str, Any], missing: list[str]) -> LevyParameters | None:
    _unknown_keys(prefix, values, LEVY_KEYS)
    absent = [f"{prefix}{k}" for k in LEVY_KEYS if values.get(k) is None]
    if absent:
        missing.extend(absent)
        return None
    return LevyParameters(
        per_capita_levy=_int(f"{prefix}per_capita_levy", values["per_capita_levy"]),
        income_levy_rate=_rate(f"{prefix}income_levy_rate", values["income_levy_rate"]),
        annual_cap=_int(f"{prefix}annual_cap", values["annual_cap"], minimum=1),
        reduced_per_capita_rounding=_unit(
            f"{prefix}reduced_per_capita_rounding", values["reduced_per_capita_rounding"]
        ),
        income_levy_rounding=_unit(f"{prefix}income_levy_rounding", values["income_levy_rounding"]),
        premium_rounding=_unit(f"{prefix}premium_rounding", values["premium_rounding"]),
    )


def _reduction(values: Any, missing: list[str]) -> ReductionThresholds | None:
    values = _mapping("reduction", values if values is not None else {})
    _unknown_keys("reduction.", values, REDUCTION_KEYS)
    absent = [f"reduction.{k}" for k in REDUCTION_KEYS if values.get(k) is None]
    if absent:
        missing.extend(absent)
        return None
    return ReductionThresholds(**{k: _int(f"reduction.{k}", values[k]) for k in REDUCTION_KEYS})


def _former_dependant(values: Any, missing: list[str]) -> FormerDependantRule | None:
    values = _mapping("former_dependant", values if values is not None else {})
    _unknown_keys("former_dependant.", values, ("share_charged", "months"))
    absent = [f"former_dependant.{k}" for k in ("share_charged", "months") if values.get(k) is None]
    if absent:
        missing.extend(absent)
        return None
    return FormerDependantRule(
        _rate("former_dependant.share_charged", values["share_charged"]),
        _int("former_dependant.months", values["months"], minimum=1),
    )


def _low_income(values: Any, missing: list[str]) -> LowIncomeRate | None:
    if values is None:
        return None
    values = _mapping("low_income_rate", values)
    _unknown_keys("low_income_rate.", values, ("rate", "max_income_base"))
    absent = [f"low_income_rate.{k}" for k in ("rate", "max_income_base") if values.get(k) is None]
    if absent:
        missing.extend(absent)
        return None
    return LowIncomeRate(
        _rate("low_income_rate.rate", values["rate"]),
        _int("low_income_rate.max_income_base", values["max_income_base"]),
    )


def _exclusion(values: Any) -> tuple[date | None, date | None]:
    if values is None:
        return None, None
    values = _mapping("transitional_cap.exclusion", values)
    keys = ("born_from", "born_to")
    _unknown_keys("transitional_cap.exclusion.", values, keys)
    for k in keys:
        if values.get(k) is None:
            raise InvalidParameter(f"transitional_cap.exclusion.{k}", "required when exclusion is given")
    born_from = _date("transitional_cap.exclusion.born_from", values["born_from"])
    born_to = _date("transitional_cap.exclusion.born_to", values["born_to"])
    if born_to < born_from:
        raise InvalidParameter("transitional_cap.exclusion.born_to", "must not be before born_from")
    return born_from, born_to


def _transitional(values: Any) -> TransitionalCap | None:
    if values is None:
        return None
    values = _mapping("transitional_cap", values)
    keys = ("amount", "born_on_or_before", "disability_entrants")
    _unknown_keys("transitional_cap.", values, (*keys, "exclusion"))
    for k in keys:
        if values.get(k) is None:
            raise InvalidParameter(f"transitional_cap.{k}", "required when transitional_cap is given")
    if not isinstance(values["disability_entrants"], bool):
        raise InvalidParameter("transitional_cap.disability_entrants", "must be true or false")
    born_from, born_to = _exclusion(values.get("exclusion"))
    return TransitionalCap(
        _int("transitional_cap.amount", values["amount"], minimum=1),
        _date("transitional_cap.born_on_or_before", values["born_on_or_before"]),
        values["disability_entrants"],
        born_from,
        born_to,
    )


def _local_rules(values: Any) -> tuple[LocalRule, ...]:
    if values is None or values == []:
        return ()
    if not isinstance(values, list):
        raise InvalidParameter(
            "local_income_levy_reduction", 'must be a list of {"max_income_base": int, "reduction": "0.5"}'
        )
    bands = []
    for i, band in enumerate(values):
        band = _mapping(f"local_income_levy_reduction[{i}]", band)
        _unknown_keys(f"local_income_levy_reduction[{i}].", band, ("max_income_base", "reduction"))
        bands.append(
            IncomeLevyBand(
                _int(f"local_income_levy_reduction[{i}].max_income_base", band.get("max_income_base")),
                _rate(f"local_income_levy_reduction[{i}].reduction", band.get("reduction")),
            )
        )
    return (IncomeLevyBandReduction(tuple(bands)),)


def _same_month(values: Any) -> SameMonthRule:
    """Absent: NOT_CHARGED, the usual 広域連合条例 wording (a union preset states its own)."""
    if values is None:
        return SameMonthRule.NOT_CHARGED
    try:
        return SameMonthRule(values)
    except ValueError:
        known = ", ".join(f'"{r.value}"' for r in SameMonthRule)
        reason = f"must be one of {known}, got {values!r}"
        raise InvalidParameter("same_month_acquisition_and_loss", reason) from None


def parameters_from_values(
    fiscal_year: int, values: Mapping[str, Any], *, union: str | None = None
) -> PremiumParameters:
    """Build the parameters from merged plain values; raise MissingParameters listing every gap."""
    _unknown_keys("", values, TOP_KEYS)
    missing: list[str] = []
    medical = _levy("", {k: values.get(k) for k in LEVY_KEYS}, missing)
    reduction = _reduction(values.get("reduction"), missing)
    former = _former_dependant(values.get("former_dependant"), missing)
    child_from = values.get("child_support_from")
    child: LevyParameters | None = None
    if child_from is not None and fiscal_year >= _int("child_support_from", child_from):
        child = _levy("child_support.", _mapping("child_support", values.get("child_support") or {}), missing)
    elif values.get("child_support") is not None:
        raise InvalidParameter(
            "child_support",
            f"the child-support levy does not exist in fiscal year {fiscal_year} (it starts in FY2026)",
        )
    if child_from is None:
        missing.append("child_support_from")
    low = _low_income(values.get("low_income_rate"), missing)
    transitional = _transitional(values.get("transitional_cap"))
    local = _local_rules(values.get("local_income_levy_reduction"))
    same_month = _same_month(values.get("same_month_acquisition_and_loss"))
    if missing:
        raise MissingParameters(fiscal_year, union, missing)
    assert medical is not None and reduction is not None and former is not None
    return PremiumParameters(
        fiscal_year=fiscal_year,
        medical=medical,
        reduction=reduction,
        former_dependant=former,
        low_income_rate=low,
        transitional_cap=transitional,
        child_support=child,
        local_rules=local,
        union=union,
        same_month=same_month,
    )
