"""所得・課税情報 (city → union, yearly; corrections monthly).

CP932 fixed width; layout in docs/interfaces/union-income-info.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kouki.interfaces import fixedwidth
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.layouts import INCOME_INFO
from kouki.interfaces.union.records import IncomeInfoRecord

LAYOUT = INCOME_INFO


def dump_income_info(
    records: Sequence[IncomeInfoRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    """Header, records, trailer. municipality_code defaults to the first record's (required when empty)."""
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_income_info(data: bytes, file_name: str) -> ParseResult[IncomeInfoRecord]:
    """Every line validated; all errors collected (file, line, field, reason)."""
    return fixedwidth.parse(LAYOUT, data, file_name)
