"""The union's decisions on applications (kouki.rules.benefits.decisions), table-tested against
domain-facts-next §1–§2 and property-tested: a decided amount is never negative, never above what was
claimed, 葬祭費 is paid at most once per death, a 猶予 lasts at most 6 months."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.benefits.codes import (
    REQUIRED_DOCUMENTS,
    ApplicationKind,
    DecisionReason,
    DecisionResult,
    Document,
    ReliefEvidence,
    ReliefGround,
    missing_documents,
)
from kouki.rules.benefits.decisions import (
    FUNERAL_AMOUNT_SAITAMA,
    Decision,
    FuneralClaim,
    MedicalExpenseClaim,
    ReliefClaim,
    ReliefCriteria,
    claim_deadline,
    copayment_ten_yen,
    funeral_decision,
    funeral_decisions,
    high_cost_decision,
    medical_expense_decision,
    relief_decision,
    within_time_limit,
)
from kouki.rules.benefits.high_cost import IncomeClass, MemberCosts, high_cost_refund

NONE: frozenset[Document] = frozenset()
G, P, R, D = DecisionResult.GRANTED, DecisionResult.PARTIAL, DecisionResult.REFUSED, DecisionResult.DISMISSED


def funeral(death: str = "11112228:2025-06-15", **changes: object) -> FuneralClaim:
    values: dict[str, object] = dict(
        death_key=death,
        claimed=FUNERAL_AMOUNT_SAITAMA,
        former_insurer_pays=False,
        missing=NONE,
        within_limit=True,
        insured=True,
    )
    values.update(changes)
    return FuneralClaim(**values)  # type: ignore[arg-type]


# domain-facts-next §1 「Time limit」 [R4] (療養費: 2 years from the day after payment), [R6][R7] (葬祭費:
# from the day after the funeral), [R10] (高額療養費).
@pytest.mark.parametrize(("right", "received", "ok"), [
    (date(2023, 7, 10), date(2025, 7, 10), True),
    (date(2023, 7, 10), date(2025, 7, 11), False),
    (date(2024, 2, 29), date(2026, 2, 28), True),  # no 29 February in 2026: the period ends on the 28th
    (date(2024, 2, 29), date(2026, 3, 1), False),
])  # fmt: skip
def test_two_years_from_the_day_after_the_right_day(right: date, received: date, ok: bool) -> None:
    assert within_time_limit(right, received) is ok
    assert claim_deadline(right) >= right


# domain-facts-next §1 「葬祭費 (Saitama)」: 5万円 to the 喪主 [R6][R7]; once per death, not when the former
# employee insurance pays [R8]; the 会葬礼状 or receipt naming the 喪主 is required [R6][R7].
@pytest.mark.parametrize(("claim", "already", "expected"), [
    (funeral(), False, Decision(G, 50_000, 50_000, None)),
    (funeral(), True, Decision(R, 0, 50_000, DecisionReason.ALREADY_PAID)),
    (funeral(former_insurer_pays=True), False, Decision(R, 0, 50_000, DecisionReason.OTHER_INSURER)),
    (funeral(missing=frozenset({Document.RECEIPT})), False,
     Decision(D, 0, 0, DecisionReason.DOCUMENTS_MISSING)),
    (funeral(within_limit=False), False, Decision(D, 0, 0, DecisionReason.TIME_LIMIT)),
    (funeral(insured=False), False, Decision(R, 0, 50_000, DecisionReason.NOT_INSURED)),
])  # fmt: skip
def test_funeral_expenses(claim: FuneralClaim, already: bool, expected: Decision) -> None:
    assert funeral_decision(claim, already_paid=already) == expected


def test_funeral_expenses_once_per_death_in_order() -> None:
    claims = [funeral(former_insurer_pays=True), funeral(), funeral(), funeral("other:2025-06-01")]
    results = [d.result for d in funeral_decisions(claims)]
    assert results == [R, G, R, G]
    assert (
        funeral_decisions([funeral()], frozenset({"11112228:2025-06-15"}))[0].reason
        is DecisionReason.ALREADY_PAID
    )


def expense(claimed: int, assessed: int, percent: int, **changes: object) -> MedicalExpenseClaim:
    values: dict[str, object] = dict(
        claimed=claimed,
        assessed_cost=assessed,
        copay_percent=percent,
        missing=NONE,
        within_limit=True,
        insured=True,
    )
    values.update(changes)
    return MedicalExpenseClaim(**values)  # type: ignore[arg-type]


# domain-facts-next §1 「療養費」 [R1]: the insurer's share of what the union accepts as the cost; the
# co-payment at the person's rate (10円未満四捨五入: ADR 0006 issue 12 §2).
@pytest.mark.parametrize(("claim", "expected"), [
    (expense(32_400, 32_400, 10), Decision(G, 29_160, 32_400, None)),
    (expense(32_400, 32_400, 20), Decision(G, 25_920, 32_400, None)),
    (expense(32_400, 32_400, 30), Decision(G, 22_680, 32_400, None)),
    (expense(12_345, 20_000, 10), Decision(G, 11_115, 12_345, None)),  # 1,234.5 → 1,230
    (expense(40_000, 30_000, 10), Decision(P, 27_000, 30_000, DecisionReason.ASSESSED_LOWER)),
    (expense(40_000, 0, 10), Decision(R, 0, 0, DecisionReason.ASSESSED_LOWER)),
    (expense(40_000, 40_000, 10, missing=frozenset({Document.STATEMENT})),
     Decision(D, 0, 0, DecisionReason.DOCUMENTS_MISSING)),
    (expense(40_000, 40_000, 10, within_limit=False), Decision(D, 0, 0, DecisionReason.TIME_LIMIT)),
    (expense(40_000, 40_000, 10, insured=False), Decision(R, 0, 0, DecisionReason.NOT_INSURED)),
])  # fmt: skip
def test_medical_expenses(claim: MedicalExpenseClaim, expected: Decision) -> None:
    assert medical_expense_decision(claim) == expected


def test_each_kind_needs_its_documents() -> None:
    # [R1]: every 療養費 needs the form, the card and the account; やむを得ない自費 the statement and receipt
    assert missing_documents(ApplicationKind.SELF_PAID, REQUIRED_DOCUMENTS[ApplicationKind.SELF_PAID]) == NONE
    assert missing_documents(ApplicationKind.SELF_PAID, frozenset({Document.APPLICATION})) == {
        Document.CARD,
        Document.ACCOUNT,
        Document.STATEMENT,
        Document.RECEIPT,
    }
    # 海外療養費 [R2][R3]: translation and passport
    assert {Document.TRANSLATION, Document.PASSPORT} <= REQUIRED_DOCUMENTS[ApplicationKind.ABROAD]


def test_high_cost_from_the_issue_example() -> None:
    # issue 12 §3: 一般Ⅰ, 外来 250,000 → 自己負担 25,000, 7,000 back (limit 18,000 [R12][R13])
    result = high_cost_refund(date(2025, 7, 1), IncomeClass.GENERAL_1, False, [MemberCosts("A", 250_000, 0)])
    member = result.members[0]
    assert high_cost_decision(member, missing=NONE, within_limit=True, insured=True) == Decision(
        G, 7_000, 25_000, None
    )
    low = high_cost_refund(date(2025, 7, 1), IncomeClass.GENERAL_1, False, [MemberCosts("A", 100_000, 0)])
    assert high_cost_decision(low.members[0], missing=NONE, within_limit=True, insured=True).reason is (
        DecisionReason.WITHIN_LIMIT
    )


def relief(ground: ReliefGround = ReliefGround.BUSINESS, **changes: object) -> ReliefClaim:
    values: dict[str, object] = dict(
        ground=ground,
        amount=84_000,
        prior_income=2_000_000,
        expected_income=1_000_000,
        damage_percent=0,
        months_requested=0,
        missing=NONE,
    )
    values.update(changes)
    return ReliefClaim(**values)  # type: ignore[arg-type]


RED, DEF = ApplicationKind.REDUCTION, ApplicationKind.DEFERRAL


# domain-facts-next §2: the six grounds [R25][R26]; disaster 50/70/100 % [R27]; 猶予 up to 6 months
# [R24][R25]; the thresholds are the simulated union's own defaults (ReliefCriteria, ADR 0006).
@pytest.mark.parametrize(("kind", "claim", "expected"), [
    (RED, relief(), Decision(G, 84_000, 84_000, None, percent=100)),
    (RED, relief(prior_income=5_000_000, expected_income=3_000_000),
     Decision(P, 50_400, 84_000, DecisionReason.PARTLY_MET, percent=60)),
    (RED, relief(expected_income=1_500_000), Decision(R, 0, 84_000, DecisionReason.INCOME_FALL_SHORT)),
    (RED, relief(prior_income=12_000_000, expected_income=0),
     Decision(R, 0, 84_000, DecisionReason.INCOME_ABOVE_CEILING)),
    (RED, relief(ReliefGround.DISASTER, damage_percent=55), Decision(G, 84_000, 84_000, None, percent=100)),
    (RED, relief(ReliefGround.DISASTER, damage_percent=45),
     Decision(P, 58_800, 84_000, DecisionReason.PARTLY_MET, percent=70)),
    (RED, relief(ReliefGround.DISASTER, damage_percent=30),
     Decision(P, 42_000, 84_000, DecisionReason.PARTLY_MET, percent=50)),
    (RED, relief(ReliefGround.DISASTER, damage_percent=29),
     Decision(R, 0, 84_000, DecisionReason.DAMAGE_SHORT)),
    # the evidence each ground needs (the counter's checklist [R28]): one missing → 却下
    (RED, relief(evidence=frozenset({ReliefEvidence.GROUND_FACT, ReliefEvidence.INCOME_LAST_YEAR,
                                     ReliefEvidence.SAVINGS})),
     Decision(D, 0, 84_000, DecisionReason.EVIDENCE_MISSING)),
    (RED, relief(evidence=frozenset(ReliefEvidence)), Decision(G, 84_000, 84_000, None, percent=100)),
    (RED, relief(ReliefGround.DISASTER, damage_percent=55, evidence=frozenset()),
     Decision(D, 0, 84_000, DecisionReason.EVIDENCE_MISSING)),
    (RED, relief(ReliefGround.DISASTER, damage_percent=55,
                 evidence=frozenset({ReliefEvidence.DISASTER_CERTIFICATE})),
     Decision(G, 84_000, 84_000, None, percent=100)),
    (RED, relief(ReliefGround.OTHER), Decision(R, 0, 84_000, DecisionReason.CRITERIA_NOT_MET)),
    (RED, relief(missing=frozenset({Document.EVIDENCE})),
     Decision(D, 0, 84_000, DecisionReason.DOCUMENTS_MISSING)),
    (DEF, relief(months_requested=4), Decision(G, 84_000, 84_000, None, months=4)),
    (DEF, relief(months_requested=9), Decision(P, 84_000, 84_000, DecisionReason.PARTLY_MET, months=6)),
    (DEF, relief(expected_income=1_900_000, months_requested=3),
     Decision(R, 0, 84_000, DecisionReason.INCOME_FALL_SHORT)),
])  # fmt: skip
def test_reduction_and_deferral(kind: ApplicationKind, claim: ReliefClaim, expected: Decision) -> None:
    assert relief_decision(kind, claim) == expected


def test_the_criteria_are_configurable() -> None:
    generous = ReliefCriteria(other_ground_percent=100, income_fall_percent=10, deferral_max_months=3)
    assert relief_decision(RED, relief(ReliefGround.OTHER), generous).percent == 100
    assert relief_decision(RED, relief(expected_income=1_700_000), generous).result is G
    assert relief_decision(DEF, relief(months_requested=6), generous).months == 3


def test_rounding_of_the_copayment_is_to_ten_yen_half_up() -> None:
    assert [copayment_ten_yen(c, 10) for c in (44, 50, 12_345, 12_355)] == [0, 10, 1_230, 1_240]


# ---------------------------------------------------------------- properties

amounts = st.integers(min_value=0, max_value=10_000_000)
documents = st.frozensets(st.sampled_from(list(Document)), max_size=3)


@given(amounts, amounts, st.sampled_from([10, 20, 30]), documents, st.booleans(), st.booleans())
def test_a_medical_expense_payment_is_never_negative_nor_above_the_claim(
    claimed: int, assessed: int, percent: int, missing: frozenset[Document], within: bool, insured: bool
) -> None:
    d = medical_expense_decision(MedicalExpenseClaim(claimed, assessed, percent, missing, within, insured))
    assert 0 <= d.amount <= claimed
    assert (d.amount > 0) == (d.result in (G, P))


deaths = st.sampled_from(["a", "b", "c"])
funeral_claims = st.builds(
    FuneralClaim,
    death_key=deaths,
    claimed=amounts,
    former_insurer_pays=st.booleans(),
    missing=documents,
    within_limit=st.booleans(),
    insured=st.booleans(),
)


@given(st.lists(funeral_claims, max_size=12), st.frozensets(deaths))
def test_funeral_expenses_at_most_once_per_death_never_above_the_claim(
    claims: list[FuneralClaim], paid_before: frozenset[str]
) -> None:
    decisions = funeral_decisions(claims, paid_before)
    paid = [c.death_key for c, d in zip(claims, decisions, strict=True) if d.amount > 0]
    assert len(paid) == len(set(paid)) and not set(paid) & paid_before
    for claim, d in zip(claims, decisions, strict=True):
        assert 0 <= d.amount <= min(claim.claimed, FUNERAL_AMOUNT_SAITAMA)


@given(
    st.sampled_from([RED, DEF]),
    st.sampled_from(list(ReliefGround)),
    amounts,
    amounts,
    amounts,
    st.integers(0, 100),
    st.integers(0, 12),
    documents,
)
def test_relief_is_never_negative_nor_above_the_amount_and_deferral_at_most_six_months(
    kind: ApplicationKind, ground: ReliefGround, amount: int, prior: int, expected: int, damage: int,
    months: int, missing: frozenset[Document],
) -> None:  # fmt: skip
    d = relief_decision(kind, ReliefClaim(ground, amount, prior, expected, damage, months, missing))
    assert 0 <= d.amount <= amount and 0 <= d.percent <= 100 and 0 <= d.months <= 6
