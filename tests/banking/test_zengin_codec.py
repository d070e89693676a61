"""The 全銀 91 codec (domain-facts §8): byte-exact 120-byte records in CP932, field positions, trailer totals,
per-bank settings, and the errors a bad file gets (file, line, field, reason)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kouki.banking.config import bank_settings
from kouki.interfaces.zengin.debit import (
    DATA_RECORD,
    END_RECORD,
    HEADER_RECORD,
    TRAILER_RECORD,
    DebitLine,
    dump_debit_file,
    parse_debit_file,
)
from kouki.interfaces.zengin.layout import DumpError, layout_table

from .helpers import records

LINES = [
    DebitLine("0001", "ﾐｽﾞﾎ", "001", "ﾄｳｷﾖｳ", 1, "1234567", "ﾔﾏﾀﾞ ﾀﾛｳ", 10_000, 1, "00000000000120250731"),
    DebitLine("0017", "ｻｲﾀﾏﾘｿﾅ", "104", "ｹﾝﾁﾖｳ", 2, "0000042", "ｻﾄｳ ﾊﾅｺ", 2_550, 0, "00000000000220250731"),
]


def test_every_record_table_is_120_bytes() -> None:
    for record in (HEADER_RECORD, DATA_RECORD, TRAILER_RECORD, END_RECORD):
        assert sum(f.length for f in record.fields) == 120
    assert "| 顧客番号 | `customer_no` | 92 | 20 | N |" in layout_table(DATA_RECORD)


def test_request_file_is_byte_exact() -> None:
    data = dump_debit_file(bank_settings("sandbox"), date(2025, 7, 31), LINES)
    header, first, second, trailer, end = records(data)
    expected_header = (
        b"1"
        + b"91"
        + b"0"
        + b"1234567890"
        + "ｻｲﾀﾏｼ".encode("cp932").ljust(40)
        + b"0731"
        + b"0017"
        + "ｻｲﾀﾏﾘｿﾅ".encode("cp932").ljust(15)
        + b"104"
        + "ｹﾝﾁﾖｳ".encode("cp932").ljust(15)
        + b"1"
        + b"1234567"
        + b" " * 17
    )
    assert header == expected_header
    expected_first = (
        b"2"
        + b"0001"
        + "ﾐｽﾞﾎ".encode("cp932").ljust(15)
        + b"001"
        + "ﾄｳｷﾖｳ".encode("cp932").ljust(15)
        + b" " * 4
        + b"1"
        + b"1234567"
        + "ﾔﾏﾀﾞ ﾀﾛｳ".encode("cp932").ljust(30)
        + b"0000010000"
        + b"1"
        + b"00000000000120250731"
        + b"0"
        + b" " * 8
    )
    assert first == expected_first
    assert second[42:50] == b"20000042"  # 預金種目 2, 口座番号 zero-filled
    assert (
        trailer
        == b"8" + b"000002" + b"000000012550" + b"000000" + b"0" * 12 + b"000000" + b"0" * 12 + b" " * 65
    )
    assert end == b"9" + b" " * 119
    assert "ﾔﾏﾀﾞ".encode("cp932") == b"\xd4\xcf\xc0\xde"  # JIS X 0201 half-width kana, one byte each


def test_per_bank_settings_blank_header_account_blank_result_code_and_crlf() -> None:
    data = dump_debit_file(bank_settings("sandbox-blank"), date(2025, 7, 31), LINES)
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(len(x) == 120 for x in lines[:-1])
    assert lines[0][95:] == b" " * 25  # 預金種目 + 口座番号 + ダミー blank
    assert lines[1][111:112] == b" "
    parsed = parse_debit_file(data, "req.dat", results=False)
    assert parsed.errors == [] and [r.amount for r in parsed.records] == [10_000, 2_550]


def test_round_trip_of_a_result_file() -> None:
    results = [replace(LINES[0], result_code=0), replace(LINES[1], result_code=1)]
    data = dump_debit_file(bank_settings(), date(2025, 7, 31), results)
    trailer = records(data)[3]
    assert trailer[1:19] == b"000002000000012550"
    assert trailer[19:37] == b"000001000000010000" and trailer[37:55] == b"000001000000002550"
    parsed = parse_debit_file(data, "res.dat", results=True)
    assert parsed.errors == []
    assert parsed.header is not None and parsed.header.debit_mmdd == "0731"
    assert [(r.customer_no, r.result_code, r.line) for r in parsed.records] == [
        ("00000000000120250731", 0, 2),
        ("00000000000220250731", 1, 3),
    ]


def test_characters_outside_the_zengin_set_are_not_written() -> None:
    with pytest.raises(DumpError, match="預金者名"):
        dump_debit_file(bank_settings(), date(2025, 7, 31), [replace(LINES[0], holder="山田")])
    with pytest.raises(DumpError, match="引落金額"):
        dump_debit_file(bank_settings(), date(2025, 7, 31), [replace(LINES[0], amount=10**10)])


def _corrupt(data: bytes, record: int, offset: int, new: bytes) -> bytes:
    start = record * 120 + offset
    return data[:start] + new + data[start + len(new) :]


def test_bad_files_get_every_error_with_line_and_field() -> None:
    good = dump_debit_file(bank_settings(), date(2025, 7, 31), [replace(ln, result_code=0) for ln in LINES])
    bad = _corrupt(good, 1, 50, "山".encode("cp932"))  # a double-byte character in 預金者名
    bad = _corrupt(bad, 2, 42, b"3")  # 預金種目 3 does not exist
    errors = parse_debit_file(bad, "res.dat", results=True).errors
    assert [(e.line, e.field) for e in errors] == [(2, "holder"), (3, "deposit_type")]
    assert "全角" in errors[0].reason
    totals = _corrupt(good, 2, 80, b"000000999")  # amount changed: the trailer no longer adds up
    errors = parse_debit_file(totals, "res.dat", results=True).errors
    assert [(e.line, e.field) for e in errors] == [(4, "total_amount"), (4, "done_amount")]
    assert parse_debit_file(good[:-120], "x", results=True).errors[0].reason == "エンドレコードがありません"
    [short] = parse_debit_file(good[:-1], "x", results=True).errors  # one error, naming the partial record
    assert (short.line, short.field) == (5, "(レコード)") and "120 バイトの倍数ではありません" in short.reason
    blank_code = _corrupt(good, 1, 111, b" ")
    assert next(e.field for e in parse_debit_file(blank_code, "x", results=True).errors) == "result_code"
    swapped = records(good)
    assert parse_debit_file(b"".join([swapped[1], swapped[0], *swapped[2:]]), "x", results=True).errors
    wrong_kind = _corrupt(good, 0, 1, b"21")
    assert any(e.field == "kind_code" for e in parse_debit_file(wrong_kind, "x", results=True).errors)


@pytest.mark.parametrize(
    ("doc", "module"), [("zengin-debit.md", "debit"), ("zengin-transfer.md", "transfer")]
)
def test_interface_documents_show_the_layout_tables(doc: str, module: str) -> None:
    import importlib
    from pathlib import Path

    layouts = importlib.import_module(f"kouki.interfaces.zengin.{module}")
    text = (Path(__file__).resolve().parents[2] / "docs" / "interfaces" / doc).read_text(encoding="utf-8")
    for record in (layouts.HEADER_RECORD, layouts.DATA_RECORD, layouts.TRAILER_RECORD, layouts.END_RECORD):
        assert layout_table(record) in text
