"""住登外登録情報 (city → union, daily).

CP932 fixed width; layout in docs/interfaces/union-non-resident-info.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kouki.interfaces import fixedwidth
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.layouts import NON_RESIDENT_INFO
from kouki.interfaces.union.records import NonResidentInfoRecord

LAYOUT = NON_RESIDENT_INFO


def dump_non_resident_info(
    records: Sequence[NonResidentInfoRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    """Header, records, trailer. municipality_code defaults to the first record's (required when empty)."""
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_non_resident_info(data: bytes, file_name: str) -> ParseResult[NonResidentInfoRecord]:
    """Every line validated; all errors collected (file, line, field, reason)."""
    return fixedwidth.parse(LAYOUT, data, file_name)
