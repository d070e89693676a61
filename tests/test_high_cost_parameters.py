"""KOUKI_HIGH_COST_PARAMETERS: 高額療養費 limit tables for months the built-in table lacks (from 2026-08).

The amounts below are NOT the law (the staged revision's amounts for 後期 are not found, domain-facts-next
§1): they are test values, deliberately different from the built-in table so that a test can tell which
table was used. docs/operations/high-cost-parameters.md.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from kouki.cli import main
from kouki.core.config import ConfigError, high_cost_tables
from kouki.rules.benefits.high_cost import TABLES, IncomeClass, TableUnknown, table_for
from kouki.rules.benefits.high_cost_request import calculate
from kouki.rules.benefits.high_cost_tables import TablesInvalid, configured_tables

SOURCE = "test values only (not the law): tests/test_high_cost_parameters.py"


def table(**changes: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "source": SOURCE,
        "active": {
            "active_3": {"base": 252_600, "threshold": 842_000, "many_times": 140_100},
            "active_2": {"base": 167_400, "threshold": 558_000, "many_times": 93_000},
            "active_1": {"base": 80_100, "threshold": 267_000, "many_times": 44_400},
        },
        "flat": {
            "general_2": {"outpatient": 20_000, "household": 57_600, "many_times": 44_400},
            "general_1": {"outpatient": 20_000, "household": 57_600, "many_times": 44_400},
            "low_2": {"outpatient": 8_000, "household": 24_600, "many_times": None},
            "low_1": {"outpatient": 8_000, "household": 15_000, "many_times": None},
        },
        "annual_outpatient_cap": 144_000,
        "annual_cap_classes": ["general_2", "general_1"],
        "care_measure": None,
    }
    value.update(changes)
    return value


REQUEST = {"month": "2026-09", "income_class": "general_1", "many_times": False,
           "members": [{"id": "A", "outpatient_cost": 250_000, "inpatient_cost": 0}]}  # fmt: skip


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "high-cost.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_without_the_setting_only_the_built_in_table_and_the_error_names_the_setting() -> None:
    assert high_cost_tables() == TABLES
    with pytest.raises(TableUnknown, match="KOUKI_HIGH_COST_PARAMETERS"):
        table_for(date(2026, 8, 1))


def test_a_configured_table_decides_the_months_from_its_first(tmp_path: Path) -> None:
    with override_settings(KOUKI_HIGH_COST_PARAMETERS=str(write(tmp_path, {"2026-08": table()}))):
        tables = high_cost_tables()
        assert [t.first for t in tables] == [date(2022, 10, 1), date(2026, 8, 1)]
        assert table_for(date(2030, 1, 1), tables).source == SOURCE  # no "last", none after: open
        # 25,000 borne, configured 外来 limit 20,000 → 5,000 (the built-in 18,000 would give 7,000)
        assert calculate(REQUEST, tables)["refund_total"] == 5_000
        assert calculate({**REQUEST, "month": "2025-07"}, tables)["refund_total"] == 7_000  # built-in


def test_kouki_calc_high_cost_reads_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(REQUEST)))
    assert main(["calc", "high-cost"]) == 2
    assert "KOUKI_HIGH_COST_PARAMETERS" in capsys.readouterr().err
    with override_settings(KOUKI_HIGH_COST_PARAMETERS=str(write(tmp_path, {"2026-08": table()}))):
        monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(REQUEST)))
        assert main(["calc", "high-cost"]) == 0
        assert json.loads(capsys.readouterr().out)["refund_total"] == 5_000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "a JSON object keyed by the first month"),
        ({"2026-8x": table()}, "not a month YYYY-MM"),
        ({"2026-08": table(source=" ")}, '"source"'),
        ({"2026-08": {k: v for k, v in table().items() if k != "source"}}, '"source"'),
        ({"2026-08": table(flat={})}, "exactly one of active and flat"),
        ({"2026-08": table(active={**table()["active"], "general_1": table()["active"]["active_1"]})},
         "exactly one of active and flat"),
        ({"2026-08": table(flat={**table()["flat"], "low_3": table()["flat"]["low_1"]})}, "unknown 所得区分"),
        ({"2026-08": table(annual_outpatient_cap=-1)}, "annual_outpatient_cap: a whole number of yen"),
        ({"2026-08": table(rate=3)}, "unknown field(s) rate"),
        ({"2026-07": table()}, "overlaps the table of 2022-10…2026-07"),
        ({"2026-10": table()}, "gap after 2026-07"),
        ({"2026-08": table(last="2026-12"), "2027-02": table()}, "gap after 2026-12"),
        ({"2026-08": table(last="2026-07")}, "before the table's first month"),
    ],
)
def test_invalid_tables_are_refused_naming_the_entry(data: object, message: str) -> None:
    with pytest.raises(TablesInvalid, match=message.replace("(", r"\(").replace(")", r"\)")):
        configured_tables(data)


def test_a_broken_file_is_a_config_error_naming_the_setting(tmp_path: Path) -> None:
    with override_settings(KOUKI_HIGH_COST_PARAMETERS=str(write(tmp_path, {"2026-08": table(source="")}))):
        with pytest.raises(ConfigError, match=r"KOUKI_HIGH_COST_PARAMETERS: .*source"):
            high_cost_tables()
    with override_settings(KOUKI_HIGH_COST_PARAMETERS=str(tmp_path / "missing.json")):
        with pytest.raises(ConfigError, match=r"KOUKI_HIGH_COST_PARAMETERS: .*cannot read"):
            high_cost_tables()


def test_consecutive_tables_end_where_the_next_begins() -> None:
    tables = configured_tables({"2026-08": table(), "2027-08": table(source="second")})
    assert [(t.first, t.last) for t in tables[1:]] == [(date(2026, 8, 1), date(2027, 7, 1)),
                                                         (date(2027, 8, 1), date(9999, 12, 1))]  # fmt: skip
    assert table_for(date(2027, 8, 1), tables).source == "second"
    assert tables[1].flat[IncomeClass.GENERAL_1].outpatient == 20_000


def test_the_simulated_union_uses_the_configured_table(tmp_path: Path) -> None:
    from interfaces.union.benefit_samples import application

    from kouki.interfaces.union.application_info import dump_application_info
    from kouki.interfaces.union.files import union_file_name
    from kouki.rules.benefits.codes import ApplicationKind
    from kouki.rules.benefits.high_cost import MemberCosts
    from kouki.sandbox.union.benefits import InsuredProfile, UnionBenefits

    app = application(kind=ApplicationKind.HIGH_COST, reception_no="H-9", right_date=date(2026, 9, 1),
                      received_on=date(2026, 10, 10))  # fmt: skip
    on = date(2026, 10, 20)
    path = tmp_path / "out" / union_file_name("application-info", "11107", on, 0)
    path.parent.mkdir()
    path.write_bytes(dump_application_info([app], created_on=on))
    profiles = {app.insured_no: InsuredProfile(IncomeClass.GENERAL_1, "h")}

    def costs(n: str, m: date) -> MemberCosts:
        return MemberCosts(n, 250_000 if m == date(2026, 9, 1) else 0, 0)

    waiting = UnionBenefits(tmp_path / "u1", profiles=profiles, costs=costs)
    waiting.receive(path)
    assert waiting.decide(on) == [] and waiting.pending() == ["H-9"]  # no table: left pending
    configured = configured_tables({"2026-08": table()})
    union = UnionBenefits(tmp_path / "u2", profiles=profiles, costs=costs, tables=configured)
    union.receive(path)
    [decided] = union.decide(on)
    assert (decided.base_amount, decided.amount_decided) == (25_000, 5_000)
