"""The simulated union's granted 減免, handed from its benefit side to its assessment side.

The real union decides a 保険料減免 and lowers the person's premium by a 更正 sent in its next 保険料情報.
The simulator does the same: `UnionBenefits` records each granted 減免 here (key "市町村:宛名番号", the
fiscal year, the 減免額, the 受付番号); `UnionAssessment` subtracts the year's 減免額 from every assessment
of the person it makes from then on, and sends the lowered premium as a 更正 (reason その他) on the first
day it runs in the next month. One file in the union's state directory, shared by both sides.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kouki.sandbox.union.state import write_json

REDUCTIONS_FILE = "union-premium-reductions.json"


def granted_reductions(state_dir: Path) -> dict[str, dict[str, Any]]:
    """受付番号 → {"key", "fiscal_year", "amount"} of every 減免 granted so far."""
    path = Path(state_dir) / REDUCTIONS_FILE
    if not path.exists():
        return {}
    data: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def record_reduction(state_dir: Path, reception_no: str, key: str, fiscal_year: int, amount: int) -> None:
    """Record (or replace, on a 更正 of the decision) the 減免 granted under `reception_no`."""
    data = granted_reductions(state_dir)
    data[reception_no] = {"key": key, "fiscal_year": fiscal_year, "amount": amount}
    write_json(Path(state_dir), REDUCTIONS_FILE, data)


def reduction_for(reductions: dict[str, dict[str, Any]], key: str, fiscal_year: int) -> int:
    """The 減免額 granted to `key` for the fiscal year (the sum of its granted 減免)."""
    return sum(
        int(r["amount"])
        for r in reductions.values()
        if r["key"] == key and int(r["fiscal_year"]) == fiscal_year
    )


def reduced_values(values: list[Any], amount: int) -> list[Any]:
    """premium_values lowered by the 減免額: from the 保険料額 first, then from the 子ども・子育て支援金
    (the 減免 対象額 is the 調定額 of the instalments, which carries both); never below 0."""
    if amount <= 0:
        return values
    out = list(values)
    from_premium = min(amount, out[4])
    out[4] -= from_premium
    out[5] -= min(amount - from_premium, out[5])
    return out
