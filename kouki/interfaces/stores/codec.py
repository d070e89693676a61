"""The convenience-store payment report (速報 / 確報) on the fixed-width engine.

Every record is RECORD_LENGTH bytes followed by CR LF. The first byte is the record type: '1' header,
'2' data, '8' trailer. The header names the agent and the biller, the trailer carries counts and amounts;
every field of every record is in the tables below, which also drive
docs/interfaces/convenience-store-report.md.

N fields are ASCII digits, right-aligned, zero-filled; X fields are left-aligned, space-padded.
A reason never repeats a barcode (it holds a 12-digit slip number).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from kouki.interfaces.fixedwidth.charset import CP932
from kouki.interfaces.fixedwidth.errors import DumpError, FieldError, LineErrors
from kouki.interfaces.fixedwidth.fields import Field, Kind, markdown_table, placed
from kouki.interfaces.fixedwidth.framing import Framing
from kouki.interfaces.fixedwidth.records import Format, RecordType, read_file
from kouki.interfaces.importing import LineError, ParseResult
from kouki.interfaces.stores.records import ReportHeader, ReportKind, ReportTrailer, StorePaymentRecord
from kouki.rules import gs1

__all__ = ["DATA_FIELDS", "HEADER_FIELDS", "RECORD_LENGTH", "TRAILER_FIELDS", "DumpError", "dump", "parse"]

RECORD_LENGTH = 120
HEADER_TYPE, DATA_TYPE, TRAILER_TYPE = "1", "2", "8"
TITLE = "コンビニ収納データ"
_CODE = re.compile(r"[A-Za-z0-9]+")

HEADER_FIELDS: tuple[Field, ...] = (
    Field("kind", "データ種別", "report kind", 1, "kind", True, "1 速報, 2 確報"),
    Field("created_on", "作成日", "file creation date", 8, "date", True, "YYYYMMDD"),
    Field(
        "agent_code", "収納代行会社コード", "payment agent code", 5, "digits", True, "5 digits, by contract"
    ),
    Field("biller_code", "委託者コード", "biller code", 6, "digits", True, "= 企業コード of every barcode"),
)
DATA_FIELDS: tuple[Field, ...] = (
    Field("kind", "データ種別", "report kind", 1, "kind", True, "= the header's"),
    Field("paid_on", "収納日", "date paid at the store", 8, "date", True, "YYYYMMDD"),
    Field("paid_at", "収納時刻", "time paid", 4, "hhmm", True, "HHMM 0000–2359"),
    Field("chain_code", "コンビニ本部コード", "store chain code", 4, "digits", True, "4 digits"),
    Field("store_code", "店舗コード", "store code", 8, "code", True, "letters/digits, left-aligned"),
    Field("barcode", "バーコード情報", "GS1-128 payment code", 44, "barcode", True,
          "44 digits, valid check digit"),
    Field("amount", "金額", "amount paid (yen)", 9, "int", True, "1 or more; = the barcode's amount"),
    Field("cancelled", "取消区分", "cancellation flag", 1, "flag", True, "0 payment, 1 cancellation of it"),
    Field("processed_on", "経理処理日", "agent's booking date", 8, "opt_date", True,
          "確報: YYYYMMDD; 速報: spaces"),
    Field("transfer_on", "振込予定日", "scheduled transfer date", 8, "opt_date", True,
          "確報: YYYYMMDD; 速報: spaces"),
)  # fmt: skip
TRAILER_FIELDS: tuple[Field, ...] = (
    Field("record_count", "件数", "number of payments", 7, "int", True, "= data records with 取消区分 0"),
    Field("total_amount", "合計金額", "sum of payments", 12, "int", True, "= sum of their 金額"),
    Field("cancel_count", "取消件数", "number of cancellations", 7, "int", True,
          "= data records with 取消区分 1"),
    Field("cancel_amount", "取消金額", "sum of cancellations", 12, "int", True, "= sum of their 金額"),
)  # fmt: skip
_RECORD_TYPE = Field("record_type", "レコード区分", "record type", 1, "digits")
RECORDS: dict[str, RecordType] = {
    code: RecordType(code, f"{TITLE} {name}", (_RECORD_TYPE, *fields), RECORD_LENGTH)
    for code, name, fields in (
        (HEADER_TYPE, "header", HEADER_FIELDS),
        (DATA_TYPE, "record", DATA_FIELDS),
        (TRAILER_TYPE, "trailer", TRAILER_FIELDS),
    )
}


def layout_table(fields: tuple[Field, ...], record_type: str) -> str:
    """The Markdown table of one record (the interface document is checked against it)."""
    rows: list[tuple[object, ...]] = [("`record_type`", 1, 1, "N", f"`{record_type}`", "レコード区分")]
    rows.extend(
        (f"`{f.name}`", pos + 1, f.length, f.type, f.allowed, f.label) for f, pos in placed(fields, 1)
    )
    end = 1 + sum(f.length for f in fields)
    if end < RECORD_LENGTH:
        rows.append(("`filler`", end + 1, RECORD_LENGTH - end, "X", "spaces", "予備"))
    return markdown_table(("項目 (field)", "開始 (byte)", "長さ", "型", "値", "名称"), rows)


# ---------------------------------------------------------------- kinds


def _write_date(f: Field, value: Any) -> str:
    if value is None and f.kind == "opt_date":
        return " " * f.length
    if not isinstance(value, date):
        raise FieldError("日付ではありません")
    return value.strftime("%Y%m%d")


def _write_time(f: Field, value: Any) -> str:
    if not isinstance(value, time):
        raise FieldError("時刻ではありません")
    return value.strftime("%H%M")


def _write_int(f: Field, value: Any) -> str:
    if not isinstance(value, int) or value < 0 or len(str(value)) > f.length:
        raise FieldError(f"{f.length} 桁以内の 0 以上の整数ではありません")
    return f"{value:0{f.length}d}"


def _write_text(f: Field, value: Any) -> str:
    text = str(value)
    ok = _CODE.fullmatch(text) and len(text) <= f.length if f.kind == "code" else text.isdigit()
    if not (text.isascii() and ok and (f.kind == "code" or len(text) == f.length)):
        raise FieldError(f"書式が違います（{f.allowed}）")
    return text.ljust(f.length)


def _digits(f: Field, text: str) -> str:
    if not (text.isascii() and text.isdigit()):
        raise FieldError(f"{f.length} 桁の半角数字（ゼロ詰め）ではありません")
    return text


def _read_code(f: Field, text: str) -> str:
    value = text.rstrip(" ")
    if not value or not (value.isascii() and _CODE.fullmatch(value)):
        raise FieldError("英数字（左詰め）で記録してください")
    return value


def _read_date(f: Field, text: str) -> date | None:
    if f.kind == "opt_date" and text == " " * f.length:
        return None
    _digits(f, text)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise FieldError(f"日付が不正です（YYYYMMDD）: {text!r}") from None


def _read_time(f: Field, text: str) -> time:
    hh, mm = int(_digits(f, text)[:2]), int(text[2:])
    if hh > 23 or mm > 59:
        raise FieldError(f"時刻が不正です（HHMM）: {text!r}")
    return time(hh, mm)


def _read_kind(f: Field, text: str) -> ReportKind:
    if _digits(f, text) not in {k.value for k in ReportKind}:
        raise FieldError(f"未定義のデータ種別です: {text!r}（1 速報, 2 確報）")
    return ReportKind(text)


def _read_flag(f: Field, text: str) -> bool:
    if _digits(f, text) not in ("0", "1"):
        raise FieldError("0 または 1 を記録してください")
    return text == "1"


def _read_barcode(f: Field, text: str) -> str:
    _digits(f, text)
    try:
        gs1.parse(text)
    except ValueError as exc:  # gs1 messages name the defect, never the whole code
        raise FieldError(f"バーコード情報が不正です: {exc}") from None
    return text


STORE_REPORT = Format(
    CP932(show_position=False),
    {
        "kind": Kind(lambda f, value: ReportKind(value).value, _read_kind),
        "date": Kind(_write_date, _read_date),
        "opt_date": Kind(_write_date, _read_date),
        "hhmm": Kind(_write_time, _read_time),
        "digits": Kind(_write_text, _digits),
        "int": Kind(_write_int, lambda f, text: int(_digits(f, text))),
        "flag": Kind(lambda f, value: "1" if value else "0", _read_flag),
        "code": Kind(_write_text, _read_code),
        "barcode": Kind(_write_text, _read_barcode),
    },
    Framing(RECORD_LENGTH),
)


# ---------------------------------------------------------------- writing


def trailer_of(records: Sequence[StorePaymentRecord]) -> ReportTrailer:
    paid = [r.amount for r in records if not r.cancelled]
    cancelled = [r.amount for r in records if r.cancelled]
    return ReportTrailer(len(paid), sum(paid), len(cancelled), sum(cancelled))


def dump(header: ReportHeader, records: Sequence[StorePaymentRecord]) -> bytes:
    """Header, one data record each, trailer (counts and sums computed); CR LF after each."""
    write, data = STORE_REPORT.write, RECORDS[DATA_TYPE]
    lines = [write(RECORDS[HEADER_TYPE], header.__getattribute__, RECORDS[HEADER_TYPE].title)]
    lines.extend(write(data, r.__getattribute__, f"{data.title} {n}") for n, r in enumerate(records, start=1))
    trailer = RECORDS[TRAILER_TYPE]
    lines.append(write(trailer, trailer_of(records).__getattribute__, trailer.title))
    return STORE_REPORT.framing.join(lines)


# ---------------------------------------------------------------- reading


@dataclass
class ReportParse(ParseResult[StorePaymentRecord]):
    """The parse result with the header (None when it could not be read)."""

    header: ReportHeader | None = None
    trailer: ReportTrailer | None = field(default=None)


class _ReportShape:
    """Header first and only there, data, one trailer last; data agree with the header; no payment twice;
    the trailer's counts and sums agree with the data (checked when nothing else is wrong)."""

    def __init__(self, result: ReportParse) -> None:
        self.result = result
        self.trailer_line = 0
        self.keys: dict[tuple[Any, ...], int] = {}

    def start(self, line: int, code: str, body: bytes, out: LineErrors) -> None:
        pass

    def place(self, line: int, code: str, record: RecordType | None, out: LineErrors) -> bool:
        if self.trailer_line:
            out.bad("record_type", "トレーラレコードの後にレコードがあります")
        if (line == 1) != (code == HEADER_TYPE):
            out.bad("record_type", "ヘッダレコードは先頭行に 1 件だけです")
        if record is None:
            out.bad("record_type", f"未定義のレコード区分です: {code!r}")
        if code == TRAILER_TYPE:
            self.trailer_line = line
        return True

    def take(self, line: int, record: RecordType, values: dict[str, Any], ok: bool, out: LineErrors) -> None:
        ok = ok and "filler" not in out.failed
        result = self.result
        if record.code == HEADER_TYPE:
            result.header = ReportHeader(**values) if ok else None
        elif record.code == TRAILER_TYPE:
            result.trailer = ReportTrailer(**values) if ok else None
        elif ok:
            self._data(values, out)

    def _data(self, values: dict[str, Any], out: LineErrors) -> None:
        _check_data(values, self.result.header, out)
        record = StorePaymentRecord(**values)
        key = (*record.key, record.cancelled)
        if key in self.keys:
            out.bad(
                "barcode", f"同じ収納（収納日・時刻・店舗・バーコード）が {self.keys[key]} 行目にもあります"
            )
        self.keys.setdefault(key, out.line)
        if not out.failed:
            self.result.records.append(record)
            self.result.record_lines.append(out.line)

    def end(self, line_count: int) -> None:
        result = self.result
        if not self.trailer_line:
            result.errors.append(
                LineError(result.file_name, line_count, "record_type", "トレーラレコードがありません")
            )
        elif result.trailer is not None and not result.errors:
            _check_trailer(result, self.trailer_line)


