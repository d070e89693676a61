"""`kouki calc copayment` end to end (docs/interfaces/calc-copayment.md).

JSON in, JSON out, exit 2 on bad input. The rules themselves are table-tested with their sources in
tests/rules/test_copayment.py; here each rule is reached once through the command.
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

# The issue's request (issue 10 §2). Born 1948 (after 1945-01-02); 旧ただし書所得 = 150万 (pension income)
# + 30万 − 43万 = 137万 ≤ 210万, so not 現役並み despite 課税所得 160万; then 2割 (260万 + 30万 ≥ 200万).
ISSUE_EXAMPLE: dict[str, Any] = {
    "as_of": "2026-08-01",
    "household": [
        {
            "id": "A",
            "insured": True,
            "birth_date": "1948-02-10",
            "taxable_income": 1600000,
            "public_pension_revenue": 2600000,
            "salary_revenue": 0,
            "other_income": 300000,
            "dependants_under_16": 0,
            "dependants_16_18": 0,
        }
    ],
}


def run_cli(payload: object) -> subprocess.CompletedProcess[str]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return subprocess.run(
        [sys.executable, "-m", "kouki.cli", "calc", "copayment"],
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
    code = main(["calc", "copayment"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def member(**fields: Any) -> dict[str, Any]:
    return {"id": "A", "insured": True, "birth_date": "1944-06-01", **fields}


def test_issue_example_through_the_cli() -> None:
    done = run_cli(ISSUE_EXAMPLE)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [(m["id"], m["rate"]) for m in out["members"]] == [("A", "20%")]
    reasons = out["members"][0]["reasons"]
    assert any("210万円以下" in r and "申請は不要" in r for r in reasons)
    assert reasons[-1].endswith("2割です")
    assert "explain" not in out["members"][0]


@pytest.mark.parametrize(
    ("household", "as_of", "rates", "deciding"),
    [
        # 3割: 課税所得 ≥ 145万, born before 1945-01-02, 収入 400万 ≥ 383万
        (
            [member(taxable_income=1_500_000, public_pension_revenue=4_000_000)],
            "2026-08-01",
            ["30%"],
            "3割です",
        ),
        # the 210万 rule (the issue's example)
        (ISSUE_EXAMPLE["household"], "2026-08-01", ["20%"], "申請は不要です"),
        # the dependant deduction: 170万 − 33万 = 137万 < 145万 → 2割
        (
            [member(taxable_income=1_700_000, public_pension_revenue=4_000_000, dependants_under_16=1)],
            "2026-08-01",
            ["20%"],
            "2割です",
        ),
        # 基準収入額 with a 72-year-old household member (not insured): 400万 + 119万 < 520万
        (
            [
                member(taxable_income=1_500_000, public_pension_revenue=4_000_000),
                {
                    "id": "S",
                    "insured": False,
                    "birth_date": "1954-03-01",
                    "public_pension_revenue": 1_190_000,
                },
            ],
            "2026-08-01",
            ["20%"],
            "基準収入額の適用により",
        ),
        # two insured: both get the household's rate; 1割 when no one has 課税所得 ≥ 28万
        (
            [member(public_pension_revenue=1_500_000), member(id="B", public_pension_revenue=800_000)],
            "2026-08-01",
            ["10%", "10%"],
            "1割です",
        ),
        # before 2022-10-01 there is no 2割
        (
            [member(taxable_income=500_000, public_pension_revenue=2_500_000)],
            "2022-09-30",
            ["10%"],
            "2割の区分がない",
        ),
    ],
)
def test_each_rule_through_the_command(
    household: list[dict[str, Any]],
    as_of: str,
    rates: list[str],
    deciding: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run({"as_of": as_of, "household": household}, monkeypatch, capsys)
    assert code == 0, err
    members = json.loads(out)["members"]
    assert [m["rate"] for m in members] == rates
    assert any(deciding in r for r in members[0]["reasons"]), members[0]["reasons"]
    assert all(m["id"] != "S" for m in members)  # only insured members are answered


def test_fields_default_to_zero_and_explain_lists_the_steps(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run({"as_of": "2025-07-31", "household": [member()], "explain": True}, monkeypatch, capsys)
    assert code == 0
    only = json.loads(out)["members"][0]
    assert only["rate"] == "10%"
    steps = only["explain"]
    assert steps[0]["step"] == "判定の年度" and "令和5年(2023年)中の所得" in steps[0]["detail"]
    assert steps[-1] == {"member": None, "step": "結果", "detail": "1割 (一般)", "amount": None}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not json", "not valid JSON"),
        ("", "empty input"),
        ([], "must be a JSON object"),
        ({"household": [member()]}, "as_of: required"),
        ({"as_of": "2026-02-30", "household": [member()]}, "as_of: not a valid date"),
        ({"as_of": "2020-08-01", "household": [member()]}, "as_of: judgement years before 2021-08-01"),
        ({"as_of": "2026-08-01", "household": []}, "household: required"),
        (
            {"as_of": "2026-08-01", "household": [{"id": "A", "insured": True}]},
            "household[0].birth_date: required",
        ),
        (
            {"as_of": "2026-08-01", "household": [member(taxable_income=-1)]},
            "taxable_income: must not be negative",
        ),
        (
            {"as_of": "2026-08-01", "household": [member(salary_revenue="12万")]},
            "salary_revenue: must be an integer",
        ),
        (
            {"as_of": "2026-08-01", "household": [member(dependants_under_16=-1)]},
            "dependants_under_16: must be",
        ),
        ({"as_of": "2026-08-01", "household": [member(pension=1)]}, "household[0].pension: unknown field"),
        ({"as_of": "2026-08-01", "household": [member(insured="yes")]}, "household[0].insured: must be true"),
        ({"as_of": "2026-08-01", "household": [member(insured=False)]}, "no member has insured: true"),
        ({"as_of": "2026-08-01", "household": [member(), member()]}, "id 'A' appears more than once"),
        ({"as_of": "2026-08-01", "household": [member()], "year": 2026}, "year: unknown field"),
        (
            {"as_of": "2027-08-01", "household": [member(salary_revenue=3_000_000)]},
            "給与所得控除 for income year 2026 is not implemented",
        ),
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
    done = run_cli({"as_of": "2026-08-01"})
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "kouki calc: copayment: household: required, a non-empty list of members\n"
