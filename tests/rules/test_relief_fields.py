"""What a 減免・猶予 application carries for its ground (kouki.rules.applications) agrees with what the
simulated union's criteria judge (kouki.rules.benefits.decisions): the evidence each ground needs [R28],
the 損害割合 of a disaster [R27]."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.applications.union_records import _EVIDENCE
from kouki.rules.applications import (
    GROUND_EVIDENCE,
    ApplicationKind,
    DetailsInvalid,
    Ground,
    clean_details,
    damage_percent,
)
from kouki.rules.benefits.codes import ReliefGround
from kouki.rules.benefits.decisions import DEFAULT_RELIEF_CRITERIA


@pytest.mark.parametrize("ground", list(Ground))
def test_the_counter_checklist_is_the_unions_default_evidence(ground: Ground) -> None:
    counter = {_EVIDENCE[d.code] for r in GROUND_EVIDENCE[ground] for d in r.alternatives}
    assert counter == DEFAULT_RELIEF_CRITERIA.evidence_of(ReliefGround(ground.value))


@given(st.integers(0, 10**10), st.integers(0, 10**10), st.integers(1, 10**10))
def test_the_damage_percent_is_whole_bounded_and_monotone(damage: int, made_good: int, value: int) -> None:
    p = damage_percent(damage, made_good, value)
    assert 0 <= p <= 100
    assert damage_percent(damage + 1_000, made_good, value) >= p
    assert damage_percent(damage, made_good + 1_000, value) <= p
    if made_good <= damage <= value:
        assert p == (damage - made_good) * 100 // value


def test_incomes_may_be_zero_damage_may_not() -> None:
    raw = {"ground": "3", "prior_income": 1_200_000, "expected_income": 0, "months": 3}
    details = clean_details(ApplicationKind.PREMIUM_DEFERRAL, raw)
    assert (details["prior_income"], details["expected_income"]) == (1_200_000, 0)
    with pytest.raises(DetailsInvalid, match="正の額"):
        disaster = {"ground": "5", "disaster_date": "2026-06-20", "damage_amount": 0, "property_value": 1}
        clean_details(ApplicationKind.PREMIUM_REDUCTION, disaster)
    other = clean_details(ApplicationKind.PREMIUM_REDUCTION, {"ground": "6"})  # incomes optional for 6
    assert other["prior_income"] is None
