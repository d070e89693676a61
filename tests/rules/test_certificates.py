"""The union's decisions on 限度額適用・標準負担額減額認定, 長期入院, 特定疾病 and 高額介護合算
(kouki.rules.benefits.certificates), table tests citing domain-facts-next §1 and properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.benefits.certificates import (
    COMBINED_LIMITS,
    certificate_end,
    combined_decision,
    combined_refund,
    limit_certificate_decision,
    long_stay_decision,
    specified_disease_decision,
)
from kouki.rules.benefits.codes import DecisionReason, DecisionResult, SpecifiedDisease
from kouki.rules.benefits.high_cost import IncomeClass

ON = date(2026, 11, 20)
C = IncomeClass


@pytest.mark.parametrize(
    ("income_class", "expected"),
    [(C.LOW_2, "2"), (C.LOW_1, "1"), (C.GENERAL_1, ""), (C.GENERAL_2, ""), (C.ACTIVE_1, "")],
)
def test_limit_certificate_only_for_class_1_and_2(income_class: IncomeClass, expected: str) -> None:
    """[R13][R19]: 区分Ⅱ (非課税世帯) and 区分Ⅰ (非課税, incomes 0) are certified."""
    d = limit_certificate_decision(income_class, ON, missing=False)
    assert d.certificate_class == expected
    if expected:
        assert (d.valid_from, d.valid_until) == (date(2026, 11, 1), date(2027, 7, 31))
    else:
        assert d.decision.reason is DecisionReason.NOT_LOW_INCOME


@pytest.mark.parametrize(
    ("income_class", "days", "result", "reason"),
    [
        (C.LOW_2, 91, DecisionResult.GRANTED, None),  # more than 90 days [R20]
        (C.LOW_2, 90, DecisionResult.REFUSED, DecisionReason.NOT_LONG_STAY),
        (C.LOW_1, 200, DecisionResult.REFUSED, DecisionReason.NOT_LONG_STAY),  # 区分Ⅰ: 110円 already
        (C.GENERAL_1, 200, DecisionResult.REFUSED, DecisionReason.NOT_LOW_INCOME),
    ],
)
def test_long_stay(income_class: IncomeClass, days: int, result: DecisionResult,
                   reason: DecisionReason | None) -> None:  # fmt: skip
    d = long_stay_decision(income_class, days, 2_000, ON, missing=False)
    assert (d.decision.result, d.decision.reason) == (result, reason)
    if result is DecisionResult.GRANTED:  # 190円 from the 1st of the month after the application [R20]
        assert (d.valid_from, d.decision.amount) == (date(2026, 12, 1), 2_000)


def test_specified_disease_from_the_application_month_and_documents_dismiss() -> None:
    d = specified_disease_decision(SpecifiedDisease.HIV, ON, missing=False)  # [R21][R22]
    assert (d.certificate_class, d.valid_from) == ("3", date(2026, 11, 1))
    gone = specified_disease_decision(SpecifiedDisease.HIV, ON, missing=True)  # no 意見書 [R23]
    assert gone.decision.result is DecisionResult.DISMISSED


def test_certificate_end_is_the_next_31_july() -> None:
    assert certificate_end(date(2026, 7, 1)) == date(2026, 7, 31)
    assert certificate_end(date(2026, 8, 1)) == date(2027, 7, 31)


def test_combined_limits_are_the_facts() -> None:
    """[R15][R16]: 212万 / 141万 / 67万 (現役Ⅲ/Ⅱ/Ⅰ), 56万 (一般), 31万 (区分Ⅱ), 19万 (区分Ⅰ)."""
    assert [COMBINED_LIMITS[c] for c in IncomeClass] == [
        2_120_000, 1_410_000, 670_000, 560_000, 560_000, 310_000, 190_000]  # fmt: skip


def test_combined_decision_reasons() -> None:
    refused = combined_decision(C.GENERAL_1, 100_000, 0, missing=False, within_limit=True, insured=True)
    assert refused.reason is DecisionReason.NO_CARE_BURDEN
    low = combined_decision(C.GENERAL_1, 100_000, 100_000, missing=False, within_limit=True, insured=True)
    assert low.reason is DecisionReason.WITHIN_LIMIT
    paid = combined_decision(C.LOW_1, 100_000, 100_000, missing=False, within_limit=True, insured=True)
    assert (paid.result, paid.amount, paid.base_amount) == (DecisionResult.GRANTED, 5_000, 100_000)


@given(st.sampled_from(list(IncomeClass)), st.integers(0, 5_000_000), st.integers(0, 5_000_000))
def test_combined_share_never_negative_nor_above_the_medical_burden_or_the_excess(
    income_class: IncomeClass, medical: int, care: int
) -> None:
    share, excess = combined_refund(income_class, medical, care)
    assert 0 <= share <= medical
    assert share <= max(0, excess)
    assert share == 0 or excess > 500
