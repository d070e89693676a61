"""`kouki batch initial|daily` killed (SIGKILL) at several points, then run again, leaves exactly the
files and rows of an uninterrupted run (issue 9 §7).

The batches run as subprocesses (`python -m kouki.cli`) on databases of their own, on the backend the
tests run on: SQLite files, or PostgreSQL databases created here from one seed (CREATE DATABASE …
TEMPLATE) and dropped at the end. The kill comes from the writer's fault-injection hook
(KOUKI_FAULT_KILL_AT, kouki.core.outbox). A few hundred residents: the seed is built once per module.
"""

from __future__ import annotations

import itertools
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from faults.harness import Databases

from kouki.core.outbox import FAULT_ENV

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GO_LIVE = date(2026, 4, 1)
DAY = date(2026, 4, 5)  # the synthetic city's first day with changes (seed 1, 500 residents)
BEFORE_COMMIT = ("mid-write", "before-rename", "after-rename", "before-commit")
OPERATOR = "ops.kimura"  # the named administrator the batches run as (KOUKI_BATCH_USER, issue 11 §2)


class City:
    def __init__(self, dbs: Databases, keyring: Path, folder: Path) -> None:
        self.dbs, self.keyring, self.folder = dbs, keyring, folder

    def cli(self, db: str, *args: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
        env.update(KOUKI_DATABASE_URL=self.dbs.url(db), KOUKI_KEYRING=str(self.keyring),
                   KOUKI_SECRET_KEY="outbox-crash-test", KOUKI_BATCH_USER=OPERATOR)
        if fault is not None:
            env[FAULT_ENV] = fault
        return subprocess.run([sys.executable, "-m", "kouki.cli", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600, check=False)

    def ok(self, db: str, *args: str) -> None:
        proc = self.cli(db, *args)
        assert proc.returncode == 0, proc.stderr[-3000:]

    def batch(self, db: str, kind: str, outbox: Path, fault: str | None = None) -> int:
        on = GO_LIVE if kind == "initial" else DAY
        args = ["batch", kind, "--date", on.isoformat(), "--outbox", str(outbox)]
        if kind == "daily":
            (self.folder / "inbox").mkdir(exist_ok=True)
            args += ["--inbox", str(self.folder / "inbox")]
        proc = self.cli(db, *args, fault=fault)
        assert proc.returncode in (0, -9), proc.stderr[-3000:]
        return proc.returncode


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory, keyring_file: Path) -> Iterator[City]:
    folder = tmp_path_factory.mktemp("outbox-crash")
    dbs = Databases(folder)
    c = City(dbs, keyring_file, folder)
    try:
        dbs.create("seed")
        c.ok("seed", "synth", "--residents", "500", "--seed", "1", "--events-days", "4", "--events-out",
             str(folder / "events"), "--quiet")
        # the first administrator, registered at installation (its owner enrols with the printed code)
        c.ok("seed", "staff", "create", "--username", OPERATOR, "--name", "木村 運用",
             "--role", "system_admin")
        # uninterrupted go-live extract, then the day's changes imported: the daily batch's seed
        dbs.create("initial_ref", "seed")
        assert c.batch("initial_ref", "initial", folder / "initial_ref") == 0
        dbs.create("day_seed", "initial_ref")
        for path in sorted((folder / "events").glob("*.csv")):
            # exit 4: a day whose file has the same bytes as one already taken in (a day without changes)
            imported = c.cli("day_seed", "import", "resident-changes", str(path))
            assert imported.returncode in (0, 4), imported.stderr[-3000:]
        dbs.create("daily_ref", "day_seed")
        assert c.batch("daily_ref", "daily", folder / "daily_ref") == 0
        yield c
    finally:
        if dbs.postgres:
            dbs.drop_all()


def _files(outbox: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(outbox.iterdir())} if outbox.is_dir() else {}


def _tables(dbs: Databases, db: str) -> dict[str, list[Any]]:
    """The rows a batch writes, without surrogate keys and clock times (ids of rolled-back rows are
    not reused by PostgreSQL sequences)."""
    files = dbs.rows(db, "SELECT kind, run_date, file_name, record_count, sha256, through_change_id "
                         "FROM eligibility_outboundfile ORDER BY run_date, kind")
    audit = [
        (seq, action, target_type, "" if target_type == "eligibility.OutboundFile" else target_id,
         json.loads(detail) if isinstance(detail, str) else detail)
        for seq, action, target_type, target_id, detail in dbs.rows(
            db, "SELECT seq, action, target_type, target_id, detail FROM privacy_auditentry ORDER BY seq")
    ]
    notifications = dbs.rows(db, "SELECT id, status, sent_file_name FROM notifications_notification "
                                 "ORDER BY id")
    return {"files": [tuple(str(v) for v in r) for r in files], "audit": audit,
            "notifications": notifications}


def _chain_is_linked(dbs: Databases, db: str) -> None:
    rows = dbs.rows(db, "SELECT seq, prev_hash, hash FROM privacy_auditentry ORDER BY seq")
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert all(b[1] == a[2] for a, b in itertools.pairwise(rows))


def _after_the_kill(city: City, db: str, seed: str, outbox: Path, reference: dict[str, bytes],
                    fault: str) -> None:
    """What a crash leaves: hidden 0600 temporary files, whole files identical to the uninterrupted run's,
    and rows only if the kill came after the commit (never a transfer audit row for a file not written)."""
    for name, data in _files(outbox).items():
        path = outbox / name
        if name.startswith("."):
            assert name.endswith(".tmp") and stat.S_IMODE(path.stat().st_mode) == 0o600
        else:
            assert data == reference[name], f"{name} differs from the uninterrupted run's"
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    if fault.split(":")[0] in BEFORE_COMMIT:
        assert _tables(city.dbs, db) == _tables(city.dbs, seed)
    else:
        assert not any(n.startswith(".") for n in _files(outbox))


def _killed_and_rerun(city: City, kind: str, fault: str, n: int) -> None:
    seed, ref = ("seed", "initial_ref") if kind == "initial" else ("day_seed", "daily_ref")
    db = f"{kind}_{n}"
    city.dbs.create(db, seed)
    outbox = city.folder / db
    reference = _files(city.folder / ref)
    assert city.batch(db, kind, outbox, fault=fault) == -9, f"{fault}: the hook did not fire"
    _after_the_kill(city, db, seed, outbox, reference, fault)
    assert city.batch(db, kind, outbox) == 0
    assert _files(outbox) == reference
    assert _tables(city.dbs, db) == _tables(city.dbs, ref)
    _chain_is_linked(city.dbs, db)


INITIAL_FAULTS = ["mid-write:resident-info", "after-rename:resident-info", "before-rename:income-info",
                  "before-commit", "after-commit"]
DAILY_FAULTS = ["mid-write:income-info", "after-rename:resident-info", "after-rename:nenrei_totatsu",
                "after-commit"]


@pytest.mark.parametrize("fault", INITIAL_FAULTS)
def test_initial_batch_killed_then_run_again_equals_an_uninterrupted_run(city: City, fault: str) -> None:
    _killed_and_rerun(city, "initial", fault, INITIAL_FAULTS.index(fault))


@pytest.mark.parametrize("fault", DAILY_FAULTS)
def test_daily_batch_killed_then_run_again_equals_an_uninterrupted_run(city: City, fault: str) -> None:
    _killed_and_rerun(city, "daily", fault, DAILY_FAULTS.index(fault))


def test_the_reference_runs_carry_data(city: City) -> None:
    """The comparison means something: every kind written, with records, and the daily had changes."""
    initial, daily = _files(city.folder / "initial_ref"), _files(city.folder / "daily_ref")
    assert sorted(n.split("_")[1] for n in initial) == ["income-info", "non-resident-info", "resident-info"]
    assert len(daily) == 5 and all(len(d) > 0 for d in daily.values())
    rows = city.dbs.rows("daily_ref", "SELECT kind, run_date, record_count FROM eligibility_outboundfile")
    counts = {kind: n for kind, run_date, n in rows if str(run_date) == str(DAY)}
    assert counts["resident-info"] > 0 and counts["income-info"] > 0
