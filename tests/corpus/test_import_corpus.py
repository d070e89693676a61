"""Bad input never changes anything (issue 16 §4; IN-06): every importer of `kouki import` is fed its own
valid sample broken one way at a time. Each case: a non-zero exit, a message naming the file, the line,
the field and the reason, and every table byte-for-byte as before apart from the one rejection record
(ImportRecord, status rejected).

The samples (corpus/samples.py) come from the codecs' writers and the simulators; the breakages
(corpus/breakage.py) mutate them. A breakage a format cannot have (a check digit in a format without one,
a count in the CSV variant without header and trailer) is listed in NOT_APPLICABLE and checked to be
absent, never skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction

from corpus.breakage import GENERIC, SPECIFIC, Broken, Sample, specific
from corpus.dbdump import changed_tables, dump
from corpus.samples import NEEDS_KNOWN_PERSON, SAMPLES
from kouki.cli import main
from kouki.interfaces.models import ImportRecord, ImportStatus
from kouki.privacy.models import BatchRunner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("operator")]

NOT_APPLICABLE: dict[tuple[str, str], str] = {
    ("resident-csv", "count-mismatch"): "the CSV variant has no header or trailer count",
    ("tax-income", "bad-check-digit"): "no field of the tax file carries a check digit",
    ("debit-result", "bad-check-digit"): "no field of a Zengin result carries a check digit",
    ("transfer-result", "bad-check-digit"): "no field of a Zengin result carries a check digit",
}
# change codes needing a known person, per format ("-": the format's only kind of record)
UNKNOWN_PERSON: dict[str, tuple[str, ...]] = {
    "resident-fixed": NEEDS_KNOWN_PERSON,
    "resident-csv": NEEDS_KNOWN_PERSON,
    "tax-income": ("-",),
    "union-insured-info": ("-",),
    "union-certificate-issue": ("-",),
    "union-address-exception": ("-",),
    "premium-info": ("-",),
    "pension-result": ("-",),
    "debit-result": ("-",),  # a 顧客番号 the city never asked the bank to debit
    "transfer-result": ("-",),  # a 顧客コード the city never asked the bank to pay
}
# benefit-decision: keyed by 受付番号, refers to no person at import (interfaces.models.BenefitDecision);
# store-report: a slip the city does not know is money received, booked to the 要確認 worklist by design.
UNKNOWN_BY_DESIGN = {"benefit-decision", "store-report"}

CASES = [
    pytest.param(fmt, name, id=f"{fmt}-{name}")
    for fmt in SAMPLES
    for name in (*GENERIC, *SPECIFIC)
    if (fmt, name) not in NOT_APPLICABLE
] + [
    pytest.param(fmt, f"unknown-person-{code}", id=f"{fmt}-unknown-person-{code}")
    for fmt, codes in UNKNOWN_PERSON.items()
    for code in codes
]



@pytest.fixture(scope="module")
def samples(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Sample]]:
    """Every format's sample and its base data, built once for the module in a transaction rolled back at
    its end; each test runs in its own savepoint inside it (pytest-django's `db`)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        with transaction.atomic():
            built = {fmt: build(tmp_path_factory.mktemp(fmt)) for fmt, build in SAMPLES.items()}
            yield built
            transaction.set_rollback(True)


# Written by running any `kouki` command as a named user, whatever the file (who ran which command, for the
# unusual-runner alert, issue 15 §2): not the import's doing.
COMMAND_RUN_TABLES = {BatchRunner._meta.db_table}

ERROR_LINE = re.compile(r"^  (?P<file>[^\s:]+)(?::(?P<line>\d+))? \[(?P<field>[^\]]+)\] (?P<reason>.+)$")


def _break(sample: Sample, name: str) -> Broken:
    if name in GENERIC:
        return GENERIC[name](sample)
    if name.startswith("unknown-person-"):
        return sample.unknown[name.removeprefix("unknown-person-")]()
    broken = specific(sample, name)
    assert broken is not None, f"{name} is not listed as not applicable"
    return broken


def _import(
    sample: Sample, data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    path = folder / sample.file_name
    path.write_bytes(data)
    code = main(["import", sample.command, str(path), "--report-dir", str(tmp_path / "reports")])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _assert_named(output: str, file_name: str, broken: Broken) -> None:
    errors = [m for m in map(ERROR_LINE.match, output.splitlines()) if m]
    assert errors, "no message naming file, field and reason"
    assert all(m["file"] == file_name and m["reason"].strip() for m in errors)
    if broken.line is not None:
        at_line = [m for m in errors if m["line"] == str(broken.line)]
        assert at_line, f"no error names line {broken.line}: {[m['line'] for m in errors]}"
        if broken.field is not None:
            assert broken.field in {m["field"] for m in at_line}, [m["field"] for m in at_line]
    if broken.reason is not None:
        assert any(broken.reason in m["reason"] for m in errors), [m["reason"] for m in errors]


def _assert_only_the_rejection_record(before: dict[str, list[tuple[object, ...]]], file_name: str) -> None:
    after = dump()
    table = ImportRecord._meta.db_table
    changed = changed_tables(before, after)
    assert set(changed) - COMMAND_RUN_TABLES <= {table}, changed
    new = [row for row in after[table] if row not in before[table]]
    assert len(new) == 1 and after[table][: len(before[table])] == before[table]
    record = ImportRecord.objects.latest("pk")
    assert (record.status, record.file_name) == (ImportStatus.REJECTED, file_name) and record.error_count >= 1


@pytest.mark.parametrize(("fmt", "breakage"), CASES)
def test_a_broken_file_is_rejected_whole_and_changes_nothing(
    fmt: str, breakage: str, samples: dict[str, Sample], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    settings: object,
) -> None:
    settings.KOUKI_INSURED_NO_CHECK_DIGIT = "reject"  # type: ignore[attr-defined]  # a warning by default
    sample = samples[fmt]
    broken = _break(sample, breakage)
    assert broken.data != sample.data
    before = dump()
    code, output = _import(sample, broken.data, tmp_path, capsys)
    assert code == 1, output
    assert f"{sample.file_name}: rejected" in output
    _assert_named(output, sample.file_name, broken)
    _assert_only_the_rejection_record(before, sample.file_name)


@pytest.mark.parametrize("fmt", list(SAMPLES))
def test_the_sample_applies_and_the_same_file_again_changes_nothing(
    fmt: str, samples: dict[str, Sample], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The unbroken sample is valid (so a rejection above is the breakage's), and a duplicate file is
    refused with its own exit status and changes nothing — not even a rejection record."""
    sample = samples[fmt]
    code, output = _import(sample, sample.data, tmp_path, capsys)
    assert code == 0 and "imported" in output, output
    before = dump()
    code, output = _import(sample, sample.data, tmp_path, capsys)
    assert code == 4 and "already imported" in output and sample.file_name in output, output
    assert set(changed_tables(before, dump())) <= COMMAND_RUN_TABLES


@pytest.mark.parametrize("fmt", list(SAMPLES))
def test_every_format_meets_at_least_ten_kinds_of_breakage(fmt: str, samples: dict[str, Sample]) -> None:
    sample = samples[fmt]
    kinds = [c.values[1] for c in CASES if c.values[0] == fmt]
    distinct = {k if not str(k).startswith("unknown-person") else "unknown-person" for k in kinds}
    assert len(distinct) + 1 >= 10  # + 1: the duplicate file (the test above)
    for (name, breakage), _why in NOT_APPLICABLE.items():
        if name == fmt:
            assert specific(sample, breakage) is None
    assert (fmt in UNKNOWN_BY_DESIGN) == (not sample.unknown)
