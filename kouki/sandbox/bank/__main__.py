"""python -m kouki.sandbox.bank REQUEST_FILE --out DIR [--seed N]: the simulated bank's day."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
    import django

    django.setup()  # the codec shares LineError with the import runner; no database is used
    from kouki.sandbox.bank.simulator import run_bank

    parser = argparse.ArgumentParser(
        prog="python -m kouki.sandbox.bank", description="simulated bank (口座振替 91 / 還付の総合振込 21)"
    )
    parser.add_argument("request", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(run_bank(args.request, args.out, seed=args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
