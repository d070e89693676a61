"""Table-driven CP932 fixed-width files with a header, data records and a trailer.

A `Layout` lists the fields of one data record; `dump` writes records, `parse` reads and validates a file,
collecting every error as a LineError(file, line, field, reason). The shape is the one of the 住基異動 file
(docs/interfaces/resident-register-changes.md):

- every record is `record_length` bytes followed by CR LF; the first byte is the record type:
  '1' header, '2' data, '8' trailer;
- header: 作成日 (8) + 市区町村コード (5) + ファイル種別 (2) + データ件数 (7), then spaces;
- trailer: データ件数 (7), then spaces;
- N fields are ASCII digits, right-aligned, zero-filled (a signed amount carries a leading '-');
  X fields are CP932 text, left-aligned, right-padded with half-width spaces, measured in bytes.

A reason never repeats the value of a personal-number field.

The 住基異動 file itself (kouki/interfaces/resident_register/) has no ファイル種別 in its header: its layout
has file_code '' and is written with `dump`, but `parse` does not read it. Its reader (resident_register/
formats.py) uses the building blocks at the end of this module with rules of its own: header and trailer
filler not checked, header counts compared even when another header field is bad, record checks shared with
its CSV variant (their own reasons, several per field, after the decoding errors of the line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Generic, Literal, TypeVar
from zoneinfo import ZoneInfo

from kouki.interfaces.importing import LineError, ParseResult
from kouki.rules.kana import is_kana_name
from kouki.rules.numbers import is_valid_insured_number, is_valid_insurer_number, is_valid_my_number

T = TypeVar("T")

HEADER_TYPE = "1"
DATA_TYPE = "2"
TRAILER_TYPE = "8"
CRLF = b"\r\n"
LINE_FIELD = "(レコード)"
FILE_FIELD = "(ファイル)"

Kind = Literal[
    "text",  # CP932 text
    "kana",  # katakana name
    "id",  # ASCII digits, left-aligned (宛名番号, 世帯番号)
    "code",  # ASCII letters, digits, '-', left-aligned (届出番号)
    "digits",  # exactly `length` ASCII digits
    "municipality",  # 5 digits, prefecture 01–47
    "postal",  # 7 digits
    "sex",  # 1 / 2
    "insured_no",  # 8 digits with check digit
    "insurer_no",  # 39 + 5 digits + check digit
    "date",  # YYYYMMDD
    "opt_date",  # YYYYMMDD or spaces
    "bool",  # 1 / 0
    "int",  # non-negative, zero-filled
    "signed",  # zero-filled, '-' first when negative
    "enum",  # one of the StrEnum values
    "opt_enum",  # one of the StrEnum values or spaces
    "rate",  # 10 / 20 / 30
    "personal_number",  # 12 digits with check digit, or spaces
]

_N_KINDS = {
    "digits", "municipality", "postal", "sex", "insured_no", "insurer_no", "date", "opt_date", "bool", "int",
    "signed", "enum", "opt_enum", "rate", "personal_number",
}  # fmt: skip
_DIGITS = re.compile(r"[0-9]+")
_CODE = re.compile(r"[A-Za-z0-9-]+")
_SIGNED = re.compile(r"-?[0-9]+")
_DATE = re.compile(r"[0-9]{8}")


def is_private_use(ch: str) -> bool:
    """外字 and the bytes Python's cp932 maps to private-use or C1 code points (0x80, 0xA0, 0xFD–0xFF)."""
    return 0xE000 <= ord(ch) <= 0xF8FF or 0x80 <= ord(ch) <= 0x9F


def is_municipality_code(value: str) -> bool:
    return len(value) == 5 and value.isascii() and value.isdigit() and 1 <= int(value[:2]) <= 47


class DumpError(ValueError):
    """A value that cannot be written in the layout. The message names record and field, never a number."""


@dataclass(frozen=True)
class Field:
    name: str  # attribute of the record dataclass
    label: str  # Japanese name
    english: str
    length: int  # bytes
    kind: Kind
    required: bool
    allowed: str  # for the layout document
    enum: type[StrEnum] | None = None

    @property
    def type(self) -> Literal["N", "X"]:
        return "N" if self.kind in _N_KINDS else "X"


