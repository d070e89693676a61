"""The convenience-store payment report (速報 / 確報): a table-driven CP932 fixed-width codec.

Every record is RECORD_LENGTH bytes followed by CR LF. The first byte is the record type: '1' header,
'2' data, '8' trailer. The header/trailer shape differs from kouki/interfaces/fixedwidth.py (the header
names the agent and the biller, the trailer carries amounts), hence this small codec; every field of
every record is in the tables below, which also drive docs/interfaces/convenience-store-report.md.

N fields are ASCII digits, right-aligned, zero-filled; X fields are left-aligned, space-padded.
A reason never repeats a barcode (it holds a 12-digit slip number).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any, Literal

from kouki.interfaces.importing import LineError, ParseResult
from kouki.interfaces.stores.records import ReportHeader, ReportKind, ReportTrailer, StorePaymentRecord
from kouki.rules import gs1

RECORD_LENGTH = 120
CRLF = b"\r\n"
HEADER_TYPE, DATA_TYPE, TRAILER_TYPE = "1", "2", "8"
LINE_FIELD = "(レコード)"
FILE_FIELD = "(ファイル)"
TITLE = "コンビニ収納データ"

Kind = Literal["kind", "digits", "date", "opt_date", "hhmm", "int", "flag", "code", "barcode"]
_CODE = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    english: str
    length: int
    kind: Kind
    allowed: str

    @property
    def type(self) -> str:
        return "X" if self.kind == "code" else "N"


HEADER_FIELDS: tuple[Field, ...] = (
    Field("kind", "データ種別", "report kind", 1, "kind", "1 速報, 2 確報"),
    Field("created_on", "作成日", "file creation date", 8, "date", "YYYYMMDD"),
    Field("agent_code", "収納代行会社コード", "payment agent code", 5, "digits", "5 digits, by contract"),
    Field("biller_code", "委託者コード", "biller code", 6, "digits", "= 企業コード of every barcode"),
)
DATA_FIELDS: tuple[Field, ...] = (
    Field("kind", "データ種別", "report kind", 1, "kind", "= the header's"),
    Field("paid_on", "収納日", "date paid at the store", 8, "date", "YYYYMMDD"),
    Field("paid_at", "収納時刻", "time paid", 4, "hhmm", "HHMM 0000–2359"),
    Field("chain_code", "コンビニ本部コード", "store chain code", 4, "digits", "4 digits"),
    Field("store_code", "店舗コード", "store code", 8, "code", "letters/digits, left-aligned"),
    Field("barcode", "バーコード情報", "GS1-128 payment code", 44, "barcode", "44 digits, valid check digit"),
    Field("amount", "金額", "amount paid (yen)", 9, "int", "1 or more; = the barcode's amount"),
    Field("cancelled", "取消区分", "cancellation flag", 1, "flag", "0 payment, 1 cancellation of it"),
    Field(
        "processed_on", "経理処理日", "agent's booking date", 8, "opt_date", "確報: YYYYMMDD; 速報: spaces"
    ),
    Field(
        "transfer_on", "振込予定日", "scheduled transfer date", 8, "opt_date", "確報: YYYYMMDD; 速報: spaces"
    ),
)
TRAILER_FIELDS: tuple[Field, ...] = (
    Field("record_count", "件数", "number of payments", 7, "int", "= data records with 取消区分 0"),
    Field("total_amount", "合計金額", "sum of payments", 12, "int", "= sum of their 金額"),
    Field("cancel_count", "取消件数", "number of cancellations", 7, "int", "= data records with 取消区分 1"),
    Field("cancel_amount", "取消金額", "sum of cancellations", 12, "int", "= sum of their 金額"),
)
RECORDS: tuple[tuple[str, str, tuple[Field, ...]], ...] = (
    (HEADER_TYPE, "ヘッダレコード (header)", HEADER_FIELDS),
    (DATA_TYPE, "データレコード (data)", DATA_FIELDS),
    (TRAILER_TYPE, "トレーラレコード (trailer)", TRAILER_FIELDS),
)


def _used(fields: tuple[Field, ...]) -> int:
    return 1 + sum(f.length for f in fields)


for _, _title, _fields in RECORDS:
    assert _used(_fields) <= RECORD_LENGTH, _title


def layout_table(fields: tuple[Field, ...], record_type: str) -> str:
    """The Markdown table of one record (the interface document is checked against it)."""
    rows = [
        "| 項目 (field) | 開始 (byte) | 長さ | 型 | 値 | 名称 |",
        "|---|---|---|---|---|---|",
        f"| `record_type` | 1 | 1 | N | `{record_type}` | レコード区分 |",
    ]
    pos = 2
    for f in fields:
        rows.append(f"| `{f.name}` | {pos} | {f.length} | {f.type} | {f.allowed} | {f.label} |")
        pos += f.length
    if pos <= RECORD_LENGTH:
        rows.append(f"| `filler` | {pos} | {RECORD_LENGTH - pos + 1} | X | spaces | 予備 |")
    return "\n".join(rows)


# ---------------------------------------------------------------- writing


class DumpError(ValueError):
    """A value that cannot be written; the message names record and field, never a barcode."""


def _text(f: Field, value: Any, where: str) -> str:
    label = f"{where} {f.label}({f.name})"
    if f.kind in ("date", "opt_date"):
        if value is None and f.kind == "opt_date":
            return " " * f.length
        if not isinstance(value, date):
            raise DumpError(f"{label}: 日付ではありません")
        return value.strftime("%Y%m%d")
    if f.kind == "hhmm":
        if not isinstance(value, time):
            raise DumpError(f"{label}: 時刻ではありません")
        return value.strftime("%H%M")
    if f.kind == "kind":
        return ReportKind(value).value
    if f.kind == "flag":
        return "1" if value else "0"
    if f.kind == "int":
        if not isinstance(value, int) or value < 0 or len(str(value)) > f.length:
            raise DumpError(f"{label}: {f.length} 桁以内の 0 以上の整数ではありません")
        return f"{value:0{f.length}d}"
    text = str(value)
    ok = _CODE.fullmatch(text) and len(text) <= f.length if f.kind == "code" else text.isdigit()
    if not (text.isascii() and ok and (f.kind == "code" or len(text) == f.length)):
        raise DumpError(f"{label}: 書式が違います（{f.allowed}）")
    return text.ljust(f.length)


def _record(record_type: str, fields: tuple[Field, ...], values: Any, where: str) -> bytes:
    body = record_type + "".join(_text(f, getattr(values, f.name), where) for f in fields)
    return body.encode("ascii").ljust(RECORD_LENGTH) + CRLF


def trailer_of(records: Sequence[StorePaymentRecord]) -> ReportTrailer:
    paid = [r.amount for r in records if not r.cancelled]
    cancelled = [r.amount for r in records if r.cancelled]
    return ReportTrailer(len(paid), sum(paid), len(cancelled), sum(cancelled))


def dump(header: ReportHeader, records: Sequence[StorePaymentRecord]) -> bytes:
    """Header, one data record each, trailer (counts and sums computed); CR LF after each."""
    out = [_record(HEADER_TYPE, HEADER_FIELDS, header, f"{TITLE} header")]
    for n, r in enumerate(records, start=1):
        out.append(_record(DATA_TYPE, DATA_FIELDS, r, f"{TITLE} record {n}"))
    out.append(_record(TRAILER_TYPE, TRAILER_FIELDS, trailer_of(records), f"{TITLE} trailer"))
    return b"".join(out)


# ---------------------------------------------------------------- reading


@dataclass
class ReportParse(ParseResult[StorePaymentRecord]):
    """The parse result with the header (None when it could not be read)."""

    header: ReportHeader | None = None
    trailer: ReportTrailer | None = field(default=None)


class _Line:
    def __init__(self, file_name: str, line: int, errors: list[LineError]) -> None:
        self.file_name, self.line, self.errors = file_name, line, errors
        self.failed: set[str] = set()

    def bad(self, name: str, reason: str) -> None:
        if name not in self.failed:
            self.failed.add(name)
            self.errors.append(LineError(self.file_name, self.line, name, reason))


def _date(text: str) -> date | None:
    if not (len(text) == 8 and text.isascii() and text.isdigit()):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _convert(f: Field, raw: bytes, out: _Line) -> tuple[bool, Any]:
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError:
        out.bad(f.name, "CP932 として不正なバイト列です")
        return False, None
    if f.kind == "code":
        value = text.rstrip(" ")
        if not value or not (value.isascii() and _CODE.fullmatch(value)):
            out.bad(f.name, "英数字（左詰め）で記録してください")
            return False, None
        return True, value
    if f.kind == "opt_date" and text == " " * f.length:
        return True, None
    if not (text.isascii() and text.isdigit()):
        out.bad(f.name, f"{f.length} 桁の半角数字（ゼロ詰め）ではありません")
        return False, None
    if f.kind in ("date", "opt_date"):
        parsed = _date(text)
        if parsed is None:
            out.bad(f.name, f"日付が不正です（YYYYMMDD）: {text!r}")
        return parsed is not None, parsed
    if f.kind == "hhmm":
        hh, mm = int(text[:2]), int(text[2:])
        if hh > 23 or mm > 59:
            out.bad(f.name, f"時刻が不正です（HHMM）: {text!r}")
            return False, None
        return True, time(hh, mm)
    if f.kind == "kind":
        if text not in {k.value for k in ReportKind}:
            out.bad(f.name, f"未定義のデータ種別です: {text!r}（1 速報, 2 確報）")
            return False, None
        return True, ReportKind(text)
    if f.kind == "flag":
        if text not in ("0", "1"):
            out.bad(f.name, "0 または 1 を記録してください")
            return False, None
        return True, text == "1"
    if f.kind == "int":
        return True, int(text)
    if f.kind == "barcode":
        try:
            gs1.parse(text)
        except ValueError as exc:  # gs1 messages name the defect, never the whole code
            out.bad(f.name, f"バーコード情報が不正です: {exc}")
            return False, None
    return True, text


def _read(body: bytes, fields: tuple[Field, ...], out: _Line) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    pos, ok = 1, True
    for f in fields:
        good, value = _convert(f, body[pos : pos + f.length], out)
        ok = ok and good
        values[f.name] = value
        pos += f.length
    if body[pos:].strip(b" "):
        out.bad("filler", "予備領域が空白ではありません")
        ok = False
    return values if ok else None


def _check_data(values: dict[str, Any], header: ReportHeader | None, out: _Line) -> None:
    kind: ReportKind = values["kind"]
    if header is not None and kind != header.kind:
        out.bad("kind", f"データ種別 {kind.label} がヘッダの {header.kind.label} と一致しません")
    biller = values["barcode"][2 : 2 + gs1.BILLER_DIGITS]  # already validated by gs1.parse in _convert
    if header is not None and biller != header.biller_code:
        out.bad("barcode", "バーコードの企業コードがヘッダの委託者コードと一致しません")
    if values["amount"] < 1:
        out.bad("amount", "金額は 1 円以上です")
    for name in ("processed_on", "transfer_on"):
        if kind is ReportKind.FINAL and values[name] is None:
            out.bad(name, "確報では必須です")
        if kind is ReportKind.PRELIMINARY and values[name] is not None:
            out.bad(name, "速報では空白です")


def _split(data: bytes, file_name: str, errors: list[LineError]) -> list[bytes]:
    pieces = data.split(b"\n")
    if pieces[-1] == b"":
        pieces.pop()
    lines = []
    for n, piece in enumerate(pieces, start=1):
        if piece.endswith(b"\r"):
            piece = piece[:-1]
        else:
            errors.append(LineError(file_name, n, LINE_FIELD, "改行が CR LF ではありません"))
        lines.append(piece)
    return lines


def parse(data: bytes, file_name: str) -> ReportParse:
    """Read and validate a whole report; every error is collected as (file, line, field, reason)."""
    errors: list[LineError] = []
    result = ReportParse(file_name, "fixed", 0, errors=errors)
    if not data:
        errors.append(LineError(file_name, 0, FILE_FIELD, "ファイルが空です"))
        return result
    lines = _split(data, file_name, errors)
    result.line_count = len(lines)
    trailer_line = 0
    keys: dict[tuple[Any, ...], int] = {}
    for n, body in enumerate(lines, start=1):
        out = _Line(file_name, n, errors)
        if len(body) != RECORD_LENGTH:
            out.bad(LINE_FIELD, f"レコード長が {len(body)} バイトです（{RECORD_LENGTH} バイト固定）")
            continue
        record_type = body[:1].decode("latin-1")
        if trailer_line:
            out.bad("record_type", "トレーラレコードの後にレコードがあります")
        if (n == 1) != (record_type == HEADER_TYPE):
            out.bad("record_type", "ヘッダレコードは先頭行に 1 件だけです")
        if record_type == HEADER_TYPE:
            values = _read(body, HEADER_FIELDS, out)
            result.header = ReportHeader(**values) if values is not None else None
        elif record_type == DATA_TYPE:
            values = _read(body, DATA_FIELDS, out)
            if values is None:
                continue
            _check_data(values, result.header, out)
            record = StorePaymentRecord(**values)
            key = (*record.key, record.cancelled)
            if key in keys:
                out.bad(
                    "barcode", f"同じ収納（収納日・時刻・店舗・バーコード）が {keys[key]} 行目にもあります"
                )
            keys.setdefault(key, n)
            if not out.failed:
                result.records.append(record)
                result.record_lines.append(n)
        elif record_type == TRAILER_TYPE:
            trailer_line = n
            values = _read(body, TRAILER_FIELDS, out)
            result.trailer = ReportTrailer(**values) if values is not None else None
        else:
            out.bad("record_type", f"未定義のレコード区分です: {record_type!r}")
    if not trailer_line:
        errors.append(LineError(file_name, len(lines), "record_type", "トレーラレコードがありません"))
    elif result.trailer is not None and not errors:
        _check_trailer(result, trailer_line)
    errors.sort(key=lambda e: e.line)
    return result


def _check_trailer(result: ReportParse, line: int) -> None:
    assert result.trailer is not None
    actual = trailer_of(result.records)
    for name, label in (
        ("record_count", "件数"), ("total_amount", "合計金額"),
        ("cancel_count", "取消件数"), ("cancel_amount", "取消金額"),
    ):  # fmt: skip
        stated, counted = getattr(result.trailer, name), getattr(actual, name)
        if stated != counted:
            result.errors.append(
                LineError(
                    result.file_name,
                    line,
                    name,
                    f"トレーラの{label} {stated} が実際の {counted} と一致しません",
                )
            )
