"""The three union → city files as kinds of the generic import runner (kouki.interfaces.importing):
被保険者情報, 資格確認書発行用情報, 住所地特例者情報. Each import is atomic and idempotent (same file
twice changes nothing) and any bad line or unknown 宛名番号 rejects the whole file with a report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from kouki.addressees.errors import UnknownAddressee
from kouki.eligibility.services import (
    StoreSummary,
    address_exceptions_store,
    certificate_requests_store,
    insured_periods_store,
)
from kouki.interfaces.encodings import encoding_problem
from kouki.interfaces.fixedwidth.errors import FILE_FIELD
from kouki.interfaces.importing import (
    ApplyError,
    ApplySummary,
    ImportOutcome,
    LineError,
    ParseResult,
    WrongFileKind,
    run_import,
)
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.union.address_exception import parse_address_exception
from kouki.interfaces.union.certificate_issue import parse_certificate_issue
from kouki.interfaces.union.files import detect_kind
from kouki.interfaces.union.insured_info import parse_insured_info
from kouki.interfaces.union.records import AddressExceptionRecord, CertificateIssueRecord, InsuredInfoRecord
from kouki.privacy.context import Actor

R = TypeVar("R")


class UnionFileKind(Generic[R]):
    """A union → city file: the union's codec parses, an eligibility service stores."""

    def __init__(self, kind: str, parser: Callable[[bytes, str], ParseResult[R]],
                 store: Callable[..., StoreSummary]) -> None:
        self._kind = kind
        self._parser = parser
        self._store = store

    @property
    def kind(self) -> str:
        return self._kind

    def parse(self, data: bytes, file_name: str) -> ParseResult[R]:
        return self._parser(data, file_name)

    def apply(self, *, actor: Actor, parsed: ParseResult[R], import_record: ImportRecord) -> ApplySummary:
        records: Sequence[R] = parsed.records
        try:
            result = self._store(actor=actor, records=records, import_record=import_record)
        except UnknownAddressee as exc:
            raise ApplyError(parsed.record_lines[exc.index], "addressee_no", exc.reason) from None
        return ApplySummary(applied=result.stored, skipped=result.unchanged)


INSURED_INFO: UnionFileKind[InsuredInfoRecord] = UnionFileKind(
    "union_insured_info", parse_insured_info, insured_periods_store)
CERTIFICATE_ISSUE: UnionFileKind[CertificateIssueRecord] = UnionFileKind(
    "union_certificate_issue", parse_certificate_issue, certificate_requests_store)
ADDRESS_EXCEPTION: UnionFileKind[AddressExceptionRecord] = UnionFileKind(
    "union_address_exception", parse_address_exception, address_exceptions_store)

# detect_kind keys (kouki.interfaces.union.files.UNION_TO_CITY) → file kinds
KINDS_BY_FILE: dict[str, UnionFileKind[Any]] = {
    "insured-info": INSURED_INFO,
    "certificate-issue": CERTIFICATE_ISSUE,
    "address-exception": ADDRESS_EXCEPTION,
}


class NotAUnionFile(WrongFileKind):
    pass


class UnreadableUnionFile:
    """A file taken in as a union file whose header cannot be read because the file is not CP932 text at
    all (empty, UTF-16, binary): rejected with that reason under the kind `union_file` (issue 16 §4), as
    any other rejection (a report and one ImportRecord), instead of "not a union file"."""

    kind = "union_file"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def parse(self, data: bytes, file_name: str) -> ParseResult[Any]:
        result: ParseResult[Any] = ParseResult(file_name, "unknown", 0)
        result.errors.append(LineError(file_name, 0, FILE_FIELD, self.reason))
        return result

    def apply(self, *, actor: Actor, parsed: ParseResult[Any], import_record: ImportRecord) -> ApplySummary:
        raise AssertionError("an unreadable file is never applied")  # parse always reports its error


def unreadable_reason(data: bytes) -> str | None:
    """Why a file whose union header was not found cannot be text at all, or None (another kind of file)."""
    if not data.strip(b"\r\n\x1a"):
        return "ファイルが空です"
    return encoding_problem(data, "cp932")


def import_union_file(*, actor: Actor, path: Path, report_dir: Path | None = None) -> ImportOutcome:
    """Import one union → city file; its kind is read from the header (ファイル種別).

    Raises NotAUnionFile when the header of a readable file names no union → city file (nothing is recorded
    then); a file that is not text at all (empty, another encoding, binary) is rejected (UnreadableUnionFile).
    """
    data = path.read_bytes()
    file_kind = KINDS_BY_FILE.get(detect_kind(data[:64]) or "")
    if file_kind is None:
        reason = unreadable_reason(data)
        if reason is not None:
            return run_import(actor=actor, kind=UnreadableUnionFile(reason), path=path, report_dir=report_dir)
        raise NotAUnionFile(
            f"{path.name}: not a union → city file (被保険者情報, 資格確認書発行用情報, 住所地特例者情報)")
    kind: UnionFileKind[Any] = file_kind
    return run_import(actor=actor, kind=kind, path=path, report_dir=report_dir)
