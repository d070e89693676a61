"""Load test of the staff screens (issue 16 §5): one command sets up, runs and prints the table.

    .venv/bin/python -m benchmarks.load --db-url postgres://postgres@127.0.0.1:5432/kouki_city \
        --keyring /tmp/kouki-bench-XXXX/keyring.json --users 500 --run-time 3m

The database is the synthetic city loaded by `python -m benchmarks.synth_load --residents 1350000 --db-url …`
(pass the keyring it printed; `--build` loads it first). The command then
1. applies pending migrations;
2. makes --users counter staff (role 個人番号取扱担当: person pages, number reveal, 窓口収納 and the counter
   issue of 資格確認書 — the whole mix) named load0001…, each with a fresh TOTP secret (the password hash
   is computed once and shared: the set-up would otherwise spend minutes in Argon2); secrets go to a 0600
   file in a temporary folder, removed at the end;
   and gives --insured residents aged 75 or more what the payment and certificate screens need (an insured
   period, an FY2026 assessment and its instalment plan: benchmarks/load/insured.py, through the service
   functions); those with an unpaid 普通徴収 instalment are the ones paying at the counter;
3. starts the production server (`kouki serve`, gunicorn) on 127.0.0.1 with the reading limits raised for
   scripted load (KOUKI_REVEAL_* and KOUKI_PERSON_VIEW_*: LOAD_LIMITS below — real staff keep the
   configured ones; a script reading hundreds of records an hour is exactly what the limits stop);
4. runs locust headless (benchmarks/load/locustfile.py) with think time, stopping at --run-time;
5. prints requests/s, p50/p95/p99 and errors per page as Markdown rows for benchmarks/RESULTS.md, the
   requests/s sustained once every user is started, with the machine and its load average before and
   after (the machine may be shared: read the load average).

Think time (--think, default 10,50 s: one action every 30 s on average) models a counter clerk serving a
visitor; see ADR 0006 "loadmix22". --saturation measures the most the server answers: no think time,
--users 40 unless given (twice the default server's 20 threads), the statistics reset once every user is
started (locust's --reset-stats; sign-ins still finishing then show as login rows); run it for 2–3 minutes
and repeat with more users until the requests/s stop rising (benchmarks/RESULTS.md, loadmix22).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from unittest import mock

from benchmarks._common import machine, setup

PASSWORD = "load-test-Passw0rd-2026"  # noqa: S105 — synthetic accounts of a synthetic city only
LOAD_LIMITS = {
    f"KOUKI_{reading}_{what}": value
    for reading in ("REVEAL", "PERSON_VIEW")
    for what, value in (("BURST", "100000"), ("BURST_SECONDS", "60"), ("ALERT_PER_HOUR", "100000"),
                        ("LIMIT_PER_HOUR", "100000"))
}
HERE = Path(__file__).resolve().parent


def make_staff(count: int) -> list[dict[str, str]]:
    """load0001… (個人番号取扱担当) with fresh TOTP secrets; existing ones get a new secret."""
    from django.db import transaction

    from kouki.accounts import secret_box, totp
    from kouki.accounts.models import StaffUser
    from kouki.accounts.permissions import Role
    from kouki.privacy.context import Actor
    from kouki.staff import services

    actor = Actor.system("benchmarks.load")
    template = StaffUser()
    template.set_password(PASSWORD)

    def same_hash(user: StaffUser, password: str, *, must_change: bool = False, **_: object) -> None:
        user.password, user.must_change_password = template.password, must_change

    out = []
    with mock.patch.object(services.passwords, "set_new_password", same_hash):
        for i in range(1, count + 1):
            username = f"load{i:04d}"
            user = StaffUser.objects.filter(username=username).first()
            if user is None:
                made = services.staff_create(actor=actor, username=username, staff_name=f"負荷試験 {i:04d}",
                                             role=Role.NUMBER_CLERK.value, password=PASSWORD,
                                             office="負荷試験", must_change=False)
                out.append({"username": username, "secret": made.totp_secret})
                continue
            secret = totp.new_secret()
            with transaction.atomic():
                StaffUser.objects.filter(pk=user.pk).update(
                    totp_secret=secret_box.seal(secret, username), last_totp_step=0, failed_attempts=0,
                    locked_until=None, is_active=True, password=template.password)
            out.append({"username": username, "secret": secret})
    return out


def counter_people(count: int) -> dict[str, list[int]]:
    """Insured residents for the certificate task and, among them, those who pay at the counter."""
    from django.utils import timezone

    from benchmarks.load.insured import insure, insured_sample, payers

    insured = insured_sample(count, timezone.localdate())
    insure(insured)
    return {"insured": insured, "payers": payers(insured)}


def sample_people(count: int) -> dict[str, list[str]]:
    """Random current residents: ids for the person page, kana prefixes and 宛名番号 for the searches."""
    from kouki.addressees.models import PersonVersion

    top = PersonVersion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rng = random.Random(16)
    picks = [rng.randint(1, top) for _ in range(count)]
    rows = list(PersonVersion.objects.filter(pk__in=picks).values_list(
        "person_id", "family_name_kana", "given_name_kana", "person__addressee_no"))
    return {"person_ids": [str(r[0]) for r in rows],
            "kana": sorted({f"{r[1]} {r[2][:1]}" for r in rows}),
            "addressee_nos": [r[3] for r in rows]}


def wait_until_up(url: str, give_up_s: float = 120) -> None:
    deadline = time.monotonic() + give_up_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 — http://127.0.0.1 only
                return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the server did not answer at {url}")


def table(stats_csv: Path) -> list[str]:
    """Per page: requests, requests/s (locust's, over the statistics' window), p50/p95/p99, errors."""
    rows = list(csv.DictReader(stats_csv.open(encoding="utf-8")))
    lines = ["| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        name = "**all**" if r["Name"] == "Aggregated" else r["Name"]
        lines.append(f"| {name} | {r['Request Count']} | {float(r['Requests/s']):.1f} "
                     f"| {r['50%']} | {r['95%']} | {r['99%']} | {r['Failure Count']} |")
    return lines


def failures(failures_csv: Path) -> list[str]:
    """What each error was (locust's failure list: method, page, error, occurrences)."""
    if not failures_csv.exists():
        return []
    rows = list(csv.DictReader(failures_csv.open(encoding="utf-8")))
    return [f"error: {r['Method']} {r['Name']}: {r['Error']} ({r['Occurrences']}×)" for r in rows]


def sustained(history_csv: Path, users: int) -> str:
    """Requests/s once every user is running (locust's per-second history, all pages): mean and range."""
    rates = [float(r["Requests/s"]) for r in csv.DictReader(history_csv.open(encoding="utf-8"))
             if r["Name"] == "Aggregated" and int(r["User Count"]) >= users]
    rates = rates[5:]  # the first seconds at full strength still count the ramp's window
    if not rates:
        return "sustained: the run ended before every user was started"
    return (f"sustained with {users} users: {sum(rates) / len(rates):.1f} requests/s "
            f"(per-second range {min(rates):.1f}–{max(rates):.1f}, {len(rates)} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--keyring", type=Path, help="the city's keyring (printed by benchmarks.synth_load)")
    parser.add_argument("--build", type=int, metavar="RESIDENTS", help="load a fresh synthetic city first")
    parser.add_argument("--users", type=int, help="staff sessions (default 500; 40 with --saturation)")
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="sign-ins per second while ramping up")
    parser.add_argument("--run-time", default="3m")
    parser.add_argument("--think", default="10,50",
                        help="think time between actions, seconds: MIN,MAX (a counter clerk: ADR 0006)")
    parser.add_argument("--saturation", action="store_true",
                        help="no think time, --users 40 unless given, statistics of the steady state only")
    parser.add_argument("--insured", type=int, metavar="PEOPLE",
                        help="insured residents set up for payments and certificates (default 12 per user, "
                             "at least 3000)")
    parser.add_argument("--steady", action="store_true",
                        help="reset the statistics once every user is started: the table shows the steady "
                             "state after the morning's sign-ins (as --saturation always does)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: kouki serve's rule)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: kouki serve's)")
    args = parser.parse_args()
    if args.users is None:
        args.users = 40 if args.saturation else 500
    if args.saturation:
        args.think = "0,0"

    if args.build:
        subprocess.run([sys.executable, "-m", "benchmarks.synth_load", "--residents", str(args.build),
                        "--db-url", args.db_url, "--quiet"], check=True)
        raise SystemExit("city loaded: run again with --keyring (printed above)")
    if args.keyring is None:
        raise SystemExit("--keyring is required (the keyring the city was loaded with)")
    setup(args.db_url, args.keyring)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    work = Path(tempfile.mkdtemp(prefix="kouki-load-"))
    server = None
    try:
        started = time.perf_counter()
        staff = make_staff(args.users)
        people = sample_people(4000)
        counter = counter_people(args.insured or max(3000, 12 * args.users))
        data = work / "staff.json"
        data.touch(mode=0o600)
        data.write_text(json.dumps({"password": PASSWORD, "staff": staff, **people, **counter}),
                        encoding="utf-8")
        print(f"set-up: {len(staff)} staff, {len(people['person_ids'])} sample people, "
              f"{len(counter['insured'])} insured of whom {len(counter['payers'])} pay at the counter, in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
        if len(counter["payers"]) < args.users:
            print(f"warning: fewer people paying ({len(counter['payers'])}) than users: some clerks share "
                  "one (raise --insured)", file=sys.stderr)

        think_min, think_max = args.think.split(",")
        env = {**os.environ, **LOAD_LIMITS, "KOUKI_LOAD_STAFF": str(data), "KOUKI_LOAD_THINK_MIN": think_min,
               "KOUKI_LOAD_THINK_MAX": think_max, "KOUKI_LOAD_USERS": str(args.users),
               "PYTHONPATH": os.getcwd()}
        serve = [sys.executable, "-m", "kouki.cli", "serve", "--host", "127.0.0.1", "--port", str(args.port),
                 "--no-migrate"]
        serve += ["--workers", str(args.workers)] if args.workers else []
        serve += ["--threads", str(args.threads)] if args.threads else []
        server = subprocess.Popen(serve, env=env, stdout=(work / "server.log").open("w"),
                                  stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_up(f"http://127.0.0.1:{args.port}/login/")
        before = machine()
        locust = [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
                  "--host", f"http://127.0.0.1:{args.port}", "-u", str(args.users),
                  "-r", str(args.spawn_rate),
                  "--run-time", args.run_time, "--csv", str(work / "run"), "--only-summary",
                  "--stop-timeout", "10", *(["--reset-stats"] if args.saturation or args.steady else [])]
        ran = time.perf_counter()
        subprocess.run(locust, env=env, check=False)
        seconds = time.perf_counter() - ran
        after = machine()
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(60)
    print(f"\ncommand: {' '.join(sys.argv)}")
    print(f"machine before: {before}\nmachine after:  {after}")
    steady = args.saturation or args.steady
    window = "steady state only (statistics reset after ramp-up)" if steady else "ramp-up included"
    print(f"users {args.users}, spawn {args.spawn_rate}/s, think {args.think} s, wall {seconds:.0f} s "
          f"(table: {window})")
    print(sustained(work / "run_stats_history.csv", args.users) + "\n")
    print("\n".join(table(work / "run_stats.csv")))
    print("\n".join(failures(work / "run_failures.csv")))
    shutil.copy(work / "server.log", Path(tempfile.gettempdir()) / "kouki-load-server.log")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
