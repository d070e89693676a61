"""Every validation of the 住基異動 file reports file, line, field and reason; all errors are collected."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interfaces.helpers import bad_check_digit, new_number, patch_field, record
from kouki.interfaces.resident_register.formats import dump_csv, dump_fixed, parse
from kouki.interfaces.resident_register.layout import CSV_COLUMNS
from kouki.interfaces.resident_register.record import ChangeCode
from kouki.privacy.redaction import contains_personal_number


def three() -> bytes:
    return dump_fixed([record(change_id=f"C{i}", addressee_no=f"10{i}") for i in range(1, 4)])


def where(data: bytes, name: str = "idou.dat") -> list[tuple[int, str]]:
    return [(e.line, e.field) for e in parse(data, name).errors]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", b"09"),
        ("effective_date", b"20250231"),
        ("notified_date", b"2025010A"),
        ("birth_date", b"19490230"),
        ("sex", b"3"),
        ("is_householder", b"2"),
        ("postal_code", b"330006 "),
        ("municipality_code", b"99100"),
        ("family_name_kana", "高崎".encode("cp932")),
        ("given_name_kana", b"HANAKO"),
        ("addressee_no", b"12A45"),
        ("household_no", "１２３".encode("cp932")),
        ("change_id", "異動".encode("cp932")),
        ("family_name", b""),
        ("address", b"\t1-2-3"),
        ("relationship", " 妻".encode("cp932")),
    ],
)
def test_a_bad_field_is_reported_with_line_and_field(field: str, value: bytes) -> None:
    data = patch_field(three(), 3, field, value)
    assert where(data) == [(3, field)]


def test_every_bad_line_is_reported_not_just_the_first() -> None:
    data = patch_field(three(), 2, "sex", b"9")
    data = patch_field(data, 3, "postal_code", b"ABCDEFG")
    data = patch_field(data, 4, "effective_date", b"20251301")
    data = patch_field(data, 4, "code", b"99")
    assert where(data) == [(2, "sex"), (3, "postal_code"), (4, "code"), (4, "effective_date")]


def test_personal_number_check_digit_error_never_shows_the_number() -> None:
    number = bad_check_digit(new_number())
    data = patch_field(three(), 2, "personal_number", number.encode())
    errors = parse(data, "idou.dat").errors
    assert [(e.line, e.field) for e in errors] == [(2, "personal_number")]
    assert (number in str(errors[0])) is False
    assert "チェックデジット" in errors[0].reason


def test_personal_number_may_be_blank_but_not_partly_filled() -> None:
    assert where(patch_field(three(), 2, "personal_number", b"")) == []
    assert where(patch_field(three(), 2, "personal_number", b"12345")) == [(2, "personal_number")]


@pytest.mark.parametrize("raw", [b"\x82\xa0\x85\x40", b"\x82\xa0\xff", b"\xa0", b"\x80", b"\xf0\x40"])
def test_bytes_that_are_not_cp932_characters_name_line_and_field(raw: bytes) -> None:
    data = patch_field(three(), 3, "family_name", raw)
    errors = parse(data, "idou.dat").errors
    assert [(e.line, e.field) for e in errors] == [(3, "family_name")]
    assert "CP932" in errors[0].reason or "外字" in errors[0].reason


def test_a_character_cut_at_the_field_boundary_is_an_error_of_that_field() -> None:
    data = patch_field(three(), 2, "family_name", b"A" * 39 + "高".encode("cp932")[:1])
    assert (2, "family_name") in where(data)


def test_duplicate_change_id_within_the_file() -> None:
    data = dump_fixed([record(change_id="X1"), record(change_id="X2"), record(change_id="X1")])
    errors = parse(data, "idou.dat").errors
    assert [(e.line, e.field) for e in errors] == [(4, "change_id")]
    assert "2 行目" in errors[0].reason


def test_trailer_and_header_counts_must_match() -> None:
    lines = three().split(b"\r\n")
    lines[-2] = b"80000004" + lines[-2][8:]
    assert where(b"\r\n".join(lines)) == [(5, "record_count")]
    lines = three().split(b"\r\n")
    lines[0] = lines[0][:14] + b"0000002" + lines[0][21:]
    assert where(b"\r\n".join(lines)) == [(1, "record_count")]


def test_missing_trailer_and_misplaced_records() -> None:
    lines = three().split(b"\r\n")
    without_trailer = b"\r\n".join([*lines[:-2], b""])
    assert where(without_trailer) == [(4, "record_type")]
    no_header = b"\r\n".join(lines[1:])
    assert (1, "record_type") in where(no_header)
    unknown = b"\r\n".join([lines[0], b"5" + lines[1][1:], *lines[2:]])
    assert (2, "record_type") in where(unknown)


def test_record_length_and_line_endings() -> None:
    lines = three().split(b"\r\n")
    short = b"\r\n".join([lines[0], lines[1][:-1], *lines[2:]])
    assert where(short) == [(2, "(レコード)")]
    lf_only = three().replace(b"\r\n", b"\n")
    assert [line for line, _ in where(lf_only)] == [1, 2, 3, 4, 5]


def test_header_date_and_municipality_are_checked() -> None:
    lines = three().split(b"\r\n")
    lines[0] = b"1" + b"20251340" + b"00000" + lines[0][14:]
    assert where(b"\r\n".join(lines)) == [(1, "created_on"), (1, "municipality_code")]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_date": date(2025, 4, 2)}, "birth_date"),
        ({"code": ChangeCode.BIRTH, "birth_date": date(2025, 3, 1)}, "birth_date"),
        ({"other_address": ""}, "other_address"),
        ({"given_name_kana": ""}, "given_name_kana"),
    ],
)
def test_consistency_between_fields(overrides: dict[str, object], field: str) -> None:
    data = dump_csv([record(change_id="A"), record(change_id="B", **overrides)])
    assert where(data, "idou.csv") == [(3, field)]


def test_empty_file() -> None:
    assert where(b"") == [(0, "(ファイル)")]


# ------------------------------------------------------------------ CSV specifics


def csv_text(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    lines = [",".join(header or list(CSV_COLUMNS))] + [",".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def good_row() -> list[str]:
    data = dump_csv([record()], bom=False).decode("utf-8").split("\r\n")[1]
    return data.split(",")


def test_csv_undefined_column_is_rejected_in01() -> None:
    header = [*CSV_COLUMNS, "電話番号"]
    errors = parse(csv_text([[*good_row(), "0480000000"]], header), "x.csv").errors
    assert [(e.line, e.field) for e in errors] == [(1, "(ファイル)")]
    assert "電話番号" in errors[0].reason


def test_csv_missing_and_duplicated_columns() -> None:
    header = [c for c in CSV_COLUMNS if c != "性別"] + ["氏"]
    errors = parse(csv_text([], header), "x.csv").errors
    assert len(errors) == 2
    assert {e.line for e in errors} == {1}


def test_csv_columns_may_come_in_any_order() -> None:
    header = list(reversed(CSV_COLUMNS))
    row = list(reversed(good_row()))
    result = parse(csv_text([row], header), "x.csv")
    assert result.errors == []
    assert result.records == [record()]


def test_csv_errors_name_line_and_field() -> None:
    row = good_row()
    wrong_date = list(row)
    wrong_date[CSV_COLUMNS.index("異動日")] = "20250401"  # fixed-width form is not the CSV form
    too_wide = list(row)
    too_wide[CSV_COLUMNS.index("氏")] = "長" * 21
    short = row[:-1]
    data = csv_text([row, wrong_date, too_wide, short])
    assert where(data, "x.csv") == [(3, "effective_date"), (4, "family_name"), (5, "(レコード)")]


def test_csv_invalid_utf8_and_bad_quoting() -> None:
    data = csv_text([good_row()]).replace("髙".encode(), b"\xff\xfe")
    assert (2, "(レコード)") in where(data, "x.csv")
    row = good_row()
    row[CSV_COLUMNS.index("住所")] = '"unterminated'
    assert (2, "(レコード)") in where(csv_text([row]), "x.csv")


def test_csv_personal_number_error_never_shows_the_number() -> None:
    number = bad_check_digit(new_number())
    row = good_row()
    row[CSV_COLUMNS.index("個人番号")] = number
    errors = parse(csv_text([row]), "x.csv").errors
    assert [(e.line, e.field) for e in errors] == [(2, "personal_number")]
    assert contains_personal_number(str(errors[0])) is False
    assert (number in str(errors[0])) is False


# ------------------------------------------------------------------ robustness: parse never raises


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_property_arbitrary_bytes_give_errors_not_exceptions(data: bytes) -> None:
    result = parse(data, "fuzz.dat")
    assert result.errors or result.records == [] or all(line > 0 for line in result.record_lines)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_property_mutated_files_give_errors_with_lines(data: st.DataObject) -> None:
    original = data.draw(st.sampled_from([three(), dump_csv([record(change_id="A"), record(change_id="B")])]))
    position = data.draw(st.integers(0, len(original) - 1))
    byte = data.draw(st.integers(0, 255))
    mutated = original[:position] + bytes([byte]) + original[position + 1 :]
    result = parse(mutated, "fuzz")
    for error in result.errors:
        assert 0 <= error.line <= len(mutated.splitlines()) + 1
        assert error.field and error.reason
