"""The yearly certificate batch at Saitama size (issue 3 §7): gather every certificate's data, render PDFs.

    .venv/bin/python -m benchmarks.certificates --db-url sqlite:////tmp/kouki_bench_cert.sqlite3
    .venv/bin/python -m benchmarks.certificates --people 180000 --pages 180000   # every page

Loads --people pending 資格確認書発行用情報 requests (one per insured person, as the union sends them for
the August renewal; loading is not timed), then times
1. gathering: kouki.certificates.services.gather_pending() — every request with what it prints, sorted in
   mailing order (target: all of them in under a minute);
2. rendering: kouki.documents.render.render_batch over the first --pages of them, both document kinds in
   their real proportion, --workers processes, parts of --part-size pages (target: 200 pages/s on 2 cores).
The PDFs go to a temporary folder that is deleted afterwards (unless --keep).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks._common import fresh_database, machine, setup

FAMILY = ["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤", "吉田", "山田"]
GIVEN = ["太郎", "花子", "一郎", "和子", "清", "幸子", "博", "節子", "茂", "美智子", "勇", "久美子"]
WARDS = ["西区", "北区", "大宮区", "見沼区", "中央区", "桜区", "浦和区", "南区", "緑区", "岩槻区"]


def load(people: int, seed: int) -> None:
    from django.utils import timezone

    from kouki.addressees.models import Person
    from kouki.eligibility.models import CertificateRequest

    rng = random.Random(seed)
    now = timezone.now()
    Person.objects.bulk_create([Person(addressee_no=f"{100000000 + i}", registration="resident")
                                for i in range(people)], batch_size=5000)
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    rows = []
    for n, pid in enumerate(ids):
        birth = date(rng.randint(1925, 1951), rng.randint(1, 12), rng.randint(1, 28))
        age_on_renewal = 2026 - birth.year - (1 if (birth.month, birth.day) > (8, 1) else 0)
        rows.append(CertificateRequest(
            person_id=pid, kind="1" if age_on_renewal >= 85 or rng.random() < 0.3 else "2", reason="2",
            insured_no=f"{10000000 + n}", insurer_no="39110011", family_name=rng.choice(FAMILY),
            given_name=rng.choice(GIVEN), family_name_kana="サトウ", given_name_kana="タロウ",
            sex=rng.choice("12"), birth_date=birth, postal_code=f"33{rng.randint(0, 99999):05d}",
            address=f"さいたま市{rng.choice(WARDS)}本町{rng.randint(1, 9)}丁目{rng.randint(1, 40)}番"
                    f"{rng.randint(1, 30)}号",
            acquired_on=date(max(birth.year + 75, 2008), birth.month, birth.day),
            copay_rate=rng.choice((10, 10, 10, 20, 30)), valid_from=date(2026, 8, 1),
            valid_until=date(2027, 7, 31), limit_category="", issued_on=date(2026, 7, 15), status="pending",
            received_at=now,
        ))
        if len(rows) == 5000:
            CertificateRequest.objects.bulk_create(rows)
            rows = []
    CertificateRequest.objects.bulk_create(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", default="sqlite:////tmp/kouki_bench_cert.sqlite3")
    parser.add_argument("--people", type=int, default=180_000)
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--part-size", type=int, default=2_500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    fresh_database(args.db_url)
    setup(args.db_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from kouki.certificates.services import gather_pending
    from kouki.documents.render import file_stem, render_batch

    print(f"machine: {machine()}")
    t = time.perf_counter()
    load(args.people, args.seed)
    print(f"loaded {args.people:,} pending requests in {time.perf_counter() - t:.1f} s (not timed)")

    t = time.perf_counter()
    pairs = gather_pending()
    gather_s = time.perf_counter() - t
    kinds = {k: sum(1 for r, _d in pairs if r.kind == k) for k in ("1", "2")}
    print(f"gather: {len(pairs):,} certificates' data in {gather_s:.1f} s "
          f"(資格確認書 {kinds['1']:,}, お知らせ {kinds['2']:,})")

    out = Path(tempfile.mkdtemp(prefix="kouki-cert-bench-"))
    sample = pairs[: args.pages]
    t = time.perf_counter()
    files = []
    for kind in ("1", "2"):
        items = [d for r, d in sample if r.kind == kind]
        files += render_batch(kind, items, out, file_stem(kind), workers=args.workers,
                              part_size=args.part_size)
    render_s = time.perf_counter() - t
    pages = sum(f.pages for f in files)
    size = sum(f.path.stat().st_size for f in files)
    rate = pages / render_s
    print(f"render: {pages:,} pages in {len(files)} files ({size / 1e6:.0f} MB) in {render_s:.1f} s "
          f"with {args.workers} workers = {rate:.0f} pages/s")
    if pages < len(pairs):
        print(f"extrapolated: {len(pairs):,} pages in {len(pairs) / rate / 60:.1f} min at that rate")
    print(f"load average after: {machine().rsplit('load average ', 1)[1]}")
    if args.keep:
        print(f"kept {out}")
    else:
        shutil.rmtree(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
