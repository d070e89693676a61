"""The 速報 / 確報 file layout (docs/interfaces/convenience-store-report.md): bytes written exactly as
documented, and every malformed line reported with file, line, field and reason (IN-06)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from pathlib import Path

from kouki.interfaces.stores.codec import (
    DATA_FIELDS,
    HEADER_FIELDS,
    RECORD_LENGTH,
    TRAILER_FIELDS,
    dump,
    layout_table,
    parse,
)
from kouki.interfaces.stores.records import ReportHeader, ReportKind, StorePaymentRecord
from kouki.rules import gs1

FREE = gs1.DEFAULT_FREE_FIELD.compose({"fiscal_year": 2025, "slip_no": 1234, "period": 1})
CODE = gs1.PaymentCode("900000", FREE, 0, date(2025, 7, 31), 0, 10_000).encode()
HEADER = ReportHeader(ReportKind.FINAL, date(2025, 7, 24), "12345", "900000")
RECORD = StorePaymentRecord(
    ReportKind.FINAL, date(2025, 7, 20), time(9, 5), "0001", "S0001", CODE, 10_000, False,
    date(2025, 7, 24), date(2025, 7, 31),
)  # fmt: skip
DOC = Path(__file__).resolve().parents[2] / "docs" / "interfaces" / "convenience-store-report.md"


def test_bytes_are_exactly_the_documented_layout() -> None:
    data = dump(HEADER, [RECORD, replace(RECORD, paid_at=time(9, 6), cancelled=True)])
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and len(lines) == 5
    assert all(len(line) == RECORD_LENGTH for line in lines[:-1])
    assert lines[0] == b"12" + b"20250724" + b"12345" + b"900000" + b" " * 99
    assert (
        CODE
        == "91900000" + "2025" + "000000001234" + "01" + "000" + "0" + "250731" + "0" + "010000" + CODE[-1]
    )
    body = (
        b"2" + b"2" + b"20250720" + b"0905" + b"0001" + b"S0001   " + CODE.encode() + b"000010000" + b"0"
        + b"20250724" + b"20250731"
    )  # fmt: skip
    assert lines[1] == body + b" " * (RECORD_LENGTH - len(body))
    assert lines[2][1 + 1 + 8 : 1 + 1 + 8 + 4] == b"0906" and lines[2][79:80] == b"1"
    assert lines[3] == b"8" + b"0000001" + b"000000010000" + b"0000001" + b"000000010000" + b" " * 81


def test_round_trip_keeps_every_field() -> None:
    records = [RECORD, replace(RECORD, paid_at=time(23, 59), store_code="A1", amount=10_000)]
    result = parse(dump(HEADER, records), "k.dat")
    assert result.ok, result.errors
    assert result.records == records and result.record_lines == [2, 3]
    assert result.header == HEADER
    prelim = replace(RECORD, kind=ReportKind.PRELIMINARY, processed_on=None, transfer_on=None)
    again = parse(dump(replace(HEADER, kind=ReportKind.PRELIMINARY), [prelim]), "s.dat")
    assert again.ok and again.records == [prelim]


def _errors(data: bytes) -> list[tuple[str, int, str]]:
    return [(e.file, e.line, e.field) for e in parse(data, "bad.dat").errors]


def _patch(data: bytes, line: int, offset: int, new: bytes) -> bytes:
    lines = data.split(b"\r\n")
    target = bytearray(lines[line - 1])
    target[offset : offset + len(new)] = new
    lines[line - 1] = bytes(target)
    return b"\r\n".join(lines)


def test_bad_check_digit_is_reported_on_its_line_and_field() -> None:
    good = dump(HEADER, [RECORD, replace(RECORD, paid_at=time(10, 0))])
    wrong = str((int(CODE[-1]) + 1) % 10).encode()
    result = parse(_patch(good, 3, 26 + 43, wrong), "bad.dat")
    assert [(e.file, e.line, e.field) for e in result.errors] == [("bad.dat", 3, "barcode")]
    assert "check digit" in result.errors[0].reason
    assert CODE[:43] not in result.errors[0].reason


def test_bad_dates_times_and_codes() -> None:
    good = dump(HEADER, [RECORD])
    assert _errors(_patch(good, 2, 2, b"20250230")) == [("bad.dat", 2, "paid_on")]
    assert _errors(_patch(good, 2, 10, b"2460")) == [("bad.dat", 2, "paid_at")]
    assert _errors(_patch(good, 2, 1, b"3")) == [("bad.dat", 2, "kind")]
    assert _errors(_patch(good, 2, 79, b"2")) == [("bad.dat", 2, "cancelled")]
    assert _errors(_patch(good, 2, 80, b"        ")) == [("bad.dat", 2, "processed_on")]
    assert _errors(_patch(good, 1, 2, b"2025-7-2")) == [("bad.dat", 1, "created_on")]
    other = gs1.PaymentCode("900001", FREE, 0, date(2025, 7, 31), 0, 10_000).encode()
    assert _errors(_patch(good, 2, 26, other.encode())) == [("bad.dat", 2, "barcode")]


def test_kind_must_match_the_header_and_preliminary_has_no_dates() -> None:
    prelim = dump(replace(HEADER, kind=ReportKind.PRELIMINARY), [RECORD])
    errors = parse(prelim, "s.dat").errors
    assert [(e.line, e.field) for e in errors] == [(2, "kind")]
    dated = replace(RECORD, kind=ReportKind.PRELIMINARY)
    errors = parse(dump(replace(HEADER, kind=ReportKind.PRELIMINARY), [dated]), "s.dat").errors
    assert {(e.line, e.field) for e in errors} == {(2, "processed_on"), (2, "transfer_on")}


def test_record_length_line_ends_and_structure() -> None:
    good = dump(HEADER, [RECORD])
    short = good.replace(b"20250731" + b" " * 24 + b"\r\n", b"20250731" + b" " * 23 + b"\r\n")
    errors = parse(short, "bad.dat").errors
    assert [(e.line, e.field) for e in errors] == [(2, "(レコード)")]
    assert "119 バイト" in errors[0].reason
    assert _errors(good.replace(b"\r\n", b"\n")) == [("bad.dat", n, "(レコード)") for n in (1, 2, 3)]
    no_trailer = b"\r\n".join(good.split(b"\r\n")[:2]) + b"\r\n"
    assert _errors(no_trailer) == [("bad.dat", 2, "record_type")]
    assert _errors(b"") == [("bad.dat", 0, "(ファイル)")]


def test_trailer_counts_and_amounts_must_match() -> None:
    good = dump(HEADER, [RECORD, replace(RECORD, paid_at=time(11, 0), cancelled=True)])
    assert _errors(_patch(good, 4, 1, b"0000002")) == [("bad.dat", 4, "record_count")]
    assert _errors(_patch(good, 4, 8, b"000000010001")) == [("bad.dat", 4, "total_amount")]
    assert _errors(_patch(good, 4, 20, b"0000000")) == [("bad.dat", 4, "cancel_count")]
    assert _errors(_patch(good, 4, 27, b"000000000001")) == [("bad.dat", 4, "cancel_amount")]


def test_the_same_payment_twice_in_one_file_is_an_error() -> None:
    errors = parse(dump(HEADER, [RECORD, RECORD]), "dup.dat").errors
    assert [(e.line, e.field) for e in errors] == [(3, "barcode")]
    assert "2 行目" in errors[0].reason


def test_interface_document_shows_the_layout_tables() -> None:
    text = DOC.read_text(encoding="utf-8")
    for fields, record_type in ((HEADER_FIELDS, "1"), (DATA_FIELDS, "2"), (TRAILER_FIELDS, "8")):
        assert layout_table(fields, record_type) in text
