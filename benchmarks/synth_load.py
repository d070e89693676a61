"""Generate and load the synthetic city; report wall time and peak memory (issue 2 §9).

    .venv/bin/python -m benchmarks.synth_load --residents 1350000 --db-url sqlite:////tmp/kouki_bench.sqlite3
    .venv/bin/python -m benchmarks.synth_load --residents 1350000 \
        --db-url postgres://postgres@127.0.0.1:5432/kouki_bench

The database is dropped and recreated first. The schema migration is timed separately; the target
(under 3 minutes, under 2 GB) is for generate + load. Prints a Markdown row for benchmarks/RESULTS.md.
The keyring path is printed so benchmarks/search_kana.py can reuse the database.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

from benchmarks._common import fresh_database, machine, setup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=1_350_000)
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args()

    fresh_database(args.db_url)
    keyring = setup(args.db_url)
    before = machine()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - started

    from kouki.privacy.context import Actor
    from kouki.sandbox.synth.load import synthetic_city_load
    from kouki.sandbox.synth.model import SynthConfig

    started = time.perf_counter()
    result = synthetic_city_load(actor=Actor.system("synth"), config=SynthConfig(args.residents, args.seed),
                                 progress=not args.quiet)
    load_s = time.perf_counter() - started
    peak_mib = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                   resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    vendor = "PostgreSQL" if args.db_url.startswith("postgres") else "SQLite"
    print(f"machine before: {before}", file=sys.stderr)
    print(f"machine after:  {machine()}", file=sys.stderr)
    print(f"keyring: {keyring}", file=sys.stderr)
    print(f"counts: {result}", file=sys.stderr)
    print(f"| {vendor} | {args.residents:,} | {result.persons:,} | {load_s:.1f} s | {peak_mib:.0f} MiB "
          f"| {migrate_s:.1f} s | {'yes' if load_s < 180 and peak_mib < 2048 else 'no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
