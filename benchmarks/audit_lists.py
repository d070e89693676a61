"""The auditors' lists at Saitama scale (issue 16 §5): 参照記録 and 監査警告 counted and paged in the
database.

    .venv/bin/python -m benchmarks.audit_lists [--references 1000000] [--alerts 50000] \
        [--db sqlite:////tmp/kouki_bench_audit_lists.sqlite3 | postgres://postgres@127.0.0.1:5432/kouki_bench_audit_lists]

Set-up (not timed; a fresh database, bulk inserts as benchmarks/monthly_review.py, not chained: the
lists do not read the chain): 500 staff, `--references` reference-log rows and `--alerts` alerts spread
over a year. An auditor signed in through the Django test client.

Timed (best of `--repeat`): GET /audit/references/ and /audit/alerts/?state=all — page 1, a middle page and
the last page, whole and filtered by one member of staff (about 1/500 of the rows) — the COUNT, the page's
LIMIT/OFFSET and the rendering.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks._common import best_of, fresh_database, machine, setup, signed_in_client

JST = ZoneInfo("Asia/Tokyo")
START = datetime(2025, 12, 1, tzinfo=JST)
SPAN = timedelta(days=365)


def build(references: int, alerts: int) -> None:
    from django.db.models import QuerySet  # the append-only managers refuse bulk inserts: set-up only

    from kouki.accounts.models import StaffUser
    from kouki.privacy.models import Alert, ReferenceLog

    rng = random.Random(22)
    StaffUser.objects.bulk_create(
        [StaffUser(username=f"u{i:03d}", staff_name=f"職員 {i:03d}", role="number_clerk",
                   password="!")  # noqa: S106 (an unusable password: nobody signs in)
         for i in range(500)])  # fmt: skip
    ids = [(u.pk, u.username) for u in StaffUser.objects.order_by("pk")]
    purposes = ["資格取得届の受付", "給付申請の受付", "本人確認(番号確認)", "保険料に関する申請の受付"]
    batch = 20_000
    for start in range(0, references, batch):
        rows = []
        for i in range(min(batch, references - start)):
            pk, name = rng.choice(ids)
            rows.append(ReferenceLog(seq=start + i + 1, prev_hash="", hash="", user_id=pk, username=name,
                                     at=START + SPAN * rng.random(), terminal_id="T", screen="宛名詳細",
                                     purpose=rng.choice(purposes), kind="reveal",
                                     number_token="x"))  # noqa: S106 (a token, not a password)
        QuerySet(ReferenceLog).bulk_create(rows)
    for start in range(0, alerts, batch):
        made = []
        for _ in range(min(batch, alerts - start)):
            at = START + SPAN * rng.random()
            pk, name = rng.choice(ids)
            made.append(Alert(kind=rng.choice(["reveal_burst", "reveal_hourly", "person_view_burst"]),
                              user_id=pk, username=name, window_start=at, window_end=at, count=20,
                              details={}, raised_at=at))  # fmt: skip
        QuerySet(Alert).bulk_create(made)


def auditor() -> Any:
    from kouki.accounts.permissions import Role

    return signed_in_client("benchauditor", Role.AUDITOR.value, "bench audit lists")


def _pages(html: str) -> int:
    found = re.search(r"\d+ / (\d+) ページ", html)
    return int(found.group(1)) if found else 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="sqlite:////tmp/kouki_bench_audit_lists.sqlite3")
    ap.add_argument("--references", type=int, default=1_000_000)
    ap.add_argument("--alerts", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    fresh_database(args.db)
    setup(args.db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connection

    from kouki.web.views.alerts import PAGE_SIZE as ALERT_PAGE
    from kouki.web.views.audit import PAGE_SIZE as REFERENCE_PAGE

    t = time.perf_counter()
    build(args.references, args.alerts)
    client = auditor()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"set-up (not timed): {args.references:,} references, {args.alerts:,} alerts, "
          f"{time.perf_counter() - t:.1f} s")
    print(f"before: {machine()}")
    print(f"database: {connection.vendor}\n| list | page | time |\n|---|---|---|")
    lists = (
        ("参照記録", "/audit/references/", {}, args.references, REFERENCE_PAGE),
        ("参照記録, one member of staff", "/audit/references/", {"username": "u123"}, None, REFERENCE_PAGE),
        ("監査警告 (all)", "/audit/alerts/", {"state": "all"}, args.alerts, ALERT_PAGE),
    )
    for label, url, query, rows, size in lists:
        first = client.get(url, query)
        assert first.status_code == 200, first.status_code
        pages = _pages(first.content.decode())
        assert rows is None or pages == -(-rows // size), (pages, rows, size)
        for name, number in (("1", 1), ("middle", pages // 2 or 1), ("last", pages)):
            took, response = best_of(lambda u=url, q=query, n=number: client.get(u, {**q, "page": n}),  # type: ignore[misc]
                                   args.repeat)  # fmt: skip
            assert response.status_code == 200
            assert pages == 1 or f"{number} / {pages} ページ" in response.content.decode()
            print(f"| {label} | {name} ({number:,} / {pages:,}) | {took * 1000:,.0f} ms |")
    print(f"after: {machine()}")


if __name__ == "__main__":
    main()
