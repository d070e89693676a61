"""python -m kouki.sandbox.union --state DIR [--insurer-no N] receive FILE... | run-day --date D --out DIR"""

from __future__ import annotations

import argparse
import os
import sys
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
    args = parser.parse_args(argv)

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


if __name__ == "__main__":
    sys.exit(main())
