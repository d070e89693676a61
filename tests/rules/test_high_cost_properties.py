"""Property tests of the 高額療養費 rules (hypothesis), through the request function the CLI and the counter
screen use: a refund is never negative, never above what was paid, monotone in cost; the members' refunds
add up to the total; what the household still bears is within its limit."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kouki.rules.benefits.high_cost import IncomeClass
from kouki.rules.benefits.high_cost_request import calculate

NO_MANY_TIMES = {IncomeClass.LOW_2.value, IncomeClass.LOW_1.value}
MONTHS = [
    f"{y}-{m:02d}"
    for y in range(2022, 2027)
    for m in range(1, 13)
    if date(2022, 10, 1) <= date(y, m, 1) <= date(2026, 7, 1)
]
costs = st.integers(min_value=0, max_value=300_000).map(lambda points: points * 10)  # up to 3,000,000円
members = st.lists(st.tuples(costs, costs), min_size=1, max_size=4)


ALL_CLASSES = [c.value for c in IncomeClass]


@st.composite
def requests(draw: st.DrawFn, classes: list[str] = ALL_CLASSES) -> dict[str, Any]:
    income_class = draw(st.sampled_from(classes))
    many_times = False if income_class in NO_MANY_TIMES else draw(st.booleans())
    return {
        "month": draw(st.sampled_from(MONTHS)),
        "income_class": income_class,
        "many_times": many_times,
        "members": [
            {"id": f"m{i}", "outpatient_cost": out, "inpatient_cost": inp}
            for i, (out, inp) in enumerate(draw(members))
        ],
        "explain": True,
    }


def refunds(response: dict[str, Any]) -> list[int]:
    return [m["outpatient_refund"] + m["household_refund"] for m in response["members"]]


@settings(max_examples=400, deadline=None)
@given(requests())
def test_refunds_within_what_was_paid_and_the_household_limit(request: dict[str, Any]) -> None:
    response = calculate(request)
    for m in response["members"]:
        assert m["outpatient_refund"] >= 0 and m["household_refund"] >= 0
        assert m["outpatient_refund"] + m["household_refund"] <= m["copayment"]
    assert response["refund_total"] == sum(refunds(response))
    assert response["copayment_total"] == sum(m["copayment"] for m in response["members"])
    borne = response["copayment_total"] - response["refund_total"]
    assert borne <= response["household_limit"]
    after_outpatient = response["copayment_total"] - sum(m["outpatient_refund"] for m in response["members"])
    # the household step returns exactly the excess over the limit, no more
    assert borne == min(after_outpatient, response["household_limit"])


@settings(max_examples=400, deadline=None)
@given(requests(), st.data())
def test_refund_total_monotone_in_every_cost(request: dict[str, Any], data: st.DataObject) -> None:
    before = calculate(request)
    i = data.draw(st.integers(min_value=0, max_value=len(request["members"]) - 1))
    field = data.draw(st.sampled_from(["outpatient_cost", "inpatient_cost"]))
    more = data.draw(st.integers(min_value=1, max_value=50_000)) * 10
    request["members"][i][field] += more
    after = calculate(request)
    assert after["refund_total"] >= before["refund_total"]
    assert after["members"][i]["outpatient_refund"] >= before["members"][i]["outpatient_refund"]
    if len(request["members"]) == 1:
        assert refunds(after) >= refunds(before)


@settings(max_examples=200, deadline=None)
@given(requests(classes=[c for c in ALL_CLASSES if c not in NO_MANY_TIMES]))
def test_many_times_never_returns_less(request: dict[str, Any]) -> None:
    plain = calculate({**request, "many_times": False})
    many = calculate({**request, "many_times": True})
    assert many["refund_total"] >= plain["refund_total"]
    assert many["household_limit"] <= plain["household_limit"]
