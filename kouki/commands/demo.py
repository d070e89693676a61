"""`kouki demo`: a complete small installation on SQLite, from nothing, in one command.

Creates an SQLite database and a keyring in the output folder, creates one staff account per role,
generates a synthetic city, replays a few days of resident-register changes through the real import and
the daily exchange with the simulated union — run as the demo's system administrator (sysop.tanaka, who
holds IMPORT_FILES), the certificate batch as the counter clerk (clerk.sato) — verifies the audit chain,
leaves every file it produced in the output folder, prints how to log in, and serves the staff screens
(unless --no-serve).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kouki.accounts.permissions import Perm

if TYPE_CHECKING:
    from kouki.privacy.context import Actor

DEFAULT_OUT = Path("demo-output")

# One account per role: (username, staff name, role, office). Synthetic staff, not real people.
# The demo's batches and imports run as DEMO_OPERATOR; its certificate batch as DEMO_CERTIFICATE_CLERK.
DEMO_STAFF: tuple[tuple[str, str, str, str], ...] = (
    ("clerk.sato", "佐藤 花子", "counter_clerk", "浦和区役所 保険年金課"),
    ("number.suzuki", "鈴木 一郎", "number_clerk", "浦和区役所 保険年金課"),
    ("chief.takahashi", "高橋 和子", "supervisor", "浦和区役所 保険年金課"),
    ("sysop.tanaka", "田中 健", "system_admin", "国保年金課 システム担当"),
    ("audit.watanabe", "渡辺 由美", "auditor", "国保年金課 監査担当"),
)
DEMO_OPERATOR = "sysop.tanaka"
DEMO_CERTIFICATE_CLERK = "clerk.sato"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="デモ環境を作成して起動する (build a demo installation and serve it)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="出力先フォルダ (default demo-output/)")
    p.add_argument("--residents", type=int, default=20_000, help="住民の数 (default 20,000)")
    p.add_argument("--seed", type=int, default=1, help="乱数の種 (default 1)")
    p.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 4, 1),
                   help="基準日 (default 2026-04-01)")
    p.add_argument("--days", type=int, default=14, help="取り込む異動の日数 (default 14)")
    p.add_argument("--no-serve", action="store_true", help="サーバを起動しない (stop before the server)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler=run)


def _fresh_database(out: Path) -> Path:
    db = out / "kouki.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return db


def run(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError

    if args.residents <= 0 or args.days < 0:
        raise CommandError("--residents must be positive and --days not negative")
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    db = _fresh_database(out)
    keyring = out / "keys" / "keyring.json"
    keyring.unlink(missing_ok=True)
    # The demo is always the embedded default; both settings must be in place before Django starts.
    os.environ["KOUKI_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["KOUKI_KEYRING"] = str(keyring)
    os.environ.setdefault("KOUKI_SECRET_KEY", secrets.token_urlsafe(50))

    from kouki.cli import setup_django

    setup_django()
    from django.core.management import call_command

    from kouki.privacy.keys import create_keyring

    create_keyring(keyring)
    call_command("migrate", verbosity=0, interactive=False)
    print(f"[1/6] database {db} and keyring {keyring} created")

    accounts = _create_staff(out)
    _build_city(args, out)
    _documents(args, out)
    _verify_audit()
    _print_login(accounts, args, out)
    if args.no_serve:
        return 0
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    return 0


def _named(username: str, permission: Perm) -> Actor:
    """A demo account as the actor of a batch, checked like `--as USER` on the command line."""
    from kouki.staff.operators import command_operator

    return command_operator(username=username, permission=permission, command="kouki demo")


def _build_city(args: argparse.Namespace, out: Path) -> None:
    from kouki.privacy.context import Actor
    from kouki.sandbox.synth.city import city_from_chunks, generate_city
    from kouki.sandbox.synth.events import simulate_events
    from kouki.sandbox.synth.files import write_event_files
    from kouki.sandbox.synth.load import synthetic_city_load
    from kouki.sandbox.synth.model import SynthConfig

    config = SynthConfig(residents=args.residents, seed=args.seed, as_of=args.as_of)
    chunks = list(generate_city(config))
    # The synthetic city's go-live register is written by the sandbox counterpart, not by a member of staff.
    result = synthetic_city_load(actor=Actor.counterpart("sandbox synthetic city"), config=config,
                                 progress=True, chunks=chunks)
    print(f"[3/6] synthetic city loaded: {result.households:,} 世帯, {result.residents:,} 住登者, "
          f"{result.non_residents:,} 住登外者, {result.incomes:,} 所得 ({result.seconds} s)")
    days: list[date] = []
    csv_files: list[Path] = []
    if args.days:
        stream = simulate_events(city_from_chunks(config, chunks), args.days)
        change_dir = out / "resident-changes"
        csv_files = write_event_files(stream, change_dir, "csv")
        write_event_files(stream, change_dir / "fixed-width-cp932", "fixed")  # the same days, other variant
        days = [d.day for d in stream.days]
    _daily_with_union(args, out, stream_days=days, csv_files=csv_files)


def _daily_with_union(args: argparse.Namespace, out: Path, *, stream_days: list[date],
                      csv_files: list[Path]) -> None:
    """Go-live extract, then each day: the day's 住基異動 file, the daily batch, the simulated union's
    answers imported; finally the certificate batch for everything the union asked to be issued."""
    from kouki.addressees.importers import import_resident_changes
    from kouki.certificates.services import certificate_batch_issue
    from kouki.eligibility.exchange import union_day
    from kouki.eligibility.selectors import insured_person_ids_on
    from kouki.interfaces.importing import Outcome
    from kouki.sandbox.union.simulator import UnionSimulator

    actor = _named(DEMO_OPERATOR, Perm.IMPORT_FILES)
    union = UnionSimulator(out / "union-state", today=args.as_of, seed=args.seed)
    exchange = out / "union-exchange"
    first = args.as_of.isoformat()
    day0 = union_day(actor=actor, union=union, on=args.as_of, outbox=exchange / "outbox" / first,
                     inbox=exchange / "inbox" / first, initial=True)
    print(f"[4/6] go-live exchange as {DEMO_OPERATOR} with the simulated union on {args.as_of}: "
          f"{len(day0.sent)} files out, "
          f"{len(day0.imported)} files back; {len(insured_person_ids_on(args.as_of)):,} insured")
    applied = same = records = 0
    for day, path in zip(stream_days, csv_files, strict=True):
        outcome = import_resident_changes(actor=actor, path=path, report_dir=out / "rejections")
        if outcome.outcome == Outcome.REJECTED:
            print(f"  {path.name}: rejected, report {outcome.report_path}", file=sys.stderr)
        elif outcome.outcome == Outcome.ALREADY_IMPORTED:
            same += 1  # byte-identical to an earlier file (e.g. two days without changes)
        else:
            applied += 1
            records += outcome.record_count
        union_day(actor=actor, union=union, on=day, outbox=exchange / "outbox" / day.isoformat(),
                  inbox=exchange / "inbox" / day.isoformat())
    last = stream_days[-1] if stream_days else args.as_of
    print(f"[5/6] {len(csv_files)} days: {applied} resident-change files imported ({records:,} changes), "
          f"{same} identical to an earlier file, daily batch and union exchange each day; "
          f"{len(insured_person_ids_on(last)):,} insured on {last}; files in {exchange}")
    clerk = _named(DEMO_CERTIFICATE_CLERK, Perm.ISSUE_CERTIFICATE)
    batch = certificate_batch_issue(actor=clerk, out_dir=out / "certificates")
    issued = batch.issued if batch else 0
    print(f"      certificate batch: {issued:,} documents issued by {DEMO_CERTIFICATE_CLERK} into "
          f"{out / 'certificates'}")


def _documents(args: argparse.Namespace, out: Path) -> None:
    from kouki.certificates.samples import render_samples
    from kouki.documents.premium_samples import render_premium_samples

    paths = render_samples(out / "documents", on=args.as_of)
    paths += render_premium_samples(out / "documents")
    print(f"      sample documents: {', '.join(p.name for p in paths)} in {out / 'documents'}")
    _collection_samples(out / "collection")


def _collection_samples(folder: Path) -> None:
    """Samples of collection (issue 5 §7): payment slips, a bank-debit request and result file, the
    convenience-store 速報/確報 reports, a 督促状 and a 納付確認書 — synthetic people, no database."""
    from kouki.arrears.samples import demo_samples as arrears_samples
    from kouki.sandbox.bank.samples import demo_samples as banking_samples
    from kouki.sandbox.stores.samples import demo_samples as store_samples
    from kouki.slips.samples import demo_samples as slip_samples

    paths = slip_samples(folder) + banking_samples(folder) + store_samples(folder) + arrears_samples(folder)
    print(f"      collection samples: {', '.join(p.name for p in paths)} in {folder}")


def _create_staff(out: Path) -> list[tuple[str, str, str, str, str]]:
    from kouki.accounts.permissions import ROLE_LABELS, Role
    from kouki.staff.operators import setup_actor
    from kouki.staff.services import staff_create

    actor = setup_actor()  # no account exists yet: the person running `kouki demo` enrols the demo staff
    accounts = []
    for n, (username, name, role, office) in enumerate(DEMO_STAFF, start=1):
        password = "demo-" + secrets.token_urlsafe(9)
        enrolment = staff_create(actor=actor, username=username, staff_name=name, role=role,
                                 password=password, office=office, staff_no=f"D{n:05d}", request_ref="demo")
        accounts.append((username, password, ROLE_LABELS[Role(role)], enrolment.totp_secret,
                         enrolment.provisioning_uri))
    lines = ["# kouki demo staff accounts (synthetic; for this demo database only)", ""]
    for username, password, label, secret, uri in accounts:
        lines += [f"{label}", f"  user: {username}", f"  password: {password}", f"  TOTP secret: {secret}",
                  f"  TOTP URI: {uri}", ""]
    path = out / "demo-accounts.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    path.chmod(0o600)
    print(f"[2/6] {len(accounts)} staff accounts created (also written to {path})")
    return accounts


def _verify_audit() -> None:
    from kouki.cli import CommandError
    from kouki.privacy.audit import verify_chain
    from kouki.privacy.models import AuditEntry

    problems = list(verify_chain())
    if problems:
        raise CommandError(f"audit chain has {len(problems)} problem(s); first: {problems[0]}")
    print(f"[6/6] audit chain verified: {AuditEntry.objects.count():,} rows intact")


def _print_login(accounts: list[tuple[str, str, str, str, str]], args: argparse.Namespace, out: Path) -> None:
    print()
    print("ログイン方法 / How to log in: open the URL, enter user and password, then the 6-digit code that")
    print("an authenticator app shows for the TOTP secret (or: python -c \"import pyotp; "
          "print(pyotp.TOTP('SECRET').now())\").")
    for username, password, label, secret, _uri in accounts:
        print(f"  {label:<16} user {username:<16} password {password:<18} TOTP secret {secret}")
    print(f"Output folder: {out}")
    print(f"Batches and imports on this database run as a named operator, e.g. KOUKI_DATABASE_URL=sqlite:///"
          f"{out / 'kouki.sqlite3'} KOUKI_KEYRING={out / 'keys' / 'keyring.json'} kouki collect reminders "
          f"--on {args.as_of} --out {out / 'reminders'} --as {DEMO_OPERATOR}")
    if not args.no_serve:
        print(f"URL: http://{args.host}:{args.port}/")
