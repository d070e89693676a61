"""保険料情報 (union → city): the codec's own checks beyond the generic round trip of every union file."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from interfaces.union.samples import samples
from kouki.interfaces.fixedwidth import layout_table
from kouki.interfaces.union.layouts import PREMIUM_INFO
from kouki.interfaces.union.premium_info import dump_premium_info, parse_premium_info
from kouki.interfaces.union.records import AssessmentKind, PremiumInfoRecord, ReassessmentReason

DOC = Path(__file__).resolve().parents[3] / "docs" / "interfaces" / "union-premium-info.md"


def _sample() -> list[PremiumInfoRecord]:
    return samples()["premium-info"]  # type: ignore[return-value]


def _errors(records: list[PremiumInfoRecord]) -> set[tuple[int, str]]:
    data = dump_premium_info(records, created_on=date(2025, 7, 1))
    return {(e.line, e.field) for e in parse_premium_info(data, "p.dat").errors}


def test_round_trip_keeps_initial_and_reassessment_records() -> None:
    records = _sample()
    parsed = parse_premium_info(dump_premium_info(records), "p.dat")
    assert parsed.errors == [] and parsed.records == records
    assert [r.kind for r in parsed.records] == [AssessmentKind.INITIAL, AssessmentKind.REASSESSMENT]


def test_reason_is_blank_for_initial_and_required_for_reassessment() -> None:
    initial, reassessment = _sample()
    assert _errors([dataclasses.replace(initial, reason=ReassessmentReason.INCOME)]) == {(2, "reason")}
    assert _errors([dataclasses.replace(reassessment, reason=None)]) == {(2, "reason")}


def test_months_are_at_most_twelve_and_zero_months_have_no_premium() -> None:
    initial, _ = _sample()
    assert _errors([dataclasses.replace(initial, months=13)]) == {(2, "months")}
    assert _errors([dataclasses.replace(initial, months=0)]) == {(2, "annual_premium")}
    assert _errors([dataclasses.replace(initial, months=0, annual_premium=0)]) == set()


def test_the_same_person_and_year_twice_in_a_file_is_an_error() -> None:
    initial, _ = _sample()
    assert _errors([initial, initial]) == {(3, "fiscal_year")}


def test_unknown_reduction_code_is_reported_with_line_and_field() -> None:
    data = bytearray(dump_premium_info(_sample()[:1]))
    line2 = data.index(b"\r\n") + 2
    data[line2 + 60] = ord("9")  # 軽減区分 at byte 61 of the data record
    errors = parse_premium_info(bytes(data), "p.dat").errors
    assert [(e.line, e.field) for e in errors] == [(2, "reduction")]


def test_document_holds_the_layout_table() -> None:
    assert layout_table(PREMIUM_INFO) in DOC.read_text(encoding="utf-8")
