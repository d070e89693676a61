"""保険料情報 (union → city, monthly; the 当初賦課 in July, 更正 afterwards).

CP932 fixed width; layout in docs/interfaces/union-premium-info.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kouki.interfaces import fixedwidth
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.layouts import PREMIUM_INFO
from kouki.interfaces.union.records import PremiumInfoRecord

LAYOUT = PREMIUM_INFO


def dump_premium_info(
    records: Sequence[PremiumInfoRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    """Header, records, trailer. municipality_code defaults to the first record's (required when empty)."""
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_premium_info(data: bytes, file_name: str) -> ParseResult[PremiumInfoRecord]:
    """Every line validated; all errors collected (file, line, field, reason)."""
    return fixedwidth.parse(LAYOUT, data, file_name)
