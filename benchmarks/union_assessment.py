"""The union's initial assessment (当初賦課) for a prefecture: N insured people with their households, from a
database of inputs to stored results, with kouki.rules.premium (via kouki.sandbox.union.assessment).

The simulated union keeps its state in a JSON file, which does not hold a prefecture; at this size its
inputs are a table (`members`: one row per household member, insured or not, with the income of the year
before) and its outputs a table (`premiums`: one row per insured person), in SQLite (`--db FILE`, the
default) or PostgreSQL (`--database-url postgres://…/DB`: the database is dropped and created; rows go in
with COPY, workers read with their own connections). Phases:

  generate  (not timed) synthetic households into a fresh database;
  io-floor  read every input row in household order and write one output row per insured person with
            placeholder amounts (no computation): the I/O floor;
  assess    the same reading and writing with the engine in between (`assess_household(explain=False)`:
            no 試算 explanation strings), over `--workers` processes (each reads its own household
            ranges; the parent writes the results in one transaction).

Usage: .venv/bin/python -m benchmarks.union_assessment --insured 1100000 --workers 2
       .venv/bin/python -m benchmarks.union_assessment --database-url postgres://postgres@127.0.0.1:5432/kouki_union_bench
Targets: assess under 60 s on 2 cores, peak memory under 2 GB (issue 4 §5); assess within 3× of the I/O
floor measured in the same run, on both databases (issue 16 §6).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import django

from benchmarks._common import machine

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
django.setup()  # kouki.sandbox.union.assessment imports the union codecs; no database is used

from kouki.rules.premium import HouseholdMember, PremiumParameters, resolve_parameters  # noqa: E402
from kouki.sandbox.union.assessment import assess_members  # noqa: E402

FISCAL_YEAR = 2025
COLUMNS = (
    "household, id, insured, householder, birth, pension, salary, other, former_dependant, insured_from, "
    "insured_until, disability"
)
INSERT_MEMBER = "INSERT INTO members VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
SELECT_RANGE = (
    "SELECT household, id, insured, householder, birth, pension, salary, other, former_dependant, "
    "insured_from, insured_until, disability FROM members WHERE household >= ? AND household < ? "
    "ORDER BY household, id"
)
PENSIONS = (0, 400_000, 790_000, 1_000_000, 1_250_000, 1_530_000, 1_800_000, 2_110_000, 2_500_000,
            3_000_000, 4_000_000, 6_000_000, 12_000_000)  # fmt: skip


def _birth(rng: random.Random, oldest: int, youngest: int) -> date:
    return date(oldest, 1, 1) + timedelta(
        days=rng.randrange((date(youngest, 12, 31) - date(oldest, 1, 1)).days)
    )


def _insured(rng: random.Random, household: int, n: int, householder: bool) -> tuple[Any, ...]:
    start = date(FISCAL_YEAR, 4, 1)
    birth = _birth(rng, 1920, 1951)
    seventy_five = date(birth.year + 75, birth.month, 1) + timedelta(days=birth.day - 1)
    insured_from = seventy_five if seventy_five > date(FISCAL_YEAR - 3, 4, 1) else None
    disability = 0
    if rng.random() < 0.01:  # 障害認定: 65–74
        birth = _birth(rng, 1952, 1960)
        insured_from, disability = date(2020, 6, 1), 1
    former = (
        1
        if insured_from is not None and insured_from > start - timedelta(days=700) and rng.random() < 0.1
        else 0
    )
    until = start + timedelta(days=rng.randrange(365)) if rng.random() < 0.05 else None
    if until is not None and insured_from is not None and until <= insured_from:
        until = None
    pension = rng.choice(PENSIONS) + rng.randrange(0, 100_000)
    salary = rng.choice((0,) * 18 + (800_000, 3_000_000))
    other = rng.choice((0,) * 15 + (200_000, 1_000_000))
    return (household, f"{n:08d}", 1, int(householder), birth.isoformat(), pension, salary, other, former,
            insured_from.isoformat() if insured_from else None, until.isoformat() if until else None,
            disability)  # fmt: skip


def _other(rng: random.Random, household: int, n: int) -> tuple[Any, ...]:
    birth = _birth(rng, 1960, 1995)
    return (household, f"{n:08d}", 0, 1, birth.isoformat(), 0, rng.choice((0, 3_500_000, 6_000_000)), 0, 0,
            None, None, 0)  # fmt: skip


def member_rows(insured: int, seed: int) -> Iterator[tuple[Any, ...]]:
    """Households: ~50% one insured person, ~35% an insured couple, ~15% with a younger householder."""
    rng = random.Random(seed)
    n = household = people = 0
    while people < insured:
        household += 1
        r = rng.random()
        if r < 0.5:
            members = [_insured(rng, household, n + 1, True)]
        elif r < 0.85:
            members = [_insured(rng, household, n + 1, True), _insured(rng, household, n + 2, False)]
        else:
            members = [_other(rng, household, n + 1), _insured(rng, household, n + 2, False)]
        n += len(members)
        people += sum(m[2] for m in members)
        yield from members


class Store:
    """Where the inputs and results live: an SQLite file or a PostgreSQL database."""

    def __init__(self, db: Path, url: str | None) -> None:
        self.db, self.url = db, url

    @property
    def postgres(self) -> bool:
        return self.url is not None

    def connect(self) -> Any:
        if self.url is None:
            return sqlite3.connect(self.db)
        import psycopg

        return psycopg.connect(self.url.replace("postgres://", "postgresql://", 1))

    def generate(self, insured: int, seed: int) -> tuple[int, int]:
        households = rows = 0
        if self.url is None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(self.db) + suffix).unlink(missing_ok=True)
            conn = sqlite3.connect(self.db)
            conn.execute("PRAGMA journal_mode=WAL")  # the workers read while the parent writes
            conn.execute(f"CREATE TABLE members ({COLUMNS}, PRIMARY KEY (household, id))")
            batch: list[tuple[Any, ...]] = []
            for row in member_rows(insured, seed):
                batch.append(row)
                if len(batch) >= 100_000:
                    conn.executemany(INSERT_MEMBER, batch)
                    rows += len(batch)
                    batch = []
            conn.executemany(INSERT_MEMBER, batch)
            rows += len(batch)
            households = conn.execute("SELECT MAX(household) FROM members").fetchone()[0]
            conn.commit()
            conn.close()
            return households, rows
        from benchmarks._common import fresh_database

        fresh_database(self.url)
        with self.connect() as conn:
            conn.execute(PG_MEMBERS)
            with conn.cursor().copy(f"COPY members ({COLUMNS}) FROM STDIN") as copy:
                for row in member_rows(insured, seed):
                    copy.write_row(row)
                    rows += 1
            conn.execute("ANALYZE members")
            households = conn.execute("SELECT MAX(household) FROM members").fetchone()[0]
        return households, rows

    def reader(self) -> Any:
        """A read-only connection for a worker."""
        if self.url is None:
            return sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        conn = self.connect()
        conn.read_only = True
        conn.autocommit = True
        return conn

    def fresh_results(self, conn: Any) -> None:
        conn.execute("DROP TABLE IF EXISTS premiums")
        conn.execute(
            "CREATE TABLE premiums (id TEXT PRIMARY KEY, fiscal_year INTEGER, per_capita_levy INTEGER, "
            "income_levy INTEGER, reduction TEXT, months INTEGER, annual_premium BIGINT, child_support_levy "
            "INTEGER, income_base BIGINT)"
        )
        if self.url is None:
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.commit()

    def write(self, conn: Any, chunk: list[tuple[Any, ...]]) -> None:
        if self.url is None:
            conn.executemany("INSERT INTO premiums VALUES (?,?,?,?,?,?,?,?,?)", chunk)
            return
        with conn.cursor().copy("COPY premiums FROM STDIN") as copy:
            for row in chunk:
                copy.write_row(row)


PG_MEMBERS = (
    "CREATE TABLE members (household INTEGER, id TEXT, insured INTEGER, householder INTEGER, birth DATE, "
    "pension BIGINT, salary BIGINT, other BIGINT, former_dependant INTEGER, insured_from DATE, "
    "insured_until DATE, disability INTEGER, PRIMARY KEY (household, id))"
)
PG_SELECT_RANGE = SELECT_RANGE.replace("?", "%s")


def _households(conn: Any, lo: int, hi: int) -> Iterator[list[tuple[Any, ...]]]:
    current: list[tuple[Any, ...]] = []
    last = None
    query = SELECT_RANGE if isinstance(conn, sqlite3.Connection) else PG_SELECT_RANGE
    for row in conn.execute(query, (lo, hi)):
        if row[0] != last and current:
            yield current
            current = []
        last = row[0]
        current.append(row)
    if current:
        yield current


_PARAMS: PremiumParameters | None = None
_DB: Any = None
_DATE: Callable[[Any], date | None] = date.fromisoformat


def _opt_text(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _same(value: date | None) -> date | None:
    return value


def _init(store: Store) -> None:
    global _PARAMS, _DB, _DATE
    _PARAMS = resolve_parameters(FISCAL_YEAR, "saitama")
    _DB = store.reader()
    _DATE = _same if store.postgres else _opt_text  # PostgreSQL gives dates, SQLite ISO text


def _assess_range(span: tuple[int, int]) -> list[tuple[Any, ...]]:
    assert _PARAMS is not None and _DB is not None
    out: list[tuple[Any, ...]] = []
    to_date = _DATE
    for rows in _households(_DB, *span):
        household = [
            HouseholdMember(
                r[1], r[2] == 1, to_date(r[4]), r[3] == 1, r[5], r[6], r[7], r[8] == 1, to_date(r[9]),
                to_date(r[10]), r[11] == 1,
            )
            for r in rows
        ]  # fmt: skip
        for member_id, values in assess_members(household, _PARAMS).items():
            out.append((member_id, FISCAL_YEAR, *values))
    return out


def _floor_range(span: tuple[int, int]) -> list[tuple[Any, ...]]:
    assert _DB is not None
    out: list[tuple[Any, ...]] = []
    for rows in _households(_DB, *span):
        for r in rows:
            if r[2]:
                out.append((r[1], FISCAL_YEAR, 0, 0, "0", 12, 0, 0, 0))
    return out


def cpu_seconds() -> float:
    """User + system time of this process and its finished children so far."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(store: Store, households: int, workers: int, compute: bool) -> tuple[float, int]:
    """Read, (assess,) write; returns (seconds, rows written)."""
    conn = store.connect()
    store.fresh_results(conn)
    step = 10_000
    spans = [(lo, min(lo + step, households + 1)) for lo in range(1, households + 1, step)]
    job = _assess_range if compute else _floor_range
    written = 0
    started = time.perf_counter()
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers, _init, (store,)) as pool:
            for chunk in pool.imap_unordered(job, spans):
                store.write(conn, chunk)
                written += len(chunk)
    else:
        _init(store)
        for span in spans:
            chunk = job(span)
            store.write(conn, chunk)
            written += len(chunk)
    conn.commit()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, written


