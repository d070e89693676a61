"""Generic runner for files taken in from counterparts: parse → validate the whole file → apply atomically.

A file kind is a small object with `kind`, `parse(data, file_name)` and `apply(...)` (see `FileKind`).
`run_import` does the rest, the same way for every kind:

1. read the bytes, hash them (SHA-256);
2. a file of that kind with that hash already applied → "already imported", nothing changes (idempotent);
3. parse and validate every line; any error → a rejection report (UTF-8 CSV: file, line, field, reason) and
   an ImportRecord with status rejected, nothing else changes (no audit row either: the ImportRecord is the
   trace of the attempt, IN-06);
4. otherwise apply every record in ONE transaction together with the ImportRecord (applied) and one audit
   row; any exception during apply rolls all of it back and becomes a rejection;
5. warnings of an applied file (e.g. a 被保険者番号 whose 8th digit is not the ×2/×1 check digit, when
   KOUKI_INSURED_NO_CHECK_DIGIT is "warn") go to a warnings report (same CSV form, `.warnings-….csv`) and
   are counted on the ImportRecord (warning_count) and in the audit row. The report is written after the
   commit: a run killed in between leaves the file applied without it, so the next run of the same file
   ("already imported") writes it from the same bytes (`_rewrite_warnings`, docs/operations/crash-safety.md).

Reports are written whole or not at all (kouki.core.outbox.write_whole: a hidden temporary file, fsynced,
renamed); a temporary report a crash left behind is removed by the next report of the same file.

Reasons in reports are passed through `redact` so that nothing resembling a personal number is written.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.faults import fault_point
from kouki.core.outbox import TEMP_SUFFIX, write_whole
from kouki.interfaces.models import ImportRecord, ImportStatus
from kouki.privacy.audit import audit_record, digest_for_audit
from kouki.privacy.context import Actor
from kouki.privacy.redaction import redact

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class LineError:
    """One problem in an input file; line 0 = the file as a whole. reason never holds a personal number."""

    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} [{self.field}] {self.reason}"


@dataclass
class ParseResult(Generic[T]):
    """Records of a file in file order, with the line each came from, and every error found."""

    file_name: str
    variant: str
    line_count: int
    records: list[T] = field(default_factory=list)
    record_lines: list[int] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    warnings: list[LineError] = field(default_factory=list)  # recorded, the file is still applied

    @property
    def ok(self) -> bool:
        return not self.errors


class ApplyError(Exception):
    """Raised by an apply step for a record that cannot be applied; the whole file is rejected."""

    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(f"line {line} [{field}] {reason}")
        self.line = line
        self.field = field
        self.reason = reason


class WrongFileKind(ValueError):
    """The file is not of the kind it was taken in as (its header names another file); nothing recorded."""


@dataclass
class ApplySummary:
    """What an apply step did. `counts` holds kind-specific tallies (e.g. pending_numbers)."""

    applied: int = 0
    skipped: int = 0
    counts: dict[str, int] = field(default_factory=dict)


class FileKind(Protocol[T]):
    """What a file kind provides to the runner."""

    @property
    def kind(self) -> str: ...

    def parse(self, data: bytes, file_name: str) -> ParseResult[T]: ...

    def apply(self, *, actor: Actor, parsed: ParseResult[T], import_record: ImportRecord) -> ApplySummary:
        """Apply every record; runs inside the runner's transaction. Raise ApplyError to reject the file."""
        ...


class Outcome(StrEnum):
    APPLIED = "applied"
    REJECTED = "rejected"
    ALREADY_IMPORTED = "already_imported"


@dataclass
class ImportOutcome:
    outcome: Outcome
    file_name: str
    sha256: str
    import_record: ImportRecord | None
    line_count: int = 0
    record_count: int = 0
    summary: ApplySummary | None = None
    errors: list[LineError] = field(default_factory=list)
    report_path: Path | None = None
    warnings: list[LineError] = field(default_factory=list)  # of an applied file
    warnings_path: Path | None = None


REPORT_HEADER = ("ファイル", "行", "項目", "理由")


