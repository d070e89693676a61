"""One daily batch at Saitama size (issue 3 §7): 10,000 change events in under 10 seconds.

    .venv/bin/python -m benchmarks.daily_batch --db-url sqlite:////tmp/kouki_daily.sqlite3
    .venv/bin/python -m benchmarks.daily_batch --db-url postgres://postgres@127.0.0.1:5432/kouki_daily

Set-up (not timed): a fresh database with the synthetic city of --residents (kouki synth's loader), and
--events change events from the synth event simulator run on the same city (the first days of its
stream, cut at --events records in notified order, written as one 住基異動 file). A previous daily run is
recorded so that the batch sees only these changes.

Timed, one after the other, as the daily batch does them:
1. import of the change file (kouki.interfaces.resident_register.importer.import_resident_changes);
2. extraction of the city → union files and the 年齢到達予定者 list (kouki.eligibility.batch.batch_daily
   without an inbox);
3. import of a union response file: 被保険者情報 for every person aged 75+ in the day's 住民基本台帳情報
   (synthesised here the way the union would answer, insured numbers with check digits).
Prints a Markdown row for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks._common import fresh_database, machine, setup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=1_350_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    fresh_database(args.db_url)
    setup(args.db_url)
    before = machine()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from django.utils import timezone

    from kouki.eligibility.batch import RESIDENT_INFO, batch_daily
    from kouki.eligibility.importers import import_union_file
    from kouki.eligibility.models import OutboundFile
    from kouki.interfaces.resident_register.formats import dump_csv
    from kouki.interfaces.resident_register.importer import import_resident_changes
    from kouki.interfaces.union.files import union_file_name
    from kouki.interfaces.union.insured_info import dump_insured_info
    from kouki.interfaces.union.records import AcquisitionReason, InsuredInfoRecord
    from kouki.interfaces.union.resident_info import parse_resident_info
    from kouki.privacy.context import Actor
    from kouki.rules.numbers import mod10_weight21_check_digit
    from kouki.sandbox.synth.city import city_from_chunks, generate_city
    from kouki.sandbox.synth.events import simulate_events
    from kouki.sandbox.synth.load import synthetic_city_load
    from kouki.sandbox.synth.model import SynthConfig, age_on

    config = SynthConfig(args.residents, args.seed)
    started = time.perf_counter()
    chunks = list(generate_city(config))
    load = synthetic_city_load(actor=Actor.system("synth"), config=config, chunks=chunks)
    city = city_from_chunks(config, chunks)
    del chunks
    days = max(3, int(args.events / (0.16 / 365 * args.residents)) + 3)
    stream = simulate_events(city, days)
    records = sorted(stream.records(), key=lambda r: (r.notified_date, r.change_id))[: args.events]
    del city, stream
    run_day = max(r.notified_date for r in records)
    work = Path(tempfile.mkdtemp(prefix="kouki-daily-"))
    change_file = work / f"juki_idou_{run_day:%Y%m%d}.csv"
    change_file.write_bytes(dump_csv(records))
    OutboundFile.objects.create(kind=RESIDENT_INFO, run_date=run_day - timedelta(days=1),
                                file_name="(setup)", record_count=0, sha256="0" * 64, through_change_id=0,
                                created_at=timezone.now(), created_by="benchmark")
    setup_s = time.perf_counter() - started
    print(f"set-up: {load.persons:,} addressees, {len(records):,} changes up to {run_day}, {setup_s:.0f} s",
          file=sys.stderr)

    actor = Actor.system("benchmark")
    load_before = machine()
    t0 = time.perf_counter()
    outcome = import_resident_changes(actor=actor, path=change_file)
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
    total = (t1 - t0) + (t2 - t1) + (t4 - t3)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    vendor = "PostgreSQL" if args.db_url.startswith("postgres") else "SQLite"
    sent = ", ".join(f"{s.kind} {s.record_count:,}" for s in result.sent)
    print(f"machine before set-up: {before}", file=sys.stderr)
    print(f"machine before timing: {load_before}", file=sys.stderr)
    print(f"machine after:         {machine()}", file=sys.stderr)
    print(f"change import: {outcome.summary.applied:,} applied, {outcome.summary.counts}", file=sys.stderr)
    print(f"files: {sent}", file=sys.stderr)
    print(f"union response: {len(answers):,} 被保険者情報 records, {insured.summary.applied:,} stored",
          file=sys.stderr)
    print(f"peak RSS {peak:.0f} MiB", file=sys.stderr)
    print(f"| {vendor} | {load.persons:,} | {len(records):,} | {t1 - t0:.2f} s | {t2 - t1:.2f} s | "
          f"{t4 - t3:.2f} s ({len(answers):,}) | {total:.2f} s | {'yes' if total < 10 else 'no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
