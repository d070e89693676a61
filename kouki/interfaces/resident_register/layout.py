"""Field layout of the 住基異動 file, shared by both variants (docs/interfaces/resident-register-changes.md).

The data record is a kouki.interfaces.fixedwidth Layout: fixed width (CP932), every record RECORD_LENGTH
bytes followed by CR LF; N fields ASCII digits, right-aligned and zero-filled; X fields CP932 text,
left-aligned and right-padded with half-width spaces, measured in bytes (a full-width character counts 2).
The CSV variant carries the same fields under the Japanese labels as column names, with the same maximum
widths (measured as in CP932).

Unlike the union and tax files, the header carries no ファイル種別 (file_code ''): fixedwidth.dump writes the
file, formats.py reads it. The field kinds say what the writer accepts; the reader's checks are the record
validation in validation.py, shared with the CSV variant.
"""

from __future__ import annotations

from kouki.interfaces.fixedwidth import (
    DATA_TYPE,
    HEADER_TYPE,
    RECORD_TYPE,
    TRAILER_FIELDS,
    TRAILER_TYPE,
    Field,
    Layout,
    offsets,
)
from kouki.interfaces.resident_register.record import ResidentChangeRecord

__all__ = [
    "CSV_COLUMNS",
    "DATA_FIELDS",
    "DATA_FILLER",
    "DATA_TYPE",
    "FIELDS_BY_NAME",
    "HEADER_FIELDS",
    "HEADER_TYPE",
    "LAYOUT",
    "RECORD_LENGTH",
    "RECORD_TYPE",
    "TRAILER_FIELDS",
    "TRAILER_TYPE",
    "Field",
    "offsets",
]

RECORD_LENGTH = 640

_CODES = "01 出生, 02 死亡, 03 転入, 04 転出, 05 転居, 06 世帯変更, 07 氏名変更, 08 職権修正"

DATA_FIELDS: tuple[Field, ...] = (
    Field("change_id", "異動番号", "change id", 20, "code", True, "ASCII letters, digits, '-'; unique"),
    Field("code", "異動事由コード", "change code", 2, "digits", True, _CODES),  # a ChangeCode, see validation
    Field("effective_date", "異動日", "effective date", 8, "date", True, "valid date"),
    Field("notified_date", "届出日", "notified date", 8, "date", True, "valid date"),
    Field("addressee_no", "宛名番号", "addressee number", 15, "id", True, "ASCII digits, left-aligned"),
    Field("household_no", "世帯番号", "household number", 15, "id", True, "ASCII digits, left-aligned"),
    Field("is_householder", "世帯主区分", "householder flag", 1, "bool", True, "1 世帯主, 0 世帯員"),
    Field("relationship", "続柄", "relationship", 20, "text", True, "e.g. 世帯主, 妻, 子, 母"),
    Field("family_name", "氏", "family name", 40, "text", True, "CP932 text"),
    Field("given_name", "名", "given name", 40, "text", False, "CP932 text"),
    Field("family_name_kana", "氏カナ", "family name kana", 40, "kana", True, "katakana (full-width)"),
    Field(
        "given_name_kana",
        "名カナ",
        "given name kana",
        40,
        "kana",
        False,
        "katakana (full-width); required when 名 is given",
    ),
    Field("sex", "性別", "sex", 1, "sex", True, "1 男, 2 女"),
    Field(
        "birth_date",
        "生年月日",
        "date of birth",
        8,
        "date",
        True,
        "valid date, not after 異動日 (equal to it for 出生)",
    ),
    Field("postal_code", "郵便番号", "postal code", 7, "postal", True, "7 digits"),
    Field(
        "municipality_code",
        "市区町村コード",
        "municipality code",
        5,
        "municipality",
        True,
        "5 digits, prefecture part 01–47",
    ),
    Field("address", "住所", "address", 160, "text", True, "CP932 text"),
    Field(
        "other_address",
        "転入前・転出先住所",
        "previous / next address",
        160,
        "text",
        False,
        "required for 03 転入 and 04 転出",
    ),
    Field(
        "personal_number",
        "個人番号",
        "personal number",
        12,
        "personal_number",
        False,
        "12 digits with a valid check digit, or blank (12 spaces / empty)",
    ),
)

LAYOUT: Layout[ResidentChangeRecord] = Layout(
    file_code="",  # no ファイル種別 in this header
    title="住基異動",
    record_length=RECORD_LENGTH,
    fields=DATA_FIELDS,
    factory=ResidentChangeRecord,
)
DATA_FILLER = LAYOUT.filler

HEADER_FIELDS: tuple[Field, ...] = (
    Field("created_on", "作成日", "file creation date", 8, "date", True, "valid date"),
    Field(
        "municipality_code",
        "市区町村コード",
        "sending municipality code",
        5,
        "municipality",
        True,
        "5 digits, prefecture part 01–47",
    ),
    Field("record_count", "データ件数", "number of data records", 7, "int", True, "= number of '2' records"),
)

CSV_COLUMNS: tuple[str, ...] = tuple(f.label for f in DATA_FIELDS)
FIELDS_BY_NAME = {f.name: f for f in DATA_FIELDS}