def render_report(errors: Sequence[LineError]) -> bytes:
    """A rejection report as UTF-8 CSV (with BOM, so that spreadsheet software shows the Japanese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REPORT_HEADER)
    for e in errors:
        writer.writerow((e.file, e.line, e.field, redact(e.reason)))
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _report_dir(path: Path, report_dir: Path | None) -> Path:
    return report_dir if report_dir is not None else path.parent


def _reports(path: Path, report_dir: Path | None, what: str, temporary: bool = False) -> list[Path]:
    """The `what` reports of the file at `path` in its report folder (or the hidden temporary files of
    reports a crash left behind)."""
    directory = _report_dir(path, report_dir)
    name = f"{glob.escape(path.name)}.{what}-*"
    pattern = f".{name}{TEMP_SUFFIX}" if temporary else f"{name}.csv"
    return sorted(directory.glob(pattern)) if directory.is_dir() else []


def _write_report(
    path: Path, errors: Sequence[LineError], report_dir: Path | None, what: str = "rejected"
) -> Path:
    directory = _report_dir(path, report_dir)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in _reports(path, report_dir, what, temporary=True):
        stale.unlink(missing_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    target = directory / f"{path.name}.{what}-{stamp}.csv"
    n = 1
    while target.exists():
        n += 1
        target = directory / f"{path.name}.{what}-{stamp}-{n}.csv"
    write_whole(target, render_report(errors))
    return target


def _record(
    kind: str,
    path: Path,
    sha: str,
    status: ImportStatus,
    actor: Actor,
    line_count: int,
    applied: int = 0,
    errors: int = 0,
) -> ImportRecord:
    return ImportRecord.objects.create(
        kind=kind,
        file_name=path.name[:255],
        sha256=sha,
        status=status,
        line_count=line_count,
        applied_count=applied,
        error_count=errors,
        imported_at=timezone.now(),
        imported_by=actor.username,
    )


def _reject(
    kind: FileKind[T],
    path: Path,
    sha: str,
    actor: Actor,
    line_count: int,
    record_count: int,
    errors: list[LineError],
    report_dir: Path | None,
) -> ImportOutcome:
    report = _write_report(path, errors, report_dir)
    with transaction.atomic():
        record = _record(kind.kind, path, sha, ImportStatus.REJECTED, actor, line_count, errors=len(errors))
    return ImportOutcome(
        Outcome.REJECTED, path.name, sha, record, line_count, record_count, None, errors, report
    )


def already_applied(kind: str, sha256: str) -> ImportRecord | None:
    return ImportRecord.objects.filter(kind=kind, sha256=sha256, status=ImportStatus.APPLIED).first()


def _rewrite_warnings(
    kind: FileKind[T], path: Path, data: bytes, previous: ImportRecord, report_dir: Path | None
) -> tuple[list[LineError], Path | None]:
    """The warnings report of an applied file whose report folder does not hold it — its run was killed
    between the commit and the report — written again from the same bytes (the same SHA-256), if they
    give the warnings the ImportRecord counted (not when the check-digit setting changed since). Returns
    the warnings and the report written again; nothing when it was not."""
    if previous.warning_count == 0:
        return [], None
    warnings = kind.parse(data, path.name).warnings
    if len(warnings) != previous.warning_count:
        return [], None
    rendered = render_report(warnings)
    if any(report.read_bytes() == rendered for report in _reports(path, report_dir, "warnings")):
        return [], None
    return list(warnings), _write_report(path, warnings, report_dir, "warnings")


def run_import(
    *, actor: Actor, kind: FileKind[T], path: Path, report_dir: Path | None = None
) -> ImportOutcome:
    """Take in one file of the given kind. Never raises for bad content: the outcome says what happened."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    previous = already_applied(kind.kind, sha)
    if previous is not None:
        warnings, warnings_path = _rewrite_warnings(kind, path, data, previous, report_dir)
        return ImportOutcome(Outcome.ALREADY_IMPORTED, path.name, sha, previous, previous.line_count,
                             warnings=warnings, warnings_path=warnings_path)  # fmt: skip

    parsed = kind.parse(data, path.name)
    fault_point("after-read", path.name)  # crash tests only (kouki.core.faults)
    if parsed.errors:
        return _reject(
            kind, path, sha, actor, parsed.line_count, len(parsed.records), parsed.errors, report_dir
        )

    try:
        with transaction.atomic():
            record = _record(kind.kind, path, sha, ImportStatus.APPLIED, actor, parsed.line_count)
            summary = kind.apply(actor=actor, parsed=parsed, import_record=record)
            record.applied_count = summary.applied
            record.warning_count = len(parsed.warnings)
            record.save(update_fields=["applied_count", "warning_count"])
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT_APPLIED,
                target_type=AuditTarget.IMPORT_RECORD,
                target_id=str(record.pk),
                detail={
                    "kind": kind.kind,
                    "file_name": redact(path.name),
                    "sha256": digest_for_audit(sha),
                    "records": len(parsed.records),
                    "applied": summary.applied,
                    "skipped": summary.skipped,
                    "warnings": len(parsed.warnings),
                    **summary.counts,
                },
            )
            fault_point("before-commit", path.name)
    except ApplyError as exc:
        error = LineError(path.name, exc.line, exc.field, exc.reason)
        return _reject(kind, path, sha, actor, parsed.line_count, len(parsed.records), [error], report_dir)
    except IntegrityError:
        concurrent = already_applied(kind.kind, sha)
        if concurrent is not None:  # the same file was applied by another run meanwhile
            return ImportOutcome(Outcome.ALREADY_IMPORTED, path.name, sha, concurrent, concurrent.line_count)
        error = LineError(path.name, 0, "(反映)", "データベースの整合性制約に違反したため取込を中止しました")
        return _reject(kind, path, sha, actor, parsed.line_count, len(parsed.records), [error], report_dir)
    except Exception as exc:  # any failure while applying rejects the whole file; nothing stays applied
        reason = f"反映中にエラーが発生したため取込を中止しました: {type(exc).__name__}: {redact(str(exc))}"
        error = LineError(path.name, 0, "(反映)", reason)
        return _reject(kind, path, sha, actor, parsed.line_count, len(parsed.records), [error], report_dir)
    fault_point("after-commit", path.name)
    warnings_path = None
    if parsed.warnings:
        warnings_path = _write_report(path, parsed.warnings, report_dir, "warnings")
    return ImportOutcome(
        Outcome.APPLIED, path.name, sha, record, parsed.line_count, len(parsed.records), summary,
        warnings=list(parsed.warnings), warnings_path=warnings_path,
    )  # fmt: skip
