"""The simulated union's 減免・猶予 criteria from a JSON file (`python -m kouki.sandbox.union benefits-decide
--criteria FILE`). Saitama's thresholds and rates are not public (domain-facts-next §2 [NOT FOUND]): they are
configuration, and the file says which values the simulation uses. Any key left out keeps the default of
kouki.rules.benefits.decisions.ReliefCriteria.

    {"income_fall_percent": 30, "income_ceiling": 10000000,
     "income_tiers": [[3000000, 100], [4000000, 80]], "disaster_tiers": [[50, 100], [40, 70], [30, 50]],
     "other_ground_percent": 0, "deferral_max_months": 6,
     "evidence": {"3": ["1", "3", "4", "5"], "5": ["2"]},
     "source": "where the values come from (free text, kept for the reader)"}

Grounds and evidence are the file codes (kouki.rules.benefits.codes.ReliefGround, ReliefEvidence).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from kouki.rules.benefits.codes import ReliefEvidence, ReliefGround
from kouki.rules.benefits.decisions import DEFAULT_RELIEF_CRITERIA, ReliefCriteria

INTS = ("income_fall_percent", "income_ceiling", "other_ground_percent", "deferral_max_months")
TIERS = ("income_tiers", "disaster_tiers")


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}: a whole number ≥ 0")
    return int(value)


def criteria_from_mapping(data: Mapping[str, Any]) -> ReliefCriteria:
    """ReliefCriteria from plain values (ValueError naming the key on anything else)."""
    unknown = set(data) - {*INTS, *TIERS, "evidence", "source"}
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
    changes: dict[str, Any] = {name: _int(data[name], name) for name in INTS if name in data}
    for name in TIERS:
        if name in data:
            tiers = data[name]
            if not isinstance(tiers, list) or not all(isinstance(t, list) and len(t) == 2 for t in tiers):
                raise ValueError(f"{name}: a list of [threshold, percent] pairs")
            changes[name] = tuple((_int(a, name), _int(p, name)) for a, p in tiers)
    if "evidence" in data:
        evidence = dict(DEFAULT_RELIEF_CRITERIA.evidence)
        raw = data["evidence"]
        if not isinstance(raw, dict):
            raise ValueError("evidence: an object of ground → list of evidence codes")
        try:
            for ground, codes in raw.items():
                evidence[ReliefGround(str(ground))] = frozenset(ReliefEvidence(str(c)) for c in codes)
        except (ValueError, TypeError):
            raise ValueError("evidence: grounds 1–6, evidence codes 1–5") from None
        changes["evidence"] = tuple(sorted(evidence.items()))
    return replace(DEFAULT_RELIEF_CRITERIA, **changes)


def criteria_from_file(path: Path) -> ReliefCriteria:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("the criteria file holds one JSON object")
    return criteria_from_mapping(data)
