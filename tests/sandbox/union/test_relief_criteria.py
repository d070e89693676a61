"""The simulated union's 減免・猶予 criteria are configuration (domain-facts-next §2: Saitama's thresholds
and rates [NOT FOUND]): a JSON file read by `benefits-decide --criteria FILE` changes what it decides."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from interfaces.union.benefit_samples import application

from kouki.interfaces.union.application_info import dump_application_info
from kouki.interfaces.union.benefit_decision import parse_benefit_decision
from kouki.interfaces.union.files import union_file_name
from kouki.rules.benefits.codes import (
    ApplicationKind,
    DecisionReason,
    DecisionResult,
    ReliefEvidence,
    ReliefGround,
)
from kouki.rules.benefits.decisions import DEFAULT_RELIEF_CRITERIA
from kouki.sandbox.union.__main__ import main as union
from kouki.sandbox.union.relief_criteria import criteria_from_mapping


def test_a_mapping_changes_only_what_it_names() -> None:
    c = criteria_from_mapping({"income_fall_percent": 50, "disaster_tiers": [[20, 100]],
                               "evidence": {"5": []}, "source": "試算用の仮の値"})  # fmt: skip
    assert (c.income_fall_percent, c.disaster_tiers) == (50, ((20, 100),))
    assert c.evidence_of(ReliefGround.DISASTER) == frozenset()
    assert c.evidence_of(ReliefGround.BUSINESS) == DEFAULT_RELIEF_CRITERIA.evidence_of(ReliefGround.BUSINESS)
    assert ReliefEvidence.INCOME_THIS_YEAR in c.evidence_of(ReliefGround.BUSINESS)
    assert c.income_ceiling == DEFAULT_RELIEF_CRITERIA.income_ceiling


@pytest.mark.parametrize("bad", [{"income_fall": 30}, {"income_fall_percent": -1},
                                 {"income_tiers": [[1, 2, 3]]}, {"evidence": {"9": ["1"]}}])  # fmt: skip
def test_a_bad_mapping_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        criteria_from_mapping(bad)


@pytest.mark.django_db
def test_the_criteria_file_decides(tmp_path: Path) -> None:
    record = application(ApplicationKind.REDUCTION, "2025-00001", prior_income=2_000_000,
                         expected_income=1_500_000)  # fmt: skip  (a 25 % fall)
    path = tmp_path / union_file_name("application-info", "11107", date(2025, 7, 20))
    path.write_bytes(dump_application_info([record], created_on=date(2025, 7, 20)))
    criteria = tmp_path / "criteria.json"
    criteria.write_text(json.dumps({"income_fall_percent": 20}), encoding="utf-8")
    results = {}
    for name, extra in (("default", []), ("configured", ["--criteria", str(criteria)])):
        state, out = tmp_path / name / "state", tmp_path / name / "out"
        assert union(["--state", str(state), "benefits-receive", str(path)]) == 0
        assert union(["--state", str(state), "benefits-decide", "--date", "2025-07-25", "--out", str(out),
                      *extra]) == 0  # fmt: skip
        (decided,) = out.iterdir()
        (r,) = parse_benefit_decision(decided.read_bytes(), decided.name).records
        results[name] = (r.result, r.reason)
    assert results == {"default": (DecisionResult.REFUSED, DecisionReason.INCOME_FALL_SHORT),
                       "configured": (DecisionResult.GRANTED, None)}  # fmt: skip
    criteria.write_text("{\"income_fall\": 1}", encoding="utf-8")
    assert union(["--state", str(tmp_path / "x"), "benefits-decide", "--date", "2025-07-25", "--out",
                  str(tmp_path / "x-out"), "--criteria", str(criteria)]) == 2  # fmt: skip
