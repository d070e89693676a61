"""The `kouki calc high-cost` request and response as plain JSON values (docs/interfaces/calc-high-cost.md).

Pure: the CLI and the counter's 高額療養費の試算 screen both call `calculate(data)`. Every invalid input
raises `InvalidRequest` naming the field and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kouki.rules.benefits.high_cost import (
    COST_UNIT,
    TABLES,
    HighCostResult,
    IncomeClass,
    LimitTable,
    MemberCosts,
    TableUnknown,
    high_cost_refund,
    table_for,
)
from kouki.rules.json_request import InvalidRequest, bool_value, check_keys, yen_value

REQUEST_KEYS = ("month", "income_class", "many_times", "members", "explain")
MEMBER_KEYS = ("id", "outpatient_cost", "inpatient_cost")
MAX_MEMBERS = 20
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class HighCostRequest:
    month: date
    income_class: IncomeClass
    many_times: bool
    members: tuple[MemberCosts, ...]
    explain: bool
    tables: tuple[LimitTable, ...] = TABLES  # the built-in ones and those configured (the caller's)


def month_value(field: str, value: Any) -> date:
    """A month "YYYY-MM" → its first day."""
    if not isinstance(value, str):
        raise InvalidRequest(f"{field}: required, a month string YYYY-MM, got {value!r}")
    match = _MONTH.fullmatch(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidRequest(f"{field}: not a valid month YYYY-MM: {value!r}")
    return date(int(match.group(1)), int(match.group(2)), 1)


def cost_value(field: str, value: Any) -> int:
    """医療費 (10割): integer yen, not negative, a multiple of 10 (点数 × 10円); missing or null → 0."""
    cost = yen_value(field, value)
    if cost % COST_UNIT:
        raise InvalidRequest(f"{field}: must be a multiple of {COST_UNIT} yen (点数 × 10円), got {cost}")
    return cost


def _class(value: Any) -> IncomeClass:
    known = ", ".join(c.value for c in IncomeClass)
    if not isinstance(value, str):
        raise InvalidRequest(f"income_class: required, one of {known}")
    try:
        return IncomeClass(value)
    except ValueError:
        raise InvalidRequest(f"income_class: unknown class {value!r} (known: {known})") from None


def _member(i: int, raw: Any) -> MemberCosts:
    where = f"members[{i}]"
    if not isinstance(raw, Mapping):
        raise InvalidRequest(f"{where}: must be an object")
    check_keys(where, raw, MEMBER_KEYS)
    mid = raw.get("id")
    if not isinstance(mid, str) or not mid:
        raise InvalidRequest(f"{where}.id: required, a non-empty string")
    return MemberCosts(
        key=mid,
        outpatient_cost=cost_value(f"{where}.outpatient_cost", raw.get("outpatient_cost")),
        inpatient_cost=cost_value(f"{where}.inpatient_cost", raw.get("inpatient_cost")),
    )


def parse_request(data: Any, tables: Sequence[LimitTable] = TABLES) -> HighCostRequest:
    if not isinstance(data, Mapping):
        raise InvalidRequest("the request must be a JSON object")
    check_keys("", data, REQUEST_KEYS)
    month = month_value("month", data.get("month"))
    try:
        table_for(month, tables)
    except TableUnknown as exc:
        raise InvalidRequest(f"month: {exc}") from exc
    income_class = _class(data.get("income_class"))
    many_times = bool_value("many_times", data.get("many_times"), False)
    raw_members = data.get("members")
    if not isinstance(raw_members, list) or not raw_members:
        raise InvalidRequest("members: required, a non-empty list of insured members")
    if len(raw_members) > MAX_MEMBERS:
        raise InvalidRequest(
            f"members: at most {MAX_MEMBERS} members in one household, got {len(raw_members)}"
        )
    members = tuple(_member(i, raw) for i, raw in enumerate(raw_members))
    ids = [m.key for m in members]
    for mid in ids:
        if ids.count(mid) > 1:
            raise InvalidRequest(f"members: id {mid!r} appears more than once")
    return HighCostRequest(
        month, income_class, many_times, members, bool_value("explain", data.get("explain"), False),
        tuple(tables),
    )


def decide(request: HighCostRequest) -> HighCostResult:
    try:
        return high_cost_refund(request.month, request.income_class, request.many_times, request.members,
                                request.tables)  # fmt: skip
    except TableUnknown as exc:
        field = "many_times" if request.many_times else "income_class"
        raise InvalidRequest(f"{field}: {exc}") from exc


def calculate(data: Any, tables: Sequence[LimitTable] = TABLES) -> dict[str, Any]:
    """Request JSON value → response JSON value (see docs/interfaces/calc-high-cost.md). `tables`: the
    limit tables in force (the caller passes kouki.core.config.high_cost_tables())."""
    request = parse_request(data, tables)
    result = decide(request)
    members = []
    for m in result.members:
        out: dict[str, Any] = {
            "id": m.key,
            "copayment": m.copayment,
            "outpatient_refund": m.outpatient_refund,
            "household_refund": m.household_refund,
        }
        if request.explain:
            out["outpatient_limit"] = m.outpatient_limit
        members.append(out)
    response: dict[str, Any] = {
        "copayment_total": result.copayment_total,
        "refund_total": result.refund_total,
        "members": members,
    }
    if request.explain:
        response["household_limit"] = result.household_limit
    return response
