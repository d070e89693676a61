"""決定情報 (union → city): the union's decision on each application, with what the notice needs.

The union's standard system decides and sends 療養費支給決定通知情報 (the address data for printing the
notice) per application (PIA L209–216, L634–637); the city prints the notices and hands them over or
mails them (事務 10, 12). kouki's file carries the decisions on every kind it sends as 申請情報 (療養費,
葬祭費, 高額療養費, 減免, 徴収猶予) under the city's 受付番号; 高額療養費 paid automatically after the
first application come under a 受付番号 the union makes (`KG-<被保険者番号>-<YYYYMM>`). The layout is
kouki's own (the union's is not public): docs/interfaces/union-benefit-decision.md. CP932 fixed width,
512 bytes. Taken in by kouki.interfaces.benefit_decisions.import_benefit_decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kouki.interfaces import fixedwidth
from kouki.interfaces.fixedwidth import Field, Layout, enum_codes
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.application_info import KIND, PAYEE_ACCOUNT, RECEPTION_NO
from kouki.interfaces.union.layouts import ADDRESSEE, INSURED_NO, MUNICIPALITY
from kouki.rules.benefits.codes import (
    CERTIFICATE_KINDS,
    ApplicationKind,
    DecisionReason,
    DecisionResult,
    is_paid,
)


@dataclass(frozen=True)
class BenefitDecisionRecord:
    municipality_code: str
    reception_no: str
    kind: ApplicationKind
    addressee_no: str
    insured_no: str
    result: DecisionResult
    reason: DecisionReason | None  # None for a grant in full
    amount_claimed: int  # the application's 申請額 (高額療養費: 0)
    base_amount: (
        int  # 算定基礎額: 療養費 保険診療相当額, 葬祭費 the fixed amount, 高額 自己負担額, 減免・猶予 対象額
    )
    amount_decided: int  # 決定額: paid, reduced or deferred; 0 when refused or dismissed
    right_date: date  # the application's 権利発生日 (高額療養費: first day of the care month)
    decided_on: date
    payment_date: date | None  # 支払予定日 of a benefit paid; None otherwise
    notice_date: date  # 通知日: the notice's date
    payee_account_ref: str  # the account paid into ("" for 減免・猶予 and when nothing is paid)
    fiscal_year: int  # 減免・猶予: 対象年度; else 0
    reduction_percent: int  # 減免率 (%) of a 減免 granted; else 0
    deferral_from: date | None  # 猶予期間 of a 猶予 granted
    deferral_until: date | None
    recipient_name: str  # 送付先: whom the notice is for (the applicant)
    recipient_postal_code: str
    recipient_address: str
    certificate_class: str = ""  # 認定区分 of a certificate granted: 1 区分Ⅰ, 2 区分Ⅱ; 特定疾病 its code
    valid_from: date | None = None  # 適用開始日 of a certificate granted
    valid_until: date | None = None  # 有効期限 (inclusive)


def _check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    result, kind, amount = v["result"], v["kind"], v["amount_decided"]
    granted = result in (DecisionResult.GRANTED, DecisionResult.PARTIAL)
    if (result == DecisionResult.GRANTED) != (v["reason"] is None):
        problems.append(("reason", "支給（承認）には決定理由を付けず、それ以外には決定理由が必須です"))
    if not granted and amount != 0:
        problems.append(("amount_decided", "不支給・却下の決定額は 0 です"))
    certificate = kind in CERTIFICATE_KINDS
    if granted and amount <= 0 and not certificate:
        problems.append(("amount_decided", "支給・一部支給の決定額は1円以上です"))
    computed = kind in (ApplicationKind.HIGH_COST, ApplicationKind.HIGH_COST_COMBINED)
    ceiling = v["base_amount"] if computed else v["amount_claimed"]
    if amount > ceiling:
        problems.append(("amount_decided", "決定額が申請額（高額療養費は自己負担額）を超えています"))
    paid = granted and is_paid(kind, amount)
    if paid != (v["payment_date"] is not None):
        problems.append(("payment_date", "支払予定日は支給する給付だけに記録します"))
    if paid and not v["payee_account_ref"]:
        problems.append(("payee_account_ref", "支給する給付には振込口座参照番号が必須です"))
    if v["notice_date"] < v["decided_on"]:
        problems.append(("notice_date", "通知日が決定日より前です"))
    reduced = granted and kind == ApplicationKind.REDUCTION
    if reduced != (1 <= v["reduction_percent"] <= 100) or v["reduction_percent"] > 100:
        problems.append(("reduction_percent", "減免率 (1–100) は承認した減免だけに記録します"))
    deferred = granted and kind == ApplicationKind.DEFERRAL
    period = (v["deferral_from"], v["deferral_until"])
    if deferred and (None in period or period[1] < period[0]):
        problems.append(("deferral_until", "承認した猶予には猶予期間（開始日 ≤ 終了日）が必須です"))
    if not deferred and period != (None, None):
        problems.append(("deferral_from", "猶予期間は承認した徴収猶予だけに記録します"))
    certified = granted and certificate
    valid = (v["valid_from"], v["valid_until"])
    if certified and (not v["certificate_class"] or None in valid or valid[1] < valid[0]):
        problems.append(("valid_from", "認定した証には認定区分と有効期間（開始 ≤ 終了）が必須です"))
    if not certified and (v["certificate_class"] or valid != (None, None)):
        problems.append(("certificate_class", "認定区分・有効期間は認定した認定証・受療証だけに記録します"))
    return problems


BENEFIT_DECISION: Layout[BenefitDecisionRecord] = Layout(
    file_code="26",
    title="決定情報",
    record_length=512,
    fields=(
        MUNICIPALITY,
        RECEPTION_NO,
        KIND,
        ADDRESSEE,
        INSURED_NO,
        Field("result", "決定区分", "result", 1, "enum", True, enum_codes(DecisionResult), DecisionResult),
        Field("reason", "決定理由", "reason", 2, "opt_enum", False,
              enum_codes(DecisionReason) + "; spaces for 1 GRANTED", DecisionReason),
        Field("amount_claimed", "申請額", "amount claimed", 9, "int", True, "yen, 9 digits (高額療養費 0)"),
        Field("base_amount", "算定基礎額", "base amount", 9, "int", True,
              "yen: 療養費 保険診療相当額, 葬祭費 支給額, 高額療養費 自己負担額, 減免・猶予 対象額"),
        Field("amount_decided", "決定額", "amount decided", 9, "int", True,
              "yen: 0 when refused; ≤ 申請額 (高額療養費: ≤ 自己負担額)"),
        Field("right_date", "権利発生日", "right day", 8, "date", True,
              "YYYYMMDD (高額療養費: 診療月の初日)"),
        Field("decided_on", "決定日", "decided on", 8, "date", True, "YYYYMMDD"),
        Field("payment_date", "支払予定日", "payment date", 8, "opt_date", False,
              "YYYYMMDD when a benefit is paid, else spaces"),
        Field("notice_date", "通知日", "notice date", 8, "date", True, "YYYYMMDD, ≥ 決定日"),
        PAYEE_ACCOUNT,
        Field("fiscal_year", "対象年度", "fiscal year", 4, "int", True, "減免・猶予, else 0000"),
        Field("reduction_percent", "減免率", "reduction", 3, "int", True,
              "1–100 (%) for a 減免 granted, else 0"),
        Field("deferral_from", "猶予開始日", "deferral from", 8, "opt_date", False,
              "YYYYMMDD for a 猶予 granted, else spaces"),
        Field("deferral_until", "猶予終了日", "deferral until", 8, "opt_date", False,
              "YYYYMMDD (inclusive) for a 猶予 granted, else spaces"),
        Field("recipient_name", "送付先氏名", "recipient's name", 40, "text", True, "CP932 text"),
        Field("recipient_postal_code", "送付先郵便番号", "recipient's postal code", 7, "postal", True,
              "7 digits"),
        Field("recipient_address", "送付先住所", "recipient's address", 160, "text", True, "CP932 text"),
        Field("certificate_class", "認定区分", "certificate class", 1, "code", False,
              "certificate granted (51–53): 1 区分Ⅰ, 2 区分Ⅱ; 特定疾病 the disease 1–3; else space"),
        Field("valid_from", "適用開始日", "valid from", 8, "opt_date", False,
              "YYYYMMDD for a certificate granted, else spaces"),
        Field("valid_until", "有効期限", "valid until", 8, "opt_date", False,
              "YYYYMMDD (inclusive) for a certificate granted, else spaces"),
    ),
    factory=BenefitDecisionRecord,
    key_fields=("reception_no",),
    cross_check=_check,
)  # fmt: skip
LAYOUT = BENEFIT_DECISION


def dump_benefit_decision(
    records: Sequence[BenefitDecisionRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_benefit_decision(data: bytes, file_name: str) -> ParseResult[BenefitDecisionRecord]:
    return fixedwidth.parse(LAYOUT, data, file_name)