RECORD_TYPE = Field(
    "record_type", "レコード区分", "record type", 1, "digits", True, "1 header, 2 data, 8 trailer"
)
HEADER_FIELDS: tuple[Field, ...] = (
    Field("created_on", "作成日", "file creation date", 8, "date", True, "valid date"),
    Field("municipality_code", "市区町村コード", "municipality code", 5, "municipality", True, "5 digits"),
    Field("file_code", "ファイル種別", "file kind", 2, "digits", True, "fixed per file kind"),
    Field("record_count", "データ件数", "number of data records", 7, "int", True, "= number of '2' records"),
)
TRAILER_FIELDS: tuple[Field, ...] = (
    Field("record_count", "データ件数", "number of data records", 7, "int", True, "= number of '2' records"),
)

CrossCheck = Callable[[dict[str, Any]], list[tuple[str, str]]]


@dataclass(frozen=True)
class Layout(Generic[T]):
    """One file kind: its data-record fields and how to build a record from converted values."""

    file_code: str  # 2 digits, in the header ('' for none: the 住基異動 file, see the module docstring)
    title: str  # Japanese file name, e.g. 住民基本台帳情報
    record_length: int
    fields: tuple[Field, ...]
    factory: Callable[..., T]
    key_fields: tuple[str, ...] = ()  # duplicates of this key within a file are an error
    cross_check: CrossCheck | None = None  # (field, reason) for combinations of fields
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        used = RECORD_TYPE.length + sum(f.length for f in self.fields)
        if used > self.record_length:
            raise ValueError(f"{self.title}: fields take {used} bytes, more than {self.record_length}")
        for f in self.fields:
            if f.kind in ("enum", "opt_enum") and f.enum is None:
                raise ValueError(f"{self.title}: {f.name} needs its enum")

    @property
    def filler(self) -> int:
        return self.record_length - RECORD_TYPE.length - sum(f.length for f in self.fields)


def offsets(fields: tuple[Field, ...]) -> list[tuple[Field, int]]:
    """(field, 0-based byte offset) after the 1-byte record type."""
    result: list[tuple[Field, int]] = []
    pos = RECORD_TYPE.length
    for f in fields:
        result.append((f, pos))
        pos += f.length
    return result


def layout_table(layout: Layout[Any]) -> str:
    """The Markdown table of a layout's data record (docs/interfaces/union-*.md are checked against it)."""
    rows = [
        "| 項目 (field) | 開始 (byte) | 長さ | 型 | 必須 | 値 | 名称 |",
        "|---|---|---|---|---|---|---|",
        f"| `record_type` | 1 | 1 | N | yes | `2` (data) | {RECORD_TYPE.label} |",
    ]
    for f, pos in offsets(layout.fields):
        allowed = f.allowed.replace("|", "/")
        rows.append(
            f"| `{f.name}` | {pos + 1} | {f.length} | {f.type} | {'yes' if f.required else 'no'} "
            f"| {allowed} | {f.label} |"
        )
    if layout.filler:
        rows.append(
            f"| `filler` | {layout.record_length - layout.filler + 1} | {layout.filler} | X | no "
            "| spaces | 予備 |"
        )
    return "\n".join(rows)


# ---------------------------------------------------------------- writing


def _to_text(f: Field, value: Any, where: str) -> str:
    label = f"{where} {f.label}({f.name})"
    kind = f.kind
    if kind in ("date", "opt_date"):
        if value is None:
            if kind == "date":
                raise DumpError(f"{label}: 日付が必要です")
            return " " * f.length
        if not isinstance(value, date):
            raise DumpError(f"{label}: 日付ではありません")
        return value.strftime("%Y%m%d")
    if kind in ("enum", "opt_enum"):
        if value is None:
            if kind == "enum":
                raise DumpError(f"{label}: 値が必要です")
            return " " * f.length
        assert f.enum is not None
        return str(f.enum(value).value)
    if kind == "bool":
        return "1" if value else "0"
    if kind in ("int", "rate"):
        if not isinstance(value, int) or value < 0:
            raise DumpError(f"{label}: 0 以上の整数ではありません")
        return f"{value:0{f.length}d}"
    if kind == "signed":
        if not isinstance(value, int):
            raise DumpError(f"{label}: 整数ではありません")
        return f"{value:0{f.length}d}"
    if kind == "personal_number" and value == "":
        return " " * f.length
    if not isinstance(value, str):
        raise DumpError(f"{label}: 文字列ではありません")
    return value


