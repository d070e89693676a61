"""Zengin (全銀協) 120-byte fixed records on the fixed-width engine: header 1, data 2, trailer 8, end 9.

A record is a `RecordType` whose fields are made with `zfield(name, label, length, kind)`; kinds:

- N: ASCII digits, right-aligned, zero-filled (an int on both sides);
- C: the Zengin character set (kouki.interfaces.zengin.charset), left-aligned, space-filled, one byte
  per character in CP932 (half-width kana = JIS X 0201);
- B: blank filler (ダミー): written as spaces; any decodable bytes are accepted when reading (banks use
  them differently).

A field may be optional (`blank_ok`): an N field that may be all spaces (read as None). The first field
of every record is データ区分 (the record type digit). `dump_record` raises DumpError naming the record and
field; `parse_file` collects every error as a LineError(file, line, field, reason) and checks the file's
shape: one header first, data, one trailer, one end record last. Records are 120 bytes, optionally
followed by CR LF (the same for the whole file).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kouki.interfaces.fixedwidth.charset import CP932
from kouki.interfaces.fixedwidth.errors import DumpError, FieldError, LineErrors
from kouki.interfaces.fixedwidth.fields import Field, Kind, markdown_table, placed
from kouki.interfaces.fixedwidth.framing import Framing
from kouki.interfaces.fixedwidth.records import Format, RecordType, read_file
from kouki.interfaces.importing import LineError
from kouki.interfaces.zengin.charset import ALLOWED, is_zengin

__all__ = [
    "END_RECORD",
    "DumpError",
    "Record",
    "data_kind",
    "dump_file",
    "dump_record",
    "layout_table",
    "parse_file",
]

RECORD_LENGTH = 120
HEADER, DATA, TRAILER, END = "1", "2", "8", "9"

Record = RecordType
FieldKind = Literal["N", "C", "B"]


def zfield(
    name: str, label: str, length: int, kind: FieldKind, *, blank_ok: bool = False, note: str = ""
) -> Field:
    """A field of a Zengin record (`note` is what the layout document says about it)."""
    return Field(name, label, "", length, kind, True, note, blank_ok=blank_ok)


def data_kind(record_type: str) -> Field:
    return zfield("data_kind", "データ区分", 1, "N", note=record_type)


def record(record_type: str, title: str, fields: tuple[Field, ...]) -> RecordType:
    """One Zengin record type: exactly 120 bytes, データ区分 first."""
    total = sum(f.length for f in fields)
    if total != RECORD_LENGTH:
        raise ValueError(f"{title}: fields take {total} bytes, not {RECORD_LENGTH}")
    if fields[0].name != "data_kind":
        raise ValueError(f"{title}: the first field is データ区分 (1 byte)")
    return RecordType(record_type, title, fields, RECORD_LENGTH)


def layout_table(record: RecordType) -> str:
    """A Markdown table of one record (the interface documents are checked against it)."""
    rows = [
        (
            f.label,
            f"`{f.name}`",
            pos + 1,
            f.length,
            "C" if f.kind == "B" else f.kind,
            f.allowed.replace("|", "/"),
        )
        for f, pos in placed(record.fields)
    ]
    return markdown_table(("項目", "field", "開始", "長さ", "型", "内容"), rows)


END_RECORD = record(  # the same in every Zengin file kind
    END, "エンドレコード", (data_kind("9"), zfield("dummy", "ダミー", 119, "B", note="spaces"))
)


# ---------------------------------------------------------------- kinds


def _write_n(f: Field, value: Any) -> str:
    if value is None:
        if f.blank_ok:
            return " " * f.length
        value = 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FieldError("0 以上の整数ではありません")
    digits = str(value)
    if len(digits) > f.length:
        raise FieldError(f"{f.length} 桁を超えています")
    return digits.rjust(f.length, "0")


def _read_n(f: Field, text: str) -> int | None:
    if f.blank_ok and text == " " * f.length:
        return None
    if not (text.isascii() and text.isdigit()):
        raise FieldError(f"{f.length} 桁の半角数字（右詰めゼロ埋め）ではありません")
    return int(text)


def _write_c(f: Field, value: Any) -> str:
    text = "" if value is None else str(value)
    if not is_zengin(text):
        bad = "".join(dict.fromkeys(ch for ch in text if ch not in ALLOWED))
        raise FieldError(f"全銀協の文字セットにない文字です: {bad!r}")
    if len(text) > f.length:
        raise FieldError(f"{len(text)} バイトで上限 {f.length} バイトを超えています")
    return text.ljust(f.length)


def _read_c(f: Field, text: str) -> str:
    if not is_zengin(text):
        shown = "".join(dict.fromkeys(ch for ch in text if ch not in ALLOWED))
        raise FieldError(f"全銀協の文字セットにない文字があります: {shown!r}")
    if text[:1] == " " and text.strip():
        raise FieldError("左詰めではありません（先頭が空白）")
    return text.rstrip(" ")


ZENGIN = Format(
    CP932(single_byte=True),
    {
        "N": Kind(_write_n, _read_n),
        "C": Kind(_write_c, _read_c),
        "B": Kind(lambda f, value: " " * f.length, lambda f, text: None),
    },
    Framing(RECORD_LENGTH, separator="either", eof_mark=True),
)


# ---------------------------------------------------------------- writing


def dump_record(record: RecordType, values: Mapping[str, Any]) -> bytes:
    """One 120-byte record; data_kind is filled in, missing fields are blank / zero."""
    return ZENGIN.write(record, values.get, record.title)


def dump_file(records: Sequence[bytes], *, line_end: bytes = b"") -> bytes:
    return b"".join(r + line_end for r in records)


# ---------------------------------------------------------------- reading


@dataclass
class ParsedLine:
    line: int
    record_type: str
    values: dict[str, Any]


@dataclass
class ParsedFile:
    file_name: str
    lines: list[ParsedLine] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    line_count: int = 0

    def of_type(self, record_type: str) -> list[ParsedLine]:
        return [p for p in self.lines if p.record_type == record_type]


_ORDER = {HEADER: 0, DATA: 1, TRAILER: 2, END: 3}
_NAMES = ((HEADER, "ヘッダ"), (TRAILER, "トレーラ"), (END, "エンド"))


class _ZenginShape:
    """One group: header, data…, trailer, end (multi-group files are not taken)."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.seen: list[str] = []

    def start(self, line: int, code: str, body: bytes, out: LineErrors) -> None:
        pass

    def place(self, line: int, code: str, record: RecordType | None, out: LineErrors) -> bool:
        if record is None:
            out.add("data_kind", f"未定義のデータ区分です: {code!r}")
        return record is not None

    def take(self, line: int, record: RecordType, values: dict[str, Any], ok: bool, out: LineErrors) -> None:
        self._check_order(record.code, out)
        self.seen.append(record.code)
        if ok:
            self.parsed.lines.append(ParsedLine(line, record.code, values))

    def _check_order(self, kind: str, out: LineErrors) -> None:
        seen = self.seen
        if not seen:
            if kind != HEADER:
                out.add("data_kind", "先頭がヘッダレコードではありません")
            return
        last = seen[-1]
        if kind in (HEADER, TRAILER, END) and kind in seen:
            out.add("data_kind", f"データ区分 {kind} のレコードが2つ以上あります")
        elif last == END:
            out.add("data_kind", "エンドレコードの後にレコードがあります")
        elif _ORDER[kind] < _ORDER[last]:
            out.add("data_kind", f"データ区分 {kind} のレコードの位置が不正です")
        elif kind == END and last != TRAILER:
            out.add("data_kind", "エンドレコードの前にトレーラレコードがありません")

    def end(self, line_count: int) -> None:
        for kind, name in _NAMES:
            if kind not in self.seen:
                self.parsed.errors.append(
                    LineError(self.parsed.file_name, 0, "data_kind", f"{name}レコードがありません")
                )


def parse_file(records: Mapping[str, RecordType], data: bytes, file_name: str) -> ParsedFile:
    """Decode and check every record; shape errors (order, missing header/trailer/end) included."""
    out = ParsedFile(file_name)
    out.line_count = read_file(ZENGIN, records, _ZenginShape(out), data, file_name, out.errors)
    return out
