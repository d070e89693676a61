"""特別徴収結果 (union → city, after each pension payment): per person and pension month, what the
pension payer deducted (特別徴収額) or why nothing was deducted (未徴収事由).

The union relays the pension payers' results (requirements.md §1.3 (3)② 特別徴収結果). CP932 fixed
width, 128 bytes; layout in docs/interfaces/union-pension-result.md. Taken in by
kouki.arrears.importers.import_pension_result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from kouki.interfaces import fixedwidth
from kouki.interfaces.fixedwidth import Field, Layout, enum_codes
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.layouts import ADDRESSEE, INSURED_NO, MUNICIPALITY

PENSION_MONTHS = (4, 6, 8, 10, 12, 2)


class DeductionResult(StrEnum):
    DEDUCTED = "1"  # 徴収済
    NOT_DEDUCTED = "2"  # 未徴収


class NotDeductedReason(StrEnum):
    DEATH = "01"  # 死亡
    PENSION_STOPPED = "02"  # 年金支給停止
    PENSION_INSUFFICIENT = "03"  # 年金額不足
    LOST_ELIGIBILITY = "04"  # 資格喪失
    MOVED_OUT = "05"  # 転出
    OTHER = "09"  # その他


@dataclass(frozen=True)
class PensionResultRecord:
    municipality_code: str
    addressee_no: str
    insured_no: str
    fiscal_year: int
    pension_month: str  # YYYYMM, an even month of the fiscal year (April … February)
    result: DeductionResult
    deducted: int  # yen; 0 when not deducted
    reason: NotDeductedReason | None  # only when not deducted


def pension_month_of(text: str) -> tuple[int, int] | None:
    """(year, month) of a YYYYMM pension month, or None when it is not an even month."""
    year, month = int(text[:4]), int(text[4:])
    return (year, month) if month in PENSION_MONTHS else None


def _check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    ym = pension_month_of(v["pension_month"])
    if ym is None:
        problems.append(("pension_month", "年金支払月は偶数月 (YYYYMM) です"))
    elif (ym[0] if ym[1] >= 4 else ym[0] - 1) != v["fiscal_year"]:
        problems.append(("pension_month", "年金支払月が賦課年度に含まれません"))
    if v["result"] == DeductionResult.DEDUCTED:
        if v["deducted"] <= 0:
            problems.append(("deducted", "徴収済なのに特別徴収額が0です"))
        if v["reason"] is not None:
            problems.append(("reason", "徴収済には未徴収事由を付けません"))
    else:
        if v["deducted"] != 0:
            problems.append(("deducted", "未徴収なのに特別徴収額があります"))
        if v["reason"] is None:
            problems.append(("reason", "未徴収には未徴収事由が必須です"))
    return problems


PENSION_RESULT: Layout[PensionResultRecord] = Layout(
    file_code="25",
    title="特別徴収結果",
    record_length=128,
    fields=(
        MUNICIPALITY,
        ADDRESSEE,
        INSURED_NO,
        Field("fiscal_year", "賦課年度", "fiscal year", 4, "int", True, "fiscal year (April–March)"),
        Field("pension_month", "年金支払月", "pension month", 6, "digits", True,
              "YYYYMM, even month of the fiscal year"),
        Field("result", "徴収結果", "result", 1, "enum", True, enum_codes(DeductionResult), DeductionResult),
        Field("deducted", "特別徴収額", "deducted amount", 9, "int", True,
              "yen, 9 digits; 0 when not deducted"),
        Field("reason", "未徴収事由", "reason not deducted", 2, "opt_enum", False,
              enum_codes(NotDeductedReason) + "; spaces when deducted", NotDeductedReason),
    ),
    factory=PensionResultRecord,
    key_fields=("addressee_no", "fiscal_year", "pension_month"),
    cross_check=_check,
)
LAYOUT = PENSION_RESULT


def dump_pension_result(
    records: Sequence[PensionResultRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_pension_result(data: bytes, file_name: str) -> ParseResult[PensionResultRecord]:
    return fixedwidth.parse(LAYOUT, data, file_name)
