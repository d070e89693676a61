"""滞納者情報 (city → union, daily): everyone with an instalment past due and unpaid on the base date.

Each file is the full list on its base date (基準日), one record per person and fiscal year: the union
replaces its whole arrears list with it (a person not in the file is not in arrears). CP932 fixed
width, 128 bytes; layout in docs/interfaces/union-arrears-info.md. Transfer #1 of the assessment
(滞納, daily; requirements.md §5) and collection function (3)⑦.
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


class PledgeState(StrEnum):
    ACTIVE = "1"  # 分納誓約 履行中
    KEPT = "2"  # 完了
    BROKEN = "3"  # 不履行


@dataclass(frozen=True)
class ArrearsInfoRecord:
    municipality_code: str
    addressee_no: str
    insured_no: str
    base_date: date  # 基準日
    fiscal_year: int
    unpaid_periods: int  # instalments past due and unpaid
    oldest_due: date
    unpaid_amount: int  # yen
    last_reminder_on: date | None  # latest 督促状 of these instalments
    pledge: PledgeState | None  # the person's latest 分納誓約, if any


def _check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if v["unpaid_periods"] < 1:
        problems.append(("unpaid_periods", "未納期数は1以上です"))
    if v["unpaid_amount"] <= 0:
        problems.append(("unpaid_amount", "未納額は1円以上です"))
    if v["oldest_due"] >= v["base_date"]:
        problems.append(("oldest_due", "最古納期限が基準日より前ではありません"))
    return problems


ARREARS_INFO: Layout[ArrearsInfoRecord] = Layout(
    file_code="16",
    title="滞納者情報",
    record_length=128,
    fields=(
        MUNICIPALITY,
        ADDRESSEE,
        INSURED_NO,
        Field("base_date", "基準日", "base date", 8, "date", True, "YYYYMMDD; the same in every record"),
        Field("fiscal_year", "賦課年度", "fiscal year", 4, "int", True, "fiscal year of the instalments"),
        Field("unpaid_periods", "未納期数", "unpaid instalments", 2, "int", True, "≥ 1"),
        Field("oldest_due", "最古納期限", "oldest due date", 8, "date", True, "YYYYMMDD, before 基準日"),
        Field("unpaid_amount", "未納額", "unpaid amount", 9, "int", True, "yen, 9 digits, > 0"),
        Field("last_reminder_on", "督促状発付日", "last reminder", 8, "opt_date", False,
              "YYYYMMDD or spaces"),
        Field("pledge", "分納誓約状態", "payment pledge", 1, "opt_enum", False,
              enum_codes(PledgeState) + "; space: none", PledgeState),
    ),
    factory=ArrearsInfoRecord,
    key_fields=("addressee_no", "fiscal_year"),
    cross_check=_check,
)
LAYOUT = ARREARS_INFO


def dump_arrears_info(
    records: Sequence[ArrearsInfoRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_arrears_info(data: bytes, file_name: str) -> ParseResult[ArrearsInfoRecord]:
    return fixedwidth.parse(LAYOUT, data, file_name)
