"""The standard format of the union, tax and 住基 files on the engine: a `Layout` per file kind.

- every record is `record_length` bytes followed by CR LF (the last line may lack it); the first byte is the
  record type: '1' header, '2' data, '8' trailer;
- header: 作成日 (8) + 市区町村コード (5) + ファイル種別 (2) + データ件数 (7), then spaces;
- trailer: データ件数 (7), then spaces; both counts must equal the number of data records.

A `Layout` lists the fields of one data record; `dump` writes records, `parse` reads and validates a file,
collecting every error as a LineError(file, line, field, reason).

The 住基異動 file (kouki/interfaces/resident_register/) has no ファイル種別 in its header: its layout has
file_code '' and is written with `dump`, but `parse` does not read it (see resident_register/formats.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from kouki.core.config import city_config
from kouki.interfaces.fixedwidth.charset import CP932
from kouki.interfaces.fixedwidth.errors import DumpError, LineErrors
from kouki.interfaces.fixedwidth.fields import Field, markdown_table, placed
from kouki.interfaces.fixedwidth.framing import Framing
from kouki.interfaces.fixedwidth.kinds import STANDARD_KINDS, is_municipality_code
from kouki.interfaces.fixedwidth.records import Format, RecordType, read_file
from kouki.interfaces.importing import LineError, ParseResult
from kouki.rules.numbers import is_valid_insured_number

T = TypeVar("T")

HEADER_TYPE = "1"
DATA_TYPE = "2"
TRAILER_TYPE = "8"

RECORD_TYPE = Field(
    "record_type", "レコード区分", "record type", 1, "digits", True, "1 header, 2 data, 8 trailer"
)
RECORD_COUNT = Field(
    "record_count", "データ件数", "number of data records", 7, "int", True, "= number of '2' records"
)
FILE_CODE = Field("file_code", "ファイル種別", "file kind", 2, "digits", True, "fixed per file kind")
HEADER_FIELDS: tuple[Field, ...] = (
    Field("created_on", "作成日", "file creation date", 8, "date", True, "valid date"),
    Field("municipality_code", "市区町村コード", "municipality code", 5, "municipality", True, "5 digits"),
    FILE_CODE,
    RECORD_COUNT,
)
TRAILER_FIELDS: tuple[Field, ...] = (RECORD_COUNT,)

CrossCheck = Callable[[dict[str, Any]], list[tuple[str, str]]]

INSURED_NO_CHECK_DIGIT_REASON = "被保険者番号の検証番号（チェックデジット）が一致しません"
INSURED_NO_CHECK_DIGIT_WARNING = (
    "被保険者番号の8桁目が検証番号（×2/×1）と一致しません（規則は公式に未確認のため警告のみ・取込済）"
)


def standard_format(record_length: int) -> Format:
    framing = Framing(
        record_length, lf_reason="改行が CR LF ではありません（LF のみ）", last_line_open=True, stray_cr=True
    )
    return Format(CP932(strict=True), STANDARD_KINDS, framing)


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

    @cached_property
    def format(self) -> Format:
        return standard_format(self.record_length)

    @cached_property
    def records(self) -> dict[str, RecordType]:
        header = HEADER_FIELDS if self.file_code else tuple(f for f in HEADER_FIELDS if f is not FILE_CODE)
        types = (
            (HEADER_TYPE, "header", header),
            (DATA_TYPE, "record", self.fields),
            (TRAILER_TYPE, "trailer", TRAILER_FIELDS),
        )
        return {
            code: RecordType(code, f"{self.title} {name}", (RECORD_TYPE, *fields), self.record_length)
            for code, name, fields in types
        }


def offsets(fields: tuple[Field, ...]) -> list[tuple[Field, int]]:
    """(field, 0-based byte offset) after the 1-byte record type."""
    return placed(fields, RECORD_TYPE.length)


def layout_table(layout: Layout[Any]) -> str:
    """The Markdown table of a layout's data record (docs/interfaces/union-*.md are checked against it)."""
    rows: list[tuple[object, ...]] = [
        ("`record_type`", 1, 1, "N", "yes", "`2` (data)", RECORD_TYPE.label),
    ]
    for f, pos in offsets(layout.fields):
        allowed = f.allowed.replace("|", "/")
        rows.append(
            (f"`{f.name}`", pos + 1, f.length, f.type, "yes" if f.required else "no", allowed, f.label)
        )
    if layout.filler:
        rows.append(
            ("`filler`", layout.record_length - layout.filler + 1, layout.filler, "X", "no", "spaces", "予備")
        )
    columns = ("項目 (field)", "開始 (byte)", "長さ", "型", "必須", "値", "名称")
    return markdown_table(columns, rows)


# ---------------------------------------------------------------- writing


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
    fmt, types = layout.format, layout.records
    header = {
        "created_on": created_on,
        "municipality_code": municipality_code,
        "file_code": layout.file_code,
        "record_count": len(records),
    }
    data = types[DATA_TYPE]
    lines = [fmt.write(types[HEADER_TYPE], header.__getitem__, data.title)]
    for index, r in enumerate(records, start=1):
        lines.append(fmt.write(data, r.__getattribute__, f"{data.title} {index}"))
    lines.append(fmt.write(types[TRAILER_TYPE], header.__getitem__, data.title))
    return fmt.framing.join(lines)


