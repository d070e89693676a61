"""届出情報 (city → union, daily).

CP932 fixed width; layout in docs/interfaces/union-notification-info.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kouki.interfaces import fixedwidth
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.layouts import NOTIFICATION_INFO
from kouki.interfaces.union.records import NotificationInfoRecord

LAYOUT = NOTIFICATION_INFO


def dump_notification_info(
    records: Sequence[NotificationInfoRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    """Header, records, trailer. municipality_code defaults to the first record's (required when empty)."""
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_notification_info(data: bytes, file_name: str) -> ParseResult[NotificationInfoRecord]:
    """Every line validated; all errors collected (file, line, field, reason)."""
    return fixedwidth.parse(LAYOUT, data, file_name)
