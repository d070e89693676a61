"""The simulated union's own state: one JSON file in its state directory (never the city's database)."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import types
import typing
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

R = TypeVar("R")
STATE_FILE = "union-state.json"


def record_to_json(record: object) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Enum):
            value = value.value
        out[f.name] = value
    return out


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
    if tp is date:
        return date.fromisoformat(value)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    return value


def record_from_json(cls: type[R], data: dict[str, Any]) -> R:
    hints = typing.get_type_hints(cls)
    return cls(**{name: _convert(hints[name], value) for name, value in data.items()})


@dataclasses.dataclass
class UnionState:
    insurer_no: str
    seed: int
    today: str
    next_serial: int = 1
    residents: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)  # key → ResidentInfoRecord
    residences: dict[str, dict[str, list[Any]]] = dataclasses.field(
        default_factory=dict
    )  # key → start → [end]
    # key → [[異動日, 世帯番号, 世帯主, resident, resident_since], …] (kouki.sandbox.union.households)
    household_history: dict[str, list[list[Any]]] = dataclasses.field(default_factory=dict)
    nonresidents: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    notifications: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)  # no → record
    incomes: dict[str, dict[str, dict[str, Any]]] = dataclasses.field(
        default_factory=dict
    )  # key → year → rec
    numbers: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)  # key → generation → number
    links: dict[str, str] = dataclasses.field(default_factory=dict)  # personal-number hash → key
    applied: list[str] = dataclasses.field(default_factory=list)  # 資格確認書 applications
    sent_insured: dict[str, dict[str, list[Any]]] = dataclasses.field(default_factory=dict)
    sent_exception: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    sent_certificate: dict[str, list[Any]] = dataclasses.field(default_factory=dict)
    upcoming: dict[str, str] = dataclasses.field(default_factory=dict)  # key → start of a period not yet due
    dirty: list[str] = dataclasses.field(default_factory=list)
    received: list[str] = dataclasses.field(default_factory=list)  # sha-256 of files taken in
    last_run: str | None = None


def load_state(state_dir: Path) -> UnionState | None:
    path = state_dir / STATE_FILE
    if not path.exists():
        return None
    return UnionState(**json.loads(path.read_text(encoding="utf-8")))


def write_json(state_dir: Path, name: str, data: Any) -> None:
    """Write `data` as compact JSON to state_dir/name atomically (temp file + rename), so that a crash
    never leaves half a state. Every state file of the simulated union is written here."""
    state_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # one C-encoder call: fast
    fd, tmp = tempfile.mkstemp(dir=state_dir, prefix=f".{Path(name).stem}-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, state_dir / name)


def save_state(state_dir: Path, state: UnionState) -> None:
    write_json(state_dir, STATE_FILE, {f.name: getattr(state, f.name) for f in dataclasses.fields(state)})
