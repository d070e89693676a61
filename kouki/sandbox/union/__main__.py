"""python -m kouki.sandbox.union --state DIR [--insurer-no N] receive FILE... | run-day --date D --out DIR
| benefits-receive FILE... | benefits-decide --date D --out DIR [--seed N] [--high-cost-month YYYY-MM]
[--outpatient-year YYYY] [--criteria FILE]  (the benefit side: kouki.sandbox.union.benefits)
| collection-receive FILE... | reconcile  (収納情報・滞納者情報・期割情報 and their reconciliation:
kouki.sandbox.union.collection; reconcile exits 1 when any receipt does not match the 期割)"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
    import django

    django.setup()
    from kouki.sandbox.union.simulator import DEFAULT_INSURER_NO, UnionFileRejected, UnionSimulator

    parser = argparse.ArgumentParser(prog="python -m kouki.sandbox.union", description="simulated union")
    parser.add_argument("--state", type=Path, required=True, help="the union's state directory")
    parser.add_argument(
        "--insurer-no", default=DEFAULT_INSURER_NO, help="8-digit insurer number (39 11 xxx C)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    receive = sub.add_parser("receive", help="take in city→union files")
    receive.add_argument("files", nargs="+", type=Path)
    run = sub.add_parser("run-day", help="decide one day and write the union→city files")
    run.add_argument("--date", type=date.fromisoformat, required=True)
    run.add_argument("--out", type=Path, required=True)
    breceive = sub.add_parser("benefits-receive", help="take in 申請情報 / 療養費関連情報 files")
    breceive.add_argument("files", nargs="+", type=Path)
    bdecide = sub.add_parser("benefits-decide", help="decide the applications and write 決定情報")
    bdecide.add_argument("--date", type=date.fromisoformat, required=True)
    bdecide.add_argument("--out", type=Path, required=True)
    bdecide.add_argument("--high-cost-month", help="YYYY-MM: also pay that month's 高額療養費 automatically")
    bdecide.add_argument("--outpatient-year", type=int, help="YYYY: also settle the 外来 year ending in July")
    bdecide.add_argument("--criteria", type=Path,
                         help="JSON file of the 減免・猶予 criteria (kouki.sandbox.union.relief_criteria)")
    for benefits_parser in (breceive, bdecide):
        benefits_parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic costs")
    creceive = sub.add_parser("collection-receive", help="take in 収納情報 / 滞納者情報 / 期割情報 files")
    creceive.add_argument("files", nargs="+", type=Path)
    sub.add_parser("reconcile", help="check the receipts held against the 期割情報 held")
    args = parser.parse_args(argv)
    if args.command.startswith("benefits-"):
        return _benefits(args)
    if args.command in ("collection-receive", "reconcile"):
        return _collection(args)

    try:
        sim = UnionSimulator(args.state, args.insurer_no)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "receive":
        status = 0
        for path in args.files:
            try:
                print(f"{path.name}: {sim.receive(path)} records")
            except UnionFileRejected as exc:
                status = 1
                print(f"{path.name}: rejected", file=sys.stderr)
                for error in exc.errors[:10]:
                    print(f"  {error}", file=sys.stderr)
            except OSError as exc:
                print(f"{path}: {exc.strerror}", file=sys.stderr)
                return 2
        sim.save()
        return status
    for path in sim.run_day(args.date, args.out):
        print(path)
    return 0


def _benefits(args: argparse.Namespace) -> int:
    from kouki.rules.benefits.decisions import DEFAULT_RELIEF_CRITERIA
    from kouki.sandbox.union.benefits import UnionBenefits
    from kouki.sandbox.union.relief_criteria import criteria_from_file

    criteria_file = getattr(args, "criteria", None)
    try:
        criteria = criteria_from_file(criteria_file) if criteria_file else None
    except (OSError, ValueError) as exc:
        print(f"error: {criteria_file}: {exc}", file=sys.stderr)
        return 2
    union = UnionBenefits(args.state, seed=args.seed, criteria=criteria or DEFAULT_RELIEF_CRITERIA)
    if args.command == "benefits-receive":
        return _receive_each(args.files, union.receive)
    records = union.decide(args.date)
    if args.high_cost_month:
        records += union.high_cost_month(date.fromisoformat(f"{args.high_cost_month}-01"), args.date)
    if args.outpatient_year:
        records += union.outpatient_year(date(args.outpatient_year, 7, 31), args.date)
    for path in union.write_decisions(records, args.date, args.out):
        print(path)
    print(f"pending: {len(union.pending())}")
    return 0


def _receive_each(files: list[Path], receive: Callable[[Path], int]) -> int:
    """Hand each file to the simulated union; 1 if any was rejected (its first ten errors on stderr)."""
    from kouki.sandbox.union.simulator import UnionFileRejected

    status = 0
    for path in files:
        try:
            print(f"{path.name}: {receive(path)} records")
        except UnionFileRejected as exc:
            status = 1
            print(f"{path.name}: rejected", file=sys.stderr)
            for error in exc.errors[:10]:
                print(f"  {error}", file=sys.stderr)
    return status


def _collection(args: argparse.Namespace) -> int:
    from kouki.sandbox.union.collection import UnionCollection

    union = UnionCollection(args.state)
    if args.command == "collection-receive":
        return _receive_each(args.files, union.receive)
    mismatches = union.reconcile()
    for m in mismatches:  # 宛名番号 and amounts only: the union's own view, never a personal number
        print(f"{m.kind} {m.municipality_code} {m.addressee_no} {m.fiscal_year} 期別{m.period:02d} "
              f"期割 {m.expected} 収納 {m.received}")
    print(f"mismatches: {len(mismatches)}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
