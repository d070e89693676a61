"""The pure part of the transfer gate (issue 13 §4, SEC-28): what a registered definition allows.

- A definition's version is usable only when both sides (移転元, 移転先) approved it.
- The two approvals are by different people: neither the same recording account nor the same approver
  name (spaces, half- or full-width, ignored).
- An execution may carry only items of the version's whitelist, and at least one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

SENDING = "sending"
RECEIVING = "receiving"


def both_sides_approved(sides: Iterable[str]) -> bool:
    return {SENDING, RECEIVING} <= set(sides)


def normalized_name(name: str) -> str:
    return "".join(name.split())  # str.split() also splits on the full-width space U+3000


def same_person(recorded_by_a: str, name_a: str, recorded_by_b: str, name_b: str) -> bool:
    return recorded_by_a == recorded_by_b or normalized_name(name_a) == normalized_name(name_b)


def items_outside(requested: Iterable[str], whitelist: Collection[str]) -> tuple[str, ...]:
    """The requested items the whitelist does not hold, sorted; () when all are allowed."""
    return tuple(sorted(set(requested) - set(whitelist)))
