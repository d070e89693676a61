"""One field type for every fixed-width format, and the kinds that convert its values.

A `Field` is a row of a layout table: name (attribute of the record), Japanese label, width in bytes, kind.
A kind is a pair of conversions plugged in per format (`Kind`): `write` turns a value into the field's text
and `read` turns the decoded text back into a value; both raise FieldError with the reason. A format holds
its kinds in a table (`Kinds`) under the names its layout tables use.

A kind name means the same byte class in every format, which the documents show as the 型 column: X for
text (left-aligned, space-padded), N for digits; see `X_KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

X_KINDS = frozenset({"text", "kana", "id", "code", "C", "B"})


@dataclass(frozen=True)
class Field:
    name: str  # attribute of the record (dataclass or mapping)
    label: str  # Japanese name
    english: str
    length: int  # bytes
    kind: str  # a key of the format's Kinds
    required: bool = True
    allowed: str = ""  # what the layout document says about its values
    enum: type[StrEnum] | None = None  # the codes of an enum kind
    blank_ok: bool = False  # may be all spaces (read as None) where the kind allows it

    @property
    def type(self) -> Literal["N", "X"]:
        return "X" if self.kind in X_KINDS else "N"


@dataclass(frozen=True)
class Kind:
    """How one kind of field is written and read in a format."""

    write: Callable[[Field, Any], str]  # value → text (the charset pads it to the width)
    read: Callable[[Field, str], Any]  # decoded text (with its padding) → value


Kinds = Mapping[str, Kind]


def placed(fields: Iterable[Field], start: int = 0) -> list[tuple[Field, int]]:
    """(field, 0-based byte offset), the first field at `start`."""
    result: list[tuple[Field, int]] = []
    pos = start
    for f in fields:
        result.append((f, pos))
        pos += f.length
    return result


def markdown_table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table (the interface documents under docs/interfaces/ are checked against these)."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines.extend("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows)
    return "\n".join(lines)
