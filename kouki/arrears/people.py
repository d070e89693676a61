"""Who a person is on arrears documents and union files: the 宛名 block and the 被保険者番号.

Read through the other apps' selectors (addressees, eligibility, assessment). Never a personal number.
"""

from __future__ import annotations

from kouki.addressees.selectors import person_current
from kouki.assessment.selectors import assessment_in_force, assessments_of
from kouki.documents.premium_data import Addressee
from kouki.eligibility.selectors import insured_periods_of
from kouki.rules.numbers import is_insured_number_format


def addressee_of(person_id: int) -> Addressee:
    v = person_current(person_id)
    if v is None:
        raise LookupError(f"person {person_id} has no current version")
    return Addressee(v.person.addressee_no, v.family_name, v.given_name, v.postal_code, v.address)


def insured_no_of(person_id: int, fiscal_year: int | None = None) -> str:
    """The latest insured number the union gave (被保険者情報), else the one on the assessment in force
    for `fiscal_year`, else on the latest assessment; "" when none is an 8-digit number."""
    periods = insured_periods_of(person_id)
    for p in reversed(periods):
        if is_insured_number_format(p.insured_no):
            return str(p.insured_no)
    if fiscal_year is not None:
        a = assessment_in_force(person_id, fiscal_year)
        if a is not None and is_insured_number_format(a.insured_no):
            return str(a.insured_no)
    for number in reversed([a.insured_no for a in assessments_of(person_id)]):
        if is_insured_number_format(number):
            return str(number)
    return ""
