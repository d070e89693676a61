"""The batches that write only rows survive a crash, exactly once (issue 16 §3): `kouki retention purge`
(after sealing an audit checkpoint, one transaction for every kind; the outbox files after it), `kouki
alerts scan` and `kouki linkage backfill`, each killed with SIGKILL at each of its fault points
(kouki.core.faults: after-read, before-commit, after-commit), then run again; files and database must
equal an uninterrupted run's (the kit: tests/faults/crashkit.py), and `kouki audit verify` — with the
checkpoint file the purge sealed — must pass.

The seed: seed_world.py's synthetic city, then seed_misc.py: records long expired under KOUKI_RETENTION
below, audit rows out of office hours on a Sunday, persons without 団体内統合宛名番号.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from faults.crashkit import (
    OPERATOR,
    Batch,
    World,
    build_world,
    case_ids,
    cases,
    check_every_run_does_something,
    check_killed_then_run_again,
)
from faults.harness import run

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
ROWS = ("after-read", "before-commit", "after-commit")
CHECKPOINTS = "{out}.checkpoints/audit.jsonl"  # outside "{out}": its lines carry the time of sealing
OUTBOX = "{out}.outbox"
RETENTION = (("KOUKI_RETENTION", "alerts=1y,import_rejections=400d,person_views=1y,jukinet_lookups=1y,"
                                 "login_failures=30d,outbox_files=30d"),
             ("KOUKI_OUTBOX_DIRS", OUTBOX), ("KOUKI_AUDIT_CHECKPOINT_FILE", CHECKPOINTS))
OLD_FILES = ("KOUKI_juki_20190401.dat", "KOUKI_tax_20190402.dat")
NEW_FILE = "KOUKI_juki_today.dat"


def outbox_files(out: Path) -> None:
    """Two outbox files long expired and one of today (kept) in the purge's outbox folder."""
    folder = Path(f"{out}.outbox")
    folder.mkdir(parents=True)
    for name in (*OLD_FILES, NEW_FILE):
        (folder / name).write_bytes(name.encode())
    old = 1554080400  # 2019-04-01 10:00 JST
    for name in OLD_FILES:
        os.utime(folder / name, (old, old))


def auditor() -> str:
    return "audit.mori"  # seed_misc.AUDITOR


BATCHES = (
    Batch("retention-purge", ("retention", "purge", "--batch-size", "7"), ROWS, writes_files=False,
          env=RETENTION, prepare=outbox_files, sealed_first=True,
          more_after_commit=True),
    Batch("alerts-scan", ("alerts", "scan", "--since", "2026-05-30", "--until", "2026-06-01"), ROWS,
          auditor(), writes_files=False),
    Batch("linkage-backfill", ("linkage", "backfill"), ROWS, writes_files=False),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, keyring_file: Path) -> Iterator[World]:
    yield from build_world(tmp_path_factory, keyring_file, "misc", BATCHES,
                           [HERE / "seed_world.py", HERE / "seed_misc.py"])


def _outbox(world: World, db: str) -> list[str]:
    return sorted(p.name for p in Path(f"{world.out(db)}.outbox").iterdir())


def _seals(world: World, db: str) -> int:
    return Path(world.filled(CHECKPOINTS, world.out(db))).read_text().count("\n")


def _verify(world: World, db: str, batch: Batch) -> None:
    """`kouki audit verify` passes, against the checkpoints the run sealed (if it sealed any)."""
    out = world.out(db)
    settings = {k: world.filled(v, out) for k, v in batch.env if k == "KOUKI_AUDIT_CHECKPOINT_FILE"}
    proc = run(world.dbs, db, world.keyring(db), ["audit", "verify"], operator=OPERATOR, env=settings)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def test_every_uninterrupted_run_does_something(world: World) -> None:
    check_every_run_does_something(world, BATCHES)
    assert _outbox(world, "ref_retention-purge") == [NEW_FILE]  # the expired files went, today's stayed
    assert _seals(world, "ref_retention-purge") == 2  # before the purge, and after the command
    for b in BATCHES:
        _verify(world, f"ref_{b.name}", b)


@pytest.mark.parametrize(("batch", "point"), cases(BATCHES), ids=case_ids(BATCHES))
def test_killed_then_run_again_equals_an_uninterrupted_run(world: World, batch: Batch, point: str) -> None:
    check_killed_then_run_again(world, BATCHES, batch, point)
    db = f"c{cases(BATCHES).index((batch, point))}"
    if batch.prepare is not None:  # the purge: the same files left, no second seal by the re-run
        assert _outbox(world, db) == _outbox(world, f"ref_{batch.name}")
        assert _seals(world, db) == _seals(world, f"ref_{batch.name}") == 2
    _verify(world, db, batch)
