"""`kouki calc instalments` (registered in kouki/commands/calc.py): an instalment plan, JSON in, JSON out.

The interface is documented in docs/interfaces/calc-instalments.md. Invalid input: exit 2 with
"field: reason" on stderr. The rules live in kouki.rules.instalments; this module only reads,
checks and writes JSON and builds the holiday calendar.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from kouki.errors import CommandError
from kouki.rules.business_days import BusinessCalendar, japanese_calendar
from kouki.rules.instalments import (
    ACQUISITION_REASONS,
    PRESETS,
    CityInstalmentRules,
    Instalment,
    InstalmentError,
    InstalmentPlan,
    MissingParameter,
    PensionInfo,
    PlanRequest,
    plan_instalments,
    replan_after_reassessment,
)
from kouki.rules.instalments.start_table import SAITAMA_START_TABLE

TOP_FIELDS = frozenset(
    {
        "fiscal_year",
        "city",
        "parameters",
        "annual_premium",
        "insured_from",
        "acquisition_reason",
        "pension",
        "reassessment",
    }
)
PENSION_FIELDS = frozenset(
    {"annual_amount", "care_premium_annual", "provisional_amount", "previous_annual_premium"}
)
REASSESSMENT_FIELDS = frozenset({"new_annual_premium", "as_of"})
START_TABLES = {"saitama": SAITAMA_START_TABLE}


# --- reading ---------------------------------------------------------------------------------------


def _object(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CommandError(f"{field}: must be a JSON object")
    return value


def _unknown(obj: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        prefix = f"{where}." if where else ""
        raise CommandError(f"{prefix}{extra[0]}: unknown field")


def _int(value: object, field: str, *, minimum: int | None = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CommandError(f"{field}: must be an integer (yen or count), got {json.dumps(value)}")
    if minimum is not None and value < minimum:
        raise CommandError(f"{field}: must be at least {minimum}")
    return value


def _opt_int(obj: Mapping[str, Any], key: str, field: str) -> int | None:
    value = obj.get(key)
    return None if value is None else _int(value, field)


def _date(value: Any, field: str) -> date:
    if not isinstance(value, str):
        raise CommandError(f"{field}: must be a date string YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{field}: not a valid date YYYY-MM-DD: {value!r}") from None


def _month(value: Any, field: str) -> int:
    month = _int(value, field, minimum=1)
    if month > 12:
        raise CommandError(f"{field}: a month is 1–12")
    return month


def _parameters(raw: Mapping[str, Any], base: CityInstalmentRules) -> CityInstalmentRules:
    changes: dict[str, Any] = {}
    for key, value in raw.items():
        field = f"parameters.{key}"
        if key == "direct_months":
            if value is None:
                changes[key] = None
                continue
            if not isinstance(value, list) or not value:
                raise CommandError(f"{field}: must be a non-empty list of months (1–12) in fiscal-year order")
            months = tuple(_month(v, f"{field}[{i}]") for i, v in enumerate(value))
            order = [(m - 4) % 12 for m in months]
            if order != sorted(set(order)):
                raise CommandError(f"{field}: months must be distinct and in fiscal-year order (April first)")
            changes[key] = months
        elif key == "direct_due_day":
            changes[key] = None if value is None else _int(value, field, minimum=1)
            if value is not None and value > 31:
                raise CommandError(f"{field}: a day is 1–31 (or null for the month's end)")
        elif key == "direct_due_day_overrides":
            obj = _object(value, field)
            pairs = []
            for m, d in obj.items():
                if not m.isdigit():
                    raise CommandError(f"{field}.{m}: keys are months 1–12")
                day = _int(d, f"{field}.{m}", minimum=1)
                if day > 31:
                    raise CommandError(f"{field}.{m}: a day is 1–31")
                pairs.append((_month(int(m), f"{field}.{m}"), day))
            changes[key] = tuple(pairs)
        elif key in ("direct_rounding_unit", "final_rounding_unit"):
            changes[key] = _int(value, field, minimum=1)
        elif key == "pension_minimum_annual":
            changes[key] = _int(value, field)
        elif key == "pension_stop_lead_months":
            changes[key] = None if value is None else _int(value, field)
            if value is not None and value > 12:
                raise CommandError(f"{field}: at most 12 months (or null when not known)")
        elif key == "pre_october_direct_months":
            if value is None:
                changes[key] = None
                continue
            if not isinstance(value, list) or not value:
                raise CommandError(f"{field}: must be null or a non-empty list of months 4–9")
            pre = tuple(_month(v, f"{field}[{i}]") for i, v in enumerate(value))
            if any(not 4 <= m <= 9 for m in pre) or list(pre) != sorted(set(pre)):
                raise CommandError(f"{field}: months must be distinct, 4–9, in order")
            changes[key] = pre
        elif key in ("pension_half_test", "smoothing"):
            if not isinstance(value, bool):
                raise CommandError(f"{field}: must be true or false")
            changes[key] = value
        elif key == "closure_days":
            if not isinstance(value, list):
                raise CommandError(f"{field}: must be a list of MM-DD strings")
            days = set()
            for i, v in enumerate(value):
                try:
                    d = date.fromisoformat(f"2000-{v}") if isinstance(v, str) and len(v) == 5 else None
                except ValueError:
                    d = None
                if d is None:
                    raise CommandError(f'{field}[{i}]: must be a MM-DD string such as "12-29"')
                days.add((d.month, d.day))
            changes[key] = frozenset(days)
        elif key == "start_table":
            if value is not None and value not in START_TABLES:
                raise CommandError(f"{field}: must be null or one of {', '.join(sorted(START_TABLES))}")
            changes[key] = None if value is None else START_TABLES[value]
        elif key == "start_table_reasons":
            if not isinstance(value, list) or any(v not in ACQUISITION_REASONS for v in value):
                raise CommandError(f"{field}: must be a list of {', '.join(sorted(ACQUISITION_REASONS))}")
            changes[key] = frozenset(value)
        else:
            raise CommandError(f"{field}: unknown parameter")
    return dataclasses.replace(base, **changes)


def _pension(value: Any) -> PensionInfo | None:
    if value is None:
        return None
    obj = _object(value, "pension")
    _unknown(obj, PENSION_FIELDS, "pension")
    if "annual_amount" not in obj:
        raise CommandError("pension.annual_amount: required when pension is given")
    return PensionInfo(
        annual_amount=_int(obj["annual_amount"], "pension.annual_amount"),
        care_premium_annual=_int(obj.get("care_premium_annual", 0), "pension.care_premium_annual"),
        provisional_amount=_opt_int(obj, "provisional_amount", "pension.provisional_amount"),
        previous_annual_premium=_opt_int(obj, "previous_annual_premium", "pension.previous_annual_premium"),
    )


def _missing_parameter_message(exc: MissingParameter) -> str:
    names = ", ".join(f"parameters.{n}" for n in exc.names)
    return f"{names}: required for city {exc.city!r} — {exc}"


def _instalment_json(i: Instalment) -> dict[str, Any]:
    return {
        "method": i.method.value,
        "month": i.month.iso(),
        "due_date": i.due_date.isoformat(),
        "amount": i.amount,
    }


def calc_instalments(data: Any) -> dict[str, Any]:
    """The whole command without stdin/stdout: a parsed JSON value in, the JSON result out."""
    obj = _object(data, "input")
    _unknown(obj, TOP_FIELDS, "")
    for required in ("fiscal_year", "annual_premium"):
        if required not in obj:
            raise CommandError(f"{required}: required")
    fiscal_year = _int(obj["fiscal_year"], "fiscal_year", minimum=2008)
    if fiscal_year > 2100:
        raise CommandError("fiscal_year: must be 2008–2100")
    city = obj.get("city", "saitama")
    if city not in PRESETS:
        raise CommandError(f"city: unknown city {city!r} (presets: {', '.join(sorted(PRESETS))})")
    rules = _parameters(_object(obj.get("parameters", {}), "parameters"), PRESETS[city])
    reason = obj.get("acquisition_reason", "age")
    if reason not in ACQUISITION_REASONS:
        raise CommandError(f"acquisition_reason: must be one of {', '.join(sorted(ACQUISITION_REASONS))}")
    insured_raw = obj.get("insured_from")
    request = PlanRequest(
        fiscal_year=fiscal_year,
        annual_premium=_int(obj["annual_premium"], "annual_premium"),
        insured_from=None if insured_raw is None else _date(insured_raw, "insured_from"),
        acquisition_reason=reason,
        pension=_pension(obj.get("pension")),
    )
    cal = japanese_calendar(range(fiscal_year, fiscal_year + 3), closure_days=rules.closure_days)
    try:
        plan = plan_instalments(request, rules, cal)
    except MissingParameter as exc:
        raise CommandError(_missing_parameter_message(exc)) from None
    except InstalmentError as exc:
        raise CommandError(str(exc)) from None
    result: dict[str, Any] = {
        "instalments": [_instalment_json(i) for i in plan.instalments],
        "pension_deduction_starts": None
        if plan.pension_deduction_starts is None
        else plan.pension_deduction_starts.iso(),
    }
    if plan.overpayment:
        result["overpayment"] = plan.overpayment
    if "reassessment" in obj:
        result["reassessment"] = _reassessment(obj["reassessment"], plan, rules, cal)
    return result


def _reassessment(
    value: Any, plan: InstalmentPlan, rules: CityInstalmentRules, cal: BusinessCalendar
) -> dict[str, Any]:
    obj = _object(value, "reassessment")
    _unknown(obj, REASSESSMENT_FIELDS, "reassessment")
    for required in ("new_annual_premium", "as_of"):
        if required not in obj:
            raise CommandError(f"reassessment.{required}: required")
    try:
        replan = replan_after_reassessment(
            plan,
            new_annual_premium=_int(obj["new_annual_premium"], "reassessment.new_annual_premium"),
            as_of=_date(obj["as_of"], "reassessment.as_of"),
            rules=rules,
            cal=cal,
        )
    except MissingParameter as exc:
        raise CommandError(_missing_parameter_message(exc)) from None
    except InstalmentError as exc:
        raise CommandError(f"reassessment: {exc}") from None
    return {
        "instalments": [_instalment_json(i) for i in replan.instalments],
        "settled": replan.settled,
        "overpayment": replan.overpayment,
        "pension_stopped": replan.pension_stopped,
        "pension_stops_from": None if replan.pension_stops_from is None else replan.pension_stops_from.iso(),
    }