def _encode(f: Field, text: str, where: str) -> bytes:
    label = f"{where} {f.label}({f.name})"
    if f.type == "N":
        if text == " " * f.length and f.kind in ("opt_date", "opt_enum", "personal_number"):
            return text.encode("ascii")
        ok = (
            len(text) == f.length
            and text.isascii()
            and (_SIGNED.fullmatch(text) if f.kind == "signed" else text.isdigit())
        )
        if not ok:  # never echo the value: it may be a personal number
            raise DumpError(f"{label}: {f.length} 桁の半角数字ではありません")
        return text.encode("ascii")
    if text != text.strip(" \u3000"):
        raise DumpError(f"{label}: 前後の空白は書き出せません")
    for ch in text:
        if is_private_use(ch) or ord(ch) < 0x20 or ord(ch) == 0x7F:
            raise DumpError(f"{label}: 外字・制御文字 (U+{ord(ch):04X}) は書き出せません")
        try:
            back = ch.encode("cp932").decode("cp932")
        except UnicodeEncodeError:
            raise DumpError(f"{label}: 文字 {ch!r} (U+{ord(ch):04X}) は CP932 にありません") from None
        if back != ch:
            raise DumpError(f"{label}: 文字 {ch!r} (U+{ord(ch):04X}) は CP932 で {back!r} に変わります")
    data = text.encode("cp932")
    if len(data) > f.length:
        raise DumpError(f"{label}: {len(data)} バイトで上限 {f.length} バイトを超えています")
    return data + b" " * (f.length - len(data))


def today_tokyo() -> date:
    return datetime.now(ZoneInfo("Asia/Tokyo")).date()


