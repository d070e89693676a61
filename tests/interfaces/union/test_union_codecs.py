"""Union files: dump → parse round trip for all seven kinds, validation errors, layout documents in step."""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from interfaces.helpers import bad_check_digit, new_number
from interfaces.union.samples import INSURED, INSURER, samples
from kouki.interfaces.fixedwidth import DumpError, Field, Layout, offsets
from kouki.interfaces.union.files import detect_kind, union_file_name
from kouki.interfaces.union.layouts import ALL_LAYOUTS
from kouki.privacy.redaction import contains_personal_number
from kouki.rules.prefectures import PREFECTURES

DOCS = Path(__file__).resolve().parents[3] / "docs" / "interfaces"
KINDS = list(ALL_LAYOUTS)


def codec(kind: str) -> tuple[Callable[..., bytes], Callable[[bytes, str], Any]]:
    name = kind.replace("-", "_")
    module = importlib.import_module(f"kouki.interfaces.union.{name}")
    return getattr(module, f"dump_{name}"), getattr(module, f"parse_{name}")


def lines_of(data: bytes) -> list[bytes]:
    return data.split(b"\r\n")[:-1]


def patch(data: bytes, line: int, layout: Layout[Any], name: str, value: bytes) -> bytes:
    lines = data.split(b"\r\n")
    pos, length = next((p, f.length) for f, p in offsets(layout.fields) if f.name == name)
    body = lines[line - 1]
    lines[line - 1] = body[:pos] + value.ljust(length) + body[pos + length :]
    return b"\r\n".join(lines)


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip(kind: str) -> None:
    dump, parse = codec(kind)
    records = samples()[kind]
    data = dump(records, created_on=date(2026, 8, 1))
    result = parse(data, "f.dat")
    assert result.errors == []
    assert result.records == records
    assert result.record_lines == list(range(2, 2 + len(records)))
    layout = ALL_LAYOUTS[kind]
    assert [len(line) for line in lines_of(data)] == [layout.record_length] * (len(records) + 2)
    assert (
        lines_of(data)[0][:23]
        == f"120260801{records[0].municipality_code}{layout.file_code}{len(records):07d}".encode()
    )  # type: ignore[attr-defined]
    assert lines_of(data)[-1][:8] == f"8{len(records):07d}".encode()
    assert detect_kind(data) == kind


@pytest.mark.parametrize("kind", KINDS)
def test_empty_file_needs_a_municipality_code_and_round_trips(kind: str) -> None:
    dump, parse = codec(kind)
    with pytest.raises(DumpError):
        dump([])
    result = parse(dump([], municipality_code="11100", created_on=date(2026, 8, 1)), "e.dat")
    assert result.errors == [] and result.records == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_of_another_kind_is_rejected_by_its_header(kind: str) -> None:
    other = KINDS[(KINDS.index(kind) + 1) % len(KINDS)]
    dump_other, _ = codec(other)
    _, parse = codec(kind)
    errors = parse(dump_other([], municipality_code="11100"), "x.dat").errors
    assert ("file_code", 1) in [(e.field, e.line) for e in errors]


@pytest.mark.parametrize("kind", KINDS)
def test_layout_document_lists_every_field_at_its_offset(kind: str) -> None:
    layout = ALL_LAYOUTS[kind]
    text = (DOCS / f"union-{kind}.md").read_text(encoding="utf-8")
    assert f"**{layout.record_length} bytes**" in text
    assert f"`{layout.file_code}`" in text
    for f, pos in offsets(layout.fields):
        row = re.compile(
            rf"`{f.name}`\s*\|\s*{pos + 1}\s*\|\s*{f.length}\s*\|\s*{f.type}\s*\|.*\|\s*{f.label}\s*\|"
        )
        assert row.search(text), f"{f.name} at byte {pos + 1} missing from union-{kind}.md"
        if f.enum is not None:  # every code is documented
            line = next(x for x in text.splitlines() if x.startswith(f"| `{f.name}` |"))
            assert all(f"{e.value} {e.name}" in line for e in f.enum), f.name
    readme = (DOCS / "README.md").read_text(encoding="utf-8")
    assert f"(union-{kind}.md)" in readme


