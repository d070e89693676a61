"""Sample records of the three benefit files (synthetic people only)."""

from __future__ import annotations

from datetime import date

from interfaces.union.samples import INSURED
from kouki.interfaces.union.application_info import ApplicationInfoRecord
from kouki.interfaces.union.benefit_decision import BenefitDecisionRecord
from kouki.interfaces.union.medical_expense_info import MedicalExpenseInfoRecord
from kouki.rules.benefits.codes import (
    REQUIRED_DOCUMENTS,
    ApplicationKind,
    DecisionReason,
    DecisionResult,
    ReliefGround,
    SpecifiedDisease,
    document_flags,
)

ADDRESS = "さいたま市浦和区常盤６丁目４番４号"


def application(kind: ApplicationKind = ApplicationKind.SELF_PAID, reception_no: str = "U2025-000001",
                **changes: object) -> ApplicationInfoRecord:  # fmt: skip
    relief = kind in (ApplicationKind.REDUCTION, ApplicationKind.DEFERRAL)
    funeral = kind is ApplicationKind.FUNERAL
    values: dict[str, object] = dict(
        municipality_code="11107", reception_no=reception_no, kind=kind, addressee_no="0000012345",
        insured_no=INSURED, received_on=date(2025, 7, 10),
        right_date=date(2025, 7, 1) if kind is ApplicationKind.HIGH_COST else date(2025, 6, 20),
        amount_claimed=0 if kind is ApplicationKind.HIGH_COST else (
            50_000 if funeral else (84_000 if relief else 32_400)),
        payee_account_ref="" if relief else "ACC-0000123", documents=document_flags(REQUIRED_DOCUMENTS[kind]),
        death_date=date(2025, 6, 15) if funeral else None, former_insurer_pays=False,
        applicant_name="髙﨑　花子", applicant_postal_code="3300061", applicant_address=ADDRESS,
        fiscal_year=2025 if relief else 0, ground=ReliefGround.BUSINESS if relief else None,
        prior_income=2_000_000 if relief else 0, expected_income=1_000_000 if relief else 0,
        damage_percent=0, months_requested=6 if kind is ApplicationKind.DEFERRAL else 0,
        relief_evidence="11111" if relief else "00000",  # every evidence presented
    )  # fmt: skip
    # 限度額・長期入院・特定疾病 claim nothing (長期入院: its 食事差額); 高額介護合算: the period ending 7/31
    if kind in (ApplicationKind.LIMIT_CERTIFICATE, ApplicationKind.SPECIFIED_DISEASE):
        values.update(amount_claimed=0, payee_account_ref="", right_date=date(2025, 7, 10))
    if kind is ApplicationKind.SPECIFIED_DISEASE:
        values.update(disease=SpecifiedDisease.DIALYSIS)
    if kind is ApplicationKind.LONG_STAY:
        values.update(amount_claimed=1_500, inpatient_days=120, right_date=date(2025, 7, 10))
    if kind is ApplicationKind.HIGH_COST_COMBINED:
        values.update(amount_claimed=0, period_end_year=2024, right_date=date(2024, 7, 31))
    values.update(changes)
    return ApplicationInfoRecord(**values)  # type: ignore[arg-type]


def medical_expense(reception_no: str = "U2025-000001", **changes: object) -> MedicalExpenseInfoRecord:
    values: dict[str, object] = dict(
        municipality_code="11107", reception_no=reception_no, kind=ApplicationKind.SELF_PAID,
        addressee_no="0000012345", insured_no=INSURED, report_month="202507", care_from=date(2025, 6, 18),
        care_to=date(2025, 6, 20), days=2, provider_name="見沼クリニック", abroad=False,
        paid_on=date(2025, 6, 20), paid_amount=32_400,
    )  # fmt: skip
    values.update(changes)
    return MedicalExpenseInfoRecord(**values)  # type: ignore[arg-type]


def decision(reception_no: str = "U2025-000001", **changes: object) -> BenefitDecisionRecord:
    values: dict[str, object] = dict(
        municipality_code="11107", reception_no=reception_no, kind=ApplicationKind.SELF_PAID,
        addressee_no="0000012345", insured_no=INSURED, result=DecisionResult.GRANTED, reason=None,
        amount_claimed=32_400, base_amount=32_400, amount_decided=29_160, right_date=date(2025, 6, 20),
        decided_on=date(2025, 8, 5), payment_date=date(2025, 8, 25), notice_date=date(2025, 8, 5),
        payee_account_ref="ACC-0000123", fiscal_year=0, reduction_percent=0, deferral_from=None,
        deferral_until=None, recipient_name="髙﨑　花子", recipient_postal_code="3300061",
        recipient_address=ADDRESS,
    )  # fmt: skip
    values.update(changes)
    return BenefitDecisionRecord(**values)  # type: ignore[arg-type]


def refused(reception_no: str = "U2025-000002", **changes: object) -> BenefitDecisionRecord:
    base: dict[str, object] = dict(
        result=DecisionResult.DISMISSED, reason=DecisionReason.DOCUMENTS_MISSING, amount_decided=0,
        payment_date=None,
    )  # fmt: skip
    base.update(changes)
    return decision(reception_no, **base)
