"""The city's instalment rules for planning: the Saitama preset (kouki.rules.instalments) with the
regular direct-payment months of さいたま市, and the error every planning step raises.

The direct-payment months are not published ([NF]): they come from the `direct_months` argument or
KOUKI_DIRECT_MONTHS (kouki.core.config; e.g. "7,8,9,10,11,12,1,2,3"); when a plan needs them and neither
is given, PlanningError says so. The same for the months a stop of 特別徴収 needs to reach the pension
payer (KOUKI_PENSION_STOP_LEAD_MONTHS, [NF]): a re-plan that stops a deduction refuses without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from kouki.core.config import ConfigError, city_config
from kouki.rules import instalments as rules
from kouki.rules.business_days import BusinessCalendar, japanese_calendar


class PlanningError(ValueError):
    """A plan cannot be made; the message names the setting, parameter or record."""


def months_from_setting() -> tuple[int, ...] | None:
    """KOUKI_DIRECT_MONTHS as months (kouki.core.config), None when not set."""
    try:
        return city_config().direct_months
    except ConfigError as exc:
        raise PlanningError(str(exc)) from None


def stop_lead_from_setting() -> int | None:
    """KOUKI_PENSION_STOP_LEAD_MONTHS (kouki.core.config), None when not set."""
    try:
        return city_config().pension_stop_lead_months
    except ConfigError as exc:
        raise PlanningError(str(exc)) from None


def city_rules(direct_months: Sequence[int] | None = None) -> rules.CityInstalmentRules:
    """The Saitama preset with its direct-payment months from the argument or KOUKI_DIRECT_MONTHS and
    the stop lead from KOUKI_PENSION_STOP_LEAD_MONTHS."""
    months = tuple(direct_months) if direct_months is not None else months_from_setting()
    base = replace(rules.SAITAMA, pension_stop_lead_months=stop_lead_from_setting())
    if months is None:
        return base
    order = [(m - 4) % 12 for m in months]
    if not months or any(not 1 <= m <= 12 for m in months) or order != sorted(set(order)):
        raise PlanningError(
            f"KOUKI_DIRECT_MONTHS / direct_months: {list(months)} must be distinct months 1–12 in "
            "fiscal-year order (April first)"
        )
    return replace(base, direct_months=months)


def missing_months(exc: rules.MissingParameter) -> PlanningError:
    """The PlanningError for a plan that needs a value no public source gives and none is configured:
    the direct-payment months, or the lead of a stop of 特別徴収."""
    if "pension_stop_lead_months" in exc.names:
        return PlanningError(
            "特別徴収の中止が年金保険者に届くまでの月数が設定されていません: set "
            "KOUKI_PENSION_STOP_LEAD_MONTHS (a stop notified in month m reaches the payments from month "
            f"m + this on) — no public source gives it ({exc})"
        )
    return PlanningError(
        "さいたま市の普通徴収の納期月が設定されていません: set KOUKI_DIRECT_MONTHS (e.g. "
        f"'7,8,9,10,11,12,1,2,3') or pass direct_months — no public source gives them ({exc})"
    )


@lru_cache(maxsize=16)
def planning_calendar(fiscal_year: int) -> BusinessCalendar:
    """The business days of the fiscal year and the two after it (due dates move to a business day)."""
    return japanese_calendar([fiscal_year, fiscal_year + 1, fiscal_year + 2])
