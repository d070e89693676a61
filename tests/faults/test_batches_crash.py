"""Every batch survives a crash, exactly once (issue 16 §3): the union exchange's outgoing files, the
collection batches and the certificate batch, each killed with SIGKILL at each of its fault points
(kouki.core.faults), then run again; files and database must equal an uninterrupted run's (the kit:
tests/faults/crashkit.py).

The seed: a 60-resident synthetic city, a day of resident changes, people with 2025 instalment plans and
pending 資格確認書発行用情報 requests (tests/faults/seed_world.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from faults.crashkit import (
    CLERK,
    Batch,
    World,
    build_world,
    case_ids,
    cases,
    check_every_run_does_something,
    check_killed_then_run_again,
)

pytestmark = pytest.mark.slow

BATCHES = (
    Batch("import-resident-changes", ("import", "resident-changes", "{events}", "--report-dir", "{out}"),
          ("after-read", "before-commit", "after-commit"), writes_files=False, done_already=4),
    Batch("instalment-file", ("collect", "instalment-file", "--date", "2025-08-01", "--outbox", "{out}"),
          ("after-read", "mid-write", "before-commit", "after-commit")),
    Batch("union-files", ("collect", "union-files", "--date", "2025-08-12", "--outbox", "{out}"),
          ("after-read", "mid-write", "after-rename", "before-commit", "after-commit")),
    Batch("reminders", ("collect", "reminders", "--on", "2025-08-10", "--out", "{out}"),
          ("after-read", "mid-write", "before-commit", "after-commit")),
    Batch("slips", ("collect", "slips", "--fiscal-year", "2025", "--on", "2025-07-01", "--out", "{out}"),
          ("mid-write", "after-rename", "before-commit", "after-commit"),
          surrogates=("slips_paymentslip.slip_no", "slips_paymentslip.barcode")),
    Batch("certificates", ("certificates", "batch", "--outbox", "{out}", "--workers", "1"),
          ("mid-write", "before-rename", "before-commit", "after-commit"), CLERK),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, keyring_file: Path) -> Iterator[World]:
    yield from build_world(tmp_path_factory, keyring_file, "faults", BATCHES,
                           [Path(__file__).with_name("seed_world.py")])


def test_every_uninterrupted_run_does_something(world: World) -> None:
    check_every_run_does_something(world, BATCHES)


@pytest.mark.parametrize(("batch", "point"), cases(BATCHES), ids=case_ids(BATCHES))
def test_killed_then_run_again_equals_an_uninterrupted_run(world: World, batch: Batch, point: str) -> None:
    check_killed_then_run_again(world, BATCHES, batch, point)