# ---------------------------------------------------------------- reading


class StandardShape(Generic[T]):
    """Header '1' first, data '2', trailer '8' last; counts equal to the data records; duplicate keys,
    combinations of fields (the layout's cross_check). At most one record-order error per line."""

    one_order_error = True

    def __init__(self, layout: Layout[T], result: ParseResult[T], insured_no_check: str = "reject") -> None:
        self.layout = layout
        self.result = result
        self.insured_no_check = insured_no_check
        self.insured_no_fields = tuple(f.name for f in layout.fields if f.kind == "insured_no")
        self.header: dict[str, Any] | None = None
        self.trailer: dict[str, Any] | None = None
        self.data_count = 0
        self.keys: dict[tuple[Any, ...], int] = {}

    def start(self, line: int, code: str, body: bytes, out: LineErrors) -> None:
        if code == DATA_TYPE:
            self.data_count += 1
        file_code = body[14:16].decode("latin-1")
        if line == 1 and code == HEADER_TYPE and self.layout.file_code and file_code != self.layout.file_code:
            out.bad(
                "file_code",
                f"ファイル種別 {file_code!r} は{self.layout.title}（{self.layout.file_code}）ではありません",
            )

    def place(self, line: int, code: str, record: RecordType | None, out: LineErrors) -> bool:
        report = out.bad if self.one_order_error else out.add
        if self.trailer is not None:
            report("record_type", "トレーラレコードの後にレコードがあります")
        if code == HEADER_TYPE and line != 1:
            report("record_type", "ヘッダレコードは先頭行のみです")
        elif code == DATA_TYPE and line == 1:
            report("record_type", "先頭行がヘッダレコードではありません")
        elif record is None:
            report("record_type", f"未定義のレコード区分です: {code!r}")
        return True

    def take(self, line: int, record: RecordType, values: dict[str, Any], ok: bool, out: LineErrors) -> None:
        if record.code == HEADER_TYPE:
            self.header = values if ok else {}
        elif record.code == TRAILER_TYPE:
            self.trailer = values if ok else {}
        else:
            self._data(values, ok, out)

    def _data(self, values: dict[str, Any], ok: bool, out: LineErrors) -> None:
        layout = self.layout
        if layout.key_fields and all(k in values for k in layout.key_fields):
            key = tuple(values[k] for k in layout.key_fields)
            if key in self.keys:
                out.bad(layout.key_fields[-1], f"キーが {self.keys[key]} 行目と重複しています")
            else:
                self.keys[key] = out.line
        self._insured_numbers(values, out)
        if not ok:
            return
        if layout.cross_check is not None:
            for name, reason in layout.cross_check(values):
                out.bad(name, reason)
        if out.failed:
            return
        self.result.records.append(layout.factory(**values))
        self.result.record_lines.append(out.line)

    def _insured_numbers(self, values: dict[str, Any], out: LineErrors) -> None:
        """The ×2/×1 check digit of every 被保険者番号: an error ("reject") or a warning ("warn")."""
        for name in self.insured_no_fields:
            number = values.get(name)
            if not number or is_valid_insured_number(number):
                continue
            if self.insured_no_check == "reject":
                out.bad(name, INSURED_NO_CHECK_DIGIT_REASON)
            else:
                self.result.warnings.append(
                    LineError(self.result.file_name, out.line, name, INSURED_NO_CHECK_DIGIT_WARNING)
                )

    def end(self, line_count: int) -> None:
        errors, file_name = self.result.errors, self.result.file_name
        if self.header is None and not any(e.line == 1 for e in errors):
            errors.append(LineError(file_name, 1, "record_type", "ヘッダレコードがありません"))
        if self.trailer is None:
            errors.append(LineError(file_name, line_count, "record_type", "トレーラレコードがありません"))
        for name, values, line in (("ヘッダ", self.header, 1), ("トレーラ", self.trailer, line_count)):
            if (
                values is not None
                and "record_count" in values
                and int(values["record_count"]) != self.data_count
            ):
                stated, counted = int(values["record_count"]), self.data_count
                reason = f"{name}のデータ件数 {stated} が実際の件数 {counted} と一致しません"
                errors.append(LineError(file_name, line, "record_count", reason))


def parse(
    layout: Layout[T], data: bytes, file_name: str, *, insured_no_check: str | None = None
) -> ParseResult[T]:
    """Decode strictly and validate every line of a file of this layout; every error is collected.

    insured_no_check: what a 被保険者番号 failing the ×2/×1 check digit is — "reject" (an error) or "warn"
    (a warning in result.warnings, the record kept); None = the installation's KOUKI_INSURED_NO_CHECK_DIGIT
    (default "warn": the rule is not officially confirmed for 被保険者番号, ADR 0006 §7)."""
    check = insured_no_check if insured_no_check is not None else city_config().insured_no_check_digit
    if check not in ("reject", "warn"):
        raise ValueError(f"insured_no_check: 'reject' or 'warn', got {check!r}")
    result: ParseResult[T] = ParseResult(file_name, "fixed", 0)
    shape = StandardShape(layout, result, check)
    result.line_count = read_file(layout.format, layout.records, shape, data, file_name, result.errors)
    return result
