"""The union's decisions on 限度額適用・標準負担額減額認定 (区分Ⅰ/Ⅱ, 長期入院該当), 特定疾病療養受療証 and
高額介護合算療養費. Pure; the sources are domain-facts-next §1 (cited at each rule).

- 限度額適用・標準負担額減額認定 [R13][R19]: only 区分Ⅱ (住民税非課税世帯) and 区分Ⅰ (非課税 and every
  member's income 0) are certified; other classes are refused. The 区分 is the union's judgement from the
  household's income and tax data, given by the caller.
- 長期入院該当 [R20]: 区分Ⅱ with more than 90 inpatient days in the last 12 months (days under the previous
  insurer included); the 190円 meal charge applies from the 1st of the month after the application; the
  食事差額 (day 91 to the end of the application month) is paid as claimed (the union's check of the meals
  is not modelled).
- 特定疾病 [R21][R22][R23]: the three listed diseases; valid from the 1st of the application month.
- 高額介護合算療養費 [R15][R16]: the household's 医療 and 介護 burdens of 8/1–7/31; both must be above 0;
  the excess over the annual limit of the class fixed on 7/31 is paid unless it is 500円 or less; the
  medical insurer pays its share in proportion to the medical burden (the rest is 介護保険's
  高額医療合算介護サービス費).

Not in the facts, so assumptions (ADR 0006, issue 12 §1–§2): a 限度額 certificate is valid from the 1st of
the application month; every certificate ends on the 31 July following (the yearly 8/1 renewal of 所得区分);
the medical share is floored to the yen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kouki.rules.benefits.codes import (
    CertificateClass,
    DecisionReason,
    DecisionResult,
    SpecifiedDisease,
)
from kouki.rules.benefits.decisions import Decision
from kouki.rules.benefits.high_cost import IncomeClass

LONG_STAY_DAYS = 90  # more than 90 days [R20]
COMBINED_MINIMUM = 500  # no payment when the excess is 500円 or less [R15][R16]
# 高額介護合算 annual limits by 所得区分 [R15][R16]
COMBINED_LIMITS: dict[IncomeClass, int] = {
    IncomeClass.ACTIVE_3: 2_120_000,
    IncomeClass.ACTIVE_2: 1_410_000,
    IncomeClass.ACTIVE_1: 670_000,
    IncomeClass.GENERAL_2: 560_000,
    IncomeClass.GENERAL_1: 560_000,
    IncomeClass.LOW_2: 310_000,
    IncomeClass.LOW_1: 190_000,
}
LOW_CLASSES: dict[IncomeClass, CertificateClass] = {
    IncomeClass.LOW_2: CertificateClass.LOW_2,
    IncomeClass.LOW_1: CertificateClass.LOW_1,
}


@dataclass(frozen=True)
class CertificateDecision:
    decision: Decision
    certificate_class: str  # CertificateClass / SpecifiedDisease value; "" when refused
    valid_from: date | None
    valid_until: date | None


def _first_of_next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def certificate_end(valid_from: date) -> date:
    """The 31 July after `valid_from` (or on it): the end of the 所得区分's year (assumption, module doc)."""
    return date(valid_from.year if valid_from.month <= 7 else valid_from.year + 1, 7, 31)


def _refused(reason: DecisionReason, dismissed: bool = False) -> CertificateDecision:
    result = DecisionResult.DISMISSED if dismissed else DecisionResult.REFUSED
    return CertificateDecision(Decision(result, 0, 0, reason), "", None, None)


def _granted(cls: str, valid_from: date, amount: int = 0) -> CertificateDecision:
    return CertificateDecision(Decision(DecisionResult.GRANTED, amount, amount, None), cls, valid_from,
                               certificate_end(valid_from))  # fmt: skip


def limit_certificate_decision(income_class: IncomeClass, received_on: date,
                               missing: bool) -> CertificateDecision:  # fmt: skip
    if missing:
        return _refused(DecisionReason.DOCUMENTS_MISSING, dismissed=True)
    cls = LOW_CLASSES.get(income_class)
    if cls is None:
        return _refused(DecisionReason.NOT_LOW_INCOME)
    return _granted(cls.value, received_on.replace(day=1))


def long_stay_decision(income_class: IncomeClass, inpatient_days: int, meal_difference: int,
                       received_on: date, missing: bool) -> CertificateDecision:  # fmt: skip
    if missing:
        return _refused(DecisionReason.DOCUMENTS_MISSING, dismissed=True)
    if income_class is not IncomeClass.LOW_2:
        return _refused(DecisionReason.NOT_LOW_INCOME if income_class not in LOW_CLASSES
                        else DecisionReason.NOT_LONG_STAY)  # fmt: skip
    if inpatient_days <= LONG_STAY_DAYS:
        return _refused(DecisionReason.NOT_LONG_STAY)
    return _granted(CertificateClass.LOW_2.value, _first_of_next_month(received_on), meal_difference)


def specified_disease_decision(disease: SpecifiedDisease | None, received_on: date,
                               missing: bool) -> CertificateDecision:  # fmt: skip
    if missing:
        return _refused(DecisionReason.DOCUMENTS_MISSING, dismissed=True)
    if disease is None:
        return _refused(DecisionReason.NOT_SPECIFIED)
    return _granted(disease.value, received_on.replace(day=1))


def combined_refund(income_class: IncomeClass, medical: int, care: int) -> tuple[int, int]:
    """(the medical insurer's share, the whole excess) of a household's year: the excess of medical + care
    over the class's limit, 0 when it is 500円 or less or either burden is 0; the medical share is the
    excess × medical / (medical + care), floored."""
    if medical < 0 or care < 0:
        raise ValueError("a burden is never negative")
    if medical == 0 or care == 0:
        return 0, 0
    excess = medical + care - COMBINED_LIMITS[income_class]
    if excess <= COMBINED_MINIMUM:
        return 0, max(0, excess)
    return excess * medical // (medical + care), excess


def combined_decision(income_class: IncomeClass, medical: int, care: int, *, missing: bool,
                      within_limit: bool, insured: bool) -> Decision:  # fmt: skip
    if missing:
        return Decision(DecisionResult.DISMISSED, 0, medical, DecisionReason.DOCUMENTS_MISSING)
    if not within_limit:
        return Decision(DecisionResult.DISMISSED, 0, medical, DecisionReason.TIME_LIMIT)
    if not insured:
        return Decision(DecisionResult.REFUSED, 0, medical, DecisionReason.NOT_INSURED)
    if medical == 0 or care == 0:
        return Decision(DecisionResult.REFUSED, 0, medical, DecisionReason.NO_CARE_BURDEN)
    share, _excess = combined_refund(income_class, medical, care)
    if share <= 0:
        return Decision(DecisionResult.REFUSED, 0, medical, DecisionReason.WITHIN_LIMIT)
    return Decision(DecisionResult.GRANTED, share, medical, None)
