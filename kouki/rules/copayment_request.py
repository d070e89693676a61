"""The `kouki calc copayment` request and response as plain JSON values (docs/interfaces/calc-copayment.md).

Pure: the CLI and the counter's 負担割合の判定 screen both call `calculate(data)`. Every invalid input raises
`InvalidRequest` naming the field and the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kouki.rules.copayment import DEFAULT_COPAY_RULES, CopayDecision, MemberIncome, household_copay
from kouki.rules.json_request import (
    InvalidRequest,
    bool_value,
    check_keys,
    count_value,
    date_value,
    yen_value,
)
from kouki.rules.premium.income import IncomeRuleUnknown
from kouki.rules.premium.results import Step

REQUEST_KEYS = ("as_of", "household", "explain")
MEMBER_KEYS = (
    "id",
    "insured",
    "birth_date",
    "taxable_income",
    "public_pension_revenue",
    "salary_revenue",
    "other_income",
    "dependants_under_16",
    "dependants_16_18",
)
YEN_KEYS = ("taxable_income", "public_pension_revenue", "salary_revenue", "other_income")
# The first judgement year whose income rules are implemented: August 2021 (income year 2020, from which
# the 公的年金等控除, 給与所得控除 and 43万 基礎控除 in kouki.rules.premium.income apply).
FIRST_AS_OF = date(2021, 8, 1)


@dataclass(frozen=True)
class CopayRequest:
    as_of: date
    household: tuple[MemberIncome, ...]
    explain: bool


def _member(i: int, raw: Any) -> MemberIncome:
    where = f"household[{i}]"
    if not isinstance(raw, Mapping):
        raise InvalidRequest(f"{where}: must be an object")
    check_keys(where, raw, MEMBER_KEYS)
    mid = raw.get("id")
    if not isinstance(mid, str) or not mid:
        raise InvalidRequest(f"{where}.id: required, a non-empty string")
    if "insured" not in raw:
        raise InvalidRequest(f"{where}.insured: required (true or false)")
    birth = date_value(f"{where}.birth_date", raw.get("birth_date"), required=True)
    assert birth is not None
    yen = {key: yen_value(f"{where}.{key}", raw.get(key)) for key in YEN_KEYS}
    return MemberIncome(
        person_key=mid,
        birth_date=birth,
        insured=bool_value(f"{where}.insured", raw.get("insured"), False),
        dependants_under_16=count_value(f"{where}.dependants_under_16", raw.get("dependants_under_16")),
        dependants_16_18=count_value(f"{where}.dependants_16_18", raw.get("dependants_16_18")),
        **yen,
    )


def parse_request(data: Any) -> CopayRequest:
    if not isinstance(data, Mapping):
        raise InvalidRequest("the request must be a JSON object")
    check_keys("", data, REQUEST_KEYS)
    as_of = date_value("as_of", data.get("as_of"), required=True)
    assert as_of is not None
    if as_of < FIRST_AS_OF:
        raise InvalidRequest(
            f"as_of: judgement years before {FIRST_AS_OF.isoformat()} (income before 2020) are not "
            f"implemented, got {as_of.isoformat()}"
        )
    household = data.get("household")
    if not isinstance(household, list) or not household:
        raise InvalidRequest("household: required, a non-empty list of members")
    members = tuple(_member(i, raw) for i, raw in enumerate(household))
    ids = [m.person_key for m in members]
    for mid in ids:
        if ids.count(mid) > 1:
            raise InvalidRequest(f"household: id {mid!r} appears more than once")
    for i, m in enumerate(members):
        if m.birth_date > as_of:
            raise InvalidRequest(f"household[{i}].birth_date: after as_of ({m.birth_date.isoformat()})")
    if not any(m.insured for m in members):
        raise InvalidRequest("household: no member has insured: true")
    return CopayRequest(as_of, members, bool_value("explain", data.get("explain"), False))


def judge(request: CopayRequest) -> CopayDecision:
    """The household's decision (the 基準収入額 is taken as applied: see the interface document)."""
    try:
        return household_copay(request.household, on=request.as_of, rules=DEFAULT_COPAY_RULES)
    except IncomeRuleUnknown as exc:
        raise InvalidRequest(f"household: {exc}") from exc


def step_json(step: Step) -> dict[str, Any]:
    return {"member": step.member, "step": step.label, "detail": step.detail, "amount": step.amount}


def calculate(data: Any) -> dict[str, Any]:
    """Request JSON value → response JSON value (see docs/interfaces/calc-copayment.md)."""
    request = parse_request(data)
    decision = judge(request)
    members = []
    for m in request.household:
        if not m.insured:
            continue
        out: dict[str, Any] = {
            "id": m.person_key,
            "rate": f"{decision.rate}%",
            "reasons": list(decision.reasons),
        }
        if request.explain:
            out["explain"] = [step_json(s) for s in decision.steps]
        members.append(out)
    return {"members": members}