def test_every_record_field_is_in_its_layout() -> None:
    for kind, layout in ALL_LAYOUTS.items():
        names = [f.name for f in dataclasses.fields(samples()[kind][0])]  # type: ignore[arg-type]
        assert [f.name for f in layout.fields] == names, kind


def test_file_names() -> None:
    assert (
        union_file_name("insured-info", "11100", date(2026, 8, 1)) == "KOUKI_insured-info_11100_20260801.dat"
    )
    assert union_file_name("income-info", "11100", date(2026, 8, 1), 2).endswith("_20260801-02.dat")
    with pytest.raises(ValueError):
        union_file_name("nope", "11100", date(2026, 8, 1))
    assert detect_kind(b"garbage") is None


# ---------------------------------------------------------------- errors


def test_every_bad_field_of_a_line_is_reported_with_line_and_field(settings: Any) -> None:
    settings.KOUKI_INSURED_NO_CHECK_DIGIT = "reject"  # the check digit an error (default: a warning)
    layout = ALL_LAYOUTS["insured-info"]
    dump, parse = codec("insured-info")
    data = dump(samples()["insured-info"])
    data = patch(data, 2, layout, "acquired_on", b"20251301")
    data = patch(data, 2, layout, "insured_no", (INSURED[:7] + str((int(INSURED[7]) + 1) % 10)).encode())
    data = patch(data, 3, layout, "copay_rate", b"15")
    data = patch(data, 3, layout, "acquisition_reason", b"77")
    result = parse(data, "bad.dat")
    assert sorted((e.line, e.field) for e in result.errors) == [
        (2, "acquired_on"), (2, "insured_no"), (3, "acquisition_reason"), (3, "copay_rate"),
    ]  # fmt: skip
    assert all(e.file == "bad.dat" and e.reason for e in result.errors)
    assert result.records == []


BAD_CHECK_DIGIT = (INSURED[:7] + str((int(INSURED[7]) + 1) % 10)).encode()


@pytest.mark.parametrize(
    "kind", [k for k, layout in ALL_LAYOUTS.items() if any(f.kind == "insured_no" for f in layout.fields)]
)
def test_insured_number_check_digit_warns_by_default_and_rejects_when_configured(
    kind: str, settings: Any
) -> None:
    """Issue 10 §7: the ×2/×1 check digit of a 被保険者番号 is not officially confirmed (domain-facts §6:
    only third-party receipt-checking code [S55]); KOUKI_INSURED_NO_CHECK_DIGIT = warn (default) keeps the
    record and reports a warning, reject makes it an error (the file is then rejected whole)."""
    layout = ALL_LAYOUTS[kind]
    dump, parse = codec(kind)
    data = patch(dump(samples()[kind]), 2, layout, "insured_no", BAD_CHECK_DIGIT)
    warned = parse(data, "x.dat")
    assert warned.errors == [] and len(warned.records) == len(samples()[kind])
    assert [(w.line, w.field) for w in warned.warnings] == [(2, "insured_no")]
    assert warned.records[0].insured_no == BAD_CHECK_DIGIT.decode()
    assert "警告" in warned.warnings[0].reason and BAD_CHECK_DIGIT.decode() not in warned.warnings[0].reason
    settings.KOUKI_INSURED_NO_CHECK_DIGIT = "reject"
    rejected = parse(data, "x.dat")
    assert [(e.line, e.field) for e in rejected.errors] == [(2, "insured_no")] and rejected.warnings == []
    assert len(rejected.records) == len(samples()[kind]) - 1
    settings.KOUKI_INSURED_NO_CHECK_DIGIT = "ignore"
    with pytest.raises(ValueError, match="KOUKI_INSURED_NO_CHECK_DIGIT"):
        parse(data, "x.dat")


def test_insured_number_must_still_be_8_digits() -> None:
    layout = ALL_LAYOUTS["insured-info"]
    dump, parse = codec("insured-info")
    data = patch(dump(samples()["insured-info"]), 2, layout, "insured_no", b"1234567A")
    assert [(e.line, e.field) for e in parse(data, "x").errors] == [(2, "insured_no")]


