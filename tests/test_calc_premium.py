"""`kouki calc premium` end to end (docs/interfaces/calc-premium.md).

JSON in, JSON out, exit 2 on bad input.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kouki.cli import main

ROOT = Path(__file__).resolve().parent.parent

ISSUE_EXAMPLE: dict[str, Any] = {
    "fiscal_year": 2024,
    "union": "saitama",
    "parameters": {
        "per_capita_levy": 45930,
        "income_levy_rate": "0.0903",
        "low_income_rate": {"rate": "0.0842", "max_income_base": 580000},
        "annual_cap": 800000,
        "reduced_per_capita_rounding": 10,
        "premium_rounding": 100,
    },
    "household": [
        {
            "id": "A",
            "insured": True,
            "householder": True,
            "birth_date": "1946-05-01",
            "public_pension_revenue": 1800000,
            "salary_revenue": 0,
            "other_income": 0,
            "former_dependant": False,
            "insured_from": None,
            "insured_until": None,
        }
    ],
}


def run(payload: object) -> subprocess.CompletedProcess[str]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return subprocess.run(
        [sys.executable, "-m", "kouki.cli", "calc", "premium"],
        input=text,
        text=True,
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )


def test_issue_example_through_the_cli() -> None:
    done = run(ISSUE_EXAMPLE)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "members": [
            {
                "id": "A",
                "reduction": "50%",
                "per_capita_levy": 22960,
                "income_levy": 22734,
                "months": 12,
                "annual_premium": 45600,
                "child_support_levy": 0,
            }
        ]
    }


def test_union_and_parameters_optional_and_defaults(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    payload = {
        "fiscal_year": 2025,
        "union": "saitama",
        "explain": True,
        "household": [
            {
                "id": "H",
                "insured": False,
                "householder": True,
                "birth_date": "1970-02-02",
                "salary_revenue": 3000000,
            },
            {"id": "M", "insured": True, "birth_date": "1940-01-01", "public_pension_revenue": 700000},
            {
                "id": "D",
                "insured": True,
                "birth_date": "1948-08-08",
                "former_dependant": True,
                "insured_from": "2024-08-08",
            },
        ],
    }
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(payload)))
    assert main(["calc", "premium"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["id"] for m in out["members"]] == ["M", "D"]
    d = out["members"][1]
    assert d["reduction"] == "former_dependant" and d["income_levy"] == 0
    assert all(isinstance(step["step"], str) for step in d["explain"])
    assert "軽減判定" in [step["step"] for step in d["explain"]]


def test_without_union_every_union_value_is_required() -> None:
    done = run({"fiscal_year": 2024, "household": ISSUE_EXAMPLE["household"]})
    assert done.returncode == 2
    assert "per_capita_levy" in done.stderr and "premium_rounding" in done.stderr
    with_params = run(
        {
            "fiscal_year": 2024,
            "household": ISSUE_EXAMPLE["household"],
            "parameters": {**ISSUE_EXAMPLE["parameters"], "income_levy_rounding": 1},
        }
    )
    assert with_params.returncode == 0, with_params.stderr
    assert json.loads(with_params.stdout)["members"][0]["annual_premium"] == 45600


def test_fy2026_lists_missing_parameters_with_exit_2() -> None:
    done = run({**ISSUE_EXAMPLE, "fiscal_year": 2026, "parameters": {}})
    assert done.returncode == 2
    assert done.stdout == ""
    assert "fiscal year 2026" in done.stderr and "child_support.per_capita_levy" in done.stderr


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not json", "not valid JSON"),
        ("", "empty input"),
        ([], "must be a JSON object"),
        ({"household": []}, "fiscal_year"),
        ({"fiscal_year": 2024, "union": "saitama", "household": []}, "household: required"),
        (
            {"fiscal_year": 2024, "union": "saitama", "household": [{"id": "A", "insured": True}]},
            "household[0].birth_date: required",
        ),
        (
            {
                "fiscal_year": 2024,
                "union": "saitama",
                "household": [{"id": "A", "insured": True, "birth_date": "1946-13-01"}],
            },
            "household[0].birth_date: not a valid date",
        ),
        (
            {
                "fiscal_year": 2024,
                "union": "saitama",
                "household": [
                    {"id": "A", "insured": True, "birth_date": "1946-05-01", "public_pension_revenue": -1}
                ],
            },
            "household[0].public_pension_revenue: must not be negative",
        ),
        (
            {
                "fiscal_year": 2024,
                "union": "saitama",
                "household": [{"id": "A", "insured": True, "birth_date": "1946-05-01", "pension": 1}],
            },
            "household[0].pension: unknown",
        ),
        (
            {
                "fiscal_year": 2024,
                "union": "saitama",
                "household": [{"id": "A", "insured": "yes", "birth_date": "1946-05-01"}],
            },
            "household[0].insured: must be true or false",
        ),
        ({"fiscal_year": 2024, "union": "nowhere", "household": ISSUE_EXAMPLE["household"]}, "unknown union"),
        (
            {
                "fiscal_year": 2024,
                "union": "saitama",
                "parameters": {"premium_rounding": 50},
                "household": ISSUE_EXAMPLE["household"],
            },
            "parameters.premium_rounding",
        ),
        (
            {
                "fiscal_year": 2024,
                "union": "saitama",
                "household": [
                    {"id": "A", "insured": True, "birth_date": "1946-05-01", "former_dependant": True}
                ],
            },
            "former_dependant needs first_insured_from",
        ),
    ],
)
def test_invalid_input_exit_2_naming_the_field(payload: object, message: str) -> None:
    done = run(payload)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""
