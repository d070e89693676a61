"""One daily batch at Saitama size (issue 3 §7): 10,000 change events in under 10 seconds.

    .venv/bin/python -m benchmarks.daily_batch --db-url sqlite:////tmp/kouki_daily.sqlite3
    .venv/bin/python -m benchmarks.daily_batch --db-url postgres://postgres@127.0.0.1:5432/kouki_daily

Set-up (not timed): a fresh database with the synthetic city of --residents (kouki synth's loader), and
--events change events from the synth event simulator run on the same city (the first days of its
stream, cut at --events records in notified order, written as one 住基異動 file). A previous daily run is
recorded so that the batch sees only these changes.

Timed, one after the other, as the daily batch does them:
1. import of the change file (kouki.addressees.importers.import_resident_changes);
2. extraction of the city → union files and the 年齢到達予定者 list (kouki.eligibility.batch.batch_daily
   without an inbox);
3. import of a union response file: 被保険者情報 for every person aged 75+ in the day's 住民基本台帳情報
   (synthesised here the way the union would answer, insured numbers with check digits).
Prints a Markdown row for benchmarks/RESULTS.md. With --runs N the timed part runs N times on one set-up:
the set-up database is copied (SQLite file / PostgreSQL template database) and put back before runs 2..N
(PostgreSQL then starts those runs with a cold buffer cache for the copy).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

from benchmarks._common import fresh_database, machine, setup


@dataclass(frozen=True)
class Prepared:
    """What the set-up leaves for the timed part: the change file and its day."""

    change_file: Path
    run_day: date
    work: Path
    addressees: int
    changes: int


@dataclass(frozen=True)
class Timed:
    change_import: float
    extraction: float
    union_import: float
    answers: int
    summary: str

    @property
    def total(self) -> float:
        return self.change_import + self.extraction + self.union_import


def prepare(*, residents: int, events: int, seed: int) -> Prepared:
    """Set-up (not timed) on the configured, freshly migrated database."""
    from django.utils import timezone

    from kouki.eligibility.batch import RESIDENT_INFO
    from kouki.eligibility.models import OutboundFile
    from kouki.interfaces.resident_register.formats import dump_csv
    from kouki.privacy.context import Actor
    from kouki.sandbox.synth.city import city_from_chunks, generate_city
    from kouki.sandbox.synth.events import simulate_events
    from kouki.sandbox.synth.load import synthetic_city_load
    from kouki.sandbox.synth.model import SynthConfig

    config = SynthConfig(residents, seed)
    chunks = list(generate_city(config))
    load = synthetic_city_load(actor=Actor.system("synth"), config=config, chunks=chunks)
    city = city_from_chunks(config, chunks)
    del chunks
    days = max(3, int(events / (0.16 / 365 * residents)) + 3)
    stream = simulate_events(city, days)
    records = sorted(stream.records(), key=lambda r: (r.notified_date, r.change_id))[:events]
    del city, stream
    run_day = max(r.notified_date for r in records)
    work = Path(tempfile.mkdtemp(prefix="kouki-daily-"))
    change_file = work / f"juki_idou_{run_day:%Y%m%d}.csv"
    change_file.write_bytes(dump_csv(records))
    OutboundFile.objects.create(kind=RESIDENT_INFO, run_date=run_day - timedelta(days=1),
                                file_name="(setup)", record_count=0, sha256="0" * 64, through_change_id=0,
                                created_at=timezone.now(), created_by="benchmark")
    return Prepared(change_file, run_day, work, load.persons, len(records))


def timed(prepared: Prepared) -> Timed:
    """The three timed phases, one after the other (see the module docstring)."""
    from kouki.addressees.importers import import_resident_changes
    from kouki.eligibility.batch import RESIDENT_INFO, batch_daily
    from kouki.eligibility.importers import import_union_file
    from kouki.interfaces.union.files import union_file_name
    from kouki.interfaces.union.insured_info import dump_insured_info
    from kouki.interfaces.union.records import AcquisitionReason, InsuredInfoRecord
    from kouki.interfaces.union.resident_info import parse_resident_info
    from kouki.privacy.context import Actor
    from kouki.rules.numbers import mod10_weight21_check_digit
    from kouki.sandbox.synth.model import age_on

    run_day, work = prepared.run_day, prepared.work
    actor = Actor.system("benchmark")
    t0 = time.perf_counter()
    outcome = import_resident_changes(actor=actor, path=prepared.change_file)
    t1 = time.perf_counter()
    assert outcome.summary is not None, outcome.errors[:3]
    result = batch_daily(actor=actor, on=run_day, outbox=work / "outbox", inbox=None)
    t2 = time.perf_counter()
    resident_file = next(s.path for s in result.sent if s.kind == RESIDENT_INFO)
    parsed = parse_resident_info(resident_file.read_bytes(), resident_file.name)
    insurer = "3911000"
    insurer_no = insurer + str(mod10_weight21_check_digit(insurer))
    answers = []
    for i, r in enumerate(parsed.records):
        if age_on(r.birth_date, run_day) < 75 or r.status != "1":
            continue
        base = f"{1000000 + i:07d}"
        birthday = date(r.birth_date.year + 75, r.birth_date.month, min(r.birth_date.day, 28))
        acquired = max(birthday, r.resident_since)
        answers.append(InsuredInfoRecord(
            municipality_code=r.municipality_code, addressee_no=r.addressee_no,
            insured_no=base + str(mod10_weight21_check_digit(base)), insurer_no=insurer_no,
            acquired_on=acquired,
            acquisition_reason=AcquisitionReason.AGE, lost_on=None, loss_reason=None, copay_rate=10,
            copay_from=acquired, address_exception=False, decided_on=run_day))
    inbox = work / "inbox"
    inbox.mkdir()
    response = inbox / union_file_name("insured-info", "11100", run_day)
    response.write_bytes(dump_insured_info(answers, created_on=run_day, municipality_code="11100"))
    t3 = time.perf_counter()
    insured = import_union_file(actor=actor, path=response)
    t4 = time.perf_counter()
    assert insured.summary is not None, insured.errors[:3]
    sent = ", ".join(f"{s.kind} {s.record_count:,}" for s in result.sent)
    summary = (f"change import: {outcome.summary.applied:,} applied, {outcome.summary.counts}\n"
               f"files: {sent}\n"
               f"union response: {len(answers):,} 被保険者情報 records, {insured.summary.applied:,} stored")
    return Timed(t1 - t0, t2 - t1, t4 - t3, len(answers), summary)


def _sqlite_path(db_url: str) -> Path:
    parsed = urlparse(db_url)
    return Path(parsed.path if db_url.startswith("sqlite:////") else parsed.path.lstrip("/"))


def _admin(db_url: str, *statements: str) -> None:
    import psycopg

    parsed = urlparse(db_url)
    admin = db_url.replace(parsed.path, "/postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def snapshot(db_url: str) -> None:
    """Keep a copy of the set-up database (SQLite: the file; PostgreSQL: a template database)."""
    from django.db import connection

    if db_url.startswith("sqlite"):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        path = _sqlite_path(db_url)
        shutil.copyfile(path, str(path) + ".setup")
        return
    connection.close()
    name = urlparse(db_url).path.lstrip("/")
    _admin(db_url, f'DROP DATABASE IF EXISTS "{name}_setup"',
           f'CREATE DATABASE "{name}_setup" TEMPLATE "{name}"')


def restore(db_url: str) -> None:
    """Put the set-up copy back (the next timed run starts from the same state)."""
    from django.db import connection

    connection.close()
    if db_url.startswith("sqlite"):
        path = _sqlite_path(db_url)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        shutil.copyfile(str(path) + ".setup", path)
        return
    name = urlparse(db_url).path.lstrip("/")
    _admin(db_url, f'DROP DATABASE "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{name}_setup"')


def drop_snapshot(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        Path(str(_sqlite_path(db_url)) + ".setup").unlink(missing_ok=True)
        return
    from django.db import connection

    connection.close()
    _admin(db_url, f'DROP DATABASE IF EXISTS "{urlparse(db_url).path.lstrip("/")}_setup"')


def fresh_work(prepared: Prepared) -> Prepared:
    """A new work directory with the same change file (each run writes its own outbox and inbox)."""
    work = Path(tempfile.mkdtemp(prefix="kouki-daily-"))
    change_file = work / prepared.change_file.name
    shutil.copyfile(prepared.change_file, change_file)
    return replace(prepared, work=work, change_file=change_file)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=1_350_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1,
                        help="timed runs on one set-up: the database is copied after the set-up and the copy "
                             "put back before each further run")
    args = parser.parse_args()

    fresh_database(args.db_url)
    setup(args.db_url)
    before = machine()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    prepared = prepare(residents=args.residents, events=args.events, seed=args.seed)
    print(f"set-up: {prepared.addressees:,} addressees, {prepared.changes:,} changes up to "
          f"{prepared.run_day}, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(f"machine before set-up: {before}", file=sys.stderr)
    if args.runs > 1:
        snapshot(args.db_url)
    vendor = "PostgreSQL" if args.db_url.startswith("postgres") else "SQLite"
    rows: list[str] = []
    totals: list[float] = []
    for run in range(1, args.runs + 1):
        if run > 1:
            restore(args.db_url)
        load_before = machine()
        t = timed(fresh_work(prepared) if run > 1 else prepared)
        totals.append(t.total)
        print(f"run {run}: machine before timing: {load_before}", file=sys.stderr)
        print(f"run {run}: machine after:         {machine()}", file=sys.stderr)
        print(t.summary, file=sys.stderr)
        met = "yes" if t.total < 10 else "no"
        rows.append(f"| {vendor} (run {run}) | {prepared.addressees:,} | {prepared.changes:,} | "
                    f"{t.change_import:.2f} s | {t.extraction:.2f} s | "
                    f"{t.union_import:.2f} s ({t.answers:,}) | {t.total:.2f} s | {met} |")
    if args.runs > 1:
        drop_snapshot(args.db_url)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB", file=sys.stderr)
    for row in rows:
        print(row)
    if args.runs > 1:
        print(f"best of {args.runs}: {min(totals):.2f} s; all: {', '.join(f'{x:.2f}' for x in totals)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
