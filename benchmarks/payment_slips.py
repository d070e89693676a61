"""納付書 (payment slip) PDFs per second on 2 cores (issue 5 §1: 200 pages/s or better).

    .venv/bin/python -m benchmarks.payment_slips --pages 20000

Builds synthetic mailings (not timed): booklets of nine direct-payment instalments (July–March, an assumed
month list) per person, amounts from 1,000 to 60,000円 with one person in fifty above 300,000円 a slip (no
barcode), each slip with its GS1-128 code from the configured biller code and free-field layout. Then
times kouki.documents.payment_slip.render_slip_batch in --workers processes (parts of --part-size mailings,
IPAexGothic embedded, the barcode drawn as bars). PDFs go to a temporary folder that is deleted afterwards
(unless --keep). No database is used.

With --db URL (a database of its own; dropped and re-created) the run is end to end instead: --people
people loaded and planned as in benchmarks.instalment_planning (not timed; those without a pension pay
directly), then timed: `slips_issue_for_plans` for every plan (bulk insert + audit),
`slip_document_data` (booklets per person) and `render_slip_batch`.

    .venv/bin/python -m benchmarks.payment_slips --db postgres://postgres@127.0.0.1:5432/kouki_bench_slips \
        --people 20000
"""

from __future__ import annotations

import argparse
import calendar
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks._common import machine

FAMILY = ["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤", "吉田", "山田"]
GIVEN = ["太郎", "花子", "一郎", "和子", "清", "幸子", "博", "節子", "茂", "美智子", "勇", "久美子"]
WARDS = ["西区", "北区", "大宮区", "見沼区", "中央区", "桜区", "浦和区", "南区", "緑区", "岩槻区"]
FISCAL_YEAR = 2026
MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)


def build(pages: int, seed: int) -> list[Any]:
    from kouki.documents.data import default_insurer_name, default_issuer
    from kouki.documents.payment_slip_data import PaymentSlipData, SlipLine
    from kouki.documents.premium_data import Addressee
    from kouki.slips.codes import CodeMaker

    rng = random.Random(seed)
    maker = CodeMaker()
    issuer, insurer = default_issuer(), default_insurer_name()
    mailings: list[Any] = []
    slip_no = 0
    made = 0
    n = 0
    while made < pages:
        n += 1
        each = rng.choice((1_000, 4_500, 6_700, 12_300, 33_000, 60_000))
        if n % 50 == 0:
            each = 320_000
        lines = []
        for period, month in enumerate(MONTHS[: min(9, pages - made)], 1):
            year = FISCAL_YEAR if month >= 4 else FISCAL_YEAR + 1
            due = date(year, month, calendar.monthrange(year, month)[1])
            slip_no += 1
            code = maker.barcode(
                fiscal_year=FISCAL_YEAR, slip_no=slip_no, period=period, reissue=0, due_date=due, amount=each
            )
            lines.append(SlipLine(slip_no, 0, period, due, each, code))
        made += len(lines)
        mailings.append(
            PaymentSlipData(
                addressee=Addressee(
                    addressee_no=f"{100000000 + n}",
                    family_name=rng.choice(FAMILY),
                    given_name=rng.choice(GIVEN),
                    postal_code=f"33{rng.randint(0, 99999):05d}",
                    address=f"さいたま市{rng.choice(WARDS)}本町{rng.randint(1, 9)}丁目{rng.randint(1, 40)}番"
                    f"{rng.randint(1, 30)}号",
                ),
                insured_no=f"{10000000 + n}",
                fiscal_year=FISCAL_YEAR,
                issued_on=date(FISCAL_YEAR, 7, 10),
                issuer=issuer,
                insurer_name=insurer,
                slips=tuple(lines),
            )
        )
    return mailings


def end_to_end(db: str, people: int, seed: int, workers: int) -> None:
    from benchmarks._common import fresh_database, setup
    from benchmarks.instalment_planning import FY, MONTHS, load

    fresh_database(db)
    setup(db)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from kouki.assessment.planning import instalment_plans_initial_created
    from kouki.documents.payment_slip import render_slip_batch
    from kouki.privacy.context import Actor
    from kouki.slips.documents import slip_document_data
    from kouki.slips.services import slips_issue_for_plans

    t = time.perf_counter()
    load(people, seed)
    on = date(FY, 7, 1)
    actor = Actor.system("bench slips")
    plans = instalment_plans_initial_created(actor=actor, fiscal_year=FY, on=on, direct_months=MONTHS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"load and planning (not timed): {time.perf_counter() - t:.1f} s, {len(plans):,} plans")
    out = Path(tempfile.mkdtemp(prefix="kouki-slips-bench-"))
    t0 = time.perf_counter()
    ids = slips_issue_for_plans(actor=actor, plan_ids=plans, on=on)
    t1 = time.perf_counter()
    data = slip_document_data(ids, issued_on=date(FY, 7, 10))
    t2 = time.perf_counter()
    files = render_slip_batch(data, out, workers=workers)
    t3 = time.perf_counter()
    pages = sum(f.pages for f in files)
    print(f"slips {len(ids):,} for {len(data):,} people; issue {t1 - t0:.1f} s, data {t2 - t1:.1f} s, "
          f"render {t3 - t2:.1f} s ({pages:,} pages, {len(files)} files)")  # fmt: skip
    print(f"end to end {t3 - t0:.1f} s = {pages / (t3 - t0):.0f} pages/s ({connection.vendor})")
    print(f"machine after: {machine()}")
    shutil.rmtree(out)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--part-size", type=int, default=2_500, help="mailings (of up to 9 pages) per file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--db", default="", help="end to end on this database (dropped and re-created)")
    parser.add_argument("--people", type=int, default=20_000, help="with --db: people loaded and planned")
    args = parser.parse_args()
    if args.db:
        print(f"machine: {machine()}")
        end_to_end(args.db, args.people, args.seed, args.workers)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
    import django

    django.setup()
    from kouki.documents.payment_slip import render_slip_batch

    print(f"machine: {machine()}")
    t = time.perf_counter()
    mailings = build(args.pages, args.seed)
    print(f"built {len(mailings):,} mailings in {time.perf_counter() - t:.1f} s (not timed)")
    out = Path(tempfile.mkdtemp(prefix="kouki-slips-bench-"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    main_before = time.process_time()
    t = time.perf_counter()
    files = render_slip_batch(mailings, out, workers=args.workers, part_size=args.part_size)
    render_s = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cpu += time.process_time() - main_before  # the parent pickles the mailings to the workers
    pages = sum(f.pages for f in files)
    size = sum(f.path.stat().st_size for f in files)
    print(
        f"render: {pages:,} pages in {len(files)} files ({size / 1e6:.0f} MB) in {render_s:.1f} s "
        f"with {args.workers} workers = {pages / render_s:.0f} pages/s"
    )
    if cpu > 0:
        print(f"CPU time (workers + parent) {cpu:.1f} s = {pages / cpu:.0f} pages per CPU-second")
    print(f"load average after: {machine().rsplit('load average ', 1)[1]}")
    if args.keep:
        print(f"kept {out}")
    else:
        shutil.rmtree(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
