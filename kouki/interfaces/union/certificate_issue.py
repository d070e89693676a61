"""資格確認書発行用情報 (union → city, daily and yearly).

CP932 fixed width; layout in docs/interfaces/union-certificate-issue.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kouki.interfaces import fixedwidth
from kouki.interfaces.importing import ParseResult
from kouki.interfaces.union.layouts import CERTIFICATE_ISSUE
from kouki.interfaces.union.records import CertificateIssueRecord

LAYOUT = CERTIFICATE_ISSUE


def dump_certificate_issue(
    records: Sequence[CertificateIssueRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    """Header, records, trailer. municipality_code defaults to the first record's (required when empty)."""
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def parse_certificate_issue(data: bytes, file_name: str) -> ParseResult[CertificateIssueRecord]:
    """Every line validated; all errors collected (file, line, field, reason)."""
    return fixedwidth.parse(LAYOUT, data, file_name)
