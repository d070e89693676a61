"""Field layout of the 住基異動 file, shared by both variants (docs/interfaces/resident-register-changes.md).

Fixed width (CP932): every record is RECORD_LENGTH bytes followed by CR LF. N fields are ASCII digits,
right-aligned and zero-filled; X fields are CP932 text, left-aligned and right-padded with half-width spaces,
measured in bytes (a full-width character counts 2). The CSV variant carries the same fields under the
Japanese column names, with the same maximum widths (measured as in CP932).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RECORD_LENGTH = 640

HEADER_TYPE = "1"
DATA_TYPE = "2"
TRAILER_TYPE = "8"


@dataclass(frozen=True)
class Field:
    name: str  # attribute of ResidentChangeRecord (or of the header/trailer)
    label: str  # Japanese name, also the CSV column name
    english: str
    length: int  # bytes in the fixed-width variant
    type: Literal["N", "X"]
    required: bool
    allowed: str  # allowed values, for the layout document

    @property
    def csv_column(self) -> str:
        return self.label


DATA_FIELDS: tuple[Field, ...] = (
    Field("change_id", "異動番号", "change id", 20, "X", True, "ASCII letters, digits, '-'; unique"),
    Field(
        "code",
        "異動事由コード",
        "change code",
        2,
        "N",
        True,
        "01 出生, 02 死亡, 03 転入, 04 転出, 05 転居, 06 世帯変更, 07 氏名変更, 08 職権修正",
    ),
    Field("effective_date", "異動日", "effective date", 8, "N", True, "valid date"),
    Field("notified_date", "届出日", "notified date", 8, "N", True, "valid date"),
    Field("addressee_no", "宛名番号", "addressee number", 15, "X", True, "ASCII digits, left-aligned"),
    Field("household_no", "世帯番号", "household number", 15, "X", True, "ASCII digits, left-aligned"),
    Field("is_householder", "世帯主区分", "householder flag", 1, "N", True, "1 世帯主, 0 世帯員"),
    Field("relationship", "続柄", "relationship", 20, "X", True, "e.g. 世帯主, 妻, 子, 母"),
    Field("family_name", "氏", "family name", 40, "X", True, "CP932 text"),
    Field("given_name", "名", "given name", 40, "X", False, "CP932 text"),
    Field("family_name_kana", "氏カナ", "family name kana", 40, "X", True, "katakana (full-width)"),
    Field(
        "given_name_kana",
        "名カナ",
        "given name kana",
        40,
        "X",
        False,
        "katakana (full-width); required when 名 is given",
    ),
    Field("sex", "性別", "sex", 1, "N", True, "1 男, 2 女"),
    Field(
        "birth_date",
        "生年月日",
        "date of birth",
        8,
        "N",
        True,
        "valid date, not after 異動日 (equal to it for 出生)",
    ),
    Field("postal_code", "郵便番号", "postal code", 7, "N", True, "7 digits"),
    Field(
        "municipality_code",
        "市区町村コード",
        "municipality code",
        5,
        "N",
        True,
        "5 digits, prefecture part 01–47",
    ),
    Field("address", "住所", "address", 160, "X", True, "CP932 text"),
    Field(
        "other_address",
        "転入前・転出先住所",
        "previous / next address",
        160,
        "X",
        False,
        "required for 03 転入 and 04 転出",
    ),
    Field(
        "personal_number",
        "個人番号",
        "personal number",
        12,
        "N",
        False,
        "12 digits with a valid check digit, or blank (12 spaces / empty)",
    ),
)

RECORD_TYPE = Field("record_type", "レコード区分", "record type", 1, "N", True, "1 header, 2 data, 8 trailer")
DATA_FILLER = RECORD_LENGTH - RECORD_TYPE.length - sum(f.length for f in DATA_FIELDS)

HEADER_FIELDS: tuple[Field, ...] = (
    Field("created_on", "作成日", "file creation date", 8, "N", True, "valid date"),
    Field(
        "municipality_code",
        "市区町村コード",
        "sending municipality code",
        5,
        "N",
        True,
        "5 digits, prefecture part 01–47",
    ),
    Field("record_count", "データ件数", "number of data records", 7, "N", True, "= number of '2' records"),
)
HEADER_FILLER = RECORD_LENGTH - RECORD_TYPE.length - sum(f.length for f in HEADER_FIELDS)

TRAILER_FIELDS: tuple[Field, ...] = (
    Field("record_count", "データ件数", "number of data records", 7, "N", True, "= number of '2' records"),
)
TRAILER_FILLER = RECORD_LENGTH - RECORD_TYPE.length - sum(f.length for f in TRAILER_FIELDS)

CSV_COLUMNS: tuple[str, ...] = tuple(f.csv_column for f in DATA_FIELDS)
FIELDS_BY_NAME = {f.name: f for f in DATA_FIELDS}


def offsets(fields: tuple[Field, ...]) -> list[tuple[Field, int]]:
    """(field, byte offset) after the 1-byte record type."""
    result: list[tuple[Field, int]] = []
    pos = RECORD_TYPE.length
    for f in fields:
        result.append((f, pos))
        pos += f.length
    return result
