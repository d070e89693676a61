"""The import runner's reports (kouki.interfaces.importing): written whole (a hidden temporary file renamed),
a temporary one a crash left behind removed by the next report of the same file, and the warnings report of
a file applied by a run killed before writing it written by the next run of that file ("already imported").
The crash itself is tests/faults/test_imports_crash.py's; here the runner with a file kind of its own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from kouki.interfaces.importing import (
    ApplySummary,
    LineError,
    Outcome,
    ParseResult,
    render_report,
    run_import,
)
from kouki.interfaces.models import ImportRecord
from kouki.privacy.context import Actor

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test-import-reports")


@dataclass
class Lines:
    """A file of lines; a line starting with "?" is applied with a warning (unless `warn` is off, as
    when the check-digit setting changed since the file was applied)."""

    warn: bool = True
    kind: str = "test_lines"

    def parse(self, data: bytes, file_name: str) -> ParseResult[str]:
        lines = data.decode().splitlines()
        result: ParseResult[str] = ParseResult(file_name, "lines", len(lines), records=lines,
                                               record_lines=list(range(1, len(lines) + 1)))  # fmt: skip
        if self.warn:
            result.warnings = [LineError(file_name, n, "value", "確認してください")
                               for n, line in enumerate(lines, start=1) if line.startswith("?")]  # fmt: skip
        return result

    def apply(self, *, actor: Actor, parsed: ParseResult[str], import_record: ImportRecord) -> ApplySummary:
        return ApplySummary(applied=len(parsed.records))


def _file(tmp_path: Path, text: str = "a\n?b\nc\n?d\n") -> Path:
    path = tmp_path / "in" / "lines.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def _reports(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_warnings_report_is_written_whole_and_a_crash_leftover_is_removed(tmp_path: Path) -> None:
    path, reports = _file(tmp_path), tmp_path / "reports"
    reports.mkdir()
    leftover = reports / f".{path.name}.warnings-20250101000000.csv.x1y2.tmp"  # a crash mid-write left it
    leftover.write_bytes(b"\xef\xbb\xbf")
    outcome = run_import(actor=ACTOR, kind=Lines(), path=path, report_dir=reports)
    assert outcome.outcome == Outcome.APPLIED and [w.line for w in outcome.warnings] == [2, 4]
    assert _reports(reports) == [outcome.warnings_path]
    assert outcome.warnings_path.read_bytes() == render_report(outcome.warnings)


def test_the_run_after_a_crash_before_the_report_writes_it(tmp_path: Path) -> None:
    path, reports = _file(tmp_path), tmp_path / "reports"
    first = run_import(actor=ACTOR, kind=Lines(), path=path, report_dir=reports)
    assert first.warnings_path is not None
    written = first.warnings_path.read_bytes()
    first.warnings_path.unlink()  # killed after the commit, before the report
    again = run_import(actor=ACTOR, kind=Lines(), path=path, report_dir=reports)
    assert again.outcome == Outcome.ALREADY_IMPORTED and again.import_record == first.import_record
    assert again.warnings_path is not None and [p.read_bytes() for p in _reports(reports)] == [written]
    assert ImportRecord.objects.count() == 1

    third = run_import(actor=ACTOR, kind=Lines(), path=path, report_dir=reports)  # it is there now
    assert third.outcome == Outcome.ALREADY_IMPORTED and third.warnings_path is None
    assert _reports(reports) == [again.warnings_path]


def test_no_report_again_for_a_file_without_warnings_or_whose_warnings_changed(tmp_path: Path) -> None:
    quiet, reports = _file(tmp_path, "a\nb\n"), tmp_path / "reports"
    assert run_import(actor=ACTOR, kind=Lines(), path=quiet, report_dir=reports).warnings_path is None
    assert run_import(actor=ACTOR, kind=Lines(), path=quiet, report_dir=reports).warnings_path is None
    assert _reports(reports) == []

    warned = _file(tmp_path)
    first = run_import(actor=ACTOR, kind=Lines(), path=warned, report_dir=reports)
    assert first.warnings_path is not None
    first.warnings_path.unlink()
    # the same bytes no longer give the warnings counted (the setting changed): nothing to write from
    again = run_import(actor=ACTOR, kind=Lines(warn=False), path=warned, report_dir=reports)
    assert again.outcome == Outcome.ALREADY_IMPORTED and again.warnings_path is None
    assert _reports(reports) == []
