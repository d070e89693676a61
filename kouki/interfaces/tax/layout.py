"""Field layout of the tax system's 所得・課税情報 file (CP932 fixed width, 128 bytes + CR LF)."""

from __future__ import annotations

from typing import Any

from kouki.interfaces.fixedwidth import Field, Layout, enum_codes
from kouki.interfaces.tax.record import TaxIncomeRecord, TaxRecordKind


def _check(v: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not 1900 <= v["income_year"] <= 2200:
        problems.append(("income_year", "所得年が範囲外です"))
    elif v["changed_on"].year < v["income_year"]:
        problems.append(("changed_on", "課税決定日が所得年より前です"))
    return problems


TAX_INCOME: Layout[TaxIncomeRecord] = Layout(
    file_code="31",
    title="個人住民税 所得・課税情報",
    record_length=128,
    fields=(
        Field("municipality_code", "市区町村コード", "municipality code", 5, "municipality", True,
              "5 digits, prefecture 01–47"),
        Field("addressee_no", "宛名番号", "addressee number", 15, "id", True, "ASCII digits, left-aligned"),
        Field("income_year", "所得年", "income year", 4, "int", True, "calendar year of the income"),
        Field("kind", "異動区分", "record kind", 1, "enum", True, enum_codes(TaxRecordKind), TaxRecordKind),
        Field("changed_on", "課税決定日", "decided / corrected on", 8, "date", True, "YYYYMMDD"),
        Field("public_pension_revenue", "公的年金等収入額", "public pension revenue", 12, "int", True, "yen"),
        Field("salary_revenue", "給与収入額", "salary revenue", 12, "int", True, "yen"),
        Field("other_income", "その他の合計所得金額", "other income", 12, "signed", True,
              "yen; '-' first when negative"),
        Field("taxable_income", "課税標準額", "taxable income", 12, "int", True, "yen (課税所得)"),
        Field("declared", "申告区分", "declared", 1, "bool", True, "1 申告あり, 0 未申告"),
    ),
    factory=TaxIncomeRecord,
    key_fields=("addressee_no", "income_year"),
    cross_check=_check,
)  # fmt: skip
