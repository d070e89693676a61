"""Issue 11 §5: with the union's parameters of the next fiscal year configured (KOUKI_PREMIUM_PARAMETERS,
here through `kouki demo --premium-parameters`), the demo goes on through FY2026's 当初賦課 and its
renewal on 2026-08-01; a file without a source, or with incomplete values, is refused before anything
is built. The values below are test values, not Saitama's (whose FY2026 rates were not found)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kouki.rules.premium.presets import preset_values

v25, v26 = preset_values(2025, "saitama"), preset_values(2026, "saitama")
TEST_VALUES: dict[str, Any] = {
    "per_capita_levy": 47_000,
    "income_levy_rate": "0.0950",
    "reduction": v25["reduction"],
    "child_support": {
        "per_capita_levy": 1_600, "income_levy_rate": "0.0030",
        **{k: v26[k] for k in ("reduced_per_capita_rounding", "income_levy_rounding", "premium_rounding")},
    },
}  # fmt: skip


def demo(out: Path, parameters: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")}
    return subprocess.run(
        [sys.executable, "-m", "kouki.cli", "demo", "--no-serve", "--out", str(out), "--residents", "1500",
         "--days", "2", "--premium-parameters", str(parameters)],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_the_demo_lives_the_next_year_to_its_renewal_when_its_values_are_configured(tmp_path: Path) -> None:
    parameters = tmp_path / "r8.json"
    parameters.write_text(json.dumps({"2026": {"source": "test values", "parameters": TEST_VALUES}}))
    proc = demo(tmp_path / "demo", parameters)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "fiscal year 2026 lived to 2026-08-31" in proc.stdout
    db = sqlite3.connect(tmp_path / "demo" / "kouki.sqlite3")
    plans = db.execute("select count(*) from assessment_instalmentplan where fiscal_year=2026 "
                       "and superseded_at is null").fetchone()[0]  # fmt: skip
    assert plans > 100
    renewed = db.execute(
        "select count(*) from certificates_certificateissue where reason='2' and issued_on >= '2026-08-01'"
    ).fetchone()[0]
    assert renewed > 100
    env = (tmp_path / "demo" / "demo.env").read_text(encoding="utf-8")
    assert f"KOUKI_PREMIUM_PARAMETERS={parameters}" in env


@pytest.mark.parametrize("content, reason", [
    ({"2026": {"parameters": TEST_VALUES}}, '"source"'),
    ({"2026": {"source": "test values", "parameters": {"per_capita_levy": 47_000}}}, "incomplete"),
])  # fmt: skip
def test_a_parameter_file_without_source_or_complete_values_is_refused(
    tmp_path: Path, content: dict[str, Any], reason: str
) -> None:
    parameters = tmp_path / "r8.json"
    parameters.write_text(json.dumps(content))
    proc = demo(tmp_path / "demo", parameters)
    assert proc.returncode == 2 and reason in proc.stderr
