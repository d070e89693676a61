"""A table-driven codec for Zengin (全銀協) 120-byte fixed records: header 1, data 2, trailer 8, end 9.

A `Record` lists its fields as `ZField(name, label, length, kind)`; kinds:

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
from functools import cached_property
from typing import Any, Literal

from kouki.interfaces.importing import LineError
from kouki.interfaces.zengin.charset import ALLOWED, is_zengin

RECORD_LENGTH = 120
CRLF = b"\r\n"
HEADER, DATA, TRAILER, END = "1", "2", "8", "9"
FILE_FIELD = "(ファイル)"
LINE_FIELD = "(レコード)"

FieldKind = Literal["N", "C", "B"]


class DumpError(ValueError):
    """A value that cannot be written; the message names the record and the field."""


@dataclass(frozen=True)
class ZField:
    name: str
    label: str
    length: int
    kind: FieldKind
    blank_ok: bool = False  # N field that may be spaces
    note: str = ""  # for the layout document


@dataclass(frozen=True)
class Record:
    record_type: str
    title: str
    fields: tuple[ZField, ...]

    def __post_init__(self) -> None:
        total = sum(f.length for f in self.fields)
        if total != RECORD_LENGTH:
            raise ValueError(f"{self.title}: fields take {total} bytes, not {RECORD_LENGTH}")
        if self.fields[0].name != "data_kind" or self.fields[0].length != 1:
            raise ValueError(f"{self.title}: the first field is データ区分 (1 byte)")

    @cached_property
    def offsets_cached(self) -> list[tuple[ZField, int]]:
        return self.offsets()

    def offsets(self) -> list[tuple[ZField, int]]:
        out, pos = [], 0
        for f in self.fields:
            out.append((f, pos))
            pos += f.length
        return out


def data_kind(record_type: str) -> ZField:
    return ZField("data_kind", "データ区分", 1, "N", note=record_type)


def layout_table(record: Record) -> str:
    """A Markdown table of one record (the interface documents are checked against it)."""
    rows = ["| 項目 | field | 開始 | 長さ | 型 | 内容 |", "|---|---|---|---|---|---|"]
    for f, pos in record.offsets():
        kind = "C" if f.kind == "B" else f.kind
        rows.append(
            f"| {f.label} | `{f.name}` | {pos + 1} | {f.length} | {kind} | {f.note.replace('|', '/')} |"
        )
    return "\n".join(rows)


# ---------------------------------------------------------------- writing


def _field_text(record: Record, f: ZField, value: Any) -> str:
    """The field as text of exactly f.length single-byte characters (Zengin characters are one byte
    each in CP932, so the record is encoded once)."""
    if f.kind == "B":
        return " " * f.length
    if f.kind == "N":
        if value is None and f.blank_ok:
            return " " * f.length
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise DumpError(f"{record.title} {f.label}({f.name}): 0 以上の整数ではありません")
        digits = str(value)
        if len(digits) > f.length:
            raise DumpError(f"{record.title} {f.label}({f.name}): {f.length} 桁を超えています")
        return digits.rjust(f.length, "0")
    text = "" if value is None else str(value)
    if not is_zengin(text):
        bad = "".join(dict.fromkeys(ch for ch in text if ch not in ALLOWED))
        raise DumpError(f"{record.title} {f.label}({f.name}): 全銀協の文字セットにない文字です: {bad!r}")
    if len(text) > f.length:
        raise DumpError(
            f"{record.title} {f.label}({f.name}): {len(text)} バイトで上限 {f.length} バイトを超えています"
        )
    return text.ljust(f.length)


def dump_record(record: Record, values: Mapping[str, Any]) -> bytes:
    """One 120-byte record; data_kind is filled in, missing fields are blank / zero."""
    parts = [record.record_type]
    for f in record.fields[1:]:
        value = values.get(f.name)
        if value is None and f.kind == "N" and not f.blank_ok:
            value = 0
        parts.append(_field_text(record, f, value))
    out = "".join(parts).encode("cp932")
    assert len(out) == RECORD_LENGTH
    return out


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


def split_records(data: bytes, file_name: str, errors: list[LineError]) -> list[bytes]:
    """120-byte records, with or without CR LF after each (decided by the first record)."""
    if data.endswith(b"\x1a"):  # an MS-DOS end-of-file mark some banks append
        data = data[:-1]
    if not data:
        errors.append(LineError(file_name, 0, FILE_FIELD, "ファイルが空です"))
        return []
    if data[RECORD_LENGTH : RECORD_LENGTH + 2] == CRLF or data.endswith(CRLF):
        pieces = data.split(b"\n")
        if pieces[-1] == b"":
            pieces.pop()
        out = []
        for number, piece in enumerate(pieces, start=1):
            if not piece.endswith(b"\r"):
                errors.append(LineError(file_name, number, LINE_FIELD, "改行が CR LF ではありません"))
            else:
                piece = piece[:-1]
            out.append(piece)
        return out
    if len(data) % RECORD_LENGTH:
        errors.append(
            LineError(
                file_name, 0, FILE_FIELD, f"ファイル長 {len(data)} バイトが 120 バイトの倍数ではありません"
            )
        )
    return [data[i : i + RECORD_LENGTH] for i in range(0, len(data), RECORD_LENGTH)]


def _read_field(
    f: ZField, raw: bytes, text: str | None, number: int, file_name: str, errors: list[LineError]
) -> tuple[bool, Any]:
    """One field; `text` is its decoded slice when the whole record decoded to single-byte characters."""

    def bad(reason: str) -> tuple[bool, Any]:
        errors.append(LineError(file_name, number, f.name, reason))
        return False, None

    if text is None:
        try:
            text = raw.decode("cp932")
        except UnicodeDecodeError as exc:
            return bad(
                f"CP932 として不正なバイト列です（項目内 {exc.start + 1} バイト目 0x{raw[exc.start]:02X}）"
            )
        if len(text) != len(raw):
            return bad("全角文字が含まれています（半角のみ）")
    if f.kind == "B":
        return True, None
    if f.kind == "N":
        if f.blank_ok and text == " " * f.length:
            return True, None
        if not (text.isascii() and text.isdigit()):
            return bad(f"{f.length} 桁の半角数字（右詰めゼロ埋め）ではありません")
        return True, int(text)
    if not is_zengin(text):
        shown = "".join(dict.fromkeys(ch for ch in text if ch not in ALLOWED))
        return bad(f"全銀協の文字セットにない文字があります: {shown!r}")
    if text[:1] == " " and text.strip():
        return bad("左詰めではありません（先頭が空白）")
    return True, text.rstrip(" ")


def parse_file(records: Mapping[str, Record], data: bytes, file_name: str) -> ParsedFile:
    """Decode and check every record; shape errors (order, missing header/trailer/end) included."""
    out = ParsedFile(file_name)
    errors = out.errors
    raw_lines = split_records(data, file_name, errors)
    out.line_count = len(raw_lines)
    seen: list[str] = []
    for number, raw in enumerate(raw_lines, start=1):
        if len(raw) != RECORD_LENGTH:
            errors.append(
                LineError(
                    file_name, number, LINE_FIELD, f"レコード長が {len(raw)} バイトです（120 バイト固定）"
                )
            )
            continue
        kind = chr(raw[0])
        record = records.get(kind)
        if record is None:
            errors.append(LineError(file_name, number, "data_kind", f"未定義のデータ区分です: {kind!r}"))
            continue
        values: dict[str, Any] = {}
        ok = True
        try:
            whole: str | None = raw.decode("cp932")
        except UnicodeDecodeError:
            whole = None
        if whole is not None and len(whole) != RECORD_LENGTH:
            whole = None  # a double-byte character somewhere: decode field by field to say where
        for f, pos in record.offsets_cached:
            if f.name == "data_kind":
                continue
            part = whole[pos : pos + f.length] if whole is not None else None
            good, value = _read_field(f, raw[pos : pos + f.length], part, number, file_name, errors)
            ok = ok and good
            if good:
                values[f.name] = value
        _check_order(seen, kind, number, file_name, errors)
        seen.append(kind)
        if ok:
            out.lines.append(ParsedLine(number, kind, values))
    if raw_lines:
        for kind, name in ((HEADER, "ヘッダ"), (TRAILER, "トレーラ"), (END, "エンド")):
            if kind not in seen:
                errors.append(LineError(file_name, 0, "data_kind", f"{name}レコードがありません"))
    errors.sort(key=lambda e: e.line)
    return out


_ORDER = {HEADER: 0, DATA: 1, TRAILER: 2, END: 3}


def _check_order(seen: list[str], kind: str, number: int, file_name: str, errors: list[LineError]) -> None:
    """One group: header, data…, trailer, end (multi-group files are not taken)."""
    if not seen:
        if kind != HEADER:
            errors.append(LineError(file_name, number, "data_kind", "先頭がヘッダレコードではありません"))
        return
    last = seen[-1]
    if kind in (HEADER, TRAILER, END) and kind in seen:
        errors.append(
            LineError(file_name, number, "data_kind", f"データ区分 {kind} のレコードが2つ以上あります")
        )
    elif last == END:
        errors.append(LineError(file_name, number, "data_kind", "エンドレコードの後にレコードがあります"))
    elif _ORDER[kind] < _ORDER[last]:
        errors.append(
            LineError(file_name, number, "data_kind", f"データ区分 {kind} のレコードの位置が不正です")
        )
    elif kind == END and last != TRAILER:
        errors.append(
            LineError(file_name, number, "data_kind", "エンドレコードの前にトレーラレコードがありません")
        )
