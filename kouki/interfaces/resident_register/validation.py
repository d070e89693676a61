"""Field checks shared by both variants of the 住基異動 file: raw text values in, a record or errors out.

Reasons are Japanese, for the operator reading the rejection report. A reason about the personal-number field
never repeats its value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Literal

from kouki.interfaces.fixedwidth import is_municipality_code, parse_date_text
from kouki.interfaces.fixedwidth import is_private_use as is_private_use
from kouki.interfaces.fixedwidth.charset import PRIVATE_USE
from kouki.interfaces.fixedwidth.charset import cp932_width as cp932_width
from kouki.interfaces.resident_register.layout import DATA_FIELDS, FIELDS_BY_NAME
from kouki.interfaces.resident_register.record import ChangeCode, ResidentChangeRecord
from kouki.rules.kana import is_kana_name
from kouki.rules.numbers import is_valid_my_number

Variant = Literal["fixed", "csv"]
Report = Callable[[str, str], None]  # (field name, reason)

_CHANGE_ID = re.compile(r"[A-Za-z0-9-]+")
_DIGITS = re.compile(r"[0-9]+")
_CSV_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SPACES = " \u3000"
CODES = {c.value: c for c in ChangeCode}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def parse_date(value: str, variant: Variant) -> date | None:
    if variant == "fixed":
        return parse_date_text(value)
    return parse_date_text(value.replace("-", "")) if _CSV_DATE.fullmatch(value) else None


def date_format_label(variant: Variant) -> str:
    return "YYYYMMDD" if variant == "fixed" else "YYYY-MM-DD"


def check_text(name: str, value: str, variant: Variant, report: Report) -> None:
    """Control characters, surrounding spaces and (for CSV) width in CP932 bytes."""
    f = FIELDS_BY_NAME[name]
    if _CONTROL.search(value):
        report(name, "制御文字（改行・タブ等）が含まれています")
    elif PRIVATE_USE.search(value):  # the same characters as is_private_use, one scan
        report(name, "外字（私用領域の文字）・制御文字は取り込めません")
    if value and (value[0] in _SPACES or (variant == "csv" and value[-1] in _SPACES)):
        report(name, "前後に空白があります（左詰めで記録してください）")
    if variant == "csv" and cp932_width(value) > f.length:
        report(name, f"長さが {cp932_width(value)} バイトで上限 {f.length} バイトを超えています")


def build_record(raw: dict[str, str], variant: Variant, report: Report) -> ResidentChangeRecord | None:
    """Validate every field of one data record (all errors are reported), then build the record."""
    failed: set[str] = set()

    def bad(name: str, reason: str) -> None:
        failed.add(name)
        report(name, reason)

    for f in DATA_FIELDS:
        value = raw[f.name]
        if f.type == "X":
            check_text(f.name, value, variant, bad)
        if f.required and value == "":
            bad(f.name, "必須項目が空欄です")

    if raw["change_id"] and not _CHANGE_ID.fullmatch(raw["change_id"]):
        bad("change_id", "英数字とハイフン以外の文字が含まれています")
    code = CODES.get(raw["code"])
    if raw["code"] and code is None:
        bad("code", f"未定義の異動事由コードです: {raw['code']!r}")
    dates: dict[str, date] = {}
    for name in ("effective_date", "notified_date", "birth_date"):
        if raw[name]:
            parsed = parse_date(raw[name], variant)
            if parsed is None:
                bad(name, f"日付が不正です（{date_format_label(variant)}）: {raw[name]!r}")
            else:
                dates[name] = parsed
    for name in ("addressee_no", "household_no"):
        if raw[name] and not (raw[name].isascii() and _DIGITS.fullmatch(raw[name])):
            bad(name, "半角数字以外の文字が含まれています")
    if raw["is_householder"] and raw["is_householder"] not in ("0", "1"):
        bad("is_householder", "0（世帯員）または 1（世帯主）を記録してください")
    for name in ("family_name_kana", "given_name_kana"):
        if raw[name] and not is_kana_name(raw[name]):
            bad(name, "カタカナ以外の文字が含まれています")
    if raw["given_name"] and not raw["given_name_kana"]:
        bad("given_name_kana", "名があるのに名カナが空欄です")
    if raw["sex"] and raw["sex"] not in ("1", "2"):
        bad("sex", "1（男）または 2（女）を記録してください")
    if raw["postal_code"] and not (
        len(raw["postal_code"]) == 7 and raw["postal_code"].isascii() and raw["postal_code"].isdigit()
    ):
        bad("postal_code", "郵便番号は7桁の数字です")
    if raw["municipality_code"] and not is_municipality_code(raw["municipality_code"]):
        bad("municipality_code", "市区町村コードは5桁の数字（都道府県部分 01–47）です")
    if code in (ChangeCode.MOVE_IN, ChangeCode.MOVE_OUT) and not raw["other_address"]:
        bad("other_address", "転入・転出では転入前・転出先住所が必須です")
    if raw["personal_number"] and not is_valid_my_number(raw["personal_number"]):
        bad("personal_number", "個人番号の桁数またはチェックデジットが不正です")
    if "birth_date" in dates and "effective_date" in dates:
        if dates["birth_date"] > dates["effective_date"]:
            bad("birth_date", "生年月日が異動日より後です")
        elif code == ChangeCode.BIRTH and dates["birth_date"] != dates["effective_date"]:
            bad("birth_date", "出生の異動日と生年月日が一致しません")

    if failed or code is None or len(dates) != 3:
        return None
    return ResidentChangeRecord(
        change_id=raw["change_id"],
        code=code,
        effective_date=dates["effective_date"],
        notified_date=dates["notified_date"],
        addressee_no=raw["addressee_no"],
        household_no=raw["household_no"],
        is_householder=raw["is_householder"] == "1",
        relationship=raw["relationship"],
        family_name=raw["family_name"],
        given_name=raw["given_name"],
        family_name_kana=raw["family_name_kana"],
        given_name_kana=raw["given_name_kana"],
        sex=raw["sex"],
        birth_date=dates["birth_date"],
        postal_code=raw["postal_code"],
        municipality_code=raw["municipality_code"],
        address=raw["address"],
        other_address=raw["other_address"],
        personal_number=raw["personal_number"],
    )
