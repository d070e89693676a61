"""A month of 療養費 with the union (issue 12 §4: 30,000 applications in under 30 s on 2 cores).

    .venv/bin/python -m benchmarks.application_month --applications 30000 \
        [--db postgres://postgres@127.0.0.1:5432/kouki_bench_apps | sqlite:////tmp/kouki_bench_apps.sqlite3]

The volume is the issue's assumption (30,000 療養費 applications a month for Saitama), not a published
figure.

Set-up (not timed): N insured people inserted in bulk (person, current version, an insured period each —
not the synthetic city: only what the applications name), N 療養費 `Application` rows created in bulk as
再鑑済 (kinds mixed: 柔道整復, あんま・マッサージ, はり・きゅう, 装具, やむを得ない自費; each with its
care period; one in fifty without a receipt), then the real `applications_send` (申請情報 of one day; its time
and CPU are printed, and profiled with --profile; it is not part of the target — a day's file normally holds
a twentieth of this).

Timed:

1. `medical_expenses_send` — the month's 療養費関連情報 (`kouki applications medical-expenses`);
2. the simulated union (file in, decide, 決定情報 out) — printed, outside the target (it is not the city);
3. `import_benefit_decision` — the 決定情報 through the import runner (`kouki import`);
4. `applications_decisions_apply` — the decisions onto the applications (`kouki applications decisions`).

Target: 1 + 3 + 4 under 30 s. I/O floor measured in the same run: the two files' bytes written (fsync)
and read back, and three bare inserts of N `ApplicationStep` rows (one per phase that writes a row per
application), rolled back.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks._common import fresh_database, machine, setup

MONTH = date(2026, 5, 1)
SENT_ON = date(2026, 5, 29)
DECIDED_ON = date(2026, 6, 20)
FY = 2026
PASSWORD = "bench-" + "Passw0rd-long"  # staff nobody signs in as
# (kind, its share, its documents beyond form/card/account/receipt)
KINDS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("medical_judo", 40, ("receipt_statement",)),
    ("medical_massage", 20, ("dedicated_form", "consent")),
    ("medical_acupuncture", 20, ("dedicated_form", "consent")),
    ("medical_device", 15, ("doctor_certificate",)),
    ("medical_unavoidable", 5, ("receipt_statement",)),
)


def people(count: int, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from kouki.addressees.bulk import PERSON_FIELDS, PERSON_VERSION_FIELDS
    from kouki.addressees.models import Person, PersonVersion
    from kouki.core.db import db_datetime, insert_rows
    from kouki.eligibility.models import InsuredPeriod

    rng = random.Random(seed)
    aware = timezone.now()
    now = db_datetime(aware)
    versions, periods = [], []
    for pid in range(1, count + 1):
        birth = date(rng.randint(1925, 1950), rng.randint(1, 12), rng.randint(1, 28))
        versions.append(
            (pid, "山田", "太郎", "ヤマダ", "タロウ", "ヤマダタロウ", "1", birth, "resident", None, True, "",
             f"33{rng.randint(0, 99999):05d}", "11100", f"さいたま市浦和区本町{rng.randint(1, 9)}丁目", "",
             date(2000, 4, 1), None, now, None, None, True)
        )  # fmt: skip
        periods.append(
            InsuredPeriod(person_id=pid, insured_no=f"{10000000 + pid}", insurer_no="39110014",
                          acquired_on=date(2020, 4, 1), acquisition_reason="01", copay_rate=10,
                          copay_from=date(2020, 4, 1), decided_on=date(2020, 4, 1), recorded_at=aware)
        )  # fmt: skip
    with transaction.atomic():
        insert_rows(
            Person, PERSON_FIELDS, [(i, f"{100000000 + i}", "resident", now) for i in range(1, count + 1)]
        )
        insert_rows(PersonVersion, PERSON_VERSION_FIELDS, versions)
        InsuredPeriod.objects.bulk_create(periods, batch_size=5_000)


def applications(count: int, seed: int, clerk_id: int, checker_id: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from kouki.applications.models import Application, SerialCounter, Status

    rng = random.Random(seed)
    names = [k for k, _, _ in KINDS]
    weights = [w for _, w, _ in KINDS]
    docs = {k: extra for k, _, extra in KINDS}
    rows = []
    for serial in range(1, count + 1):
        kind = rng.choices(names, weights)[0]
        care_to = MONTH - timedelta(days=rng.randint(1, 60))
        span = rng.randint(0, 27)
        care_from = care_to - timedelta(days=span)
        paid_on = care_to + timedelta(days=rng.randint(0, 5))
        received = min(paid_on + timedelta(days=rng.randint(1, 20)), SENT_ON)
        at = timezone.make_aware(datetime.combine(received, datetime.min.time()) + timedelta(hours=10))
        documents = ["form", "card", "account", *docs[kind]]
        if rng.random() >= 0.02:
            documents.append("receipt")
        rows.append(
            Application(
                application_no=f"令和8年度第{serial:05d}号", fiscal_year=FY, serial=serial, kind=kind,
                person_id=serial, received_on=received, applicant="self", identity_summary="運転免許証",
                details={"paid_on": paid_on.isoformat(), "amount_paid": rng.randint(100, 5_000) * 10,
                         "provider": "浦和整骨院", "care_from": care_from.isoformat(),
                         "care_to": care_to.isoformat(), "care_days": rng.randint(1, min(12, span + 1))},
                documents=documents, status=Status.CONFIRMED, received_by_id=clerk_id, received_at=at,
                confirmed_by_id=checker_id, confirmed_at=at + timedelta(hours=2),
            )
        )  # fmt: skip
    with transaction.atomic():
        Application.objects.bulk_create(rows, batch_size=2_000)
        SerialCounter.objects.create(fiscal_year=FY, last=count)


def staff() -> tuple[Any, int, int]:
    from kouki.accounts.permissions import Role
    from kouki.privacy.context import Actor
    from kouki.staff.services import staff_create

    system = Actor.system("bench applications")
    users = {}
    for name, role in (("benchadmin", Role.SYSTEM_ADMIN), ("benchclerk", Role.COUNTER_CLERK),
                       ("benchcheck", Role.SUPERVISOR)):  # fmt: skip
        users[name] = staff_create(actor=system, username=name, staff_name=f"試験 {name}", role=role.value,
                                   password=PASSWORD, must_change=False).user  # fmt: skip
    admin = users["benchadmin"]
    actor = Actor(username=admin.username, terminal_id="BENCH", user_id=admin.pk)
    return actor, users["benchclerk"].pk, users["benchcheck"].pk


def io_floor(count: int, files: list[Path], work: Path) -> tuple[float, float]:
    """(seconds writing with fsync and reading back the files' bytes, seconds of 3 bare inserts of count
    ApplicationStep rows, rolled back)."""
    from django.db import transaction
    from django.utils import timezone

    from kouki.applications.models import ApplicationStep
    from kouki.core.db import db_datetime, insert_rows

    t = time.perf_counter()
    for i, path in enumerate(files):
        data = path.read_bytes()
        copy = work / f"floor-{i}.dat"
        with copy.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        assert copy.read_bytes() == data
    byte_s = time.perf_counter() - t
    now = db_datetime(timezone.now())
    fields = ("application_id", "action", "actor_id", "actor_name", "at", "note")
    t = time.perf_counter()
    for _ in range(3):
        with transaction.atomic():
            insert_rows(
                ApplicationStep,
                fields,
                [
                    (i, "sent", None, "bench", now, "療養費関連情報(令和8年5月分)")
                    for i in range(1, count + 1)
                ],
            )
            transaction.set_rollback(True)  # fmt: skip
    return byte_s, time.perf_counter() - t


def timed(
    label: str, fn: Callable[[], Any], profile: Path | None, times: dict[str, tuple[float, float]]
) -> Any:
    w, c = time.perf_counter(), time.process_time()
    prof = cProfile.Profile() if profile else None
    if prof:
        prof.enable()
    out = fn()
    if prof and profile:
        prof.disable()
        prof.dump_stats(f"{profile}.{label}")
        pstats.Stats(f"{profile}.{label}").sort_stats("cumulative").print_stats(20)
    times[label] = (time.perf_counter() - w, time.process_time() - c)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--applications", type=int, default=30_000)
    ap.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kouki_bench_apps")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--profile", type=Path, help="write a cProfile of each timed phase to <path>.<phase>")
    args = ap.parse_args()
    n = args.applications
    fresh_database(args.db)
    setup(args.db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.db.models import Count

    from kouki.addressees.models import Person
    from kouki.applications.decisions import applications_decisions_apply
    from kouki.applications.models import Application, ApplicationStep, Status
    from kouki.applications.union_send import applications_send, medical_expenses_send
    from kouki.core.db import reset_sequences
    from kouki.eligibility.models import InsuredPeriod
    from kouki.interfaces.benefit_decisions import import_benefit_decision
    from kouki.sandbox.union.benefits import UnionBenefits

    work = Path(tempfile.mkdtemp(prefix="kouki-apps-bench-"))
    outbox = work / "outbox"
    outbox.mkdir()
    t = time.perf_counter()
    people(n, args.seed)
    reset_sequences([Person, InsuredPeriod])
    actor, clerk_id, checker_id = staff()
    applications(n, args.seed, clerk_id, checker_id)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"set-up, bulk rows (not timed): {time.perf_counter() - t:.1f} s")
    times: dict[str, tuple[float, float]] = {}
    sent = timed("send", lambda: applications_send(actor=actor, on=SENT_ON, outbox=outbox), args.profile,
                 times)  # fmt: skip
    assert sent.sent is not None and sent.sent.record_count == n, sent
    print(f"set-up, applications_send of {n} (not in the target): {times['send'][0]:.1f} s wall, "
          f"{times['send'][1]:.1f} s CPU")  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    print(f"before: {machine()}")
    medical = timed("medical", lambda: medical_expenses_send(actor=actor, month=MONTH, outbox=outbox),
                    args.profile, times)  # fmt: skip
    assert medical.sent is not None and medical.sent.record_count == n, medical

    def union() -> list[Path]:
        benefits = UnionBenefits(work / "union", seed=args.seed)
        benefits.receive(sent.sent.path)  # type: ignore[union-attr]
        benefits.receive(medical.sent.path)
        return benefits.write_decisions(benefits.decide(DECIDED_ON), DECIDED_ON, work / "inbox")

    (decisions_file,) = timed("union", union, None, times)
    imported = timed("import", lambda: import_benefit_decision(actor=actor, path=decisions_file),
                     args.profile, times)  # fmt: skip
    assert imported.outcome == "applied", imported.errors[:5]
    applied = timed("apply", lambda: applications_decisions_apply(actor=actor), args.profile, times)
    assert applied.decided == n, applied
    print(f"after: {machine()}")

    byte_s, insert_s = io_floor(n, [medical.sent.path, decisions_file], work)
    decided = Application.objects.filter(status=Status.DECIDED)
    results = dict(decided.values_list("decision_result").annotate(n=Count("pk")))
    city = times["medical"][0] + times["import"][0] + times["apply"][0]
    floor = byte_s + insert_s
    size = medical.sent.path.stat().st_size
    print(f"{connection.vendor}: applications {n}, 療養費関連情報 {size:,} bytes, "
          f"決定情報 {decisions_file.stat().st_size:,} bytes, decided {decided.count()} by result {results}, "
          f"steps {ApplicationStep.objects.count()}")  # fmt: skip
    for label, what in (("medical", "療養費関連情報 (medical_expenses_send)"), ("union", "simulated union"),
                        ("import", "決定情報 import (import_benefit_decision)"),
                        ("apply", "decisions applied (applications_decisions_apply)")):  # fmt: skip
        wall, cpu = times[label]
        print(f"  {what}: {wall:.1f} s wall, {cpu:.1f} s CPU of this process")
    print(f"city's work (1 + 3 + 4): {city:.1f} s — target 30 s {'met' if city < 30 else 'NOT met'}")
    print(f"I/O floor: bytes written+fsync+read {byte_s:.2f} s, "
          f"3 × bare insert of {n} rows {insert_s:.2f} s, total {floor:.2f} s; "
          f"ratio {city / floor:.1f}×")  # fmt: skip


if __name__ == "__main__":
    main()
