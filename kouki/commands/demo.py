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
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kouki.accounts.permissions import Perm

if TYPE_CHECKING:
    from kouki.privacy.context import Actor
    from kouki.sandbox.demo_year.examples import Example
    from kouki.sandbox.union.simulator import UnionSimulator

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
DEMO_SUPERVISOR = "chief.takahashi"
GO_LIVE = date(2025, 4, 1)  # FY2025: Saitama's premium rates are known (kouki.rules.premium presets)
# The demo's own values for settings that have no published Saitama value ([NF], ADR 0006): the demo
# needs them to plan and collect; a real installation sets its own. Written to demo.env for `kouki serve`.
DEMO_SETTINGS = {
    "KOUKI_DIRECT_MONTHS": "7,8,9,10,11,12,1,2,3",
    "KOUKI_PENSION_STOP_LEAD_MONTHS": "2",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="デモ環境を作成して起動する (build a demo installation and serve it)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="出力先フォルダ (default demo-output/)")
    p.add_argument("--residents", type=int, default=25_000, help="住民の数 (default 25,000)")
    p.add_argument("--seed", type=int, default=1, help="乱数の種 (default 1)")
    p.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=GO_LIVE,
        help=f"稼働日 (default {GO_LIVE}; the demo then lives the fiscal year that starts that day)",
    )
    p.add_argument("--days", type=int, default=7,
                   help="稼働直後に日次で取り込む異動の日数 (default 7; the rest of the year by month)")
    p.add_argument("--premium-parameters", type=Path, default=None,
                   help="翌年度の保険料率等の設定ファイル (KOUKI_PREMIUM_PARAMETERS; with the next fiscal "
                        "year's values the demo lives it until its 8-01 renewal)")  # fmt: skip
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
    checkpoints = out / "checkpoints" / "audit-checkpoints.jsonl"  # sealed heads, fresh with the database
    checkpoints.unlink(missing_ok=True)
    # The demo is always the embedded default; both settings must be in place before Django starts.
    os.environ["KOUKI_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["KOUKI_KEYRING"] = str(keyring)
    os.environ["KOUKI_AUDIT_CHECKPOINT_FILE"] = str(checkpoints)
    os.environ.setdefault("KOUKI_SECRET_KEY", secrets.token_urlsafe(50))
    for name, value in DEMO_SETTINGS.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("KOUKI_JUKINET_SIM_DIR", str(out / "jukinet-sim"))
    if args.premium_parameters is not None:
        os.environ["KOUKI_PREMIUM_PARAMETERS"] = str(args.premium_parameters.resolve())

    from kouki.cli import setup_django

    setup_django()
    from django.core.management import call_command

    from kouki.privacy.keys import create_keyring
    from kouki.rules.wareki import fiscal_year

    renewal = _next_year_configured(fiscal_year(args.as_of) + 1)  # a bad parameter file: refused first

    create_keyring(keyring)
    call_command("migrate", verbosity=0, interactive=False)
    print(f"[1/7] database {db} and keyring {keyring} created")

    accounts = _create_staff(out)
    union, monthly = _build_city(args, out)
    examples = _live_year(args, out, union, monthly, renewal=renewal)
    _documents(args, out)
    _verify_audit()
    env_file = _write_env(out, db, keyring)
    _print_login(accounts, args, out, env_file, examples)
    if args.no_serve:
        return 0
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    return 0


def _named(username: str, permission: Perm) -> Actor:
    """A demo account as the actor of a batch, checked like `--as USER` on the command line."""
    from kouki.staff.operators import command_operator

    return command_operator(username=username, permission=permission, command="kouki demo")


def _build_city(args: argparse.Namespace, out: Path) -> tuple[UnionSimulator, dict[date, Path]]:
    from kouki.privacy.context import Actor
    from kouki.rules.wareki import fiscal_year
    from kouki.sandbox.synth.city import city_from_chunks, generate_city
    from kouki.sandbox.synth.events import simulate_events
    from kouki.sandbox.synth.files import monthly_event_files, write_event_files
    from kouki.sandbox.synth.load import synthetic_city_load
    from kouki.sandbox.synth.model import SynthConfig

    config = SynthConfig(residents=args.residents, seed=args.seed, as_of=args.as_of)
    chunks = list(generate_city(config))
    # The synthetic city's go-live register is written by the sandbox counterpart, not by a member of staff.
    result = synthetic_city_load(
        actor=Actor.counterpart("sandbox synthetic city"), config=config, progress=True, chunks=chunks
    )
    from kouki.core.config import jukinet_sim_dir
    from kouki.sandbox.jukinet.register import build_register, write_register

    # the simulated 住基ネット CS's national register: the same people, and 200 living elsewhere
    write_register(Path(jukinet_sim_dir()), build_register(config, outsiders=200), seed=config.seed,
                   as_of=config.as_of)  # fmt: skip
    print(
        f"[3/7] synthetic city loaded: {result.households:,} 世帯, {result.residents:,} 住登者, "
        f"{result.non_residents:,} 住登外者, {result.incomes:,} 所得 ({result.seconds} s)"
    )
    # The year's resident-register changes: the first --days as daily files, the rest in one file per
    # month, taken in on the 1st of the next month (kouki.sandbox.demo_year.timeline) — until the end of
    # February, whose file is the last one the year takes in (on March 1).
    last_notified = date(fiscal_year(args.as_of) + 1, 2, 28)
    days = max(args.days, (last_notified - args.as_of).days)
    stream = simulate_events(city_from_chunks(config, chunks), days)
    daily = replace(stream, days=stream.days[: args.days])
    change_dir = out / "resident-changes"
    csv_files = write_event_files(daily, change_dir, "csv")
    write_event_files(daily, change_dir / "fixed-width-cp932", "fixed")  # the same days, other variant
    monthly = monthly_event_files(stream.days[args.days :], change_dir / "monthly")
    return _daily_with_union(args, out, stream_days=[d.day for d in daily.days], csv_files=csv_files), monthly


def _daily_with_union(
    args: argparse.Namespace, out: Path, *, stream_days: list[date], csv_files: list[Path]
) -> UnionSimulator:
    """Go-live extract, then each day: the day's 住基異動 file, the daily batch, the simulated union's
    answers imported; finally the certificate batch for everything the union asked to be issued."""
    from kouki.addressees.importers import import_resident_changes
    from kouki.certificates.services import certificate_batch_issue
    from kouki.eligibility.exchange import union_day
    from kouki.eligibility.selectors import insured_person_ids_on
    from kouki.interfaces.importing import Outcome
    from kouki.sandbox.union.simulator import UnionSimulator

    actor = _named(DEMO_OPERATOR, Perm.IMPORT_FILES)
    from kouki.core.config import premium_parameter_overrides

    union = UnionSimulator(out / "union-state", today=args.as_of, seed=args.seed,
                           premium_parameters=premium_parameter_overrides())  # fmt: skip
    exchange = out / "union-exchange"
    first = args.as_of.isoformat()
    day0 = union_day(
        actor=actor,
        union=union,
        on=args.as_of,
        outbox=exchange / "outbox" / first,
        inbox=exchange / "inbox" / first,
        initial=True,
    )
    print(
        f"[4/7] go-live exchange as {DEMO_OPERATOR} with the simulated union on {args.as_of}: "
        f"{len(day0.sent)} files out, "
        f"{len(day0.imported)} files back; {len(insured_person_ids_on(args.as_of)):,} insured"
    )
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
        union_day(
            actor=actor,
            union=union,
            on=day,
            outbox=exchange / "outbox" / day.isoformat(),
            inbox=exchange / "inbox" / day.isoformat(),
        )
    last = stream_days[-1] if stream_days else args.as_of
    print(
        f"[5/7] {len(csv_files)} days: {applied} resident-change files imported ({records:,} changes), "
        f"{same} identical to an earlier file, daily batch and union exchange each day; "
        f"{len(insured_person_ids_on(last)):,} insured on {last}; files in {exchange}"
    )
    clerk = _named(DEMO_CERTIFICATE_CLERK, Perm.ISSUE_CERTIFICATE)
    batch = certificate_batch_issue(actor=clerk, out_dir=out / "certificates")
    issued = batch.issued if batch else 0
    print(
        f"      certificate batch: {issued:,} documents issued by {DEMO_CERTIFICATE_CLERK} into "
        f"{out / 'certificates'}"
    )
    return union


def _live_year(
    args: argparse.Namespace, out: Path, union: UnionSimulator, monthly: dict[date, Path], *, renewal: bool
) -> list[Example]:
    """The rest of the fiscal year with every channel and the staff's work (kouki.sandbox.demo_year);
    with `renewal`, the next year until its 8-01 renewal."""
    import time

    from kouki.core.config import city_config
    from kouki.rules.wareki import fiscal_year
    from kouki.sandbox.demo_year.cast import Cast
    from kouki.sandbox.demo_year.examples import holdings
    from kouki.sandbox.demo_year.timeline import live_fiscal_year

    started = time.monotonic()
    year = fiscal_year(args.as_of)
    cast = Cast.of(operator=DEMO_OPERATOR, clerk=DEMO_CERTIFICATE_CLERK, supervisor=DEMO_SUPERVISOR)
    lived = live_fiscal_year(
        cast=cast, union=union, out=out, seed=args.seed, fiscal_year=year, monthly_changes=monthly,
        municipality_code=city_config().municipality_code, renewal=renewal,
    )  # fmt: skip
    held = holdings(year)
    print(
        f"[6/7] fiscal year {year} lived to {year + 1}-03-31 in {time.monotonic() - started:.0f} s: "
        f"{held.pop('plans'):,} instalment plans ({lived.planned:,} planned, "
        f"{lived.replanned:,} re-planned), "
        f"receipts " + ", ".join(f"{k} {v:,}" for k, v in held.items()) + "; "
        f"{lived.certificates:,} certificates renewed on {year}-08-01 and "
        f"{lived.other_certificates:,} issued in other months, {lived.reminders:,} 督促状, "
        f"{lived.refunds:,} refunds decided, {lived.pledges} 分納誓約, {lived.write_offs} write-off "
        f"requests, {lived.applications} applications at the counter ({lived.decided} decided by the union)"
    )
    if lived.renewal_year is None:
        print(f"      fiscal year {year + 1} not lived: the union's premium parameters of that year are "
              "not configured (kouki demo --premium-parameters FILE; docs/operations/premium-parameters.md)")
    else:
        print(f"      fiscal year {lived.renewal_year} lived to {lived.renewal_year}-08-31: its 当初賦課 in "
              f"July and the renewal on {lived.renewal_year}-08-01")
    return lived.examples


def _next_year_configured(fiscal_year: int) -> bool:
    """Whether the union's parameters of `fiscal_year` are configured and complete (else say why)."""
    from kouki.cli import CommandError
    from kouki.core.config import ConfigError, premium_parameter_overrides
    from kouki.rules.premium import ParameterError, resolve_parameters

    try:
        overrides = premium_parameter_overrides()
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    if fiscal_year not in overrides:
        return False
    try:
        resolve_parameters(fiscal_year, "saitama", overrides[fiscal_year])
    except ParameterError as exc:
        raise CommandError(f"KOUKI_PREMIUM_PARAMETERS: {exc}") from None
    return True


def _write_env(out: Path, db: Path, keyring: Path) -> Path:
    """The settings `kouki serve` needs to serve this demo again without rebuilding it."""
    lines = [f"KOUKI_DATABASE_URL=sqlite:///{db}", f"KOUKI_KEYRING={keyring}",
             f"KOUKI_AUDIT_CHECKPOINT_FILE={os.environ['KOUKI_AUDIT_CHECKPOINT_FILE']}",
             *(f"{k}={os.environ[k]}" for k in (*DEMO_SETTINGS, "KOUKI_JUKINET_SIM_DIR",
                                                 "KOUKI_PREMIUM_PARAMETERS") if k in os.environ)]  # fmt: skip
    path = out / "demo.env"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _documents(args: argparse.Namespace, out: Path) -> None:
    from kouki.certificates.samples import render_samples
    from kouki.documents.benefit_samples import write_benefit_samples
    from kouki.documents.premium_samples import render_premium_samples

    paths = render_samples(out / "documents", on=args.as_of)
    paths += render_premium_samples(out / "documents")
    paths += write_benefit_samples(out / "documents")
    print(f"      sample documents: {', '.join(p.name for p in paths)} in {out / 'documents'}")
    _monthly_review_sample(out / "documents")
    _collection_samples(out / "collection")
    _disclosure_sample(out / "documents")


def _disclosure_sample(folder: Path) -> None:
    """A 開示請求 of a synthetic person through the real services; its package in documents/."""
    from kouki.disclosure.samples import write_demo_package

    path = write_demo_package(folder, _named(DEMO_CERTIFICATE_CLERK, Perm.REGISTER_DISCLOSURE),
                              _named(DEMO_SUPERVISOR, Perm.APPROVE_DISCLOSURE))
    print(f"      sample disclosure package: {path.name} in {folder}")


def _monthly_review_sample(folder: Path) -> None:
    """The month's 監査ログ月次点検報告書 as the demo's auditor prints it (issue 15 §1): the demo's
    activity so far this month."""
    from django.utils import timezone

    from kouki.core.outbox import write_whole
    from kouki.reviews.services import monthly_report

    report = monthly_report(actor=_named("audit.watanabe", Perm.VIEW_AUDIT), month=timezone.localdate())
    write_whole(folder / report.file_name, report.pdf)
    print(f"      monthly review report: {report.file_name} in {folder}")


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
        enrolment = staff_create(
            actor=actor,
            username=username,
            staff_name=name,
            role=role,
            password=password,
            office=office,
            staff_no=f"D{n:05d}",
            request_ref="demo",
            # a synthetic installation: the demo prints both factors of its invented staff, who sign in at
            # once (a real account is registered with an enrolment code: ADR 0006, issue 14 §4)
            must_change=False,
        )
        accounts.append(
            (username, password, ROLE_LABELS[Role(role)], enrolment.totp_secret, enrolment.provisioning_uri)
        )
    lines = ["# kouki demo staff accounts (synthetic; for this demo database only)", ""]
    for username, password, label, secret, uri in accounts:
        lines += [
            f"{label}",
            f"  user: {username}",
            f"  password: {password}",
            f"  TOTP secret: {secret}",
            f"  TOTP URI: {uri}",
            "",
        ]
    path = out / "demo-accounts.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    path.chmod(0o600)
    print(f"[2/7] {len(accounts)} staff accounts created (also written to {path})")
    return accounts


def _verify_audit() -> None:
    """A sealed checkpoint by the operator (as the batch calendar schedules it), then the full verify."""
    from kouki.cli import CommandError
    from kouki.privacy.checkpoint import write_checkpoint
    from kouki.privacy.integrity import verify_all

    written = write_checkpoint(actor=_named(DEMO_OPERATOR, Perm.RUN_BATCHES))
    report = verify_all()
    problems = [str(p) for p in [*written.problems, *report.problems]] + report.other_problems
    if problems:
        raise CommandError(f"audit chain has {len(problems)} problem(s); first: {problems[0]}")
    rows = report.tallies["audit"].rows
    print(f"[7/7] audit chain verified: {rows:,} rows intact under the audit key, sealed by a checkpoint "
          f"in {written.path}")


def _print_login(
    accounts: list[tuple[str, str, str, str, str]],
    args: argparse.Namespace,
    out: Path,
    env_file: Path,
    examples: list[Example],
) -> None:
    print()
    print("ログイン方法 / How to log in: open the URL, enter user and password, then the 6-digit code that")
    print(
        'an authenticator app shows for the TOTP secret (or: python -c "import pyotp; '
        "print(pyotp.TOTP('SECRET').now())\")."
    )
    for username, password, label, secret, _uri in accounts:
        print(f"  {label:<16} user {username:<16} password {password:<18} TOTP secret {secret}")
    print(f"Output folder: {out}")
    print("What to look at (宛名番号 into 宛名検索, or the URL after logging in):")
    for e in examples:
        print(f"  {e.what}: {e.name} 宛名番号 {e.addressee_no}  /persons/{e.person_id}/")
    print(
        "  worklists: 収納 → 過誤納・還付, 口座振替不能, コンビニ要確認;"
        " 滞納 → 督促状, 分納誓約, 不納欠損 (承認待ち); 届出 → 再鑑待ち"
    )
    print(f"Serve this demo again without rebuilding it: env $(cat {env_file}) .venv/bin/kouki serve")
    print(
        f"Batches and imports on it run as a named operator, e.g. env $(cat {env_file}) "
        f".venv/bin/kouki collect reminders --on {args.as_of.replace(year=args.as_of.year + 1)} "
        f"--out {out / 'reminders'} "
        f"--as {DEMO_OPERATOR}"
    )
    if not args.no_serve:
        print(f"URL: http://{args.host}:{args.port}/")
