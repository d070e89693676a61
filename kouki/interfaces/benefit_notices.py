"""The notice of one union decision (決定情報, kept as BenefitDecision), as the plain data the documents
print: a 支給 / 不支給・却下 notice (kouki.documents.benefit_notice) or a 減免 / 徴収猶予 notice
(kouki.documents.relief_notice). Pure mapping; what the decision does not carry is given by the caller
(the applications app, which knows the application): the insured person's name, the account as printed,
the 受付日 and, for 減免・猶予, the ground.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kouki.documents.benefit_notice import BenefitNoticeData
from kouki.documents.certificate_notice import CertificateNoticeData
from kouki.documents.premium_data import Addressee
from kouki.documents.relief_notice import DEFERRAL, REDUCTION, ReliefNoticeData
from kouki.interfaces.selectors import BenefitDecisionView
from kouki.rules.benefits.codes import (
    KIND_LABELS,
    REASON_LABELS,
    RELIEF_KINDS,
    RESULT_LABELS,
    ApplicationKind,
    CertificateClass,
    DecisionResult,
    SpecifiedDisease,
)
from kouki.rules.wareki import format_wareki, wareki_month

RELIEF_RESULTS = {
    DecisionResult.GRANTED: "承認",
    DecisionResult.PARTIAL: "一部承認",
    DecisionResult.REFUSED: "不承認",
    DecisionResult.DISMISSED: "却下",
}


@dataclass(frozen=True)
class NoticeContext:
    """What the city adds to the union's decision to print its notice."""

    insured_name: str
    issued_on: date
    received_on: date | None = None  # None for a 高額療養費 paid automatically
    bank_text: str = ""  # the account as printed (masked), for a benefit paid
    ground: str = ""  # 減免・猶予: the ground's label
    office: str = ""
    phone: str = ""


def _addressee(d: BenefitDecisionView) -> Addressee:
    family, _, given = d.recipient_name.partition("\u3000")
    return Addressee(d.addressee_no, family, given, d.recipient_postal_code, d.recipient_address)


def _right(d: BenefitDecisionView) -> tuple[str, str, str]:
    """(right label, its text, the base label) by kind."""
    if d.kind is ApplicationKind.HIGH_COST:
        return "診療年月", wareki_month(d.right_date.year, d.right_date.month), "自己負担額"
    if d.kind is ApplicationKind.FUNERAL:
        return "葬祭を行った日", format_wareki(d.right_date), "葬祭費の額"
    if d.kind is ApplicationKind.HIGH_COST_COMBINED:
        start = d.right_date.year - 1
        period = f"{format_wareki(date(start, 8, 1))}〜{format_wareki(d.right_date)}"
        return "計算期間", period, "医療保険の自己負担額"
    return "お支払いの日", format_wareki(d.right_date), "保険診療相当額"


CERTIFICATES: dict[ApplicationKind, str] = {
    ApplicationKind.LIMIT_CERTIFICATE: "限度額適用・標準負担額減額認定証",
    ApplicationKind.LONG_STAY: "限度額適用・標準負担額減額認定証",
    ApplicationKind.SPECIFIED_DISEASE: "特定疾病療養受療証",
}
CERTIFICATE_RESULTS = {
    DecisionResult.GRANTED: "認定",
    DecisionResult.PARTIAL: "認定",
    DecisionResult.REFUSED: "不認定",
    DecisionResult.DISMISSED: "却下",
}
CLASS_LABELS = {CertificateClass.LOW_1.value: "区分Ⅰ", CertificateClass.LOW_2.value: "区分Ⅱ"}
DISEASE_LABELS = {
    SpecifiedDisease.DIALYSIS.value: "人工透析を要する慢性腎不全",
    SpecifiedDisease.HAEMOPHILIA.value: "血友病",
    SpecifiedDisease.HIV.value: "血液凝固因子製剤の投与に起因するHIV感染症",
}
CERTIFICATE_NOTES = {  # domain-facts-next §1 [R19][R20][R22]
    ApplicationKind.LIMIT_CERTIFICATE: (
        "医療機関の窓口で提示すると、自己負担限度額と入院時の食事代が区分に応じた額になります。"
    ),
    ApplicationKind.LONG_STAY: "適用開始日から入院時の食事代が1食190円になります(長期入院該当)。",
    ApplicationKind.SPECIFIED_DISEASE: (
        "特定疾病の治療の自己負担限度額は、医療機関ごと入院・外来別に月1万円です。"
    ),
}


def certificate_notice_data(d: BenefitDecisionView, ctx: NoticeContext) -> CertificateNoticeData:
    """限度額適用・標準負担額減額認定 / 長期入院 / 特定疾病: the 認定 and its period, or the refusal."""
    assert ctx.received_on is not None, "a certificate decision answers an application"
    granted = d.result in (DecisionResult.GRANTED, DecisionResult.PARTIAL)
    labels = DISEASE_LABELS if d.kind is ApplicationKind.SPECIFIED_DISEASE else CLASS_LABELS
    return CertificateNoticeData(
        addressee=_addressee(d), certificate=CERTIFICATES[d.kind], application=KIND_LABELS[d.kind],
        granted=granted, result=CERTIFICATE_RESULTS[d.result], insured_name=ctx.insured_name,
        insured_no=d.insured_no, reception_no=d.reception_no, received_on=ctx.received_on,
        class_label=labels.get(d.certificate_class, ""), valid_from=d.valid_from, valid_until=d.valid_until,
        meal_difference=d.amount_decided, payment_date=d.payment_date,
        reason=REASON_LABELS[d.reason] if d.reason is not None else "", decided_on=d.decided_on,
        issued_on=ctx.issued_on, note=CERTIFICATE_NOTES[d.kind], office=ctx.office, phone=ctx.phone,
    )  # fmt: skip


def notice_data(d: BenefitDecisionView, ctx: NoticeContext) -> BenefitNoticeData | ReliefNoticeData:
    reason = REASON_LABELS[d.reason] if d.reason is not None else ""
    if d.kind in RELIEF_KINDS:
        assert ctx.received_on is not None, "a 減免・猶予 decision answers an application"
        return ReliefNoticeData(
            addressee=_addressee(d), relief=REDUCTION if d.kind is ApplicationKind.REDUCTION else DEFERRAL,
            result=RELIEF_RESULTS[d.result], insured_name=ctx.insured_name, insured_no=d.insured_no,
            reception_no=d.reception_no, received_on=ctx.received_on, fiscal_year=d.fiscal_year,
            ground=ctx.ground, amount=d.base_amount, amount_decided=d.amount_decided,
            percent=d.reduction_percent, deferral_from=d.deferral_from, deferral_until=d.deferral_until,
            reason=reason, decided_on=d.decided_on, issued_on=ctx.issued_on, office=ctx.office,
            phone=ctx.phone,
        )  # fmt: skip
    right_label, right_text, base_label = _right(d)
    return BenefitNoticeData(
        addressee=_addressee(d), benefit=KIND_LABELS[d.kind], result=RESULT_LABELS[d.result],
        insured_name=ctx.insured_name, insured_no=d.insured_no, reception_no=d.reception_no,
        received_on=ctx.received_on, right_label=right_label, right_text=right_text,
        amount_claimed=d.amount_claimed, base_amount=d.base_amount, base_label=base_label,
        amount_decided=d.amount_decided, reason=reason, decided_on=d.decided_on,
        payment_date=d.payment_date, bank_text=ctx.bank_text, issued_on=ctx.issued_on, office=ctx.office,
        phone=ctx.phone,
    )  # fmt: skip
