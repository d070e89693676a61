"""Every `kouki import` kind survives a crash, exactly once (issue 16 §3): each file taken in is killed with
SIGKILL at the import runner's fault points (kouki.interfaces.importing.run_import: after-read, before-commit,
after-commit), then taken in again; files and database must equal an uninterrupted run's (the kit:
tests/faults/crashkit.py). Killed after its commit, the re-run says "already imported" (exit 4).

An import writes a file only when it rejects or warns: the good samples write none; a 保険料情報 with a
被保険者番号 failing its check digit is applied with a warnings report, which is written after the commit —
so it is also killed while writing the report (mid-write, after-rename), and the re-run ("already
imported") writes the report the killed run did not (kouki.interfaces.importing.rewrite_warnings).

The seed: the synthetic city and the import corpus's valid sample of every format with what it applies to
(tests/faults/seed_imports.py, reusing tests/corpus/samples.py). The CSV variant of 住基異動 is
test_batches_crash.py's; here the fixed-width one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from faults.crashkit import (
    Batch,
    World,
    build_world,
    case_ids,
    cases,
    check_every_run_does_something,
    check_killed_then_run_again,
)

pytestmark = pytest.mark.slow

POINTS = ("after-read", "before-commit", "after-commit")
# the report of a warned import is written after the commit: a kill there leaves the rows committed
REPORT_POINTS = ("mid-write", "after-rename")
# 口座振替 振替結果: a failed debit issues a 納付書, numbered from a sequence (PostgreSQL: a rolled-back run
# advances it)
SLIP_NUMBERS = ("slips_paymentslip.slip_no", "slips_paymentslip.barcode")


def _import(kind: str, fmt: str, points: tuple[str, ...] = POINTS, **extra: object) -> Batch:
    return Batch(f"{fmt}", ("import", kind, f"{{folder}}/in/{fmt}.dat", "--report-dir", "{out}"), points,
                 writes_files=False, done_already=4, **extra)  # type: ignore[arg-type]


BATCHES = (
    # AES-GCM with a random nonce: the same number stored as other bytes (its blind index is compared)
    _import("resident-changes", "resident-fixed", varying=("privacy_personalnumber.ciphertext",)),
    _import("tax-income", "tax-income"),
    _import("union-file", "union-insured-info"),
    _import("union-file", "union-certificate-issue"),
    _import("union-file", "union-address-exception"),
    _import("premium-info", "premium-info"),
    _import("store-report", "store-report"),
    _import("debit-result", "debit-result", surrogates=SLIP_NUMBERS),
    _import("transfer-result", "transfer-result"),
    _import("pension-result", "pension-result"),
    _import("benefit-decision", "benefit-decision"),
    Batch("premium-info-warned", ("import", "premium-info", "{folder}/in/premium-info-warned.dat",
                                  "--report-dir", "{out}"),
          (*POINTS, *REPORT_POINTS), done_already=4, committed_at=REPORT_POINTS),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, keyring_file: Path) -> Iterator[World]:
    yield from build_world(tmp_path_factory, keyring_file, "imports", BATCHES,
                           [Path(__file__).with_name("seed_imports.py")])


def test_every_uninterrupted_run_does_something(world: World) -> None:
    check_every_run_does_something(world, BATCHES)


@pytest.mark.parametrize(("batch", "point"), cases(BATCHES), ids=case_ids(BATCHES))
def test_killed_then_run_again_equals_an_uninterrupted_run(world: World, batch: Batch, point: str) -> None:
    check_killed_then_run_again(world, BATCHES, batch, point)