def dump(
    layout: Layout[T],
    records: Sequence[T],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    """Header, one data record per record, trailer; CR LF after each.

    created_on defaults to today (Asia/Tokyo); municipality_code to the first record's `municipality_code`
    (required for an empty file).
    """
    if created_on is None:
        created_on = today_tokyo()
    if municipality_code is None:
        if not records:
            raise DumpError(f"{layout.title}: 空のファイルには municipality_code の指定が必要です")
        municipality_code = str(getattr(records[0], "municipality_code", ""))
    if not is_municipality_code(municipality_code):
        raise DumpError(f"{layout.title} header: 市区町村コードは5桁の数字（都道府県部分 01–47）です")
    if len(records) > 9_999_999:
        raise DumpError(f"{layout.title}: データ件数が7桁を超えます")
    count = f"{len(records):07d}"
    header = HEADER_TYPE + created_on.strftime("%Y%m%d") + municipality_code + layout.file_code + count
    lines = [header.encode("ascii").ljust(layout.record_length)]
    for index, r in enumerate(records, start=1):
        where = f"{layout.title} record {index}"
        body = b"".join(_encode(f, _to_text(f, getattr(r, f.name), where), where) for f in layout.fields)
        lines.append(DATA_TYPE.encode() + body + b" " * layout.filler)
    lines.append((TRAILER_TYPE + count).encode("ascii").ljust(layout.record_length))
    return b"".join(line + CRLF for line in lines)


# ---------------------------------------------------------------- reading


class _Line:
    """Errors of one line, at most one per field."""

    def __init__(self, file_name: str, line: int, errors: list[LineError]) -> None:
        self.file_name = file_name
        self.line = line
        self.errors = errors
        self.failed: set[str] = set()

    def bad(self, name: str, reason: str) -> None:
        if name not in self.failed:
            self.failed.add(name)
            self.errors.append(LineError(self.file_name, self.line, name, reason))


def _decode(raw: bytes, f: Field, out: _Line) -> str | None:
    secret = f.kind == "personal_number"
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError as exc:
        where = "" if secret else f"（項目内 {exc.start + 1} バイト目 0x{raw[exc.start]:02X}）"
        out.bad(f.name, f"CP932 として不正なバイト列です{where}")
        return None
    bad = next((i for i, ch in enumerate(text) if is_private_use(ch)), None)
    if bad is not None:
        where = "" if secret else f"（項目内 {bad + 1} 文字目）"
        out.bad(f.name, f"外字・未定義のバイトは取り込めません{where}")
        return None
    return text


def parse_date_text(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _convert(f: Field, text: str, out: _Line) -> tuple[bool, Any]:
    """(ok, value) for one decoded field; errors are reported on `out`."""
    kind = f.kind
    blank = text.strip(" ") == ""
    if f.type == "N":
        if blank:
            if kind == "opt_date" or kind == "opt_enum":
                return True, None
            if kind == "personal_number":
                return True, ""
            out.bad(f.name, "必須項目が空欄です")
            return False, None
        if kind == "signed":
            if not (text.isascii() and _SIGNED.fullmatch(text)):
                out.bad(f.name, f"{f.length} 桁の数字（負数は先頭に '-'）ではありません")
                return False, None
            return True, int(text)
        if not (text.isascii() and text.isdigit()):
            out.bad(f.name, f"{f.length} 桁の半角数字（ゼロ詰め）ではありません")
            return False, None
        if kind in ("date", "opt_date"):
            parsed = parse_date_text(text)
            if parsed is None:
                out.bad(f.name, f"日付が不正です（YYYYMMDD）: {text!r}")
                return False, None
            return True, parsed
        if kind in ("enum", "opt_enum"):
            assert f.enum is not None
            values = {e.value: e for e in f.enum}
            if text not in values:
                out.bad(f.name, f"未定義のコードです: {text!r}（{f.allowed}）")
                return False, None
            return True, values[text]
        if kind == "bool":
            if text not in ("0", "1"):
                out.bad(f.name, "0 または 1 を記録してください")
                return False, None
            return True, text == "1"
        if kind == "int":
            return True, int(text)
        if kind == "rate":
            if int(text) not in (10, 20, 30):
                out.bad(f.name, "10, 20, 30 のいずれかを記録してください")
                return False, None
            return True, int(text)
        if kind == "municipality" and not is_municipality_code(text):
            out.bad(f.name, "市区町村コードは5桁の数字（都道府県部分 01–47）です")
            return False, None
        if kind == "sex" and text not in ("1", "2"):
            out.bad(f.name, "1（男）または 2（女）を記録してください")
            return False, None
        if kind == "insured_no" and not is_valid_insured_number(text):
            out.bad(f.name, "被保険者番号の検証番号（チェックデジット）が一致しません")
            return False, None
        if kind == "insurer_no" and not is_valid_insurer_number(text):
            out.bad(f.name, "保険者番号（39 で始まる8桁）の検証番号が一致しません")
            return False, None
        if kind == "personal_number" and not is_valid_my_number(text):
            out.bad(f.name, "個人番号の桁数またはチェックデジットが不正です")
            return False, None
        return True, text
    value = text.rstrip(" ")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        out.bad(f.name, "制御文字（改行・タブ等）が含まれています")
        return False, None
    if value and value[0] in " \u3000":
        out.bad(f.name, "前に空白があります（左詰めで記録してください）")
        return False, None
    if f.required and not value:
        out.bad(f.name, "必須項目が空欄です")
        return False, None
    if value and kind == "kana" and not is_kana_name(value):
        out.bad(f.name, "カタカナ以外の文字が含まれています")
        return False, None
    if value and kind == "id" and not (value.isascii() and _DIGITS.fullmatch(value)):
        out.bad(f.name, "半角数字以外の文字が含まれています")
        return False, None
    if value and kind == "code" and not (value.isascii() and _CODE.fullmatch(value)):
        out.bad(f.name, "英数字とハイフン以外の文字が含まれています")
        return False, None
    return True, value


def _split_lines(data: bytes, file_name: str, errors: list[LineError]) -> list[bytes]:
    pieces = data.split(b"\n")
    if pieces[-1] == b"":
        pieces.pop()
    lines: list[bytes] = []
    for number, piece in enumerate(pieces, start=1):
        if piece.endswith(b"\r"):
            piece = piece[:-1]
        elif not (number == len(pieces) and not data.endswith(b"\n")):
            errors.append(LineError(file_name, number, LINE_FIELD, "改行が CR LF ではありません（LF のみ）"))
        if b"\r" in piece:
            errors.append(LineError(file_name, number, LINE_FIELD, "行の途中に CR があります"))
        lines.append(piece)
    return lines


def _read_fields(body: bytes, fields: tuple[Field, ...], out: _Line) -> dict[str, Any] | None:
    values, ok = _read_values(body, fields, out)
    return values if ok else None


def _read_values(body: bytes, fields: tuple[Field, ...], out: _Line) -> tuple[dict[str, Any], bool]:
    """The fields that decoded and converted, and whether all did."""
    values: dict[str, Any] = {}
    ok = True
    for f, pos in offsets(fields):
        text = _decode(body[pos : pos + f.length], f, out)
        if text is None:
            ok = False
            continue
        good, value = _convert(f, text, out)
        ok = ok and good
        if good:
            values[f.name] = value
    return values, ok


def parse(layout: Layout[T], data: bytes, file_name: str) -> ParseResult[T]:
    """Decode strictly and validate every line of a file of this layout; every error is collected."""
    errors: list[LineError] = []
    result: ParseResult[T] = ParseResult(file_name, "fixed", 0, errors=errors)
    if not data:
        errors.append(LineError(file_name, 0, FILE_FIELD, "ファイルが空です"))
        return result
    lines = _split_lines(data, file_name, errors)
    result.line_count = len(lines)
    header: dict[str, Any] | None = None
    trailer: dict[str, Any] | None = None
    data_count = 0
    keys: dict[tuple[Any, ...], int] = {}
    for number, body in enumerate(lines, start=1):
        out = _Line(file_name, number, errors)
        kind = body[:1].decode("latin-1")
        if kind == DATA_TYPE:
            data_count += 1
        code = body[14:16].decode("latin-1")
        if number == 1 and kind == HEADER_TYPE and code != layout.file_code:
            out.bad(
                "file_code", f"ファイル種別 {code!r} は{layout.title}（{layout.file_code}）ではありません"
            )
        if len(body) != layout.record_length:
            out.bad(LINE_FIELD, f"レコード長が {len(body)} バイトです（{layout.record_length} バイト固定）")
            continue
        if trailer is not None:
            out.bad("record_type", "トレーラレコードの後にレコードがあります")
        if kind == HEADER_TYPE:
            if number != 1:
                out.bad("record_type", "ヘッダレコードは先頭行のみです")
            header = _read_fields(body, HEADER_FIELDS, out) or {}
            if body[RECORD_TYPE.length + sum(f.length for f in HEADER_FIELDS) :].strip(b" "):
                out.bad("filler", "予備領域が空白ではありません")
        elif kind == DATA_TYPE:
            if number == 1:
                out.bad("record_type", "先頭行がヘッダレコードではありません")
            _parse_data(layout, body, out, result, keys)
        elif kind == TRAILER_TYPE:
            trailer = _read_fields(body, TRAILER_FIELDS, out) or {}
            if body[RECORD_TYPE.length + 7 :].strip(b" "):
                out.bad("filler", "予備領域が空白ではありません")
        else:
            out.bad("record_type", f"未定義のレコード区分です: {kind!r}")
    if header is None and not any(e.line == 1 for e in errors):
        errors.append(LineError(file_name, 1, "record_type", "ヘッダレコードがありません"))
    if trailer is None:
        errors.append(LineError(file_name, len(lines), "record_type", "トレーラレコードがありません"))
    for name, values, line in (("ヘッダ", header, 1), ("トレーラ", trailer, len(lines))):
        if values is not None and "record_count" in values and values["record_count"] != data_count:
            errors.append(
                LineError(
                    file_name,
                    line,
                    "record_count",
                    f"{name}のデータ件数 {values['record_count']} が実際の件数 {data_count} と一致しません",
                )
            )
    errors.sort(key=lambda e: e.line)
    return result


def _parse_data(
    layout: Layout[T], body: bytes, out: _Line, result: ParseResult[T], keys: dict[tuple[Any, ...], int]
) -> None:
    values, ok = _read_values(body, layout.fields, out)
    if body[layout.record_length - layout.filler :].strip(b" "):
        out.bad("filler", "予備領域が空白ではありません")
    if layout.key_fields and all(k in values for k in layout.key_fields):
        key = tuple(values[k] for k in layout.key_fields)
        if key in keys:
            out.bad(layout.key_fields[-1], f"キーが {keys[key]} 行目と重複しています")
        else:
            keys[key] = out.line
    if not ok:
        return
    if layout.cross_check is not None:
        for name, reason in layout.cross_check(values):
            out.bad(name, reason)
    if out.failed:
        return
    result.records.append(layout.factory(**values))
    result.record_lines.append(out.line)


# ---------------------------------------------------------------- building blocks
# For a file kind that shares the codec but reads its frame itself (the 住基異動 file,
# kouki/interfaces/resident_register/formats.py): the same line splitting and strict field decoding.

LineErrors = _Line  # errors of one line, at most one per field
split_lines = _split_lines  # lines without CR LF; LF-only and stray CR reported as (レコード) errors
decode_field = _decode  # strict CP932, no 外字; None (and an error on the line) when it does not decode
