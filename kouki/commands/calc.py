"""`kouki calc <what>`: calculators reading JSON on stdin and writing JSON on stdout (no database).

- `kouki calc premium`: the premium engine (docs/interfaces/calc-premium.md).
- `kouki calc instalments`: added by the instalments work (issue 4 §3) as another entry of CALCULATORS.
- `kouki calc copayment`: the co-payment rate (一部負担割合) judgement (docs/interfaces/calc-copayment.md).
- `kouki calc high-cost`: 高額療養費 of one household for one month (docs/interfaces/calc-high-cost.md).

Invalid input: exit 2 with one line on stderr naming the field and the reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from kouki.errors import CommandError
from kouki.rules.json_request import InvalidRequest


def _premium(data: Any) -> dict[str, Any]:
    from kouki.rules.premium.request import calculate

    try:
        return calculate(data)
    except InvalidRequest as exc:
        raise CommandError(f"premium: {exc}") from exc


def _copayment(data: Any) -> dict[str, Any]:
    from kouki.rules.copayment_request import calculate

    try:
        return calculate(data)
    except InvalidRequest as exc:
        raise CommandError(f"copayment: {exc}") from exc


def _high_cost(data: Any) -> dict[str, Any]:
    """The limit tables: the built-in ones and those of KOUKI_HIGH_COST_PARAMETERS (a month with none is
    refused, naming the setting)."""
    from kouki.cli import setup_django

    setup_django()  # settings only: no database is touched
    from kouki.core.config import ConfigError, high_cost_tables
    from kouki.rules.benefits.high_cost_request import calculate

    try:
        return calculate(data, high_cost_tables())
    except ConfigError as exc:
        raise CommandError(f"high-cost: {exc}") from exc
    except InvalidRequest as exc:
        raise CommandError(f"high-cost: {exc}") from exc


# name → (help text, function from the request JSON value to the response JSON value).
# The instalments calculator registers here: CALCULATORS["instalments"] = ("期割計算 …", _instalments).
CALCULATORS: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    "premium": ("保険料試算: JSON (標準入力) → JSON (標準出力)", _premium),
    "copayment": ("一部負担割合の判定: JSON (標準入力) → JSON (標準出力)", _copayment),
    "high-cost": ("高額療養費の試算: JSON (標準入力) → JSON (標準出力)", _high_cost),
}


def _instalments(data: Any) -> dict[str, Any]:
    from kouki.commands.calc_instalments import calc_instalments

    return calc_instalments(data)


CALCULATORS["instalments"] = ("期割計算: JSON (標準入力) → JSON (標準出力)", _instalments)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("calc", help="試算 (JSON in, JSON out)")
    kinds = p.add_subparsers(dest="calc", required=True)
    for name, (help_text, _fn) in CALCULATORS.items():
        kinds.add_parser(name, help=help_text).set_defaults(handler=run_calc)


def read_json_stdin() -> Any:
    text = sys.stdin.read()
    if not text.strip():
        raise CommandError("empty input: a JSON object is expected on standard input")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"input is not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None


def run_calc(args: argparse.Namespace) -> int:
    _help, fn = CALCULATORS[args.calc]
    result = fn(read_json_stdin())
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0
