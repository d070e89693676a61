"""`kouki jukinet seed`: the simulated 住基ネット CS's national register (sandbox;
docs/interfaces/jukinet-cs.md).

    kouki jukinet seed --residents N --seed S [--outsiders M] [--dir DIR]

The same residents and seed as `kouki synth` give the same people and personal numbers as the loaded city;
`--outsiders` adds people living elsewhere (who may move in). Writes DIR/jukinet-register.json (default
$KOUKI_JUKINET_SIM_DIR). Synthetic data only; no staff account is involved.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("jukinet", help="模擬住基ネットの全国台帳を作成する (simulated 住基ネット CS)")
    jukinet_sub = p.add_subparsers(dest="jukinet_command", required=True)
    seed = jukinet_sub.add_parser("seed", help="合成の市から全国台帳を作る (seed the national register)")
    seed.add_argument("--residents", type=int, required=True, help="kouki synth と同じ住民数")
    seed.add_argument("--seed", type=int, required=True, help="kouki synth と同じシード")
    seed.add_argument(
        "--outsiders", type=int, default=200, help="市外に住む人の数 (転入の確認用, default 200)"
    )
    seed.add_argument(
        "--dir", type=Path, default=None, help="台帳の置き場所 (default $KOUKI_JUKINET_SIM_DIR)"
    )
    seed.set_defaults(handler=run_seed)


def run_seed(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.core.config import jukinet_sim_dir
    from kouki.sandbox.jukinet.register import build_register, write_register
    from kouki.sandbox.synth.model import SynthConfig

    if args.residents <= 0 or args.outsiders < 0:
        raise CommandError("--residents must be positive and --outsiders not negative")
    config = SynthConfig(residents=args.residents, seed=args.seed)
    entries = build_register(config, outsiders=args.outsiders)
    path = write_register(args.dir or Path(jukinet_sim_dir()), entries, seed=config.seed, as_of=config.as_of)
    print(f"wrote {path}: {len(entries)} people ({sum(e.in_city for e in entries)} registered in the city)")
    return 0
