"""The monthly review report over a large month (issue 15 §1: "the audit trail of a city of 500 staff is
large").

    .venv/bin/python -m benchmarks.monthly_review --audit-rows 1000000 --references 200000 \
        [--db sqlite:////tmp/kouki_bench_review.sqlite3 | postgres://postgres@127.0.0.1:5432/kouki_bench_review]

Set-up (not timed): 500 staff accounts (bulk, no password), then `--audit-rows` audit rows and `--references`
reference-log rows spread over the month of November 2026 and its neighbours (a tenth before, a tenth after;
times uniform over the day, so about two thirds fall out of hours), random actions of the report's lists
and others, random actors and purposes, and 300 alerts — inserted in bulk (not chained: the report does not
read the chain).

Timed: `monthly_review_data` (every section's GROUP BY queries) and the PDF's rendering, separately.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks._common import fresh_database, machine, setup

JST = ZoneInfo("Asia/Tokyo")
START = datetime(2026, 10, 29, tzinfo=JST)  # a few days before the month, a few after
SPAN = timedelta(days=37)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite:////tmp/kouki_bench_review.sqlite3")
    parser.add_argument("--audit-rows", type=int, default=1_000_000)
    parser.add_argument("--references", type=int, default=200_000)
    args = parser.parse_args()
    fresh_database(args.db)
    setup(args.db)
    from django.core.management import call_command
    from django.db.models import QuerySet  # the append-only managers refuse bulk inserts: set-up only

    call_command("migrate", verbosity=0, interactive=False)
    from kouki.accounts.models import StaffUser
    from kouki.core.audit_vocabulary import AuditAction
    from kouki.privacy.models import Alert, AuditEntry, ReferenceLog
    from kouki.reviews.report import monthly_review_data
    from kouki.reviews.services import KIND

    rng = random.Random(15)
    staff = StaffUser.objects.bulk_create(
        [StaffUser(username=f"u{i:03d}", staff_name=f"職員 {i:03d}", role="number_clerk",
                   password="!")  # noqa: S106 (an unusable password: nobody signs in)
         for i in range(500)])
    ids = [(u.pk, u.username) for u in StaffUser.objects.order_by("pk")]
    actions = [a.value for a in AuditAction]
    purposes = ["資格取得届の受付", "給付申請の受付", "本人確認(番号確認)", "保険料に関する申請の受付"]
    t0 = time.perf_counter()
    batch = 20_000
    for start in range(0, args.audit_rows, batch):
        QuerySet(AuditEntry).bulk_create([
            AuditEntry(seq=start + i + 1, prev_hash="", hash="", at=START + SPAN * rng.random(),
                       actor=rng.choice(ids)[1], action=rng.choice(actions), detail={})
            for i in range(min(batch, args.audit_rows - start))])
    for start in range(0, args.references, batch):
        rows = []
        for i in range(min(batch, args.references - start)):
            pk, name = rng.choice(ids)
            rows.append(ReferenceLog(seq=start + i + 1, prev_hash="", hash="", user_id=pk, username=name,
                                     at=START + SPAN * rng.random(), terminal_id="T", screen="宛名詳細",
                                     purpose=rng.choice(purposes), kind="reveal",
                                     number_token="x"))  # noqa: S106 (a token, not a password)
        QuerySet(ReferenceLog).bulk_create(rows)
    for _ in range(300):
        at = START + SPAN * rng.random()
        Alert.objects.create(kind=rng.choice(["reveal_burst", "reveal_hourly", "person_view_burst"]),
                             user_id=rng.choice(ids)[0], username="", window_start=at, window_end=at,
                             count=20, details={}, raised_at=at)
    print(f"set-up: {len(staff)} staff, {args.audit_rows:,} audit rows, {args.references:,} references "
          f"in {time.perf_counter() - t0:.1f} s")
    t1 = time.perf_counter()
    data = monthly_review_data(date(2026, 11, 1))
    t2 = time.perf_counter()
    pdf = KIND.render([data])
    t3 = time.perf_counter()
    print(f"monthly_review_data: {t2 - t1:.2f} s; PDF: {t3 - t2:.2f} s ({len(pdf):,} bytes, "
          f"{sum(len(s.table.rows) if s.table else 0 for s in data.sections)} table lines)")
    print(machine())


if __name__ == "__main__":
    main()
