"""The transfers survive a crash, exactly once (issue 16 §3): the file transfers T03 (daily), T08 (monthly)
and T15 (yearly), the paper transfer (移転票) and the counter applications' paper transfers (T02 one slip,
T04 a slip per application), each killed with SIGKILL at its fault points (kouki.core.faults, in the
outbox every one of them writes through), then run again; files and database must equal an uninterrupted
run's (the kit: tests/faults/crashkit.py).

The "already sent" watermark of a file transfer is its TransferRecord (the file name carries the day, month
or year): it commits with the file, so a run killed with the file under its final name but before the
commit sends the same file again; one killed after the commit says "already sent". The counter's is each
application's 送付日, marked in the slip's transaction. The seed: the faults world (seed_world.py), then
tests/faults/seed_transfers.py.
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
from faults.seed_transfers import OPERATOR, PAPER_ADDRESSEES

pytestmark = pytest.mark.slow

# `--month`: the applications confirmed before its end (the seed confirms them today); a month far ahead
# keeps the case independent of the day it runs
MONTH = "2099-12"
FIRST_T04, SECOND_T04 = "iten-hyo-T04-000001.pdf", "iten-hyo-T04-000002.pdf"

BATCHES = (
    Batch("T03", ("transfers", "run", "T03", "--on", "2026-08-03", "--out", "{out}"),
          ("after-read", "mid-write", "before-commit", "after-commit"), OPERATOR),
    Batch("T08", ("transfers", "run", "T08", "--month", "2026-08", "--out", "{out}"),
          ("after-rename", "after-commit"), OPERATOR),
    Batch("T15", ("transfers", "run", "T15", "--year", "2025", "--out", "{out}"),
          ("before-rename", "before-commit"), OPERATOR),
    Batch("paper", ("transfers", "paper", "T04", "--addressee-no", ",".join(PAPER_ADDRESSEES),
                    "--items", "申請書,給付", "--out", "{out}"),
          ("after-read", "mid-write", "before-commit", "after-commit"), OPERATOR),
    Batch("counter-T02", ("transfers", "counter", "simple-declaration", "--month", MONTH, "--out", "{out}"),
          ("after-read", "after-rename", "before-commit", "after-commit"), OPERATOR),
    Batch("counter-T04", ("transfers", "counter", "high-cost-combined", "--month", MONTH, "--out", "{out}"),
          (f"after-commit:{FIRST_T04}", f"mid-write:{SECOND_T04}", f"before-commit:{SECOND_T04}"), OPERATOR,
          units=True),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, keyring_file: Path) -> Iterator[World]:
    here = Path(__file__)
    yield from build_world(tmp_path_factory, keyring_file, "transfers", BATCHES,
                           [here.with_name("seed_world.py"), here.with_name("seed_transfers.py")])


def test_every_uninterrupted_run_does_something(world: World) -> None:
    check_every_run_does_something(world, BATCHES)


def test_the_counter_writes_a_slip_per_high_cost_application(world: World) -> None:
    assert sorted(p.name for p in world.out("ref_counter-T04").iterdir()) == [FIRST_T04, SECOND_T04]


@pytest.mark.parametrize(("batch", "point"), cases(BATCHES), ids=case_ids(BATCHES))
def test_killed_then_run_again_equals_an_uninterrupted_run(world: World, batch: Batch, point: str) -> None:
    check_killed_then_run_again(world, BATCHES, batch, point)
