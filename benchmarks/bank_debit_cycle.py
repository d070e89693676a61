"""A monthly 口座振替 cycle for N debit accounts (issue 5 §2: 60,000 in under 30 s on 2 cores).

    .venv/bin/python -m benchmarks.bank_debit_cycle --accounts 60000 \
        [--db postgres://postgres@127.0.0.1:5432/kouki_banking_bench | sqlite:////tmp/kouki_banking_bench.sqlite3]

Set-up (not timed, bulk inserts into a fresh database): N people paying directly (no pension income), an
assessment each (FY2025), their instalment plans (`instalment_plans_initial_created`, 9 instalments
July–March) and a debit account each. Timed phases of the July debit (2025-07-31):

1. `debit_request_create` (select the month's unpaid instalments, write the 全銀 91 file, record the run);
2. the simulated bank (file in, file out; ~5.7 % failures);
3. `import_debit_result` through run_import: parse, check against the requests, debit receipts
   (`receipts_record`, allocation), failed debits and their payment slips.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks._common import fresh_database, machine, setup

FY = 2025
DEBIT_DATE = date(2025, 7, 31)
MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)
BANKS = (("0001", "001"), ("0005", "001"), ("0017", "104"), ("0009", "001"), ("9900", "018"))


def load(people: int, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from kouki.addressees.bulk import PERSON_FIELDS, PERSON_VERSION_FIELDS
    from kouki.addressees.models import Person, PersonVersion
    from kouki.assessment.models import Assessment
    from kouki.core.db import db_datetime, insert_rows
    from kouki.income.bulk import income_rows_insert

    rng = random.Random(seed)
    now = db_datetime(timezone.now())
    with transaction.atomic():
        insert_rows(
            Person, PERSON_FIELDS, [(i, f"{100000000 + i}", "resident", now) for i in range(1, people + 1)]
        )
        versions, incomes, assessments = [], [], []
        for pid in range(1, people + 1):
            birth = date(rng.randint(1925, 1950), rng.randint(1, 12), rng.randint(1, 28))
            versions.append(
                (
                    pid,
                    "山田",
                    "太郎",
                    "ヤマダ",
                    "タロウ",
                    "ヤマダタロウ",
                    "1",
                    birth,
                    "resident",
                    None,
                    True,
                    "",
                    f"33{rng.randint(0, 99999):05d}",
                    "11100",
                    f"さいたま市浦和区本町{rng.randint(1, 9)}丁目",
                    "",
                    date(2000, 4, 1),
                    None,
                    now,
                    None,
                    None,
                    True,
                )
            )
            incomes.append((pid, FY - 1, 0, 0, 0, 0, 0, 0, now))
            premium = rng.randint(150, 2_000) * 100
            assessments.append(
                Assessment(
                    person_id=pid,
                    fiscal_year=FY,
                    kind="initial",
                    insured_no=f"{10000000 + pid}",
                    assessed_on=date(FY, 7, 1),
                    per_capita_levy=premium // 2,
                    income_levy=premium - premium // 2,
                    reduction="none",
                    months=12,
                    annual_premium=premium,
                    income_base=premium * 5,
                    recorded_at=timezone.now(),
                )
            )
        insert_rows(PersonVersion, PERSON_VERSION_FIELDS, versions)
        income_rows_insert(incomes)
        Assessment.objects.bulk_create(assessments, batch_size=5000)


def accounts(people: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from kouki.banking.models import BankAccount
    from kouki.core.db import db_datetime, insert_rows

    now = db_datetime(timezone.now())
    fields = (
        "id",
        "person_id",
        "purpose",
        "bank_code",
        "branch_code",
        "deposit_type",
        "account_number",
        "holder_kana",
        "valid_from",
        "valid_to",
        "applied_on",
        "end_reason",
        "recorded_at",
        "recorded_by",
    )
    rows = [
        (
            pid,
            pid,
            "debit",
            *BANKS[pid % len(BANKS)],
            1,
            f"{pid:07d}",
            "ﾔﾏﾀﾞ ﾀﾛｳ",
            date(2025, 4, 1),
            None,
            date(2025, 3, 1),
            "",
            now,
            "bench",
        )
        for pid in range(1, people + 1)
    ]
    with transaction.atomic():
        insert_rows(BankAccount, fields, rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=60_000)
    ap.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kouki_banking_bench")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument(
        "--profile", type=Path, help="write cProfiles of the request (<path>.request) and import phases here"
    )
    args = ap.parse_args()
    fresh_database(args.db)
    setup(args.db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from kouki.assessment.planning import instalment_plans_initial_created
    from kouki.banking.debits import debit_request_create
    from kouki.banking.models import BankAccount
    from kouki.banking.results import import_debit_result
    from kouki.collection.models import Allocation, Receipt
    from kouki.core.db import reset_sequences
    from kouki.privacy.context import Actor
    from kouki.sandbox.bank.simulator import run_bank

    actor = Actor.system("bench bank debit")
    t = time.perf_counter()
    load(args.accounts, args.seed)
    instalment_plans_initial_created(actor=actor, fiscal_year=FY, on=date(FY, 7, 1), direct_months=MONTHS)
    accounts(args.accounts)
    reset_sequences([BankAccount])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"set-up (not timed): {time.perf_counter() - t:.1f} s")
    work = Path(tempfile.mkdtemp(prefix="kouki-bank-bench-"))
    print(f"load average before: {machine()}")
    t0, c0 = time.perf_counter(), time.process_time()
    request_profile = cProfile.Profile() if args.profile else None
    if request_profile:
        request_profile.enable()
    run = debit_request_create(actor=actor, debit_date=DEBIT_DATE, outbox=work / "outbox")
    if request_profile:
        request_profile.disable()
        request_profile.dump_stats(str(args.profile) + ".request")
        pstats.Stats(str(args.profile) + ".request").sort_stats("cumulative").print_stats(25)
    t1, c1 = time.perf_counter(), time.process_time()
    result = run_bank(run.path, work / "bank", seed=args.seed)
    t2, c2 = time.perf_counter(), time.process_time()
    import kouki.banking.results as results_module

    inside = {"wall": 0.0, "cpu": 0.0}
    core = results_module.receipts_record

    def timed_receipts_record(**kwargs: Any) -> list[int]:  # the collection core's share of the import
        w, c = time.perf_counter(), time.process_time()
        try:
            return core(**kwargs)
        finally:
            inside["wall"] += time.perf_counter() - w
            inside["cpu"] += time.process_time() - c

    results_module.receipts_record = timed_receipts_record  # type: ignore[assignment]
    profile = cProfile.Profile() if args.profile else None
    if profile:
        profile.enable()
    outcome = import_debit_result(actor=actor, path=result, report_dir=work / "reports")
    if profile:
        profile.disable()
        profile.dump_stats(str(args.profile))
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(25)
    t3, c3 = time.perf_counter(), time.process_time()
    assert outcome.outcome == "applied", outcome.errors[:5]
    counts = outcome.summary.counts if outcome.summary else {}
    print(
        f"{connection.vendor}: accounts {args.accounts}, records {run.run.record_count}, "
        f"amount {run.run.total_amount:,}, file {len(run.data):,} bytes"
    )
    print(
        f"debited {counts.get('debited')}, failed {counts.get('failed')}, slips {counts.get('slips')}, "
        f"receipts {Receipt.objects.count()}, allocations {Allocation.objects.count()}"
    )
    print(
        f"request {t1 - t0:.1f} s, bank {t2 - t1:.1f} s, result import {t3 - t2:.1f} s, total {t3 - t0:.1f} s"
    )
    print(
        f"CPU of this process: request {c1 - c0:.1f} s, bank {c2 - c1:.1f} s, result import {c3 - c2:.1f} s, "
        f"total {c3 - c0:.1f} s"
    )
    print(
        f"of which kouki.collection.services.receipts_record: {inside['wall']:.1f} s wall, "
        f"{inside['cpu']:.1f} s CPU of this process"
    )
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
