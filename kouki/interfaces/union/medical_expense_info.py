"""療養費関連情報 (city → union, monthly): the details of the 療養費 applications taken in a month.

The city makes them from the application papers and sends them monthly (PIA L1311–1312 「療養費関連情報等：
当市で申請書等をもとに作成した療養費情報等」, L1346–1347 「月次の頻度」). One record per 療養費 application
(every case of kouki.rules.benefits.codes.MEDICAL_EXPENSE_KINDS), under the 受付番号 of its 申請情報: the
care period, the provider and what was paid, which the union's 審査 needs. The layout is kouki's own
(the union's is not public): docs/interfaces/union-medical-expense-info.md. CP932 fixed width, 256 bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kouki.interfaces import fixedwidth
from kouki.interfaces.fixedwidth import Field, Layout
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.application_info import KIND, RECEPTION_NO
from kouki.interfaces.union.layouts import ADDRESSEE, INSURED_NO, MUNICIPALITY
from kouki.rules.benefits.codes import MEDICAL_EXPENSE_KINDS, ApplicationKind


@dataclass(frozen=True)
class MedicalExpenseInfoRecord:
    municipality_code: str
    reception_no: str  # the 申請情報 this belongs to
    kind: ApplicationKind  # a 療養費 kind
    addressee_no: str
    insured_no: str
    report_month: str  # 報告年月 YYYYMM: the month whose applications the file carries
    care_from: date  # 療養（施術）開始日
    care_to: date  # 療養（施術）終了日
    days: int  # 実日数
    provider_name: str  # 医療機関・施術所・装具業者等の名称
    abroad: bool  # 海外療養費
    paid_on: date  # 支払日
    paid_amount: int  # 支払額 (yen; abroad: the yen amount of the translated receipt)


def month_of(text: str) -> tuple[int, int] | None:
    """(year, month) of a YYYYMM text, or None."""
    if len(text) != 6 or not text.isdigit() or not 1 <= int(text[4:]) <= 12:
        return None
    return int(text[:4]), int(text[4:])


def _check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if v["kind"] not in MEDICAL_EXPENSE_KINDS:
        problems.append(("kind", "療養費関連情報は療養費の申請種別（11–17）だけです"))
    if v["kind"] == ApplicationKind.ABROAD and not v["abroad"]:
        problems.append(("abroad", "海外療養費は海外区分 1 です"))
    if month_of(v["report_month"]) is None:
        problems.append(("report_month", "報告年月は YYYYMM です"))
    if v["care_to"] < v["care_from"]:
        problems.append(("care_to", "療養終了日が開始日より前です"))
    elif not 1 <= v["days"] <= (v["care_to"] - v["care_from"]).days + 1:
        problems.append(("days", "実日数は 1 以上、療養期間の日数以下です"))
    if v["paid_amount"] <= 0:
        problems.append(("paid_amount", "支払額は1円以上です"))
    return problems


MEDICAL_EXPENSE_INFO: Layout[MedicalExpenseInfoRecord] = Layout(
    file_code="18",
    title="療養費関連情報",
    record_length=256,
    fields=(
        MUNICIPALITY,
        RECEPTION_NO,
        KIND,
        ADDRESSEE,
        INSURED_NO,
        Field("report_month", "報告年月", "report month", 6, "digits", True, "YYYYMM"),
        Field("care_from", "療養開始日", "care from", 8, "date", True, "YYYYMMDD"),
        Field("care_to", "療養終了日", "care to", 8, "date", True, "YYYYMMDD, ≥ 療養開始日"),
        Field("days", "実日数", "days of care", 3, "int", True, "1 … the days of the period"),
        Field("provider_name", "医療機関等名称", "provider", 80, "text", True, "CP932 text"),
        Field("abroad", "海外区分", "abroad", 1, "bool", True, "1 海外 (required for 17), 0 国内"),
        Field("paid_on", "支払日", "paid on", 8, "date", True, "YYYYMMDD"),
        Field("paid_amount", "支払額", "amount paid", 9, "int", True, "yen, 9 digits, > 0"),
    ),
    factory=MedicalExpenseInfoRecord,
    key_fields=("reception_no",),
    cross_check=_check,
)  # fmt: skip
LAYOUT = MEDICAL_EXPENSE_INFO


def dump_medical_expense_info(
    records: Sequence[MedicalExpenseInfoRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_medical_expense_info(data: bytes, file_name: str) -> ParseResult[MedicalExpenseInfoRecord]:
    return fixedwidth.parse(LAYOUT, data, file_name)
