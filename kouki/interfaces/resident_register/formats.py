"""Read and write the 住基異動 file in both variants (layout: docs/interfaces/resident-register-changes.md).

- fixed: CP932, RECORD_LENGTH-byte records, CR LF; header '1', data '2' …, trailer '8'. Written by
  kouki.interfaces.fixedwidth.dump; read by the same engine (kouki.interfaces.fixedwidth.records.read_file)
  with the standard format's framing and charset, its fields taken as texts, and a shape of its own: every
  record-order error reported, header and trailer filler not checked, header date and municipality checked
  even when another header field is bad, the data records checked by the validation shared with the CSV
  variant (validation.build_record: its own reasons, several per field).
- csv: UTF-8 (BOM optional), header row of Japanese column names, RFC 4180 quoting.

`parse` detects the variant, decodes strictly and validates every line, collecting all errors. `dump_*` raise
DumpError for a value that cannot be written faithfully (too wide, not CP932, surrounding spaces).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from kouki.interfaces import fixedwidth
from kouki.interfaces.encodings import encoding_problem
from kouki.interfaces.fixedwidth import (
    FILE_FIELD,
    LINE_FIELD,
    DumpError,
    LineErrors,
    is_municipality_code,
    standard_format,
    today_tokyo,
)
from kouki.interfaces.fixedwidth.errors import FieldError
from kouki.interfaces.fixedwidth.fields import Kind
from kouki.interfaces.fixedwidth.kinds import STANDARD_KINDS
from kouki.interfaces.fixedwidth.layout import StandardShape
from kouki.interfaces.fixedwidth.records import RecordType, read_file
from kouki.interfaces.importing import LineError, ParseResult
from kouki.interfaces.resident_register.layout import (
    CSV_COLUMNS,
    DATA_FIELDS,
    DATA_TYPE,
    HEADER_FIELDS,
    HEADER_TYPE,
    LAYOUT,
    RECORD_LENGTH,
    RECORD_TYPE,
    TRAILER_FIELDS,
    TRAILER_TYPE,
    Field,
)
from kouki.interfaces.resident_register.record import ResidentChangeRecord
from kouki.interfaces.resident_register.validation import Variant, build_record, parse_date

__all__ = ["DumpError", "detect_variant", "dump_csv", "dump_fixed", "parse"]

BOM = b"\xef\xbb\xbf"


# ---------------------------------------------------------------- writing


def dump_fixed(
    records: Sequence[ResidentChangeRecord],
    *,
    created_on: date | None = None,
    municipality_code: str | None = None,
) -> bytes:
    """CP932 fixed-width file (kouki.interfaces.fixedwidth.dump): header, one data record per change, trailer;
    every record ends with CR LF.

    created_on defaults to the latest notified date (today for an empty file); municipality_code to the first
    record's municipality code (required for an empty file).
    """
    if created_on is None:
        created_on = max((r.notified_date for r in records), default=today_tokyo())
    if municipality_code is None:
        if not records:
            raise DumpError("empty file: municipality_code must be given")
        municipality_code = records[0].municipality_code
    if not is_municipality_code(municipality_code):
        raise DumpError("header: municipality_code must be 5 digits with prefecture 01–47")
    if len(records) > 9_999_999:
        raise DumpError("too many records for the 7-digit count")
    return fixedwidth.dump(LAYOUT, records, created_on=created_on, municipality_code=municipality_code)


def _csv_values(r: ResidentChangeRecord) -> dict[str, str]:
    return {
        "change_id": r.change_id,
        "code": str(r.code),
        "effective_date": r.effective_date.isoformat(),
        "notified_date": r.notified_date.isoformat(),
        "addressee_no": r.addressee_no,
        "household_no": r.household_no,
        "is_householder": "1" if r.is_householder else "0",
        "relationship": r.relationship,
        "family_name": r.family_name,
        "given_name": r.given_name,
        "family_name_kana": r.family_name_kana,
        "given_name_kana": r.given_name_kana,
        "sex": r.sex,
        "birth_date": r.birth_date.isoformat(),
        "postal_code": r.postal_code,
        "municipality_code": r.municipality_code,
        "address": r.address,
        "other_address": r.other_address,
        "personal_number": r.personal_number,
    }


def dump_csv(records: Sequence[ResidentChangeRecord], *, bom: bool = True) -> bytes:
    """UTF-8 CSV with the Japanese header row, CR LF, RFC 4180 quoting (BOM by default, for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for index, r in enumerate(records, start=1):
        values = _csv_values(r)
        for f in DATA_FIELDS:
            if (
                f.type == "N"
                and f.name != "personal_number"
                and not (values[f.name].isascii() and values[f.name].replace("-", "").isdigit())
            ):
                raise DumpError(f"record {index} ({r.change_id}) {f.label}({f.name}): 半角数字ではありません")
            if values[f.name] != values[f.name].strip(" \u3000"):
                raise DumpError(
                    f"record {index} ({r.change_id}) {f.label}({f.name}): 前後の空白は書き出せません"
                )
        writer.writerow([values[f.name] for f in DATA_FIELDS])
    return (BOM if bom else b"") + out.getvalue().encode("utf-8")


# ---------------------------------------------------------------- reading


def detect_variant(data: bytes) -> Variant:
    if data.startswith(BOM):
        return "csv"
    first = data.split(b"\n", 1)[0]
    return "csv" if CSV_COLUMNS[0].encode("utf-8") in first else "fixed"


def parse(data: bytes, file_name: str) -> ParseResult[ResidentChangeRecord]:
    """Detect the variant, decode strictly, validate every line; all errors are collected."""
    if not data:
        result: ParseResult[ResidentChangeRecord] = ParseResult(file_name, "unknown", 0)
        result.errors.append(LineError(file_name, 0, FILE_FIELD, "ファイルが空です"))
        return result
    variant = detect_variant(data)
    problem = _csv_encoding_problem(data) if variant == "csv" else _cp932_csv_problem(data)
    if problem is not None:
        result = ParseResult(file_name, variant, 0)
        result.errors.append(LineError(file_name, 0, FILE_FIELD, problem))
        return result
    result = _parse_csv(data, file_name) if variant == "csv" else _parse_fixed(data, file_name)
    _check_duplicates(result)
    return result


def _csv_encoding_problem(data: bytes) -> str | None:
    return encoding_problem(data[len(BOM) :] if data.startswith(BOM) else data, "utf-8")


def _cp932_csv_problem(data: bytes) -> str | None:
    """A CSV whose header is in CP932 is the CSV variant in the wrong encoding, not a fixed-width file of
    the wrong length (the fixed variant's own encoding checks are the engine's: kouki.interfaces
    .fixedwidth)."""
    first = data.split(b"\n", 1)[0]
    if CSV_COLUMNS[0].encode("cp932") in first:
        return "CSV ですが文字コードが CP932（シフトJIS）です（UTF-8 で作成してください）"
    return None


def _check_duplicates(result: ParseResult[ResidentChangeRecord]) -> None:
    first_line: dict[str, int] = {}
    for record, line in zip(result.records, result.record_lines, strict=True):
        if record.change_id in first_line:
            result.errors.append(
                LineError(
                    result.file_name,
                    line,
                    "change_id",
                    f"異動番号が {first_line[record.change_id]} 行目と重複しています",
                )
            )
        else:
            first_line[record.change_id] = line
    result.errors.sort(key=lambda e: e.line)


def _text(f: Field, text: str) -> str:
    """A field's text as the record validation takes it: X without its padding, N all ASCII digits (a
    blank 個人番号 is '')."""
    if f.type == "X":
        return text.rstrip(" ")
    if f.kind == "personal_number" and text == " " * f.length:
        return ""
    if not (text.isascii() and text.isdigit()):
        raise FieldError(f"{f.length} 桁の半角数字（ゼロ詰め）ではありません")
    return text


# The standard format (strict CP932, no 外字, CR LF) read as texts: the checks are validation.build_record's.
_FIXED = replace(
    standard_format(RECORD_LENGTH), kinds={name: Kind(k.write, _text) for name, k in STANDARD_KINDS.items()}
)
_RECORDS = {
    code: RecordType(
        code, LAYOUT.title, (RECORD_TYPE, *fields), RECORD_LENGTH, filler_checked=code == DATA_TYPE
    )
    for code, fields in (
        (HEADER_TYPE, HEADER_FIELDS),
        (DATA_TYPE, DATA_FIELDS),
        (TRAILER_TYPE, TRAILER_FIELDS),
    )
}


class _FixedShape(StandardShape[ResidentChangeRecord]):
    """The standard frame, with every record-order error reported, the header's date and municipality
    checked even when another header field is bad, and the data records checked by the validation shared
    with the CSV variant (its own reasons, after the decoding errors of the line)."""

    one_order_error = False

    def take(self, line: int, record: RecordType, values: dict[str, Any], ok: bool, out: LineErrors) -> None:
        if record.code == HEADER_TYPE:
            self.header = values
            if "created_on" in values and parse_date(values["created_on"], "fixed") is None:
                out.bad("created_on", "作成日が不正です（YYYYMMDD）")
            if "municipality_code" in values and not is_municipality_code(values["municipality_code"]):
                out.bad("municipality_code", "市区町村コードは5桁の数字（都道府県部分 01–47）です")
        elif record.code == TRAILER_TYPE:
            self.trailer = values
        elif not ok:  # still check the other fields; a field already reported is not reported again
            build_record({f.name: values.get(f.name, "") for f in DATA_FIELDS}, "fixed", out.bad)
        else:
            result = self.result

            def report(name: str, reason: str) -> None:
                result.errors.append(LineError(out.file_name, out.line, name, reason))

            built = build_record(values, "fixed", report)
            if built is not None:
                result.records.append(built)
                result.record_lines.append(out.line)


def _parse_fixed(data: bytes, file_name: str) -> ParseResult[ResidentChangeRecord]:
    """The frame: header '1' first, data '2', trailer '8' last, counts equal to the data records."""
    result: ParseResult[ResidentChangeRecord] = ParseResult(file_name, "fixed", 0)
    shape = _FixedShape(LAYOUT, result)
    result.line_count = read_file(_FIXED, _RECORDS, shape, data, file_name, result.errors)
    return result


def _parse_csv(data: bytes, file_name: str) -> ParseResult[ResidentChangeRecord]:
    errors: list[LineError] = []
    body = data[len(BOM) :] if data.startswith(BOM) else data
    for number, raw_line in enumerate(body.split(b"\n"), start=1):
        try:
            raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(
                LineError(
                    file_name,
                    number,
                    LINE_FIELD,
                    f"UTF-8 として不正なバイト列です（{exc.start + 1} バイト目）",
                )
            )
    text = body.decode("utf-8", errors="replace")
    line_count = text.count("\n") + (0 if text.endswith("\n") else 1)
    result: ParseResult[ResidentChangeRecord] = ParseResult(file_name, "csv", line_count, errors=errors)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            errors.append(LineError(file_name, 1, FILE_FIELD, "ヘッダ行がありません"))
            return result
        if not _check_csv_header(header, file_name, errors):
            return result
        index = {name: header.index(name) for name in CSV_COLUMNS}
        last_line = reader.line_num
        for row in reader:
            line = last_line + 1
            last_line = reader.line_num
            if len(row) != len(header):
                errors.append(
                    LineError(
                        file_name, line, LINE_FIELD, f"列数が {len(row)} です（ヘッダは {len(header)} 列）"
                    )
                )
                continue
            raw = {f.name: row[index[f.label]] for f in DATA_FIELDS}

            def report(name: str, reason: str, line: int = line) -> None:
                errors.append(LineError(file_name, line, name, reason))

            record = build_record(raw, "csv", report)
            if record is not None:
                result.records.append(record)
                result.record_lines.append(line)
    except csv.Error as exc:
        errors.append(
            LineError(file_name, reader.line_num, LINE_FIELD, f"CSV の引用符の使い方が不正です: {exc}")
        )
    return result


def _check_csv_header(header: list[str], file_name: str, errors: list[LineError]) -> bool:
    ok = True
    unknown = [c for c in header if c not in CSV_COLUMNS]
    missing = [c for c in CSV_COLUMNS if c not in header]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if unknown:  # IN-01: an undefined item cannot be delivered
        errors.append(LineError(file_name, 1, FILE_FIELD, f"未定義の列があります: {', '.join(unknown)}"))
        ok = False
    if missing:
        errors.append(LineError(file_name, 1, FILE_FIELD, f"必要な列がありません: {', '.join(missing)}"))
        ok = False
    if duplicated:
        errors.append(LineError(file_name, 1, FILE_FIELD, f"列が重複しています: {', '.join(duplicated)}"))
        ok = False
    return ok