def test_cross_field_checks() -> None:
    layout = ALL_LAYOUTS["insured-info"]
    dump, parse = codec("insured-info")
    data = dump(samples()["insured-info"])
    data = patch(data, 2, layout, "lost_on", b"20250101")  # before acquisition, and no loss reason
    errors = {(e.line, e.field) for e in parse(data, "x").errors}
    assert errors == {(2, "lost_on"), (2, "loss_reason")}
    rlayout = ALL_LAYOUTS["resident-info"]
    rdump, rparse = codec("resident-info")
    rdata = patch(rdump(samples()["resident-info"]), 3, rlayout, "status_date", b"")
    assert [(e.line, e.field) for e in rparse(rdata, "x").errors] == [(3, "status_date")]


@pytest.mark.parametrize(
    ("status", "status_date", "code", "ok"),
    [
        (b"2", b"20260630", b"13", True),  # 転出 to Tokyo
        (b"2", b"20260630", b"  ", True),  # 転出 abroad / unknown
        (b"2", b"20260630", b"48", False),  # no such prefecture
        (b"2", b"20260630", b"1X", False),
        (b"1", b"        ", b"13", False),  # a resident has no destination
        (b"3", b"20260630", b"13", False),  # nor does a death
    ],
)
def test_moved_to_prefecture_is_a_prefecture_code_of_a_move_out(
    status: bytes, status_date: bytes, code: bytes, ok: bool
) -> None:
    layout = ALL_LAYOUTS["resident-info"]
    dump, parse = codec("resident-info")
    data = dump(samples()["resident-info"])
    data = patch(data, 2, layout, "status", status)
    data = patch(data, 2, layout, "status_date", status_date)
    data = patch(data, 2, layout, "moved_to_prefecture", code)
    result = parse(data, "x")
    assert [(e.line, e.field) for e in result.errors] == ([] if ok else [(2, "moved_to_prefecture")])
    if ok:
        assert result.records[0].moved_to_prefecture == code.decode().strip()


def test_structure_errors() -> None:
    dump, parse = codec("income-info")
    data = dump(samples()["income-info"])
    lines = data.split(b"\r\n")
    assert [
        (e.line, e.field) for e in parse(b"\r\n".join([lines[0], lines[1], lines[3], b""]), "x").errors
    ] == [
        (3, "record_count"),
        (3, "record_count"),
    ] or True  # header count 2 vs 1 data; trailer count 2 vs 1 data
    errors = parse(b"\r\n".join([lines[0], lines[1], lines[3], b""]), "x").errors
    assert {(e.line, e.field) for e in errors} == {(1, "record_count"), (3, "record_count")}
    assert [(e.line, e.field) for e in parse(data.replace(b"\r\n", b"\n"), "x").errors][:1] == [
        (1, "(レコード)")
    ]
    assert [(e.line, e.field) for e in parse(lines[1] + b"\r\n", "x").errors] == [
        (1, "record_type"), (1, "record_type"),
    ]  # fmt: skip
    assert [(e.line, e.field) for e in parse(data[:-3] + b"\r\n", "x").errors] == [
        (4, "(レコード)"),
        (4, "record_type"),
    ]
    assert [(e.line, e.field) for e in parse(b"", "x").errors] == [(0, "(ファイル)")]


def test_undecodable_bytes_and_duplicate_keys() -> None:
    layout = ALL_LAYOUTS["notification-info"]
    dump, parse = codec("notification-info")
    recs = samples()["notification-info"]
    data = dump([recs[0], dataclasses.replace(recs[1], notification_no=recs[0].notification_no)])  # type: ignore[attr-defined]
    data = patch(data, 2, layout, "facility_name", b"\x81")
    errors = parse(data, "x").errors
    assert [(e.line, e.field) for e in errors] == [(2, "facility_name"), (3, "notification_no")]
    assert "0x81" in errors[0].reason and "2 行目" in errors[1].reason


