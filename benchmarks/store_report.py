"""A daily convenience-store final report (確報) of 10,000 payments in under 30 s (issue 5 §2).

    .venv/bin/python -m benchmarks.store_report --db sqlite:////tmp/kouki_stores_bench.sqlite3
    .venv/bin/python -m benchmarks.store_report --db postgres://postgres@127.0.0.1:5432/kouki_stores_bench

Load (not timed): --people synthetic people with an assessment each (benchmarks.instalment_planning.load),
their initial instalment plans, and the 納付書 of every direct instalment (slips_issue_for_plans).
The simulated payment agent then pays --payments slips (one per person, first the July slip; ~1 % paid
twice, ~0.5 % cancelled in the 確報, 5 unknown codes). Timed, each import through run_import:
1. the 速報 of day 1 (provisional receipts);
2. the 確報 of day 1 (confirms them, allocates, cancellations) — **the target**;
3. the 確報 of day 2 for other slips with no 速報 before it (confirmed receipts at once).
--profile prints a cProfile of each step (kouki functions by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks._common import fresh_database, machine, setup

FY = 2025
MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)


def load(people: int, seed: int) -> tuple[list[str], list[str]]:
    """Two lists of codes: one slip per person for day 1 (the earliest), another for day 2 (the next)."""
    from benchmarks.instalment_planning import load as load_people
    from kouki.assessment.planning import instalment_plans_initial_created
    from kouki.privacy.context import Actor
    from kouki.slips.models import PaymentSlip
    from kouki.slips.services import slips_issue_for_plans

    load_people(people, seed)
    actor = Actor.system("bench stores load")
    plans = instalment_plans_initial_created(
        actor=actor, fiscal_year=FY, on=date(FY, 7, 1), direct_months=MONTHS
    )
    slips_issue_for_plans(actor=actor, plan_ids=plans, on=date(FY, 7, 1))
    by_person: dict[int, list[str]] = {}
    rows = (
        PaymentSlip.objects.exclude(barcode="")
        .order_by("person_id", "due_date")
        .values_list("person_id", "barcode")
    )
    for person, code in rows:
        by_person.setdefault(person, []).append(code)
    first = [codes[0] for codes in by_person.values()]
    second = [codes[1] for codes in by_person.values() if len(codes) > 1]
    return first, second


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kouki_stores_bench")
    ap.add_argument("--people", type=int, default=28_000)
    ap.add_argument("--payments", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    fresh_database(args.db)
    setup(args.db)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from kouki.collection.models import Receipt
    from kouki.privacy.context import Actor
    from kouki.sandbox.stores.agent import PaymentAgent
    from kouki.stores.importers import import_store_report
    from kouki.stores.models import StoreWorkItem

    t = time.perf_counter()
    first, second = load(args.people, args.seed)
    if len(first) < args.payments or len(second) < args.payments:
        raise SystemExit(f"only {len(first)}/{len(second)} slips: raise --people")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"load (not timed): {time.perf_counter() - t:.1f} s, {len(first)} people paying directly")
    out = Path(tempfile.mkdtemp(prefix="kouki-stores-bench-"))
    agent = PaymentAgent(seed=args.seed)
    day1 = agent.day(first[: args.payments], paid_on=date(FY, 7, 20), twice=0.01, cancel=0.005, unknown=5)
    pre1, fin1 = agent.write(day1, out / "1", processed_on=date(FY, 7, 24), transfer_on=date(FY, 7, 31))
    day2 = agent.day(second[: args.payments], paid_on=date(FY, 8, 20), twice=0.01, cancel=0.005, unknown=5)
    _, fin2 = agent.write(day2, out / "2", processed_on=date(FY, 8, 24), transfer_on=date(FY, 8, 31))
    actor = Actor.system("bench stores")
    timings = []
    for label, path in (
        ("速報 day 1", pre1),
        ("確報 day 1 (after 速報)", fin1),
        ("確報 day 2 (no 速報)", fin2),
    ):
        profiler = cProfile.Profile() if args.profile else None
        t0 = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        outcome = import_store_report(actor=actor, path=path)
        if profiler is not None:
            profiler.disable()
        elapsed = time.perf_counter() - t0
        assert outcome.outcome == "applied", outcome.errors[:3]
        lines = outcome.record_count
        timings.append((label, lines, elapsed, outcome.summary.counts if outcome.summary else {}))
        if profiler is not None:
            print(f"--- profile: {label}")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"kouki/", 22)
    for label, lines, elapsed, counts in timings:
        print(f"| {connection.vendor} | {label} | {lines} | {elapsed:.1f} s | {counts} |")
    print(f"receipts {Receipt.objects.count()}, work items {StoreWorkItem.objects.count()}")
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
