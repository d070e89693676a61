"""`kouki calc instalments` end to end: JSON on stdin → JSON on stdout; exit 2 on invalid input."""

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
ISSUE_EXAMPLE: dict[str, Any] = {
    "fiscal_year": 2026,
    "city": "saitama",
    "annual_premium": 60000,
    "insured_from": "2026-07-15",
    "acquisition_reason": "age",
    "pension": {"annual_amount": 1800000, "care_premium_annual": 70000},
}


def run(
    data: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, Any, str]:
    text = data if isinstance(data, str) else json.dumps(data)
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code = main(["calc", "instalments"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else None), err


def test_issue_example_as_a_process() -> None:
    """The example of issue 4 §3 through the real command line."""
    proc = subprocess.run(
        [sys.executable, "-m", "kouki.cli", "calc", "instalments"],
        input=json.dumps(ISSUE_EXAMPLE),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert set(result) == {"instalments", "pension_deduction_starts"}
    assert result["pension_deduction_starts"] == "2027-04"
    assert sum(i["amount"] for i in result["instalments"]) == 60000
    assert [i["month"] for i in result["instalments"]] == [
        "2026-08",
        "2026-09",
        "2026-10",
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
    ]
    first = result["instalments"][0]
    assert first == {"method": "direct", "month": "2026-08", "due_date": "2026-08-31", "amount": 9000}
    assert {i["method"] for i in result["instalments"]} == {"direct"}
    # month ends moved to business days: 2026-10-31 Saturday, 12-31 in the closure, 2027-01-31 Sunday
    assert [i["due_date"] for i in result["instalments"]][2:] == [
        "2026-11-02",
        "2026-11-30",
        "2027-01-04",
        "2027-02-01",
        "2027-03-01",
    ]


def test_pension_plan_and_reassessment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = {
        "fiscal_year": 2026,
        "city": "saitama",
        "parameters": {"direct_months": [7, 8, 9, 10, 11, 12, 1, 2]},
        "annual_premium": 60000,
        "insured_from": None,
        "pension": {"annual_amount": 1800000, "care_premium_annual": 70000, "provisional_amount": 10000},
        "reassessment": {"new_annual_premium": 72000, "as_of": "2026-09-01"},
    }
    code, result, err = run(data, monkeypatch, capsys)
    assert code == 0, err
    assert result["pension_deduction_starts"] == "2026-04"
    assert [i["month"][5:] for i in result["instalments"]] == ["04", "06", "08", "10", "12", "02"]
    assert {i["method"] for i in result["instalments"]} == {"pension"}
    assert result["instalments"][1]["due_date"] == "2026-06-15"
    re = result["reassessment"]
    assert re["settled"] == 30000
    assert re["overpayment"] == 0
    assert sum(i["amount"] for i in re["instalments"]) == 72000
    assert sum(i["amount"] for i in re["instalments"] if i["method"] == "direct") == 12000


def test_decrease_keeps_notified_deductions_and_no_february(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 10 §6 through the command: a decrease on 9-01 with a 2-month stop lead keeps October's
    deduction (介護保険法 §138③ via 高確法 §110); provisional 0 = no 仮徴収 (§140①)."""
    data = {
        "fiscal_year": 2026,
        "parameters": {"direct_months": [7, 8, 9, 10, 11, 12, 1, 2], "pension_stop_lead_months": 2},
        "annual_premium": 60000,
        "pension": {"annual_amount": 1800000, "care_premium_annual": 70000, "provisional_amount": 10000},
        "reassessment": {"new_annual_premium": 50000, "as_of": "2026-09-01"},
    }
    code, result, err = run(data, monkeypatch, capsys)
    assert code == 0, err
    re = result["reassessment"]
    assert re["pension_stopped"] and re["pension_stops_from"] == "2026-11"
    later = [(i["method"], i["month"]) for i in re["instalments"] if i["due_date"] > "2026-09-01"]
    assert later[0] == ("pension", "2026-10") and ("pension", "2026-12") not in later
    del data["parameters"]["pension_stop_lead_months"]  # type: ignore[attr-defined]
    code, _, err = run(data, monkeypatch, capsys)
    assert code == 2 and "parameters.pension_stop_lead_months" in err
    no_feb = dict(data, pension={"annual_amount": 1800000, "provisional_amount": 0})
    del no_feb["reassessment"]
    code, result, err = run(no_feb, monkeypatch, capsys)
    assert code == 0, err
    assert result["pension_deduction_starts"] == "2026-10"
    assert [(i["method"], i["month"][5:]) for i in result["instalments"]][:4] == [
        ("direct", "07"), ("direct", "08"), ("direct", "09"), ("pension", "10"),
    ]  # fmt: skip


def test_spring_birthday_mixes_methods(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = dict(ISSUE_EXAMPLE, insured_from="2026-05-20")
    code, result, err = run(data, monkeypatch, capsys)
    assert code == 0, err
    assert [(i["method"], i["month"]) for i in result["instalments"]] == [
        ("direct", "2026-07"),
        ("direct", "2026-08"),
        ("direct", "2026-09"),
        ("pension", "2026-10"),
        ("pension", "2026-12"),
        ("pension", "2027-02"),
    ]
    assert result["pension_deduction_starts"] == "2026-10"
    assert sum(i["amount"] for i in result["instalments"]) == 60000


def test_other_city_preset(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = {"fiscal_year": 2021, "city": "hanno", "annual_premium": 80000}
    code, result, err = run(data, monkeypatch, capsys)
    assert code == 0, err
    assert [i["due_date"] for i in result["instalments"]][:4] == [
        "2021-08-02",
        "2021-08-31",
        "2021-09-30",
        "2021-11-01",
    ]
    assert result["pension_deduction_starts"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"annual_premium": -1}, "annual_premium"),
        ({"annual_premium": "60000"}, "annual_premium"),
        ({"annual_premium": True}, "annual_premium"),
        ({"fiscal_year": None}, "fiscal_year"),
        ({"city": "atlantis"}, "city"),
        ({"insured_from": "2026-13-01"}, "insured_from"),
        ({"insured_from": "2027-04-01"}, "insured_from"),
        ({"acquisition_reason": "birthday"}, "acquisition_reason"),
        ({"pension": {"care_premium_annual": 70000}}, "pension.annual_amount"),
        ({"pension": {"annual_amount": 1800000, "bonus": 1}}, "pension.bonus"),
        ({"pension": 5}, "pension"),
        ({"colour": "blue"}, "colour"),
        ({"parameters": {"direct_months": [13]}}, "parameters.direct_months[0]"),
        ({"parameters": {"direct_months": [8, 7]}}, "parameters.direct_months"),
        ({"parameters": {"speed": 1}}, "parameters.speed"),
        ({"parameters": {"closure_days": ["12/29"]}}, "parameters.closure_days[0]"),
        ({"acquisition_reason": "move_in"}, "parameters.direct_months"),
        ({"insured_from": None}, "pension.provisional_amount"),
        ({"reassessment": {"as_of": "2026-09-01"}}, "reassessment.new_annual_premium"),
    ],
)
def test_invalid_input_exits_2_naming_the_field(
    change: dict[str, Any], field: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _result, err = run(dict(ISSUE_EXAMPLE, **change), monkeypatch, capsys)
    assert code == 2
    assert f"{field}:" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("text", ["", "{", "[1, 2]"])
def test_not_an_object(
    text: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _result, err = run(text, monkeypatch, capsys)
    assert code == 2
    assert err.startswith("kouki calc")


def test_missing_required(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, _r, err = run({"fiscal_year": 2026}, monkeypatch, capsys)
    assert code == 2
    assert "annual_premium: required" in err
