"""`kouki synth`: build a deterministic synthetic city and load it into the configured database."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("synth", help="合成の市を作成して読み込む (build and load a synthetic city)")
    p.add_argument("--residents", type=int, required=True, help="住民の数 (number of registered residents)")
    p.add_argument("--seed", type=int, default=1, help="乱数の種: same seed, same city (default 1)")
    p.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 4, 1),
                   help="基準日 (base date, default 2026-04-01)")
    p.add_argument("--events-days", type=int, default=0,
                   help="異動を何日分作るか (days of change events after the base date; needs --events-out)")
    p.add_argument("--events-out", type=Path, help="異動ファイルの出力先 (one file per notified day)")
    p.add_argument("--events-format", choices=("csv", "fixed"), default="csv",
                   help="csv (UTF-8) or fixed (CP932 fixed width)")
    p.add_argument("--quiet", action="store_true", help="進捗バーを表示しない (no progress bar)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    if args.residents <= 0:
        raise CommandError("--residents must be a positive number")
    if args.events_days < 0:
        raise CommandError("--events-days must not be negative")
    if bool(args.events_days) != bool(args.events_out):
        raise CommandError("--events-days and --events-out go together")
    setup_django()
    from django.core.management import call_command

    from kouki.privacy.context import Actor
    from kouki.privacy.keys import KeyringError, load_keyring
    from kouki.sandbox.synth.city import City, city_from_chunks, generate_city
    from kouki.sandbox.synth.load import RegistryNotEmpty, synthetic_city_load
    from kouki.sandbox.synth.model import SynthConfig

    try:
        load_keyring()
    except KeyringError as exc:
        raise CommandError(str(exc)) from None
    call_command("migrate", verbosity=0, interactive=False)
    config = SynthConfig(residents=args.residents, seed=args.seed, as_of=args.as_of)
    city: City | None = None
    chunks = None
    if args.events_days:
        chunks = list(generate_city(config))
        city = city_from_chunks(config, chunks)
    try:
        # The synthetic register is the sandbox counterpart's go-live data, written by no member of staff.
        result = synthetic_city_load(actor=Actor.counterpart("sandbox synthetic city"), config=config,
                                     progress=not args.quiet, chunks=chunks)
    except RegistryNotEmpty as exc:
        raise CommandError(str(exc)) from None
    print(f"loaded: {result.households} 世帯, {result.residents} 住登者, {result.non_residents} 住登外者, "
          f"{result.incomes} 所得 ({result.seconds} s)")
    if city is not None:
        from kouki.sandbox.synth.events import simulate_events
        from kouki.sandbox.synth.files import write_event_files

        stream = simulate_events(city, args.events_days)
        paths = write_event_files(stream, args.events_out, args.events_format)
        total = sum(len(d.records) for d in stream.days)
        print(f"events: {total} 異動 in {len(paths)} files under {args.events_out}", file=sys.stdout)
    return 0
