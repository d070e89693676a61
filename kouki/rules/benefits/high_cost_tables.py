"""高額療養費 limit tables from configuration (KOUKI_HIGH_COST_PARAMETERS). Pure: JSON values in, tables out.

The built-in table (kouki.rules.benefits.high_cost.TABLES) holds the months whose law the shared facts give
(2022-10 … 2026-07). The staged revision from 2026-08 has no amounts for 後期 in the facts
(domain-facts-next §1 「Pending change」: [NOT FOUND]), so its tables are configuration, like the premium
parameters: a JSON object keyed by the first month each table is in force, every table naming its source.

    {"2026-08": {"source": "…where the amounts come from…", "last": "2027-07",
                 "active": {"active_3": {"base": 252600, "threshold": 842000, "many_times": 140100}, …},
                 "flat": {"general_2": {"outpatient": 18000, "household": 57600, "many_times": 44400}, …},
                 "annual_outpatient_cap": 144000, "annual_cap_classes": ["general_2", "general_1"],
                 "care_measure": null}}

Every 所得区分 appears in exactly one of "active" and "flat". "last" (the last month, inclusive) may be
left out: the table then runs to the month before the next configured one, the last one without end.
A table overlapping another (built-in or configured) or leaving a gap after the one before is refused.
`TablesInvalid` names the entry and field.
docs/operations/high-cost-parameters.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from itertools import pairwise
from typing import Any

from kouki.rules.benefits.high_cost import (
    TABLES,
    ActiveLimit,
    CareMeasure,
    FlatLimit,
    IncomeClass,
    LimitTable,
)

OPEN_END = date(9999, 12, 1)  # a configured table with no "last" and none after it
TABLE_KEYS = frozenset({"source", "last", "active", "flat", "annual_outpatient_cap", "annual_cap_classes",
                        "care_measure"})  # fmt: skip


class TablesInvalid(ValueError):
    """The configured tables are invalid; the message names the month and the field."""


def _month(where: str, value: Any) -> date:
    text = str(value)
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise TablesInvalid(f"{where}: not a month YYYY-MM: {value!r}") from None


def _yen(where: str, value: Any, *, nullable: bool = False) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TablesInvalid(f"{where}: a whole number of yen (≥ 0) is required, got {value!r}")
    return int(value)


def _int(where: str, value: Any) -> int:
    found = _yen(where, value)
    assert found is not None
    return found


def _class(where: str, key: Any) -> IncomeClass:
    try:
        return IncomeClass(key)
    except ValueError:
        known = ", ".join(c.value for c in IncomeClass)
        raise TablesInvalid(f"{where}: unknown 所得区分 {key!r} (known: {known})") from None


def _object(where: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TablesInvalid(f"{where}: an object is required")
    return value


def _care(where: str, raw: Any) -> CareMeasure | None:
    if raw is None:
        return None
    c = _object(where, raw)
    return CareMeasure(_int(f"{where}.base", c.get("base")), _int(f"{where}.threshold", c.get("threshold")),
                       _int(f"{where}.percent", c.get("percent")), date.fromisoformat(str(c.get("first"))),
                       date.fromisoformat(str(c.get("last"))))  # fmt: skip


def _table(key: str, raw: Any, first: date, last: date) -> LimitTable:
    entry = _object(key, raw)
    unknown = sorted(set(entry) - TABLE_KEYS)
    if unknown:
        raise TablesInvalid(f"{key}: unknown field(s) {', '.join(unknown)}")
    source = str(entry.get("source", "")).strip()
    if not source:
        raise TablesInvalid(f'{key}: "source" (where the amounts come from) is required')
    active: dict[IncomeClass, ActiveLimit] = {}
    for name, v in _object(f"{key}.active", entry.get("active", {})).items():
        where = f"{key}.active.{name}"
        row = _object(where, v)
        active[_class(where, name)] = ActiveLimit(
            _int(f"{where}.base", row.get("base")), _int(f"{where}.threshold", row.get("threshold")),
            _int(f"{where}.many_times", row.get("many_times")),
        )  # fmt: skip
    flat: dict[IncomeClass, FlatLimit] = {}
    for name, v in _object(f"{key}.flat", entry.get("flat", {})).items():
        where = f"{key}.flat.{name}"
        row = _object(where, v)
        flat[_class(where, name)] = FlatLimit(_int(f"{where}.outpatient", row.get("outpatient")),
                                              _int(f"{where}.household", row.get("household")),
                                              _yen(f"{where}.many_times", row.get("many_times"),
                                                   nullable=True))  # fmt: skip
    both = set(active) & set(flat)
    missing = set(IncomeClass) - set(active) - set(flat)
    if both or missing:
        names = ", ".join(sorted(c.value for c in both | missing))
        raise TablesInvalid(f"{key}: every 所得区分 must be in exactly one of active and flat ({names})")
    raw_classes = entry.get("annual_cap_classes", [])
    if not isinstance(raw_classes, list):
        raise TablesInvalid(f"{key}.annual_cap_classes: a list is required")
    return LimitTable(
        first=first, last=last, active=active, flat=flat, care_measure=_care(f"{key}.care_measure",
                                                                             entry.get("care_measure")),
        annual_outpatient_cap=_int(f"{key}.annual_outpatient_cap", entry.get("annual_outpatient_cap")),
        annual_cap_classes=frozenset(_class(f"{key}.annual_cap_classes", c) for c in raw_classes),
        source=source,
    )  # fmt: skip


def configured_tables(data: Any, built_in: Sequence[LimitTable] = TABLES) -> tuple[LimitTable, ...]:
    """The built-in tables and those of `data` (the parsed JSON file), in month order; TablesInvalid."""
    if not isinstance(data, Mapping):
        raise TablesInvalid("a JSON object keyed by the first month (YYYY-MM) of each table is expected")
    firsts = sorted((_month(str(k), k), str(k)) for k in data)
    tables = list(built_in)
    for i, (first, key) in enumerate(firsts):
        raw_last = _object(key, data[key]).get("last")
        if raw_last is not None:
            last = _month(f"{key}.last", raw_last)
        elif i + 1 < len(firsts):
            n = firsts[i + 1][0]
            last = date(n.year - 1, 12, 1) if n.month == 1 else date(n.year, n.month - 1, 1)
        else:
            last = OPEN_END
        if last < first:
            raise TablesInvalid(f"{key}.last: before the table's first month")
        table = _table(key, data[key], first, last)
        for other in tables:
            if table.first <= other.last and other.first <= table.last:
                raise TablesInvalid(f"{key}: overlaps the table of {other.first:%Y-%m}…{other.last:%Y-%m}")
        tables.append(table)
    ordered = sorted(tables, key=lambda t: t.first)
    for before, after in pairwise(ordered):
        follows = date(before.last.year + 1, 1, 1) if before.last.month == 12 else date(
            before.last.year, before.last.month + 1, 1)  # fmt: skip
        if after.first != follows:
            raise TablesInvalid(f"{after.first:%Y-%m}: the tables leave a gap after {before.last:%Y-%m}"
                                " (多数回 looks back 12 months: tables must follow each other)")  # fmt: skip
    return tuple(ordered)
