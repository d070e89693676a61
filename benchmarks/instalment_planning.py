"""The city's initial instalment planning and notice data for N insured people (issue 4 §5: 180,000 in
under 30 s on 2 cores).

    .venv/bin/python -m benchmarks.instalment_planning --people 180000 [--workers 2] \
        [--db-url postgres://postgres@127.0.0.1:5432/kouki_bench_instalments | sqlite:////tmp/x.sqlite3]

Load (not timed, bulk inserts into a fresh database): people with a current version, income of the year
before (60 % with a pension from which the care premium is deducted, the rest without), one in ten
acquired in the fiscal year (age), and one assessment in force each (FY2025). Timed:
`instalment_plans_initial_created` (plans + instalment rows + audit) and `premium_notice_data` for every
new plan (保険料額決定通知書 data, no PDF). Direct months 7–3 (9 instalments; さいたま市's are [NF]).
Printed besides wall times: CPU seconds of this process, of the forked planning workers and (PostgreSQL)
of the connection's server backend — on a shared machine these say more than the wall times.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import time
from datetime import date
from pathlib import Path

from benchmarks._common import fresh_database, machine, setup

FY = 2025
MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)
FAMILY = ["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤", "吉田", "山田"]
GIVEN = ["太郎", "花子", "一郎", "和子", "清", "幸子", "博", "節子", "茂", "美智子", "勇", "久美子"]


def load(people: int, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from kouki.addressees.bulk import PERSON_FIELDS, PERSON_VERSION_FIELDS
    from kouki.addressees.models import Person, PersonVersion
    from kouki.assessment.models import Assessment
    from kouki.core.db import db_datetime, insert_rows
    from kouki.eligibility.models import InsuredPeriod
    from kouki.income.bulk import income_rows_insert

    rng = random.Random(seed)
    now = db_datetime(timezone.now())
    with transaction.atomic():
        persons = [(i, f"{100000000 + i}", "resident", now) for i in range(1, people + 1)]
        insert_rows(Person, PERSON_FIELDS, persons)
        versions, incomes, periods, assessments = [], [], [], []
        for pid in range(1, people + 1):
            birth = date(rng.randint(1925, 1950), rng.randint(1, 12), rng.randint(1, 28))
            versions.append((
                pid, rng.choice(FAMILY), rng.choice(GIVEN), "サトウ", "タロウ", "サトウタロウ", "1", birth,
                "resident", None, True, "", f"33{rng.randint(0, 99999):05d}", "11100",
                f"さいたま市浦和区本町{rng.randint(1, 9)}丁目{rng.randint(1, 40)}番", "", date(2000, 4, 1),
                None, now, None, None, True,
            ))  # fmt: skip
            pension = rng.choice((0, 0, 1_200_000, 1_800_000, 2_400_000, 3_600_000))
            incomes.append((pid, FY - 1, pension, 0, 0, pension // 20, pension, 0, now))
            acquired = date(FY, rng.randint(4, 12), 1) if rng.random() < 0.1 else date(2015, 4, 1)
            periods.append(InsuredPeriod(
                person_id=pid, insured_no=f"{10000000 + pid}", insurer_no="39110011", acquired_on=acquired,
                acquisition_reason="01", copay_rate=10, copay_from=acquired, decided_on=acquired,
                recorded_at=timezone.now(),
            ))  # fmt: skip
            premium = rng.randint(150, 2_000) * 100
            assessments.append(Assessment(
                person_id=pid, fiscal_year=FY, kind="initial", insured_no=f"{10000000 + pid}",
                assessed_on=date(FY, 7, 1), per_capita_levy=premium // 2, income_levy=premium - premium // 2,
                reduction="none", months=12, annual_premium=premium, income_base=premium * 5,
                recorded_at=timezone.now(),
            ))  # fmt: skip
        insert_rows(PersonVersion, PERSON_VERSION_FIELDS, versions)
        income_rows_insert(incomes)
        InsuredPeriod.objects.bulk_create(periods, batch_size=5000)
        Assessment.objects.bulk_create(assessments, batch_size=5000)


def _server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (/proc: the server runs on this machine);
    0 on SQLite, whose work is done in this process."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=180_000)
    ap.add_argument(
        "--db",
        "--db-url",
        dest="db",
        default="postgres://postgres@127.0.0.1:5432/kouki_bench_instalments",
        help="postgres://… or sqlite:////path (dropped and recreated)",
    )
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2, help="processes for the (pure) planning; 1 = none")
    args = ap.parse_args()
    fresh_database(args.db)
    setup(args.db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kouki.assessment.models import Instalment
    from kouki.assessment.notice_data import premium_notice_data
    from kouki.assessment.planning import instalment_plans_initial_created
    from kouki.privacy.context import Actor

    t = time.perf_counter()
    load(args.people, args.seed)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have after a load
    print(f"load (not timed): {time.perf_counter() - t:.1f} s")
    actor = Actor.system("bench instalments")
    print(f"machine before: {machine()}", flush=True)
    s0, c0, t0 = _server_cpu(), time.process_time(), time.perf_counter()
    on = date(FY, 7, 1)
    ids = instalment_plans_initial_created(
        actor=actor, fiscal_year=FY, on=on, direct_months=MONTHS, workers=args.workers
    )
    c1, t1 = time.process_time(), time.perf_counter()
    data = premium_notice_data(ids, issued_on=date(FY, 7, 10))
    c2, t2 = time.process_time(), time.perf_counter()
    rows = Instalment.objects.count()
    print(f"people {args.people}, plans {len(ids)}, instalments {rows}, notices {len(data)}")
    print(f"planning {t1 - t0:.1f} s, notice data {t2 - t1:.1f} s, total {t2 - t0:.1f} s")
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"CPU: this process planning {c1 - c0:.1f} s, notice data {c2 - c1:.1f} s, total {c2 - c0:.1f} s; "
          f"planning workers {kids.ru_utime + kids.ru_stime:.1f} s; database server session "
          f"{_server_cpu() - s0:.1f} s")  # fmt: skip
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"machine after: {machine()}")


if __name__ == "__main__":
    main()
