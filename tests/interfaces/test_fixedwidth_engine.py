"""The fixed-width engine itself (kouki/interfaces/fixedwidth/): a small layout round-trips, widths are CP932
bytes, a bad field is reported with its line, field and reason, and the framings cut files as documented."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kouki.interfaces.fixedwidth import DumpError, Field, Layout, dump, offsets, parse
from kouki.interfaces.fixedwidth.charset import CP932, is_private_use
from kouki.interfaces.fixedwidth.errors import FieldError, LineErrors
from kouki.interfaces.fixedwidth.fields import Kind
from kouki.interfaces.fixedwidth.framing import Framing
from kouki.interfaces.fixedwidth.records import Format, RecordType, read_file
from kouki.interfaces.importing import LineError


class Colour(StrEnum):
    RED = "1"
    BLUE = "2"


@dataclass(frozen=True)
class Row:
    municipality_code: str
    name: str
    kana: str
    ref: str
    born_on: date
    left_on: date | None
    count: int
    balance: int
    active: bool
    colour: Colour | None


SMALL: Layout[Row] = Layout(
    file_code="99",
    title="試験ファイル",
    record_length=80,
    fields=(
        Field("municipality_code", "市区町村コード", "municipality", 5, "municipality", True, "5 digits"),
        Field("name", "氏名", "name", 12, "text", True, "CP932 text"),
        Field("kana", "カナ", "kana", 10, "kana", False, "katakana"),
        Field("ref", "番号", "reference", 6, "id", True, "digits, left-aligned"),
        Field("born_on", "生年月日", "born", 8, "date", True, "YYYYMMDD"),
        Field("left_on", "転出日", "left", 8, "opt_date", False, "YYYYMMDD or spaces"),
        Field("count", "件数", "count", 4, "int", True, "zero-filled"),
        Field("balance", "残高", "balance", 7, "signed", True, "'-' first when negative"),
        Field("active", "有効", "active", 1, "bool", True, "1 / 0"),
        Field("colour", "色", "colour", 1, "opt_enum", False, "1 / 2 or space", Colour),
    ),
    factory=Row,
    key_fields=("ref",),
)
ROW = Row("11100", "髙﨑①", "タカサキ", "42", date(1950, 4, 1), None, 3, -120, True, Colour.RED)

# CP932 text the strict charset writes: no 外字, no control characters, no spaces at either end
_CP932_CHARS = st.characters(
    codec="cp932",
    exclude_categories=("Cc", "Cs", "Co", "Zs"),
    exclude_characters="\u3000¢£¬‖−〜",  # these read back as other characters: the writer refuses them
).filter(lambda ch: ch.encode("cp932").decode("cp932") == ch and not is_private_use(ch))


def _fits(width: int) -> st.SearchStrategy[str]:
    return st.text(_CP932_CHARS, min_size=1, max_size=width).filter(lambda t: len(t.encode("cp932")) <= width)


_ROWS = st.builds(
    Row,
    municipality_code=st.sampled_from(["01100", "11100", "47201"]),
    name=_fits(12),
    kana=st.text(
        st.sampled_from("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨン"),
        max_size=5,
    ),
    ref=st.integers(0, 999_999).map(str),
    born_on=st.dates(date(1900, 1, 1), date(2099, 12, 31)),
    left_on=st.none() | st.dates(date(1900, 1, 1), date(2099, 12, 31)),
    count=st.integers(0, 9999),
    balance=st.integers(-99_999, 9_999_999),
    active=st.booleans(),
    colour=st.none() | st.sampled_from(Colour),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ROWS, max_size=6, unique_by=lambda r: r.ref))
def test_random_records_of_a_small_layout_round_trip(rows: list[Row]) -> None:
    data = dump(SMALL, rows, created_on=date(2026, 8, 1), municipality_code="11100")
    assert all(len(line) == 80 for line in data.split(b"\r\n")[:-1])
    result = parse(SMALL, data, "small.dat")
    assert result.errors == []
    assert result.records == rows
    assert result.record_lines == list(range(2, 2 + len(rows)))
    assert dump(SMALL, result.records, created_on=date(2026, 8, 1), municipality_code="11100") == data


def test_width_is_measured_in_cp932_bytes() -> None:
    data = dump(SMALL, [ROW], created_on=date(2026, 8, 1))
    record = data.split(b"\r\n")[1]
    start = dict((f.name, pos) for f, pos in offsets(SMALL.fields))["name"]
    # ① (NEC special), 髙 and 﨑 (IBM extensions) are two bytes each: 6 bytes, then 6 spaces
    assert record[start : start + 12] == "髙﨑①".encode("cp932") + b" " * 6
    assert len("髙﨑①～".encode("cp932")) == 8 and len("髙﨑①～".encode("cp932").decode("cp932")) == 4
    charset = CP932(strict=True)
    name = SMALL.fields[1]
    # half-width kana: 1 byte
    assert charset.encode(name, "髙﨑①～ｱ") == "髙﨑①～ｱ".encode("cp932") + b" " * 3
    with pytest.raises(FieldError, match="14 バイトで上限 12 バイトを超えています"):
        charset.encode(name, "①髙﨑～①髙﨑")  # 7 characters, 14 bytes
    with pytest.raises(DumpError, match=r"試験ファイル record 1 氏名\(name\): 14 バイトで上限 12 バイト"):
        dump(SMALL, [replace(ROW, name="①髙﨑～①髙﨑")])
    with pytest.raises(DumpError, match="CP932 で '～' に変わります"):
        dump(SMALL, [replace(ROW, name="波〜")])  # WAVE DASH reads back as FULLWIDTH TILDE


def test_a_bad_field_reports_its_line_field_and_reason() -> None:
    data = dump(SMALL, [ROW, replace(ROW, ref="43")], created_on=date(2026, 8, 1))
    lines = data.split(b"\r\n")
    start = dict((f.name, pos) for f, pos in offsets(SMALL.fields))["born_on"]
    lines[2] = lines[2][:start] + b"19500230" + lines[2][start + 8 :]
    result = parse(SMALL, b"\r\n".join(lines), "small.dat")
    assert result.errors == [LineError("small.dat", 3, "born_on", "日付が不正です（YYYYMMDD）: '19500230'")]
    assert result.records == [ROW] and result.record_lines == [2]
    # a double-byte character cut in half: the reason says where, relative to the field
    start = dict((f.name, pos) for f, pos in offsets(SMALL.fields))["name"]
    lines = data.split(b"\r\n")
    lines[1] = lines[1][:start] + b"A\x87" + lines[1][start + 2 :]
    result = parse(SMALL, b"\r\n".join(lines), "small.dat")
    assert [(e.line, e.field) for e in result.errors] == [(2, "name")]
    assert result.errors[0].reason == "CP932 として不正なバイト列です（項目内 2 バイト目 0x87）"


# ---------------------------------------------------------------- a format of its own on the engine

_TYPE = Field("kind", "区分", "record type", 1, "digits")
_N = Kind(
    lambda f, v: f"{v:0{f.length}d}", lambda f, t: int(t) if t.isdigit() else _fail("数字ではありません")
)
_X = Kind(lambda f, v: str(v), lambda f, t: t.rstrip(" "))


def _fail(reason: str) -> Any:
    raise FieldError(reason)


TINY = Format(
    CP932(single_byte=True), {"digits": _N, "text": _X}, Framing(8, separator="either", eof_mark=True)
)
TINY_RECORDS = {
    "1": RecordType("1", "見出し", (_TYPE, Field("name", "名", "name", 7, "text")), 8),
    "2": RecordType("2", "明細", (_TYPE, Field("amount", "額", "amount", 4, "digits")), 8),
}


class _Collect:
    def __init__(self) -> None:
        self.taken: list[tuple[int, str, dict[str, Any]]] = []

    def start(self, line: int, code: str, body: bytes, out: LineErrors) -> None:
        pass

    def place(self, line: int, code: str, record: RecordType | None, out: LineErrors) -> bool:
        if record is None:
            out.add("kind", f"未定義: {code!r}")
        return True

    def take(self, line: int, record: RecordType, values: dict[str, Any], ok: bool, out: LineErrors) -> None:
        if ok:
            self.taken.append((line, record.code, values))

    def end(self, line_count: int) -> None:
        pass


def _read(data: bytes) -> tuple[list[tuple[int, str, dict[str, Any]]], list[tuple[int, str, str]]]:
    shape, errors = _Collect(), []
    read_file(TINY, TINY_RECORDS, shape, data, "t.dat", errors)
    return shape.taken, [(e.line, e.field, e.reason) for e in errors]


@pytest.mark.parametrize("crlf", [False, True])
def test_a_format_of_its_own_with_or_without_line_separators(crlf: bool) -> None:
    records = [
        TINY.write(TINY_RECORDS["1"], {"name": "ｶﾅ"}.__getitem__, "見出し"),
        TINY.write(TINY_RECORDS["2"], {"amount": 12}.__getitem__, "明細"),
    ]
    data = TINY.framing.join(records, crlf=crlf)
    assert data == b"1\xb6\xc5     " + (b"\r\n" if crlf else b"") + b"20012   " + (b"\r\n" if crlf else b"")
    expected = [(1, "1", {"name": "ｶﾅ"}), (2, "2", {"amount": 12})]
    assert _read(data) == (expected, [])
    assert _read(data + b"\x1a") == (expected, [])  # the MS-DOS end-of-file mark is dropped


def test_engine_errors_of_lines_and_files() -> None:
    taken, errors = _read(b"1ABC    2001XY  ")
    assert errors == [(2, "amount", "数字ではありません"), (2, "filler", "予備領域が空白ではありません")]
    assert taken == [(1, "1", {"name": "ABC"})]
    assert _read(b"1ABC    2001") == ([], [(2, "(レコード)", TINY.framing.size_reason(12))])  # nothing read
    reason = TINY.framing.size_reason(12)
    assert reason.startswith("ファイル長 12 バイトが 8 バイトの倍数ではありません（2 件目")
    assert _read(b"1\x82\xa0     ")[1] == [(1, "name", "全角文字が含まれています（半角のみ）")]
    assert _read(b"")[1] == [(0, "(ファイル)", "ファイルが空です")]
    assert _read(b"3       ")[1] == [(1, "kind", "未定義: '3'")]
    with pytest.raises(DumpError, match=r"明細 額\(amount\): 5 バイトで上限 4 バイト"):
        TINY.write(TINY_RECORDS["2"], {"amount": 12345}.__getitem__, "明細")
