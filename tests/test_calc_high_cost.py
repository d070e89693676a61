"""`kouki calc high-cost` end to end (docs/interfaces/calc-high-cost.md).

JSON in, JSON out, exit 2 on bad input. The rules are table-tested with their sources in
tests/rules/test_high_cost.py and property-tested in tests/rules/test_high_cost_properties.py.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kouki.cli import main

ROOT = Path(__file__).resolve().parent.parent

# issue 12 §3, request and response exactly as written there.
ISSUE_REQUEST: dict[str, Any] = {
    "month": "2025-07",
    "income_class": "general_1",
    "many_times": False,
    "members": [{"id": "A", "outpatient_cost": 250000, "inpatient_cost": 0}],
}
ISSUE_RESPONSE: dict[str, Any] = {
    "copayment_total": 25000,
    "refund_total": 7000,
    "members": [{"id": "A", "copayment": 25000, "outpatient_refund": 7000, "household_refund": 0}],
}


def run_cli(payload: object) -> subprocess.CompletedProcess[str]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return subprocess.run(
        [sys.executable, "-m", "kouki.cli", "calc", "high-cost"],
        input=text,
        text=True,
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )


def run(
    payload: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code = main(["calc", "high-cost"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_issue_example_through_the_cli() -> None:
    done = run_cli(ISSUE_REQUEST)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ISSUE_RESPONSE


def test_household_with_explain(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    request = {
        "month": "2025-07",
        "income_class": "general_1",
        "members": [
            {"id": "A", "outpatient_cost": 250000},
            {"id": "B", "inpatient_cost": 500000},
        ],
        "explain": True,
    }
    code, out, err = run(request, monkeypatch, capsys)
    assert code == 0, err
    assert json.loads(out) == {
        "copayment_total": 75000,
        "refund_total": 17400,
        "household_limit": 57600,
        "members": [
            {"id": "A", "copayment": 25000, "outpatient_refund": 7000, "household_refund": 2753,
             "outpatient_limit": 18000},
            {"id": "B", "copayment": 50000, "outpatient_refund": 0, "household_refund": 7647,
             "outpatient_limit": 18000},
        ],
    }  # fmt: skip


def member(**fields: Any) -> dict[str, Any]:
    return {"id": "A", "outpatient_cost": 100000, **fields}


def req(**fields: Any) -> dict[str, Any]:
    return {"month": "2025-07", "income_class": "general_1", "members": [member()], **fields}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not json", "not valid JSON"),
        ("", "empty input"),
        ([], "must be a JSON object"),
        ({"income_class": "general_1", "members": [member()]}, "month: required"),
        (req(month="2025-7"), "month: not a valid month YYYY-MM"),
        (req(month="2025-13"), "month: not a valid month"),
        (req(month="2022-09"), "month: no 高額療養費 limit table for 2022-09: months before 2022-10"),
        (req(month="2026-08"), "the staged revision from 2026-08"),
        (req(income_class="general"), "income_class: unknown class 'general' (known: active_3"),
        (req(income_class=None), "income_class: required"),
        (req(income_class="low_2", many_times=True), "many_times: 区分Ⅱ has no 多数回 limit"),
        (req(many_times="yes"), "many_times: must be true or false"),
        (req(members=[]), "members: required"),
        (
            req(members=[member(outpatient_cost=12345)]),
            "members[0].outpatient_cost: must be a multiple of 10",
        ),
        (req(members=[member(inpatient_cost=-10)]), "members[0].inpatient_cost: must not be negative"),
        (req(members=[member(inpatient_cost="10万")]), "members[0].inpatient_cost: must be an integer"),
        (req(members=[member(), member()]), "id 'A' appears more than once"),
        (req(members=[{"outpatient_cost": 10}]), "members[0].id: required"),
        (req(members=[member(cost=1)]), "members[0].cost: unknown field"),
        (req(year=2025), "year: unknown field"),
    ],
)
def test_invalid_input_exit_2_naming_the_field(
    payload: object, message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(payload, monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("kouki calc: ") and message in err, err
    assert err.count("\n") == 1


def test_invalid_input_exit_2_through_the_cli() -> None:
    done = run_cli(req(members=[member(outpatient_cost=105)]))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        "kouki calc: high-cost: members[0].outpatient_cost: "
        "must be a multiple of 10 yen (点数 × 10円), got 105\n"
    )
