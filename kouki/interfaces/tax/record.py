"""One record of the tax system's 所得・課税情報 file: one person's resident-tax income for one year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class TaxRecordKind(StrEnum):
    INITIAL = "1"  # 当初 (the yearly file in June)
    CORRECTION = "2"  # 更正 (corrections, up to twice a month)


@dataclass(frozen=True)
class TaxIncomeRecord:
    municipality_code: str
    addressee_no: str  # 宛名番号: the tax system shares the city's addressee numbers
    income_year: int  # 所得年 (calendar year of the income; 課税年度 = income_year + 1)
    kind: TaxRecordKind
    changed_on: date  # 課税決定日 / 更正日
    public_pension_revenue: int  # 公的年金等収入額
    salary_revenue: int  # 給与収入額
    other_income: int  # その他の合計所得金額 (may be negative)
    taxable_income: int  # 課税標準額 (課税所得)
    declared: bool  # False: 未申告
