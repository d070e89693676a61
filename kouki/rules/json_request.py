"""Checks of plain JSON request values shared by the `kouki calc …` calculators. Pure; no Django.

Every check raises `InvalidRequest` naming the field and the reason (the CLI prints it and exits 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any


class InvalidRequest(ValueError):
    """The request is not valid; the message says which field and why."""


def check_keys(where: str, raw: Mapping[str, Any], known: Iterable[str]) -> None:
    """Refuse unknown fields, so that a misspelt field never passes silently."""
    names = tuple(known)
    for key in raw:
        if key not in names:
            prefix = f"{where}.{key}" if where else str(key)
            raise InvalidRequest(f"{prefix}: unknown field (known: {', '.join(names)})")


def bool_value(field: str, value: Any, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InvalidRequest(f"{field}: must be true or false, got {value!r}")
    return bool(value)


def yen_value(field: str, value: Any) -> int:
    """An integer number of yen, not negative; missing or null → 0."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(f"{field}: must be an integer number of yen, got {value!r}")
    if value < 0:
        raise InvalidRequest(f"{field}: must not be negative, got {value}")
    return int(value)


def count_value(field: str, value: Any, *, maximum: int = 99) -> int:
    """A count of people (0 … maximum); missing or null → 0."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise InvalidRequest(f"{field}: must be an integer from 0 to {maximum}, got {value!r}")
    return int(value)


def date_value(field: str, value: Any, *, required: bool) -> date | None:
    if value is None:
        if required:
            raise InvalidRequest(f"{field}: required (YYYY-MM-DD)")
        return None
    if not isinstance(value, str):
        raise InvalidRequest(f"{field}: must be a date string YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{field}: not a valid date YYYY-MM-DD: {value!r}") from None
