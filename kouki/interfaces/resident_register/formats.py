"""Read and write the 住基異動 file in both variants (layout: docs/interfaces/resident-register-changes.md).

- fixed: CP932, RECORD_LENGTH-byte records, CR LF; header '1', data '2' …, trailer '8'. Written by
  kouki.interfaces.fixedwidth.dump; read here with its line splitting and field decoding, then the record
  validation shared with the CSV variant (validation.build_record).
- csv: UTF-8 (BOM optional), header row of Japanese column names, RFC 4180 quoting.

`parse` detects the variant, decodes strictly and validates every line, collecting all errors. `dump_*` raise
DumpError for a value that cannot be written faithfully (too wide, not CP932, surrounding spaces).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from kouki.interfaces import fixedwidth
from kouki.interfaces.fixedwidth import (
    DumpError,
    LineErrors,
    decode_field,
    is_municipality_code,
    split_lines,
    today_tokyo,
)
from kouki.interfaces.importing import LineError, ParseResult
from kouki.interfaces.resident_register.layout import (
    CSV_COLUMNS,
    DATA_FIELDS,
    DATA_FILLER,
    DATA_TYPE,
    HEADER_FIELDS,
    HEADER_TYPE,
    LAYOUT,
    RECORD_LENGTH,
    TRAILER_FIELDS,
    TRAILER_TYPE,
    Field,
    offsets,
)
from kouki.interfaces.resident_register.record import ResidentChangeRecord
from kouki.interfaces.resident_register.validation import Variant, build_record, parse_date

__all__ = ["DumpError", "detect_variant", "dump_csv", "dump_fixed", "parse"]

BOM = b"\xef\xbb\xbf"
LINE_FIELD = "(レコード)"
FILE_FIELD = "(ファイル)"


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
    result = _parse_csv(data, file_name) if detect_variant(data) == "csv" else _parse_fixed(data, file_name)
    _check_duplicates(result)
    return result


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


def _read_texts(body: bytes, fields: tuple[Field, ...], out: LineErrors) -> dict[str, str]:
    """The text of every field that decodes (fixedwidth.decode_field: strict CP932, no 外字); X fields without
    the right padding, N fields all ASCII digits (a blank 個人番号 is ''). Errors go to `out`."""
    texts: dict[str, str] = {}
    for f, pos in offsets(fields):
        text = decode_field(body[pos : pos + f.length], f, out)
        if text is None:
            continue
        if f.type == "X":
            texts[f.name] = text.rstrip(" ")
        elif f.kind == "personal_number" and text == " " * f.length:
            texts[f.name] = ""
        elif text.isascii() and text.isdigit():
            texts[f.name] = text
        else:
            out.bad(f.name, f"{f.length} 桁の半角数字（ゼロ詰め）ではありません")
    return texts


def _parse_fixed_data(body: bytes, out: LineErrors, result: ParseResult[ResidentChangeRecord]) -> None:
    raw = _read_texts(body, DATA_FIELDS, out)
    decode_failed = bool(out.failed)
    if body[RECORD_LENGTH - DATA_FILLER :].strip(b" "):
        out.bad("filler", "予備領域が空白ではありません")
    if decode_failed:  # still check the other fields; a field already reported is not reported again
        build_record({f.name: raw.get(f.name, "") for f in DATA_FIELDS}, "fixed", out.bad)
        return

    def report(name: str, reason: str) -> None:
        result.errors.append(LineError(out.file_name, out.line, name, reason))

    record = build_record(raw, "fixed", report)
    if record is not None:
        result.records.append(record)
        result.record_lines.append(out.line)


def _parse_fixed(data: bytes, file_name: str) -> ParseResult[ResidentChangeRecord]:
    """The frame: header '1' first, data '2', trailer '8' last, counts equal to the data records."""
    errors: list[LineError] = []
    lines = split_lines(data, file_name, errors)
    result: ParseResult[ResidentChangeRecord] = ParseResult(file_name, "fixed", len(lines), errors=errors)
    header: dict[str, str] | None = None
    trailer: dict[str, str] | None = None
    data_count = 0
    for number, body in enumerate(lines, start=1):
        kind = body[:1].decode("latin-1")
        data_count += kind == DATA_TYPE
        if len(body) != RECORD_LENGTH:
            reason = f"レコード長が {len(body)} バイトです（{RECORD_LENGTH} バイト固定）"
            errors.append(LineError(file_name, number, LINE_FIELD, reason))
            continue
        if trailer is not None:
            errors.append(
                LineError(file_name, number, "record_type", "トレーラレコードの後にレコードがあります")
            )
        out = LineErrors(file_name, number, errors)
        if kind == HEADER_TYPE:
            if number != 1:
                errors.append(LineError(file_name, number, "record_type", "ヘッダレコードは先頭行のみです"))
            header = _read_texts(body, HEADER_FIELDS, out)
            if "created_on" in header and parse_date(header["created_on"], "fixed") is None:
                out.bad("created_on", "作成日が不正です（YYYYMMDD）")
            if "municipality_code" in header and not is_municipality_code(header["municipality_code"]):
                out.bad("municipality_code", "市区町村コードは5桁の数字（都道府県部分 01–47）です")
        elif kind == DATA_TYPE:
            if number == 1:
                errors.append(
                    LineError(file_name, number, "record_type", "先頭行がヘッダレコードではありません")
                )
            _parse_fixed_data(body, out, result)
        elif kind == TRAILER_TYPE:
            trailer = _read_texts(body, TRAILER_FIELDS, out)
        else:
            errors.append(LineError(file_name, number, "record_type", f"未定義のレコード区分です: {kind!r}"))
    if header is None and not any(e.line == 1 for e in errors):
        errors.append(LineError(file_name, 1, "record_type", "ヘッダレコードがありません"))
    if trailer is None:
        errors.append(LineError(file_name, len(lines), "record_type", "トレーラレコードがありません"))
    for name, values, line in (("ヘッダ", header, 1), ("トレーラ", trailer, len(lines))):
        if values is not None and "record_count" in values and int(values["record_count"]) != data_count:
            errors.append(
                LineError(
                    file_name,
                    line,
                    "record_count",
                    f"{name}のデータ件数 {int(values['record_count'])} が"
                    f"実際の件数 {data_count} と一致しません",
                )
            )
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
