"""Codec of the tax system's 所得・課税情報 file (layout in docs/interfaces/tax-income.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kouki.interfaces import fixedwidth
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.tax.layout import TAX_INCOME
from kouki.interfaces.tax.record import TaxIncomeRecord


def dump_tax_income(
    records: Sequence[TaxIncomeRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    """Header, records, trailer (the tax system's side; used by the sandbox and the tests)."""
    return fixedwidth.dump(TAX_INCOME, records, created_on=created_on, municipality_code=municipality_code)


def parse_tax_income(data: bytes, file_name: str) -> ParseResult[TaxIncomeRecord]:
    """Every line validated; all errors collected (file, line, field, reason)."""
    return fixedwidth.parse(TAX_INCOME, data, file_name)