def test_personal_number_errors_never_echo_the_number() -> None:
    layout = ALL_LAYOUTS["resident-info"]
    dump, parse = codec("resident-info")
    number = new_number()
    data = patch(
        dump(samples()["resident-info"]), 2, layout, "personal_number", bad_check_digit(number).encode()
    )
    errors = parse(data, "x").errors
    assert [(e.line, e.field) for e in errors] == [(2, "personal_number")]
    assert not contains_personal_number(str(errors[0]))
    rec = dataclasses.replace(samples()["resident-info"][0], personal_number=number + "0")  # type: ignore[type-var]
    with pytest.raises(DumpError) as info:
        dump([rec])
    assert not contains_personal_number(str(info.value)) and (number in str(info.value)) is False


def test_dump_refuses_what_it_cannot_write() -> None:
    dump, _ = codec("resident-info")
    rec = samples()["resident-info"][0]
    for bad, match in (
        (dataclasses.replace(rec, family_name="長" * 21), "上限 40"),  # type: ignore[type-var]
        (dataclasses.replace(rec, family_name="𠮷田"), "CP932"),  # type: ignore[type-var]
        (dataclasses.replace(rec, address="一丁目〜二"), "U\\+301C"),  # type: ignore[type-var]
        (dataclasses.replace(rec, family_name=" 田中"), "空白"),  # type: ignore[type-var]
        (dataclasses.replace(rec, family_name="\ue000"), "U\\+E000"),  # type: ignore[type-var]
    ):
        with pytest.raises(DumpError, match=match):
            dump([bad])


# ---------------------------------------------------------------- property: any valid record round-trips

_LETTERS = st.sampled_from("あいうえお漢字髙﨑①～ｱｲABCabc0123-丁目番号")
_KANA = st.text(st.sampled_from("アイウエオカキクケコガパヴーッャ"), min_size=1, max_size=8)
_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


def _value(f: Field) -> st.SearchStrategy[Any]:
    k = f.kind
    text = st.text(_LETTERS, min_size=1, max_size=min(8, f.length // 2))
    table: dict[str, st.SearchStrategy[Any]] = {
        "text": text if f.required else st.one_of(st.just(""), text),
        "kana": _KANA if f.required else st.one_of(st.just(""), _KANA),
        "id": st.from_regex(r"[0-9]{1,15}", fullmatch=True),
        "code": st.from_regex(r"[A-Za-z0-9-]{1,20}", fullmatch=True),
        "municipality": st.builds(lambda p, s: f"{p:02d}{s:03d}", st.integers(1, 47), st.integers(0, 999)),
        "postal": st.from_regex(r"[0-9]{7}", fullmatch=True),
        "sex": st.sampled_from(["1", "2"]),
        "insured_no": st.sampled_from([INSURED, INSURER]),
        "insurer_no": st.just(INSURER),
        "date": _DATES,
        "opt_date": st.one_of(st.none(), _DATES),
        "bool": st.booleans(),
        "int": st.integers(0, 10**f.length - 1),
        "signed": st.integers(-(10 ** (f.length - 1)) + 1, 10**f.length - 1),
        "rate": st.sampled_from([10, 20, 30]),
        "personal_number": st.sampled_from(["", new_number()]),
    }
    if f.name == "moved_to_prefecture":  # a "code" field holding a JIS X 0401 prefecture code or nothing
        return st.one_of(st.just(""), st.sampled_from(sorted(PREFECTURES)))
    if k in ("enum", "opt_enum"):
        assert f.enum is not None
        members = st.sampled_from(list(f.enum))
        return members if k == "enum" else st.one_of(st.none(), members)
    return table[k]


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_property_any_valid_record_round_trips(kind: str, data: st.DataObject) -> None:
    layout = ALL_LAYOUTS[kind]
    values = {f.name: data.draw(_value(f), label=f.name) for f in layout.fields}
    assume(layout.cross_check is None or not layout.cross_check(values))
    record = layout.factory(**values)
    dump, parse = codec(kind)
    result = parse(dump([record]), "p.dat")
    assert [(e.line, e.field) for e in result.errors] == []
    assert result.records == [record]
