"""The crash cases as a kit (issue 16 §3): a module of tests/faults names its batches (`Batch`), the seed
scripts that give them work, and calls `build_world`, `check_every_run_does_something` and
`check_killed_then_run_again` — see tests/faults/test_batches_crash.py for the pattern.

A case: the batch is killed with SIGKILL at a fault point (kouki.core.faults), then run again; the files
and the database must then equal an uninterrupted run's from the same seed. Right after the kill: no
partial file under a final name (only hidden temporary files), and if the kill came before the commit,
the database exactly as before the run. How to run and what a re-run does: docs/operations/crash-safety.md.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from faults.harness import Databases, canonical, chain_is_linked, differences, files, hidden, run, script

OPERATOR = "ops.kimura"  # system administrator: imports and batches
CLERK = "clerk.sato"  # counter clerk (made by seed_world.py): the certificate batch
BEFORE_COMMIT = ("after-read", "mid-write", "before-rename", "after-rename", "before-commit")
# written when a command starts, before the batch's own work (who ran which batch, issue 15 §2): not part
# of what "nothing committed before the commit point" means
STARTUP_TABLES = ("privacy_batchrunner",)
AUDIT, SEAL = "privacy_auditentry", "audit.checkpoint"
REPORT_STAMP = re.compile(r"\.(rejected|warnings)-\d{14}")


@dataclass(frozen=True)
class Batch:
    """One batch as the crash cases run it. In `args` (and `env`'s values): "{out}" the run's output folder,
    "{events}" the seed's first 住基異動 file, "{folder}" the world's folder (where seed scripts may leave
    input files: they get it as KOUKI_FAULTS_FOLDER)."""

    name: str
    args: tuple[str, ...]
    points: tuple[str, ...]
    operator: str = OPERATOR
    writes_files: bool = True  # an import writes a report only when a line is rejected or warned about
    surrogates: tuple[str, ...] = ()  # "table.column" numbered from a sequence, printed in the files
    done_already: int = 0  # exit status of a re-run that finds its work done (an import: 4, the same file)
    own_keyring: bool = False  # the batch writes the keyring (key rotation): each database gets a copy
    # KOUKI_* settings the batch runs with (the seed runs without); "{out}", "{folder}", "{own}" filled in as
    # in `args`
    env: tuple[tuple[str, str], ...] = ()
    # folders of the world's folder that the batch writes outside the database (the simulated 中間サーバ's
    # state): each database gets its own copy, in "{own}" (the world's folder/own/<database>)
    own_folders: tuple[str, ...] = ()
    varying: tuple[str, ...] = ()  # "table.column" no two runs share (a ciphertext sealed afresh): ignored
    # the batch commits unit by unit (one inquiry, one 移転票 per application): killed past its first unit,
    # the units before the point are committed, so only the re-run is compared (after-read: nothing written)
    units: bool = False
    # called with "{out}" before the first run on each database (the uninterrupted one, the killed one):
    # what the batch finds outside the database, e.g. old outbox files for the retention purge
    prepare: Callable[[Path], None] | None = None
    # the batch seals the audit chain (a committed `audit.checkpoint` row) before its own transaction (the
    # retention purge): killed before its commit, that row may be there, nothing else
    sealed_first: bool = False
    # the batch writes more after its commit point (the purge: the outbox files and their audit row, the
    # checkpoint after the command): killed there, only the re-run's result is compared
    more_after_commit: bool = False
    # points reached after the commit besides "after-commit" (an import writes its warnings report after it)
    committed_at: tuple[str, ...] = ()


class World:
    def __init__(self, dbs: Databases, keyring: Path, folder: Path) -> None:
        self.dbs, self._keyring, self.folder = dbs, keyring, folder
        self.events: list[Path] = []
        self._dumps: dict[tuple[str, tuple[str, ...], tuple[str, ...]], dict[str, list[tuple[Any, ...]]]] = {}
        self._prepared: set[str] = set()

    def keyring(self, db: str, batch: Batch | None = None) -> Path:
        """The seed's keyring, or for a batch that writes it, this database's own copy (made on first use)."""
        if batch is None or not batch.own_keyring:
            return self._keyring
        own = self.folder / "keyrings" / f"{db}.json"
        if not own.exists():
            own.parent.mkdir(exist_ok=True)
            shutil.copy2(self._keyring, own)
        return own

    def own(self, db: str, batch: Batch) -> Path:
        """This database's copy of the folders the batch writes (made on first use)."""
        own = self.folder / "own" / db
        for name in batch.own_folders:
            if not (own / name).exists():
                shutil.copytree(self.folder / name, own / name)
        return own

    def dump(self, db: str, out: Path, surrogates: tuple[str, ...] = (),
             varying: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
        """The canonical dump of a database nothing writes to any more (the seed, the references)."""
        if (db, surrogates, varying) not in self._dumps:
            self._dumps[db, surrogates, varying] = canonical(self.dbs, db, out, surrogates, varying)
        return self._dumps[db, surrogates, varying]

    def ok(self, db: str, *args: str, operator: str = OPERATOR) -> None:
        proc = run(self.dbs, db, self._keyring, list(args), operator=operator)
        assert proc.returncode == 0, proc.stderr[-3000:]

    def filled(self, text: str, out: Path) -> str:
        return (text.replace("{out}", str(out)).replace("{events}", str(self.events[0]))
                .replace("{folder}", str(self.folder)))

    def batch(self, db: str, batch: Batch, out: Path, fault: str | None = None) -> int:
        own = str(self.own(db, batch))

        def filled(a: str) -> str:
            return self.filled(a, out).replace("{own}", own)

        if batch.prepare is not None and db not in self._prepared:
            self._prepared.add(db)
            batch.prepare(out)
        args = [filled(a) for a in batch.args]
        proc = run(self.dbs, db, self.keyring(db, batch), args, operator=batch.operator, fault=fault,
                   env={k: filled(v) for k, v in batch.env})
        assert proc.returncode in (0, -9, batch.done_already), proc.stdout[-2000:] + proc.stderr[-3000:]
        return proc.returncode

    def out(self, db: str) -> Path:
        return self.folder / "out" / db


def build_world(tmp_path_factory: pytest.TempPathFactory, keyring_file: Path, tag: str,
                batches: Sequence[Batch], seed_scripts: Sequence[Path]) -> Iterator[World]:
    """The seed (a 60-resident synthetic city with two days of 住基異動, the operator, then each seed
    script in order) and every batch's uninterrupted run; PostgreSQL databases dropped at the end."""
    folder = tmp_path_factory.mktemp(tag)
    dbs = Databases(folder, tag)
    w = World(dbs, keyring_file, folder)
    try:
        dbs.create("seed")
        w.ok("seed", "synth", "--residents", "60", "--seed", "3", "--events-days", "2", "--events-out",
             str(folder / "events"), "--quiet")
        w.events = sorted((folder / "events").glob("*.csv"))
        w.ok("seed", "staff", "create", "--username", OPERATOR, "--name", "木村 運用",
             "--role", "system_admin")
        for path in seed_scripts:
            script(dbs, "seed", keyring_file, path, folder)
        for b in batches:  # the uninterrupted runs
            dbs.create(f"ref_{b.name}", "seed")
            assert w.batch(f"ref_{b.name}", b, w.out(f"ref_{b.name}")) == 0
        yield w
    finally:
        if dbs.postgres:
            dbs.drop_all()


def cases(batches: Sequence[Batch]) -> list[tuple[Batch, str]]:
    return [(b, p) for b in batches for p in b.points]


def case_ids(batches: Sequence[Batch]) -> list[str]:
    return [f"{b.name}@{p}" for b, p in cases(batches)]


def _normalised(found: dict[str, bytes]) -> dict[str, bytes]:
    return {REPORT_STAMP.sub(r".\1-*", name): data for name, data in found.items()}


def _comparable(world: World, batch: Batch, found: dict[str, bytes]) -> dict[str, bytes]:
    """Files as compared with the uninterrupted run's: bytes; on PostgreSQL, for a batch whose files print
    a surrogate key, only that each is a whole PDF (a rolled-back run advances the sequence, so the
    re-run's slip numbers differ from the uninterrupted run's; the rows are compared without them)."""
    found = _normalised(found)
    if not (world.dbs.postgres and batch.surrogates):
        return found
    return {name: b"whole PDF" if data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") else data
            for name, data in found.items()}


def check_every_run_does_something(world: World, batches: Sequence[Batch]) -> None:
    """The comparisons mean something: every batch wrote files (if it should) and rows of its own."""
    seed = canonical(world.dbs, "seed", world.out("seed"))
    for b in batches:
        ref = f"ref_{b.name}"
        written = files(world.out(ref))
        assert (bool(written) and all(written.values())) == b.writes_files, b.name
        assert not any(hidden(n) for n in written), b.name
        assert canonical(world.dbs, ref, world.out(ref)) != seed, b.name


def _new_audit_actions(world: World, db: str) -> list[str]:
    """The actions of the audit rows written after the seed's last one."""
    (last,) = world.dbs.rows("seed", "SELECT MAX(seq) FROM privacy_auditentry")[0]
    sql = f"SELECT action FROM privacy_auditentry WHERE seq > {int(last or 0)} ORDER BY seq"  # noqa: S608
    return [a for (a,) in world.dbs.rows(db, sql)]


def check_killed_then_run_again(world: World, batches: Sequence[Batch], batch: Batch, point: str) -> None:
    db = f"c{cases(batches).index((batch, point))}"
    world.dbs.create(db, "seed")
    ref = f"ref_{batch.name}"
    out, reference = world.out(db), _comparable(world, batch, files(world.out(ref)))
    expected = world.dump(ref, world.out(ref), batch.surrogates, batch.varying)

    assert world.batch(db, batch, out, fault=point) == -9, f"{point}: the hook did not fire"
    for name, data in _comparable(world, batch, files(out)).items():  # whole files or hidden temporaries
        assert hidden(name) or data == reference[name], f"{name} differs from the uninterrupted run's"
    seed = world.dump("seed", world.out("seed"), batch.surrogates, batch.varying)
    where = point.partition(":")[0]  # "<point>:<part of a file name>": that file's point
    committed = where not in BEFORE_COMMIT or where in batch.committed_at
    before = expected if committed else {**seed, **{t: expected[t] for t in STARTUP_TABLES}}
    found = canonical(world.dbs, db, out, batch.surrogates, batch.varying)
    if batch.sealed_first and not committed:  # the seal's own row may be there already
        assert _new_audit_actions(world, db) in ([], [SEAL])
        found, before = ({t: r for t, r in d.items() if t != AUDIT} for d in (found, before))
    compared = not (batch.units and where != "after-read") and not (
        batch.more_after_commit and committed)
    if compared:
        assert not (diff := differences(found, before)), diff

    # the re-run completes the work — or, killed after its commit, finds it done (an import says so: exit 4)
    done = where == "after-commit" or where in batch.committed_at
    assert world.batch(db, batch, out) == (batch.done_already if done else 0)
    assert _comparable(world, batch, files(out)) == reference
    again = canonical(world.dbs, db, out, batch.surrogates, batch.varying)
    assert not (diff := differences(again, expected)), diff
    chain_is_linked(world.dbs, db)
