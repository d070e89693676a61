"""住民基本台帳情報 (city → union, daily; one record per household member).

CP932 fixed width; layout in docs/interfaces/union-resident-info.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kouki.interfaces import fixedwidth
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.layouts import RESIDENT_INFO
from kouki.interfaces.union.records import ResidentInfoRecord

LAYOUT = RESIDENT_INFO


def dump_resident_info(
    records: Sequence[ResidentInfoRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    """Header, records, trailer. municipality_code defaults to the first record's (required when empty)."""
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_resident_info(data: bytes, file_name: str) -> ParseResult[ResidentInfoRecord]:
    """Every line validated; all errors collected (file, line, field, reason)."""
    return fixedwidth.parse(LAYOUT, data, file_name)