def _check_data(values: dict[str, Any], header: ReportHeader | None, out: LineErrors) -> None:
    kind: ReportKind = values["kind"]
    if header is not None and kind != header.kind:
        out.bad("kind", f"データ種別 {kind.label} がヘッダの {header.kind.label} と一致しません")
    biller = values["barcode"][2 : 2 + gs1.BILLER_DIGITS]  # already validated by gs1.parse
    if header is not None and biller != header.biller_code:
        out.bad("barcode", "バーコードの企業コードがヘッダの委託者コードと一致しません")
    if values["amount"] < 1:
        out.bad("amount", "金額は 1 円以上です")
    for name in ("processed_on", "transfer_on"):
        if kind is ReportKind.FINAL and values[name] is None:
            out.bad(name, "確報では必須です")
        if kind is ReportKind.PRELIMINARY and values[name] is not None:
            out.bad(name, "速報では空白です")


def _check_trailer(result: ReportParse, line: int) -> None:
    assert result.trailer is not None
    actual = trailer_of(result.records)
    for name, label in (
        ("record_count", "件数"), ("total_amount", "合計金額"),
        ("cancel_count", "取消件数"), ("cancel_amount", "取消金額"),
    ):  # fmt: skip
        stated, counted = getattr(result.trailer, name), getattr(actual, name)
        if stated != counted:
            reason = f"トレーラの{label} {stated} が実際の {counted} と一致しません"
            result.errors.append(LineError(result.file_name, line, name, reason))


def parse(data: bytes, file_name: str) -> ReportParse:
    """Read and validate a whole report; every error is collected as (file, line, field, reason)."""
    result = ReportParse(file_name, "fixed", 0)
    result.line_count = read_file(STORE_REPORT, RECORDS, _ReportShape(result), data, file_name, result.errors)
    return result
