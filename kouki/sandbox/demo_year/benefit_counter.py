"""The demo's 療養費 and first 高額療養費 at the counter (issue 12 §4: the demo leaves a 支給決定通知書 of
療養費, 葬祭費 and 高額療養費, a 減免 and a 徴収猶予決定通知書 made by the staff's own services).

- 療養費 (柔道整復, 受領委任以外): a living insured person paid a 整骨院 in full last month and brings the
  receipt and the 施術内容 statement, with the care period the union's 療養費関連情報 needs.
- 高額療養費 (初回): the simulated union's 申請勧奨 names someone with a refund due for a month of the year
  (`UnionBenefits.high_cost_due`, from its synthetic medical costs); they come with the letter and register
  their payment account (later months are paid to it automatically).

Notices are written as documents/<document>-<what>-<application id>.pdf (`notice_file_name`), next to the
invented samples of kouki.documents.benefit_samples (<document>-<what>.pdf).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from kouki.applications.services import ApplicationInput, PaymentAccount
from kouki.eligibility.selectors import latest_insured_numbers
from kouki.rules.applications import Applicant, ApplicationKind, requirements_of
from kouki.rules.identity_check import IdentityDocument
from kouki.sandbox.union.benefits import UnionBenefits

WHAT: dict[str, str] = {
    ApplicationKind.FUNERAL.value: "sosaihi", ApplicationKind.HIGH_COST.value: "kogaku",
    ApplicationKind.PREMIUM_REDUCTION.value: "genmen", ApplicationKind.PREMIUM_DEFERRAL.value: "yuyo",
}  # fmt: skip
CANDIDATES = 300  # people the union's 申請勧奨 is looked up for, at most


def notice_file_name(document: str, kind: str, application_id: int) -> str:
    return f"{document}-{WHAT.get(kind, 'ryoyohi')}-{application_id}.pdf"


def medical_input(person_id: int, on: date) -> ApplicationInput:
    kind = ApplicationKind.MEDICAL_JUDO
    care_to = on.replace(day=1) - timedelta(days=3)
    details: dict[str, object] = {
        "paid_on": (care_to + timedelta(days=1)).isoformat(), "amount_paid": 12_340,
        "provider": "見本整骨院", "care_from": (care_to - timedelta(days=13)).isoformat(),
        "care_to": care_to.isoformat(), "care_days": 5,
    }  # fmt: skip
    return ApplicationInput(
        person_id=person_id, kind=kind, received_on=on, applicant=Applicant.SELF, details=details,
        documents=frozenset(r.alternatives[0].code for r in requirements_of(kind, details)),
        identity_documents=frozenset({IdentityDocument.MY_NUMBER_CARD}), accept_warnings=True,
    )  # fmt: skip


def high_cost_input(person_id: int, on: date, month: date, account: PaymentAccount) -> ApplicationInput:
    return ApplicationInput(
        person_id=person_id, kind=ApplicationKind.HIGH_COST, received_on=on, applicant=Applicant.SELF,
        details={"care_month": month.isoformat()}, documents=frozenset({"form", "card", "account"}),
        identity_documents=frozenset({IdentityDocument.DRIVERS_LICENCE}), accept_warnings=True,
        account=account,
    )  # fmt: skip


def high_cost_invited(
    union: UnionBenefits, people: Iterable[int], months: list[date]
) -> tuple[int, date] | None:
    """(person id, 診療月) of the first person (by id) the union's 申請勧奨 would write to: a refund due
    for one of `months` (latest first)."""
    ids = sorted(people)[:CANDIDATES]
    insured = latest_insured_numbers(ids)
    for pid in ids:
        number = insured.get(pid)
        if number is None:
            continue
        for month in sorted(months, reverse=True):
            if union.high_cost_due(number, month) > 0:
                return pid, month
    return None
