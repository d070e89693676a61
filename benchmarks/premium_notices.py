"""保険料額決定通知書 PDFs per second on 2 cores (issue 4 §5: 200 pages/s or better).

    .venv/bin/python -m benchmarks.premium_notices --pages 20000

Builds --pages synthetic notices (not timed): households of one or two insured people with varied pension
and salary revenue, premiums from the engine (Saitama FY2025 preset), instalments from
kouki.rules.instalments (pension deduction, or 9 direct instalments for people without a pension; the
direct months are an assumption as さいたま市's are not published). Then times rendering with
kouki.documents.render.render_batch (premium_notice.KIND) in --workers processes (parts of --part-size pages,
IPAexGothic embedded). PDFs go to a temporary folder that is deleted afterwards (unless --keep).
No database is used.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from benchmarks._common import machine

FAMILY = ["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤", "吉田", "山田"]
GIVEN = ["太郎", "花子", "一郎", "和子", "清", "幸子", "博", "節子", "茂", "美智子", "勇", "久美子"]
WARDS = ["西区", "北区", "大宮区", "見沼区", "中央区", "桜区", "浦和区", "南区", "緑区", "岩槻区"]
FISCAL_YEAR = 2025


def build(pages: int, seed: int) -> list[object]:
    from kouki.documents.data import default_insurer_name, default_issuer
    from kouki.documents.premium_data import (
        Addressee,
        PremiumNoticeData,
        breakdown_from_engine,
        instalment_lines,
    )
    from kouki.rules import instalments as inst
    from kouki.rules.business_days import japanese_calendar
    from kouki.rules.premium import HouseholdMember, assess_household, resolve_parameters

    rng = random.Random(seed)
    params = resolve_parameters(FISCAL_YEAR, "saitama")
    rules = replace(inst.SAITAMA, direct_months=(7, 8, 9, 10, 11, 12, 1, 2, 3))
    cal = japanese_calendar([FISCAL_YEAR, FISCAL_YEAR + 1])
    issuer, insurer = default_issuer(), default_insurer_name()
    notices: list[object] = []
    n = 0
    while len(notices) < pages:
        n += 1
        pension = rng.choice((0, 600_000, 1_200_000, 1_800_000, 2_400_000, 3_600_000))
        salary = rng.choice((0, 0, 0, 1_500_000, 4_000_000))
        member = HouseholdMember(
            id="a",
            insured=True,
            householder=True,
            birth_date=date(rng.randint(1925, 1949), rng.randint(1, 12), rng.randint(1, 28)),
            public_pension_revenue=pension,
            salary_revenue=salary,
            other_income=rng.choice((0, 0, 100_000)),
        )
        result = assess_household([member], params)[0]
        breakdown = breakdown_from_engine(member, result, params)
        if breakdown.amount_due == 0:
            continue
        info = None
        if pension:
            previous = breakdown.amount_due - rng.choice((0, 1_200, 3_000))
            info = inst.PensionInfo(
                annual_amount=pension,
                care_premium_annual=pension // 30,
                provisional_amount=max(0, previous) // 6 // 100 * 100,
                previous_annual_premium=max(0, previous),
            )
        plan = inst.plan_instalments(
            inst.PlanRequest(FISCAL_YEAR, breakdown.amount_due, None, "age", info), rules, cal
        )
        addressee = Addressee(
            addressee_no=f"{100000000 + n}",
            family_name=rng.choice(FAMILY),
            given_name=rng.choice(GIVEN),
            postal_code=f"33{rng.randint(0, 99999):05d}",
            address=f"さいたま市{rng.choice(WARDS)}本町{rng.randint(1, 9)}丁目{rng.randint(1, 40)}番"
            f"{rng.randint(1, 30)}号",
        )
        notices.append(
            PremiumNoticeData(
                addressee=addressee,
                insured_no=f"{10000000 + n}",
                fiscal_year=FISCAL_YEAR,
                issued_on=date(2025, 7, 10),
                issuer=issuer,
                insurer_name=insurer,
                breakdown=breakdown,
                instalments=instalment_lines(plan.instalments),
                overpayment=plan.overpayment,
            )
        )
    return notices


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--part-size", type=int, default=2_500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
    import django

    django.setup()
    from kouki.documents import premium_notice
    from kouki.documents.render import render_batch

    print(f"machine: {machine()}")
    t = time.perf_counter()
    notices = build(args.pages, args.seed)
    print(f"built {len(notices):,} notices (engine + planner) in {time.perf_counter() - t:.1f} s (not timed)")
    out = Path(tempfile.mkdtemp(prefix="kouki-premium-bench-"))
    t = time.perf_counter()
    files = render_batch(premium_notice.KIND, notices, out, workers=args.workers, part_size=args.part_size)
    render_s = time.perf_counter() - t
    pages = sum(f.pages for f in files)
    size = sum(f.path.stat().st_size for f in files)
    print(
        f"render: {pages:,} pages in {len(files)} files ({size / 1e6:.0f} MB) in {render_s:.1f} s "
        f"with {args.workers} workers = {pages / render_s:.0f} pages/s"
    )
    print(f"load average after: {machine().rsplit('load average ', 1)[1]}")
    if args.keep:
        print(f"kept {out}")
    else:
        shutil.rmtree(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
