"""Instalment planning (期割): direct payment, pension deduction, the start table, re-planning. Pure.

Public entry points: `plan_instalments`, `replan_after_reassessment`, `replan_to_direct`, the presets in
`PRESETS`.
"""

from kouki.rules.instalments.config import HANNO, PRESETS, SAITAMA, UEDA, CityInstalmentRules
from kouki.rules.instalments.model import (
    DirectReason,
    Instalment,
    InstalmentError,
    InstalmentPlan,
    Method,
    MissingInput,
    MissingParameter,
    Stage,
    YearMonth,
)
from kouki.rules.instalments.pension import PensionInfo
from kouki.rules.instalments.plan import ACQUISITION_REASONS, PlanRequest, plan_instalments
from kouki.rules.instalments.replan import Replan, replan_after_reassessment, replan_to_direct

__all__ = [
    "ACQUISITION_REASONS",
    "HANNO",
    "PRESETS",
    "SAITAMA",
    "UEDA",
    "CityInstalmentRules",
    "DirectReason",
    "Instalment",
    "InstalmentError",
    "InstalmentPlan",
    "Method",
    "MissingInput",
    "MissingParameter",
    "PensionInfo",
    "PlanRequest",
    "Replan",
    "Stage",
    "YearMonth",
    "plan_instalments",
    "replan_after_reassessment",
    "replan_to_direct",
]
