"""One line of the resident-register change file (住基異動), as plain values.

Each record carries the full state of the person after the change (a snapshot), so applying it is:
close the version in force at effective_date and open a new one from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ChangeCode(StrEnum):
    """異動事由コード (2 digits in the file)."""

    BIRTH = "01"  # 出生
    DEATH = "02"  # 死亡
    MOVE_IN = "03"  # 転入
    MOVE_OUT = "04"  # 転出
    ADDRESS_CHANGE = "05"  # 転居 (within the city)
    HOUSEHOLD_CHANGE = "06"  # 世帯変更 (split, merge, new householder)
    NAME_CHANGE = "07"  # 氏名変更
    CORRECTION = "08"  # 職権修正 (retroactive correction)


@dataclass(frozen=True)
class ResidentChangeRecord:
    change_id: str  # 異動番号, unique per change, up to 20 chars
    code: ChangeCode
    effective_date: date  # 異動日
    notified_date: date  # 届出日
    addressee_no: str  # 宛名番号
    household_no: str  # 世帯番号
    is_householder: bool
    relationship: str  # 続柄 (世帯主, 妻, 子, 母 …)
    family_name: str
    given_name: str
    family_name_kana: str  # full-width katakana
    given_name_kana: str
    sex: str  # "1" male, "2" female
    birth_date: date
    postal_code: str  # 7 digits
    municipality_code: str  # 5 digits (JIS X 0402 without check digit), e.g. 11107 浦和区
    address: str
    other_address: str  # 転入前住所 or 転出先住所, else ""
    personal_number: str  # 12 digits or "" (blank goes to the confirmation list when one is stored)
