"""The `kouki calc premium` request and response as plain JSON values (docs/interfaces/calc-premium.md).

Pure: the CLI and the counter's 試算 screen both call `calculate(data)`. Every invalid input raises
`InvalidRequest` naming the field and the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kouki.rules.json_request import InvalidRequest as InvalidRequest  # re-exported: callers catch it here
from kouki.rules.json_request import bool_value as _bool
from kouki.rules.json_request import date_value as _date
from kouki.rules.json_request import yen_value as _yen
from kouki.rules.premium.engine import InvalidHousehold, assess_household
from kouki.rules.premium.household import HouseholdMember
from kouki.rules.premium.income import IncomeRuleUnknown
from kouki.rules.premium.parameters import ParameterError
from kouki.rules.premium.presets import resolve_parameters
from kouki.rules.premium.results import MemberPremium

REQUEST_KEYS = ("fiscal_year", "union", "parameters", "household", "explain")
MEMBER_KEYS = (
    "id",
    "insured",
    "householder",
    "birth_date",
    "public_pension_revenue",
    "salary_revenue",
    "other_income",
    "former_dependant",
    "insured_from",
    "insured_until",
    "disability_entry",
    "first_insured_from",
    "left_certifying_area_after_75",
)
MIN_FISCAL_YEAR = 2008  # the scheme started on 2008-04-01


@dataclass(frozen=True)
class PremiumRequest:
    fiscal_year: int
    union: str | None
    parameters: Mapping[str, Any]
    household: tuple[HouseholdMember, ...]
    explain: bool


def _member(i: int, raw: Any) -> HouseholdMember:
    where = f"household[{i}]"
    if not isinstance(raw, Mapping):
        raise InvalidRequest(f"{where}: must be an object")
    for key in raw:
        if key not in MEMBER_KEYS:
            raise InvalidRequest(f"{where}.{key}: unknown field (known: {', '.join(MEMBER_KEYS)})")
    mid = raw.get("id")
    if not isinstance(mid, str) or not mid:
        raise InvalidRequest(f"{where}.id: required, a non-empty string")
    if "insured" not in raw:
        raise InvalidRequest(f"{where}.insured: required (true or false)")
    birth = _date(f"{where}.birth_date", raw.get("birth_date"), required=True)
    assert birth is not None
    return HouseholdMember(
        id=mid,
        insured=_bool(f"{where}.insured", raw.get("insured"), False),
        birth_date=birth,
        householder=_bool(f"{where}.householder", raw.get("householder"), False),
        public_pension_revenue=_yen(f"{where}.public_pension_revenue", raw.get("public_pension_revenue")),
        salary_revenue=_yen(f"{where}.salary_revenue", raw.get("salary_revenue")),
        other_income=_yen(f"{where}.other_income", raw.get("other_income")),
        former_dependant=_bool(f"{where}.former_dependant", raw.get("former_dependant"), False),
        insured_from=_date(f"{where}.insured_from", raw.get("insured_from"), required=False),
        insured_until=_date(f"{where}.insured_until", raw.get("insured_until"), required=False),
        disability_entry=_bool(f"{where}.disability_entry", raw.get("disability_entry"), False),
        first_insured_from=_date(
            f"{where}.first_insured_from", raw.get("first_insured_from"), required=False
        ),
        left_certifying_area_after_75=_bool(
            f"{where}.left_certifying_area_after_75", raw.get("left_certifying_area_after_75"), False
        ),
    )


def parse_request(data: Any) -> PremiumRequest:
    if not isinstance(data, Mapping):
        raise InvalidRequest("the request must be a JSON object")
    for key in data:
        if key not in REQUEST_KEYS:
            raise InvalidRequest(f"{key}: unknown field (known: {', '.join(REQUEST_KEYS)})")
    fy = data.get("fiscal_year")
    if isinstance(fy, bool) or not isinstance(fy, int) or not MIN_FISCAL_YEAR <= fy <= 2100:
        raise InvalidRequest(f"fiscal_year: required, an integer year from {MIN_FISCAL_YEAR}, got {fy!r}")
    union = data.get("union")
    if union is not None and not isinstance(union, str):
        raise InvalidRequest(f'union: must be a string such as "saitama", got {union!r}')
    parameters = data.get("parameters") or {}
    if not isinstance(parameters, Mapping):
        raise InvalidRequest("parameters: must be an object")
    household = data.get("household")
    if not isinstance(household, list) or not household:
        raise InvalidRequest("household: required, a non-empty list of members")
    members = tuple(_member(i, raw) for i, raw in enumerate(household))
    if not any(m.insured for m in members):
        raise InvalidRequest("household: no member has insured: true")
    return PremiumRequest(fy, union, parameters, members, _bool("explain", data.get("explain"), False))


def member_json(result: MemberPremium, explain: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": result.id,
        "reduction": result.reduction,
        "per_capita_levy": result.per_capita_levy,
        "income_levy": result.income_levy,
        "months": result.months,
        "annual_premium": result.annual_premium,
        "child_support_levy": result.child_support_levy,
    }
    if len(result.regimes) > 1:
        out["per_capita_levy_later"] = [
            {"from_month": r.from_month, "reduction": r.reduction, "per_capita_levy": r.per_capita_levy}
            for r in result.regimes[1:]
        ]
    if explain:
        out["explain"] = [{"step": s.label, "detail": s.detail, "amount": s.amount} for s in result.steps]
    return out


def calculate(data: Any) -> dict[str, Any]:
    """Request JSON value → response JSON value (see docs/interfaces/calc-premium.md)."""
    request = parse_request(data)
    try:
        params = resolve_parameters(request.fiscal_year, request.union, request.parameters)
        results = assess_household(request.household, params)
    except ParameterError as exc:
        raise InvalidRequest(str(exc)) from exc
    except (InvalidHousehold, IncomeRuleUnknown) as exc:
        raise InvalidRequest(f"household: {exc}") from exc
    return {"members": [member_json(r, request.explain) for r in results]}
