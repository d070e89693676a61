"""住所地特例者情報 (union → city, daily).

CP932 fixed width; layout in docs/interfaces/union-address-exception.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kouki.interfaces import fixedwidth
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.layouts import ADDRESS_EXCEPTION
from kouki.interfaces.union.records import AddressExceptionRecord

LAYOUT = ADDRESS_EXCEPTION


def dump_address_exception(
    records: Sequence[AddressExceptionRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    """Header, records, trailer. municipality_code defaults to the first record's (required when empty)."""
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_address_exception(data: bytes, file_name: str) -> ParseResult[AddressExceptionRecord]:
    """Every line validated; all errors collected (file, line, field, reason)."""
    return fixedwidth.parse(LAYOUT, data, file_name)
