"""期割情報 (city → union, monthly): the city's instalment plans (期割) of the people whose plan changed.

The assessment names 期割 among the data of transfer #1 (「所得 and 期割 monthly」, domain-facts-next §4,
PIA L1252–L1347). One record per instalment (期別) of an in-force plan. The file of a month carries every
plan made since the previous file (a new assessment's plan or a re-plan after a 更正): for each
(宛名番号, 賦課年度) in the file, the union replaces every instalment it holds with the file's. A plan with
no instalment left (every instalment cancelled by the re-plan) is sent as one record with 期別 00 and
金額 0 (取消). CP932 fixed width, 128 bytes; layout in docs/interfaces/union-instalment-info.md.
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


class CollectionMethod(StrEnum):
    DIRECT = "1"  # 普通徴収
    PENSION = "2"  # 特別徴収
    NONE = "0"  # 取消 (the plan has no instalment left)


@dataclass(frozen=True)
class InstalmentInfoRecord:
    municipality_code: str
    addressee_no: str
    insured_no: str
    fiscal_year: int
    plan_no: int  # the city's plan id (never a personal number)
    annual_amount: int  # 年間徴収額 of the plan, yen
    method: CollectionMethod
    period: int  # 期別 (普通徴収 1, 2 …; 特別徴収 1–6 in pension-month order); 0 for 取消
    month: str  # YYYYMM: the month of the instalment (特別徴収: the pension month); 000000 for 取消
    due_date: date | None  # 納期限; none for 取消
    amount: int  # yen


def _check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    cancelled = v["method"] == CollectionMethod.NONE
    if cancelled:
        if v["period"] != 0 or v["amount"] != 0 or v["due_date"] is not None:
            problems.append(("method", "取消 (0) は期別 00、金額 0、納期限なしです"))
        return problems
    if v["period"] < 1:
        problems.append(("period", "期別は 01 以上です"))
    if v["amount"] < 0:
        problems.append(("amount", "金額は 0 円以上です"))
    if v["due_date"] is None:
        problems.append(("due_date", "納期限がありません"))
    month = v["month"]
    if not (len(month) == 6 and 1 <= int(month[4:]) <= 12):
        problems.append(("month", "月は YYYYMM です"))
    return problems


INSTALMENT_INFO: Layout[InstalmentInfoRecord] = Layout(
    file_code="19",
    title="期割情報",
    record_length=128,
    fields=(
        MUNICIPALITY,
        ADDRESSEE,
        INSURED_NO,
        Field("fiscal_year", "賦課年度", "fiscal year", 4, "int", True, "fiscal year (April–March)"),
        Field("plan_no", "期割番号", "plan number", 10, "int", True,
              "the city's instalment plan id; the same for every instalment of one plan"),
        Field("annual_amount", "年間徴収額", "annual amount", 9, "int", True, "yen, the plan's total"),
        Field("method", "徴収方法", "collection method", 1, "enum", True, enum_codes(CollectionMethod),
              CollectionMethod),
        Field("period", "期別", "instalment period", 2, "int", True, "01–; 00 for 取消"),
        Field("month", "月", "month", 6, "digits", True, "YYYYMM (特別徴収: pension month); 000000 for 取消"),
        Field("due_date", "納期限", "due date", 8, "opt_date", False, "YYYYMMDD; spaces for 取消"),
        Field("amount", "金額", "amount", 9, "int", True, "yen, 9 digits"),
    ),
    factory=InstalmentInfoRecord,
    key_fields=("addressee_no", "fiscal_year", "method", "period"),
    cross_check=_check,
)
LAYOUT = INSTALMENT_INFO


def dump_instalment_info(
    records: Sequence[InstalmentInfoRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_instalment_info(data: bytes, file_name: str) -> ParseResult[InstalmentInfoRecord]:
    return fixedwidth.parse(LAYOUT, data, file_name)
