"""The 滞納者一覧 at Saitama scale (issue 16 §5): ~60,000 people in arrears, the list paged in the database.

    .venv/bin/python -m benchmarks.arrears_list [--people 60000] [--paid 20000] \
        [--database-url postgres://postgres@127.0.0.1:5432/kouki_bench_arrears | sqlite:////tmp/kouki_bench_arrears.sqlite3]

Set-up (not timed; a fresh database): `--people` people in arrears and `--paid` people who paid
everything, inserted in bulk — a person, their current version, an FY2025 assessment and plan of eight
direct instalments (July to February) each; a random part of each arrears person's instalments paid
(an InstalmentAccount with nothing unpaid), so their oldest due date varies; one arrears person in ten
also with six FY2025 pension instalments awaiting their 特別徴収結果 (not arrears). A counter clerk.

Timed, on 2026-04-15 (every FY2025 instalment past due), page 1, a middle page and the last page:
- `arrears_page` (the selector: GROUP BY person in the database, the page's people loaded);
- GET /arrears/?page=N through the Django test client as a signed-in counter clerk (the whole screen:
  the page, the 特別徴収の結果待ち summary and the 徴収猶予中 list);
- 督促漏れ (every unpaid direct instalment is past the 20-day window and never reminded here): `missed_page`
  and GET /arrears/reminders/missed/?page=N, page 1, a middle page and the last page;
and once, for comparison, the former ways: `arrears_list` and `reminders_missed` of the whole city
(everything in Python).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date
from typing import Any

from benchmarks._common import best_of, fresh_database, machine, setup, signed_in_client

ON = date(2026, 4, 15)
FY = 2025
DIRECT = [("2025-07", date(2025, 7, 31)), ("2025-08", date(2025, 9, 1)), ("2025-09", date(2025, 9, 30)),
          ("2025-10", date(2025, 10, 31)), ("2025-11", date(2025, 12, 1)), ("2025-12", date(2025, 12, 25)),
          ("2026-01", date(2026, 2, 2)), ("2026-02", date(2026, 3, 2))]  # fmt: skip
PENSION = [("2025-04", date(2025, 4, 15)), ("2025-06", date(2025, 6, 13)), ("2025-08", date(2025, 8, 15)),
           ("2025-10", date(2025, 10, 15)), ("2025-12", date(2025, 12, 15)),
           ("2026-02", date(2026, 2, 13))]  # fmt: skip


def build(arrears: int, paid: int, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from kouki.addressees.bulk import PERSON_FIELDS, PERSON_VERSION_FIELDS
    from kouki.addressees.models import Person, PersonVersion
    from kouki.assessment.models import Assessment, Instalment, InstalmentPlan
    from kouki.collection.models import InstalmentAccount
    from kouki.core.db import db_datetime, insert_rows

    rng = random.Random(seed)
    aware = timezone.now()
    now = db_datetime(aware)
    total = arrears + paid
    versions, assessments, plans, instalments, accounts = [], [], [], [], []
    iid = 0
    for pid in range(1, total + 1):
        versions.append(
            (pid, "山田", "太郎", "ヤマダ", "タロウ", "ヤマダタロウ", "1", date(1940, 1, 1), "resident", None,
             True, "", "3300000", "11100", "さいたま市浦和区本町1丁目", "", date(2000, 4, 1), None, now, None,
             None, True)
        )  # fmt: skip
        assessments.append(Assessment(
            pk=pid, person_id=pid, fiscal_year=FY, kind="initial", insured_no=f"{10000000 + pid}",
            assessed_on=date(2025, 7, 1), per_capita_levy=40_000, income_levy=40_000, reduction="none",
            months=12, annual_premium=80_000, income_base=0, recorded_at=aware))  # fmt: skip
        plans.append(InstalmentPlan(pk=pid, person_id=pid, fiscal_year=FY, assessment_id=pid,
                                    amount_due=80_000, created_at=aware))  # fmt: skip
        in_arrears = pid <= arrears
        keep = rng.randint(1, 8) if in_arrears else 0  # how many of the last instalments are unpaid
        for n, (month, due) in enumerate(DIRECT):
            iid += 1
            instalments.append((iid, pid, "direct", "final", n + 1, month, due, 10_000))
            if n < 8 - keep:
                accounts.append((iid, pid, FY, due, 10_000, 10_000, 0, 0, 0))
        if in_arrears and pid % 10 == 0:
            for n, (month, due) in enumerate(PENSION):
                iid += 1
                instalments.append((iid, pid, "pension", "final", n + 1, month, due, 5_000))
    with transaction.atomic():
        insert_rows(Person, PERSON_FIELDS,
                    [(i, f"{100000000 + i}", "resident", now) for i in range(1, total + 1)])  # fmt: skip
        insert_rows(PersonVersion, PERSON_VERSION_FIELDS, versions)
        Assessment.objects.bulk_create(assessments, batch_size=5_000)
        InstalmentPlan.objects.bulk_create(plans, batch_size=5_000)
        insert_rows(Instalment, ("id", "plan_id", "method", "stage", "period", "month", "due_date", "amount"),
                    instalments)  # fmt: skip
        insert_rows(InstalmentAccount, ("instalment_id", "person_id", "fiscal_year", "due_date", "charged",
                                        "paid", "set_off", "written_off", "unpaid"), accounts)  # fmt: skip
    print(f"rows: {total} people, {len(instalments)} instalments, {len(accounts)} accounts (paid)")


def clerk() -> Any:
    from kouki.accounts.permissions import Role

    return signed_in_client("benchclerk", Role.COUNTER_CLERK.value, "bench arrears")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=60_000, help="people in arrears")
    ap.add_argument("--paid", type=int, default=20_000, help="people who paid everything")
    ap.add_argument("--database-url", default="sqlite:////tmp/kouki_bench_arrears.sqlite3")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    fresh_database(args.database_url)
    setup(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.utils import timezone

    from kouki.addressees.models import Person
    from kouki.arrears.arrears_pages import arrears_page
    from kouki.arrears.missed_pages import missed_page
    from kouki.arrears.selectors import arrears_list, reminders_missed
    from kouki.assessment.models import Assessment, Instalment, InstalmentPlan
    from kouki.core.db import reset_sequences
    from kouki.web.views.arrears import PAGE_SIZE
    from kouki.web.views.arrears_reminders import PAGE_SIZE as MISSED_PAGE

    t = time.perf_counter()
    build(args.people, args.paid, args.seed)
    reset_sequences([Person, Assessment, InstalmentPlan, Instalment])
    client = clerk()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"set-up (not timed): {time.perf_counter() - t:.1f} s")
    timezone.localdate = lambda *a, **k: ON  # type: ignore[assignment]  # the screens' today
    print(f"before: {machine()}")
    first = arrears_page(ON, per_page=PAGE_SIZE)
    pages = first.page.paginator.num_pages
    assert first.count == args.people, (first.count, args.people)
    rows = [("database", connection.vendor, f"{first.count:,} people, {pages:,} pages of {PAGE_SIZE}")]
    for label, number in (("page 1", 1), ("middle page", pages // 2), ("last page", pages)):
        sel, page = best_of(lambda n=number: arrears_page(ON, number=n, per_page=PAGE_SIZE), args.repeat)  # type: ignore[misc]
        assert page.page.number == number and page.rows
        view, response = best_of(lambda n=number: client.get("/arrears/", {"page": n}), args.repeat)  # type: ignore[misc]
        assert response.status_code == 200, response.status_code
        assert f"{number} / {pages} ページ" in response.content.decode()
        rows.append((label, f"selector {sel * 1000:,.0f} ms", f"screen {view * 1000:,.0f} ms"))
    missed = missed_page(ON, per_page=MISSED_PAGE)  # 督促漏れ: every unpaid direct instalment, none reminded
    m_pages = missed.page.paginator.num_pages
    rows.append(("督促漏れ", f"{missed.count:,} instalments", f"{m_pages:,} pages of {MISSED_PAGE}"))
    for label, number in (("督促漏れ page 1", 1), ("督促漏れ middle page", m_pages // 2),
                          ("督促漏れ last page", m_pages)):  # fmt: skip
        sel, page = best_of(lambda n=number: missed_page(ON, number=n, per_page=MISSED_PAGE), args.repeat)  # type: ignore[misc]
        assert page.page.number == number and page.rows
        view, response = best_of(lambda n=number: client.get("/arrears/reminders/missed/", {"page": n}),  # type: ignore[misc]
                               args.repeat)  # fmt: skip
        assert response.status_code == 200, response.status_code
        assert f"{number} / {m_pages} ページ" in response.content.decode()
        rows.append((label, f"selector {sel * 1000:,.0f} ms", f"screen {view * 1000:,.0f} ms"))
    full_missed, every_missed = best_of(lambda: reminders_missed(ON), 1)
    assert len(every_missed) == missed.count
    rows.append(("former: reminders_missed of the city", f"{full_missed * 1000:,.0f} ms", "(all rendered)"))
    full, everyone = best_of(lambda: arrears_list(ON), 1)
    assert len(everyone) == args.people
    rows.append(("former: arrears_list of the city", f"{full * 1000:,.0f} ms", "(then paged in Python)"))
    print(f"after: {machine()}")
    print("| what | selector | screen |\n|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
