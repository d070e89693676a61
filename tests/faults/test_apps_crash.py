"""The 情報照会 batches and the applications' batches survive a crash, exactly once (issue 16 §3): each
killed with SIGKILL at each of its fault points (kouki.core.faults), then run again; files and database
must equal an uninterrupted run's (the kit: tests/faults/crashkit.py).

`inquiries move-ins` talks to the (simulated) 中間サーバ, one inquiry per person, each recorded in its own
transaction: killed after the answer came and before it was recorded, its re-run must record that same
answer and the 中間サーバ must not have provided twice — its 情報提供等記録 (records.jsonl of each run's
own copy of the simulator) must equal the uninterrupted run's, one line per 照会番号.

The seed: the synthetic city, then tests/faults/seed_apps.py (move-ins of May 2026 and a simulated
中間サーバ that knows them, old inquiry results, applications sent and decided, others waiting).
"""

from __future__ import annotations

import json
from collections import Counter
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
from faults.seed_apps import settings_env

pytestmark = pytest.mark.slow

ROWS = ("after-read", "before-commit", "after-commit")
FILES = ("after-read", "mid-write", "before-commit", "after-commit")
INQUIRY = tuple(settings_env("{folder}", "{own}/chukan").items())

BATCHES = (
    Batch("move-ins", ("inquiries", "move-ins", "--month", "2026-05"), ROWS, "inquiry.ito",
          writes_files=False, env=INQUIRY, own_folders=("chukan",),
          varying=("inquiries_inquiryresult.sealed",), units=True),
    Batch("purge", ("inquiries", "purge"), ROWS, writes_files=False, env=INQUIRY),
    Batch("send", ("applications", "send", "--date", "2026-06-12", "--outbox", "{out}"), FILES),
    Batch("medical-expenses", ("applications", "medical-expenses", "--month", "2026-05", "--outbox", "{out}"),
          FILES),
    Batch("decisions", ("applications", "decisions"), ROWS, writes_files=False),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, keyring_file: Path) -> Iterator[World]:
    yield from build_world(tmp_path_factory, keyring_file, "apps", BATCHES,
                           [Path(__file__).with_name("seed_apps.py")])


def provisions(world: World, db: str) -> list[tuple[str, ...]]:
    """The simulated 中間サーバ's 情報提供等記録 as this database's runs left it: one row per line."""
    path = world.folder / "own" / db / "chukan" / "records.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return sorted((r["request_id"], r["status"], r["provider"], r["item"], r.get("permit_id", ""))
                  for r in lines)  # fmt: skip


def test_every_uninterrupted_run_does_something(world: World) -> None:
    check_every_run_does_something(world, BATCHES)
    batch = [r for r in provisions(world, "ref_move-ins") if r[0].startswith("Q202605-M")]
    assert len(batch) == 4 and all(r[1] == "provided" for r in batch)  # the four move-ins with a number


@pytest.mark.parametrize(("batch", "point"), cases(BATCHES), ids=case_ids(BATCHES))
def test_killed_then_run_again_equals_an_uninterrupted_run(world: World, batch: Batch, point: str) -> None:
    check_killed_then_run_again(world, BATCHES, batch, point)
    if batch.own_folders:  # the 中間サーバ provided each inquiry once, as in the uninterrupted run
        mine = provisions(world, f"c{cases(BATCHES).index((batch, point))}")
        assert mine == provisions(world, "ref_move-ins")
        assert max(Counter(r[0] for r in mine).values()) == 1
