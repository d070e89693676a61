"""The collection batches survive a crash, exactly once (issue 16 §3): the 口座振替依頼 file, the 総合振込
file with its 還付通知書, the 分納誓約 review, the 延滞金 recalculation and the 期割 batch with its notices,
each killed with SIGKILL at each of its fault points (kouki.core.faults), then run again; files and database
must equal an uninterrupted run's (the kit: tests/faults/crashkit.py).

The seed: tests/faults/seed_world.py, then tests/faults/seed_collect.py (the work of these batches).
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
FILES = ("after-read", "mid-write", "before-commit", "after-commit")
ROWS = ("after-read", "before-commit", "after-commit")
DIRECT_MONTHS = (("KOUKI_DIRECT_MONTHS", "7,8,9,10,11,12,1,2,3"),)

BATCHES = (
    # a re-run after the commit is refused (exit 2): "振替日 … の口座振替依頼は作成済みです"; the file stays
    Batch("debit-request", ("collect", "debit-request", "--debit-date", "2025-07-31", "--outbox", "{out}"),
          FILES, done_already=2),
    Batch("refunds", ("collect", "refunds", "--transfer-date", "2025-09-10", "--outbox", "{out}"),
          (*FILES, "after-rename")),
    Batch("pledges", ("collect", "pledges", "--on", "2025-09-01"), ROWS, writes_files=False),
    Batch("late-charges", ("collect", "late-charges", "--fiscal-year", "2025"), ROWS, writes_files=False,
          env=(("KOUKI_LATE_CHARGE_EARLY_MONTHS", "1"),)),
    Batch("instalments", ("batch", "instalments", "--fiscal-year", "2025", "--on", "2025-07-01",
                          "--out", "{out}"),
          ("after-read", "mid-write", "after-rename", "before-commit", "after-commit"), env=DIRECT_MONTHS),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, keyring_file: Path) -> Iterator[World]:
    here = Path(__file__).parent
    yield from build_world(tmp_path_factory, keyring_file, "collect", BATCHES,
                           [here / "seed_world.py", here / "seed_collect.py"])


def test_every_uninterrupted_run_does_something(world: World) -> None:
    check_every_run_does_something(world, BATCHES)


@pytest.mark.parametrize(("batch", "point"), cases(BATCHES), ids=case_ids(BATCHES))
def test_killed_then_run_again_equals_an_uninterrupted_run(world: World, batch: Batch, point: str) -> None:
    check_killed_then_run_again(world, BATCHES, batch, point)
