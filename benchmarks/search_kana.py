"""Latency of person search by kana prefix on a loaded city (issue 2 §9: p95 under 50 ms).

    .venv/bin/python -m benchmarks.search_kana --db-url sqlite:////tmp/kouki_bench.sqlite3
    .venv/bin/python -m benchmarks.search_kana --db-url postgres://postgres@127.0.0.1:5432/kouki_bench

Prefixes: 2–3 characters of the kana keys of randomly chosen current versions (what staff type), each
searched once through kouki.addressees.selectors.search_current (50 rows, the screen's page). Also checks
that every result starts with the prefix and that the range finds exactly the prefix's rows, and shows
the query plan.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from benchmarks._common import machine, setup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup(args.db_url)

    from django.db import connection

    from kouki.addressees.models import PersonVersion
    from kouki.addressees.selectors import search_current

    rng = random.Random(args.seed)
    top = PersonVersion.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(args.queries)]
    keys = dict(PersonVersion.objects.filter(id__in=ids).values_list("id", "kana_key"))
    prefixes = [keys[i][: rng.choice((2, 3))] for i in ids if i in keys]

    list(search_current(kana=prefixes[0]))  # warm the connection
    times = []
    wrong = 0
    for prefix in prefixes:
        started = time.perf_counter()
        rows = list(search_current(kana=prefix))
        times.append((time.perf_counter() - started) * 1000)
        wrong += sum(not v.kana_key.startswith(prefix) for v in rows)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]

    exact = 0
    for prefix in prefixes[:20]:
        by_range = search_current(kana=prefix, limit=10**7).count()
        by_prefix = PersonVersion.objects.filter(is_current=True, kana_key__startswith=prefix).count()
        exact += by_range == by_prefix
    plan = search_current(kana=prefixes[0]).explain()
    total = PersonVersion.objects.filter(is_current=True).count()
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"machine: {machine()}", file=sys.stderr)
    print(f"plan:\n{plan}", file=sys.stderr)
    print(f"range == startswith for {exact}/20 prefixes; results not matching the prefix: {wrong}",
          file=sys.stderr)
    print(f"| {vendor} | {total:,} | {len(prefixes)} | {p50:.1f} ms | {p95:.1f} ms | {times[-1]:.1f} ms "
          f"| {'yes' if p95 < 50 and wrong == 0 and exact == 20 else 'no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
