"""Synthetic 住基異動 records and helpers shared by the interface and addressee tests.

Personal numbers are random bases with their check digit: valid in form, belonging to nobody. Tests compare
them through booleans only, never putting one where pytest would print it.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from typing import Any

from django.apps import apps

from kouki.interfaces.resident_register.layout import DATA_FIELDS, RECORD_TYPE
from kouki.interfaces.resident_register.record import ChangeCode, ResidentChangeRecord
from kouki.rules.numbers import my_number_check_digit

_rng = random.Random(20260401)


def new_number() -> str:
    base = f"{_rng.randrange(10**10, 10**11):011d}"
    return base + str(my_number_check_digit(base))


def bad_check_digit(number: str) -> str:
    return number[:11] + str((int(number[11]) + 1) % 10)


def record(**overrides: Any) -> ResidentChangeRecord:
    base = ResidentChangeRecord(
        change_id="C0001",
        code=ChangeCode.MOVE_IN,
        effective_date=date(2025, 4, 1),
        notified_date=date(2025, 4, 3),
        addressee_no="0000012345",
        household_no="0000500001",
        is_householder=True,
        relationship="世帯主",
        family_name="髙﨑",
        given_name="花子",
        family_name_kana="タカサキ",
        given_name_kana="ハナコ",
        sex="2",
        birth_date=date(1949, 5, 6),
        postal_code="3300061",
        municipality_code="11107",
        address="さいたま市浦和区常盤６丁目４番４号　メゾン①～２０１",
        other_address="東京都豊島区南池袋一丁目１番１号",
        personal_number="",
    )
    return dataclasses.replace(base, **overrides)


def field_span(name: str) -> tuple[int, int]:
    """(offset, length) in bytes of a data field within a fixed-width record."""
    pos = RECORD_TYPE.length
    for f in DATA_FIELDS:
        if f.name == name:
            return pos, f.length
        pos += f.length
    raise KeyError(name)


def patch_field(data: bytes, line: int, name: str, value: bytes) -> bytes:
    """Overwrite field `name` of 1-based line `line` of a CR LF file, padding with spaces to the width."""
    lines = data.split(b"\r\n")
    offset, length = field_span(name)
    assert len(value) <= length
    body = lines[line - 1]
    lines[line - 1] = body[:offset] + value + b" " * (length - len(value)) + body[offset + length :]
    return b"\r\n".join(lines)


def table_counts() -> dict[str, int]:
    """Row count of every table of every installed model."""
    return {m._meta.db_table: m._default_manager.count() for m in apps.get_models()}
