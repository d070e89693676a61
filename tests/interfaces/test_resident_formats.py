"""住基異動 file variants: dump → parse round trip, CP932 details, layout document in step with the code."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from interfaces.helpers import new_number, record
from kouki.interfaces.resident_register.formats import DumpError, detect_variant, dump_csv, dump_fixed, parse
from kouki.interfaces.resident_register.layout import DATA_FIELDS, RECORD_LENGTH, offsets
from kouki.interfaces.resident_register.record import ChangeCode, ResidentChangeRecord
from kouki.interfaces.resident_register.validation import cp932_width, is_private_use
from kouki.privacy.redaction import contains_personal_number

DOC = Path(__file__).resolve().parents[2] / "docs" / "interfaces" / "resident-register-changes.md"


def sample() -> list[ResidentChangeRecord]:
    return [
        record(personal_number=new_number()),
        record(
            change_id="C0002",
            code=ChangeCode.ADDRESS_CHANGE,
            effective_date=date(2025, 6, 1),
            notified_date=date(2025, 6, 2),
            other_address="",
            address="さいたま市見沼区堀崎町１２番地３６",
        ),
        record(
            change_id="C0003",
            code=ChangeCode.DEATH,
            addressee_no="0000012346",
            is_householder=False,
            relationship="夫",
            family_name="髙橋",
            given_name="",
            given_name_kana="",
            sex="1",
            family_name_kana="タカハシ",
            effective_date=date(2025, 7, 1),
            notified_date=date(2025, 7, 1),
            other_address="",
        ),
    ]


@pytest.mark.parametrize("dump", [dump_fixed, dump_csv])
def test_round_trip_both_variants(dump: Callable[[list[ResidentChangeRecord]], bytes]) -> None:
    records = sample()
    data = dump(records)
    result = parse(data, "idou.dat")
    assert result.errors == []
    assert result.records == records


def test_fixed_layout_is_cp932_crlf_with_header_and_trailer() -> None:
    records = sample()
    data = dump_fixed(records, created_on=date(2025, 7, 2), municipality_code="11100")
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    lines = lines[:-1]
    assert [len(line) for line in lines] == [RECORD_LENGTH] * (len(records) + 2)
    assert lines[0][:21] == b"120250702111000000003"
    assert lines[-1][:8] == b"80000003"
    assert [line[:1] for line in lines[1:-1]] == [b"2"] * 3
    # full-width characters take two bytes; the name field is right-padded with half-width spaces
    offset = dict((f.name, pos) for f, pos in offsets(DATA_FIELDS))["family_name"]
    assert lines[1][offset : offset + 40] == "髙﨑".encode("cp932") + b" " * 36
    assert detect_variant(data) == "fixed"
    assert parse(data, "x").variant == "fixed"


def test_special_characters_round_trip_in_cp932() -> None:
    rec = record(family_name="髙﨑①", given_name="～花", address="①丁目～②")
    parsed = parse(dump_fixed([rec]), "x.dat")
    assert parsed.errors == []
    assert parsed.records[0].family_name == "髙﨑①"
    assert parsed.records[0].given_name == "～花"
    assert parsed.records[0].address == "①丁目～②"


def test_user_defined_characters_are_refused_when_dumping() -> None:
    with pytest.raises(DumpError, match="U\\+E000"):
        dump_fixed([record(family_name="\ue000")])


@pytest.mark.parametrize("char", ["〜", "−"])
def test_characters_that_change_in_cp932_are_refused_when_dumping(char: str) -> None:
    with pytest.raises(DumpError, match=f"U\\+{ord(char):04X}"):
        dump_fixed([record(address=f"一丁目{char}二")])


def test_characters_outside_cp932_are_refused_in_fixed_but_kept_in_csv() -> None:
    rec = record(family_name="𠮷田")
    with pytest.raises(DumpError, match="family_name"):
        dump_fixed([rec])
    assert parse(dump_csv([rec]), "x.csv").records == [rec]


def test_too_wide_text_is_refused_when_dumping() -> None:
    with pytest.raises(DumpError, match="上限 40 バイト"):
        dump_fixed([record(family_name="長" * 21)])


def test_dump_error_for_a_number_field_does_not_echo_the_value() -> None:
    number = new_number()
    with pytest.raises(DumpError) as info:
        dump_fixed([record(personal_number=number + "1")])
    assert not contains_personal_number(str(info.value))
    assert (number in str(info.value)) is False


def test_csv_bom_is_optional_and_crlf_or_lf_are_read() -> None:
    records = sample()
    with_bom = dump_csv(records)
    assert with_bom.startswith(b"\xef\xbb\xbf")
    without = dump_csv(records, bom=False)
    assert parse(without, "x.csv").records == records
    assert parse(without.replace(b"\r\n", b"\n"), "x.csv").records == records
    assert detect_variant(without) == "csv"


def test_csv_quotes_commas_and_quotes() -> None:
    rec = record(address='さいたま市浦和区高砂３丁目１５番１号,"別館"')
    data = dump_csv([rec])
    assert b'"' in data
    assert parse(data, "x.csv").records == [rec]


def test_layout_document_lists_every_field_at_its_offset() -> None:
    text = DOC.read_text(encoding="utf-8")
    for f, pos in offsets(DATA_FIELDS):
        row = re.compile(
            rf"`{f.name}`\s*\|\s*{pos + 1}\s*\|\s*{f.length}\s*\|\s*{f.type}\s*\|.*\|\s*{f.label}\s*\|"
        )
        assert row.search(text), f"{f.name} at byte {pos + 1} missing from the layout document"


# ------------------------------------------------------------------ property: text fields within CP932 widths


def _cp932_letters() -> list[str]:
    """Every character CP932 decodes to and writes back the same, excluding spaces and controls."""
    found: set[str] = set()
    for lead in [*range(0x81, 0xA0), *range(0xE0, 0xFD)]:
        for trail in [*range(0x40, 0x7F), *range(0x80, 0xFD)]:
            try:
                ch = bytes([lead, trail]).decode("cp932")
            except UnicodeDecodeError:
                continue
            if ch != "\u3000" and not is_private_use(ch) and ch.encode("cp932").decode("cp932") == ch:
                found.add(ch)
    found.update(chr(c) for c in range(0x21, 0x7F))
    found.update(chr(c) for c in range(0xFF61, 0xFFA0))  # half-width katakana, one byte each
    return sorted(found)


_KANJI_AND_KANA = st.sampled_from(_cp932_letters())
_KATAKANA = st.sampled_from(
    "アイウエオカキクケコガギグゲゴサシスセソタチツテトナニヌネノハヒフヘホパピプペポ"
    "マミムメモヤユヨラリルレロワヲンァィゥェォッャュョヴー"
)


def _text(alphabet: st.SearchStrategy[str], width: int, min_size: int = 1) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=min_size, max_size=width // 2)


@st.composite
def records(draw: st.DrawFn) -> ResidentChangeRecord:
    code = draw(st.sampled_from(list(ChangeCode)))
    effective = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
    birth = (
        effective
        if code == ChangeCode.BIRTH
        else draw(st.dates(min_value=date(1900, 1, 1), max_value=effective))
    )
    other = draw(_text(_KANJI_AND_KANA, 160, 1 if code in (ChangeCode.MOVE_IN, ChangeCode.MOVE_OUT) else 0))
    given = draw(_text(_KANJI_AND_KANA, 40, 0))
    return record(
        change_id=draw(st.from_regex(r"[A-Za-z0-9-]{1,20}", fullmatch=True)),
        code=code,
        effective_date=effective,
        birth_date=birth,
        notified_date=draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))),
        addressee_no=draw(st.from_regex(r"[0-9]{1,15}", fullmatch=True)),
        household_no=draw(st.from_regex(r"[0-9]{1,15}", fullmatch=True)),
        is_householder=draw(st.booleans()),
        relationship=draw(_text(_KANJI_AND_KANA, 20)),
        family_name=draw(_text(_KANJI_AND_KANA, 40)),
        given_name=given,
        family_name_kana=draw(_text(_KATAKANA, 40)),
        given_name_kana=draw(_text(_KATAKANA, 40, 1 if given else 0)),
        sex=draw(st.sampled_from(["1", "2"])),
        postal_code=draw(st.from_regex(r"[0-9]{7}", fullmatch=True)),
        municipality_code=f"{draw(st.integers(1, 47)):02d}{draw(st.integers(0, 999)):03d}",
        address=draw(_text(_KANJI_AND_KANA, 160)),
        other_address=other,
        personal_number=draw(st.sampled_from(["", new_number()])),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(records(), min_size=1, max_size=4, unique_by=lambda r: r.change_id))
def test_property_round_trip_fixed(recs: list[ResidentChangeRecord]) -> None:
    result = parse(dump_fixed(recs), "p.dat")
    assert [(e.line, e.field) for e in result.errors] == []
    assert result.records == recs


@settings(max_examples=150, deadline=None)
@given(st.lists(records(), min_size=1, max_size=4, unique_by=lambda r: r.change_id))
def test_property_round_trip_csv(recs: list[ResidentChangeRecord]) -> None:
    result = parse(dump_csv(recs), "p.csv")
    assert [(e.line, e.field) for e in result.errors] == []
    assert result.records == recs


@settings(max_examples=100, deadline=None)
@given(st.text(_KANJI_AND_KANA, min_size=21, max_size=41))
def test_property_text_wider_than_the_field_is_refused(name: str) -> None:
    assume(cp932_width(name) > 40)
    rec = dataclasses.replace(record(), family_name=name)
    with pytest.raises(DumpError):
        dump_fixed([rec])
    errors = parse(dump_csv([rec]), "p.csv").errors
    assert [(e.line, e.field) for e in errors] == [(2, "family_name")]