def peak_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--insured", type=int, default=1_100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--db", type=Path, default=Path(tempfile.gettempdir()) / "kouki_union_assessment.sqlite3"
    )
    parser.add_argument("--database-url", default=None,
                        help="postgres://…/DB: run on PostgreSQL (the database is dropped and created)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    store = Store(args.db, args.database_url)
    print(f"machine: {machine()}; database: {'PostgreSQL' if store.postgres else 'SQLite'}", flush=True)
    t = time.perf_counter()
    households, rows = store.generate(args.insured, args.seed)
    print(f"generate: {households:,} households, {rows:,} member rows in {time.perf_counter() - t:.1f} s "
          "(not timed)", flush=True)  # fmt: skip
    cpu = cpu_seconds()
    floor, n_floor = run(store, households, args.workers, compute=False)
    floor_cpu, cpu = cpu_seconds() - cpu, cpu_seconds()
    print(f"io-floor: {n_floor:,} rows read→written in {floor:.1f} s (CPU {floor_cpu:.1f} s)", flush=True)
    full, n_full = run(store, households, args.workers, compute=True)
    print(f"assess CPU: {cpu_seconds() - cpu:.1f} s over all processes", flush=True)
    own, children = peak_mib()
    print(f"assess:   {n_full:,} insured assessed and stored in {full:.1f} s "
          f"({n_full / full:,.0f}/s; {full / floor:.1f}× the I/O floor)", flush=True)  # fmt: skip
    print(f"peak RSS: parent {own:.0f} MiB, largest worker {children:.0f} MiB, "
          f"parent + {args.workers} workers ≤ {own + args.workers * children:.0f} MiB",
          flush=True)  # fmt: skip
    conn = store.connect()
    (total,) = conn.execute("SELECT SUM(annual_premium) FROM premiums").fetchone()
    by_reduction = conn.execute(
        "SELECT reduction, COUNT(*) FROM premiums GROUP BY reduction ORDER BY reduction"
    ).fetchall()
    conn.close()
    print(f"check: Σ annual_premium {total:,} yen; by 軽減区分 {dict(by_reduction)}", flush=True)
    print(f"machine after: {machine()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
