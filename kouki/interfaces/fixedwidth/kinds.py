"""The field kinds of the union, tax and 住基 files (the `STANDARD` format of kouki.interfaces.fixedwidth).

N kinds are ASCII digits, right-aligned, zero-filled (a signed amount carries a leading '-'); X kinds are
CP932 text, left-aligned, right-padded with half-width spaces. A reason never repeats the value of a
personal-number field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from kouki.interfaces.fixedwidth.errors import FieldError
from kouki.interfaces.fixedwidth.fields import Field, Kind
from kouki.rules.kana import is_kana_name
from kouki.rules.numbers import is_valid_insurer_number, is_valid_my_number

_DIGITS = re.compile(r"[0-9]+")
_CODE = re.compile(r"[A-Za-z0-9-]+")
_SIGNED = re.compile(r"-?[0-9]+")
_DATE = re.compile(r"[0-9]{8}")
_BLANK_OK = ("opt_date", "opt_enum", "personal_number")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_municipality_code(value: str) -> bool:
    return len(value) == 5 and value.isascii() and value.isdigit() and 1 <= int(value[:2]) <= 47


def parse_date_text(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


# ---------------------------------------------------------------- writing: value → text


def _to_text(f: Field, value: Any) -> str:
    kind = f.kind
    if kind in ("date", "opt_date"):
        if value is None:
            if kind == "date":
                raise FieldError("日付が必要です")
            return " " * f.length
        if not isinstance(value, date):
            raise FieldError("日付ではありません")
        return value.strftime("%Y%m%d")
    if kind in ("enum", "opt_enum"):
        if value is None:
            if kind == "enum":
                raise FieldError("値が必要です")
            return " " * f.length
        assert f.enum is not None
        return str(f.enum(value).value)
    if kind == "bool":
        return "1" if value else "0"
    if kind in ("int", "rate"):
        if not isinstance(value, int) or value < 0:
            raise FieldError("0 以上の整数ではありません")
        return f"{value:0{f.length}d}"
    if kind == "signed":
        if not isinstance(value, int):
            raise FieldError("整数ではありません")
        return f"{value:0{f.length}d}"
    if kind == "personal_number" and value == "":
        return " " * f.length
    if not isinstance(value, str):
        raise FieldError("文字列ではありません")
    return value


def _write_n(f: Field, value: Any) -> str:
    text = _to_text(f, value)
    if text == " " * f.length and f.kind in _BLANK_OK:
        return text
    ok = (
        len(text) == f.length
        and text.isascii()
        and (_SIGNED.fullmatch(text) if f.kind == "signed" else text.isdigit())
    )
    if not ok:  # never echo the value: it may be a personal number
        raise FieldError(f"{f.length} 桁の半角数字ではありません")
    return text


# ---------------------------------------------------------------- reading: text → value


def _read_n(check: Callable[[Field, str], Any]) -> Callable[[Field, str], Any]:
    """An N kind: blank allowed only for the optional kinds, then ASCII digits, then `check`."""

    def read(f: Field, text: str) -> Any:
        if text.strip(" ") == "":
            if f.kind in ("opt_date", "opt_enum"):
                return None
            if f.kind == "personal_number":
                return ""
            raise FieldError("必須項目が空欄です")
        if not (text.isascii() and text.isdigit()):
            raise FieldError(f"{f.length} 桁の半角数字（ゼロ詰め）ではありません")
        return check(f, text)

    return read


def _verbatim(f: Field, text: str) -> str:
    return text


def _number(f: Field, text: str) -> int:
    return int(text)


def _date(f: Field, text: str) -> date:
    parsed = parse_date_text(text)
    if parsed is None:
        raise FieldError(f"日付が不正です（YYYYMMDD）: {text!r}")
    return parsed


_ENUM_VALUES: dict[Any, dict[Any, Any]] = {}  # enum class → {value: member}, worked out once per class


def _enum(f: Field, text: str) -> Any:
    assert f.enum is not None
    values = _ENUM_VALUES.get(f.enum)
    if values is None:
        values = _ENUM_VALUES[f.enum] = {e.value: e for e in f.enum}
    if text not in values:
        raise FieldError(f"未定義のコードです: {text!r}（{f.allowed}）")
    return values[text]


def _bool(f: Field, text: str) -> bool:
    if text not in ("0", "1"):
        raise FieldError("0 または 1 を記録してください")
    return text == "1"


def _rate(f: Field, text: str) -> int:
    if int(text) not in (10, 20, 30):
        raise FieldError("10, 20, 30 のいずれかを記録してください")
    return int(text)


def _valid(test: Callable[[str], bool], reason: str) -> Callable[[Field, str], str]:
    def check(f: Field, text: str) -> str:
        if not test(text):
            raise FieldError(reason)
        return text

    return check


def _read_signed(f: Field, text: str) -> int:
    if text.strip(" ") == "":
        raise FieldError("必須項目が空欄です")
    if not (text.isascii() and _SIGNED.fullmatch(text)):
        raise FieldError(f"{f.length} 桁の数字（負数は先頭に '-'）ではありません")
    return int(text)


def _read_x(check: Callable[[str], bool] | None = None, reason: str = "") -> Callable[[Field, str], str]:
    """An X kind: no control characters, left-aligned, not blank when required, then `check`."""

    def read(f: Field, text: str) -> str:
        value = text.rstrip(" ")
        if _CONTROL.search(value) is not None:
            raise FieldError("制御文字（改行・タブ等）が含まれています")
        if value and value[0] in " \u3000":
            raise FieldError("前に空白があります（左詰めで記録してください）")
        if f.required and not value:
            raise FieldError("必須項目が空欄です")
        if value and check is not None and not check(value):
            raise FieldError(reason)
        return value

    return read


def _kind(read: Callable[[Field, str], Any], write: Callable[[Field, Any], str] = _write_n) -> Kind:
    return Kind(write, read)


STANDARD_KINDS: dict[str, Kind] = {
    "text": _kind(_read_x(), _to_text),  # CP932 text
    "kana": _kind(_read_x(is_kana_name, "カタカナ以外の文字が含まれています"), _to_text),  # katakana name
    "id": _kind(  # ASCII digits, left-aligned (宛名番号, 世帯番号)
        _read_x(lambda v: v.isascii() and bool(_DIGITS.fullmatch(v)), "半角数字以外の文字が含まれています"),
        _to_text,
    ),
    "code": _kind(  # ASCII letters, digits, '-', left-aligned (届出番号)
        _read_x(
            lambda v: v.isascii() and bool(_CODE.fullmatch(v)), "英数字とハイフン以外の文字が含まれています"
        ),
        _to_text,
    ),
    "digits": _kind(_read_n(_verbatim)),  # exactly `length` ASCII digits
    "municipality": _kind(  # 5 digits, prefecture 01–47
        _read_n(_valid(is_municipality_code, "市区町村コードは5桁の数字（都道府県部分 01–47）です"))
    ),
    "postal": _kind(_read_n(_verbatim)),  # 7 digits
    "sex": _kind(_read_n(_valid(lambda t: t in ("1", "2"), "1（男）または 2（女）を記録してください"))),
    # 8 digits; the check digit is checked by the layout's parse, as KOUKI_INSURED_NO_CHECK_DIGIT says
    "insured_no": _kind(_read_n(_verbatim)),
    "insurer_no": _kind(  # 39 + 5 digits + check digit
        _read_n(_valid(is_valid_insurer_number, "保険者番号（39 で始まる8桁）の検証番号が一致しません"))
    ),
    "date": _kind(_read_n(_date)),  # YYYYMMDD
    "opt_date": _kind(_read_n(_date)),  # YYYYMMDD or spaces
    "bool": _kind(_read_n(_bool)),  # 1 / 0
    "int": _kind(_read_n(_number)),  # non-negative, zero-filled
    "signed": _kind(_read_signed),  # zero-filled, '-' first when negative
    "enum": _kind(_read_n(_enum)),  # one of the StrEnum values
    "opt_enum": _kind(_read_n(_enum)),  # one of the StrEnum values or spaces
    "rate": _kind(_read_n(_rate)),  # 10 / 20 / 30
    "personal_number": _kind(  # 12 digits with check digit, or spaces
        _read_n(_valid(is_valid_my_number, "個人番号の桁数またはチェックデジットが不正です"))
    ),
}
