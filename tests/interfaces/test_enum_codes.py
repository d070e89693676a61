"""kouki.interfaces.fixedwidth.enum_codes: the `allowed` text of an enum field in the layout tables."""

from __future__ import annotations

from enum import StrEnum

from kouki.interfaces.fixedwidth import enum_codes
from kouki.interfaces.union.layouts import RESIDENT_INFO


class _Kind(StrEnum):
    NEW = "1"
    CHANGED = "2"


def test_codes_are_listed_as_value_and_name_in_definition_order() -> None:
    assert enum_codes(_Kind) == "1 NEW, 2 CHANGED"


def test_the_union_layouts_use_it_for_their_enum_fields() -> None:
    status = next(f for f in RESIDENT_INFO.fields if f.name == "status")
    assert status.enum is not None and status.allowed == enum_codes(status.enum)
