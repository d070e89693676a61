"""被保険者情報 (union → city, daily).

CP932 fixed width; layout in docs/interfaces/union-insured-info.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kouki.interfaces import fixedwidth
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.layouts import INSURED_INFO
from kouki.interfaces.union.records import InsuredInfoRecord

LAYOUT = INSURED_INFO


def dump_insured_info(
    records: Sequence[InsuredInfoRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    """Header, records, trailer. municipality_code defaults to the first record's (required when empty)."""
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_insured_info(data: bytes, file_name: str) -> ParseResult[InsuredInfoRecord]:
    """Every line validated; all errors collected (file, line, field, reason)."""
    return fixedwidth.parse(LAYOUT, data, file_name)
