"""申請情報, 療養費関連情報 and 決定情報 (issue 12 §2): round trips, byte layout, and every rejection with
its line and field (nothing taken in); the layout documents hold the tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from interfaces.union.benefit_samples import application, decision, medical_expense, refused
from kouki.interfaces.fixedwidth import Layout, layout_table, offsets
from kouki.interfaces.union.application_info import (
    APPLICATION_INFO,
    dump_application_info,
    parse_application_info,
)
from kouki.interfaces.union.benefit_decision import (
    BENEFIT_DECISION,
    dump_benefit_decision,
    parse_benefit_decision,
)
from kouki.interfaces.union.files import (
    BENEFIT_CITY_TO_UNION,
    UNION_TO_CITY,
    detect_kind,
    inbox_importer,
    union_file_name,
)
from kouki.interfaces.union.medical_expense_info import (
    MEDICAL_EXPENSE_INFO,
    dump_medical_expense_info,
    parse_medical_expense_info,
)
from kouki.rules.benefits.codes import (
    ApplicationKind,
    DecisionReason,
    DecisionResult,
    Document,
    ReliefGround,
    document_flags,
    documents_of,
)

DOCS = Path(__file__).resolve().parents[3] / "docs" / "interfaces"
Codec = tuple[Layout[Any], Callable[..., bytes], Callable[[bytes, str], Any], str]
CODECS: dict[str, Codec] = {
    "application-info": (APPLICATION_INFO, dump_application_info, parse_application_info,
                         "union-application-info.md"),
    "medical-expense-info": (MEDICAL_EXPENSE_INFO, dump_medical_expense_info, parse_medical_expense_info,
                             "union-medical-expense-info.md"),
    "benefit-decision": (BENEFIT_DECISION, dump_benefit_decision, parse_benefit_decision,
                         "union-benefit-decision.md"),
}  # fmt: skip


def sample(kind: str) -> list[Any]:
    if kind == "application-info":
        return [application(k, f"U2025-{i:06d}") for i, k in enumerate(ApplicationKind)]
    if kind == "medical-expense-info":
        return [
            medical_expense(),
            medical_expense(
                "U2025-000002", kind=ApplicationKind.ABROAD, abroad=True, provider_name="Clinique de Paris"
            ),
        ]
    return [decision(), refused()]


def errors_of(kind: str, records: list[Any]) -> set[tuple[int, str]]:
    _, dump, parse, _ = CODECS[kind]
    return {(e.line, e.field) for e in parse(dump(records, created_on=date(2025, 8, 1)), "f.dat").errors}


def patch(data: bytes, line: int, layout: Layout[Any], name: str, value: bytes) -> bytes:
    lines = data.split(b"\r\n")
    pos, length = next((p, f.length) for f, p in offsets(layout.fields) if f.name == name)
    body = lines[line - 1]
    lines[line - 1] = body[:pos] + value.ljust(length) + body[pos + length :]
    return b"\r\n".join(lines)


@pytest.mark.parametrize("kind", list(CODECS))
def test_round_trip_is_byte_exact_cp932(kind: str) -> None:
    layout, dump, parse, _ = CODECS[kind]
    records = sample(kind)
    data = dump(records, created_on=date(2025, 8, 1))
    lines = data.split(b"\r\n")[:-1]
    assert [len(line) for line in lines] == [layout.record_length] * (len(records) + 2)
    assert lines[0][:23] == f"12025080111107{layout.file_code}{len(records):07d}".encode()
    parsed = parse(data, "f.dat")
    assert parsed.errors == [] and parsed.records == records
    assert detect_kind(data) == kind
    assert union_file_name(kind, "11107", date(2025, 8, 1)) == f"KOUKI_{kind}_11107_20250801.dat"


@pytest.mark.parametrize("kind", list(CODECS))
def test_document_holds_the_layout_table(kind: str) -> None:
    layout, _, _, doc = CODECS[kind]
    assert layout_table(layout) in (DOCS / doc).read_text(encoding="utf-8")


def test_the_benefit_kinds_are_registered_with_their_direction() -> None:
    assert BENEFIT_CITY_TO_UNION == ("application-info", "medical-expense-info")
    assert "benefit-decision" in UNION_TO_CITY and inbox_importer("benefit-decision") is not None
    assert inbox_importer("application-info") is None  # the city sends it; it never takes it in


@pytest.mark.parametrize("kind", list(CODECS))
def test_a_short_line_is_reported_with_its_line(kind: str) -> None:
    _, dump, parse, _ = CODECS[kind]
    data = dump(sample(kind), created_on=date(2025, 8, 1))
    lines = data.split(b"\r\n")
    lines[1] = lines[1][:-3]
    result = parse(b"\r\n".join(lines), "f.dat")
    assert [e.line for e in result.errors] == [2] and result.records == sample(kind)[1:]


@pytest.mark.parametrize("kind", list(CODECS))
def test_a_bad_date_names_line_and_field(kind: str) -> None:
    layout, dump, parse, _ = CODECS[kind]
    name = {"application-info": "received_on", "medical-expense-info": "paid_on",
            "benefit-decision": "decided_on"}[kind]  # fmt: skip
    data = patch(dump(sample(kind), created_on=date(2025, 8, 1)), 3, layout, name, b"20250231")
    errors = parse(data, "f.dat").errors
    assert [(e.line, e.field) for e in errors] == [(3, name)]
    assert "日付が不正" in errors[0].reason


@pytest.mark.parametrize("kind", list(CODECS))
def test_text_not_in_cp932_is_rejected(kind: str) -> None:
    layout, dump, parse, _ = CODECS[kind]
    name = {"application-info": "applicant_address", "medical-expense-info": "provider_name",
            "benefit-decision": "recipient_address"}[kind]  # fmt: skip
    not_cp932 = "見沼".encode("cp932") + b"\x85\x40"  # 0x8540 is unassigned in CP932
    data = patch(dump(sample(kind), created_on=date(2025, 8, 1)), 2, layout, name, not_cp932)
    result = parse(data, "f.dat")
    assert result.errors and {e.line for e in result.errors} == {2}
    assert len(result.records) == len(sample(kind)) - 1


def test_application_cross_checks() -> None:
    funeral = application(ApplicationKind.FUNERAL)
    cases: list[tuple[Any, str]] = [
        (application(documents="0000000002"), "documents"),
        (application(right_date=date(2025, 7, 11)), "right_date"),
        (dataclasses.replace(funeral, death_date=None), "death_date"),
        (dataclasses.replace(funeral, death_date=date(2025, 6, 21)), "death_date"),
        (application(former_insurer_pays=True), "death_date"),
        (application(payee_account_ref=""), "payee_account_ref"),
        (application(ground=ReliefGround.DEATH), "ground"),
        (application(amount_claimed=0), "amount_claimed"),
        (application(ApplicationKind.REDUCTION, payee_account_ref="ACC-1"), "payee_account_ref"),
        (application(ApplicationKind.REDUCTION, ground=None), "ground"),
        (application(ApplicationKind.REDUCTION, fiscal_year=2007), "fiscal_year"),
        (application(ApplicationKind.REDUCTION, damage_percent=101), "damage_percent"),
        (application(ApplicationKind.REDUCTION, months_requested=3), "months_requested"),
        (application(ApplicationKind.DEFERRAL, months_requested=0), "months_requested"),
        (application(ApplicationKind.DEFERRAL, amount_claimed=0), "amount_claimed"),
    ]
    for record, field in cases:
        assert errors_of("application-info", [record]) == {(2, field)}, field
    assert errors_of("application-info", [application(ApplicationKind.HIGH_COST, amount_claimed=0)]) == set()


def test_the_same_reception_number_twice_is_an_error() -> None:
    assert errors_of("application-info", [application(), application()]) == {(3, "reception_no")}
    assert errors_of("benefit-decision", [decision(), decision()]) == {(3, "reception_no")}


def test_medical_expense_cross_checks() -> None:
    cases: list[tuple[Any, str]] = [
        (medical_expense(kind=ApplicationKind.FUNERAL), "kind"),
        (medical_expense(kind=ApplicationKind.ABROAD), "abroad"),
        (medical_expense(report_month="202513"), "report_month"),
        (medical_expense(care_to=date(2025, 6, 17)), "care_to"),
        (medical_expense(days=4), "days"),
        (medical_expense(paid_amount=0), "paid_amount"),
    ]
    for record, field in cases:
        assert errors_of("medical-expense-info", [record]) == {(2, field)}, field


def test_decision_cross_checks() -> None:
    reduction = dict(
        kind=ApplicationKind.REDUCTION,
        payment_date=None,
        payee_account_ref="",
        fiscal_year=2025,
        amount_claimed=84_000,
        base_amount=84_000,
        amount_decided=84_000,
        reduction_percent=100,
    )
    deferral = dict(
        reduction,
        kind=ApplicationKind.DEFERRAL,
        reduction_percent=0,
        deferral_from=date(2025, 8, 5),
        deferral_until=date(2026, 2, 4),
    )
    assert errors_of("benefit-decision", [decision("A", **reduction), decision("B", **deferral)]) == set()
    cases: list[tuple[Any, str]] = [
        (decision(reason=DecisionReason.ASSESSED_LOWER), "reason"),
        (refused(reason=None), "reason"),
        (refused(amount_decided=100), "amount_decided"),
        (decision("A", **dict(reduction, amount_decided=0)), "amount_decided"),
        (decision(amount_decided=40_000), "amount_decided"),
        (decision(payment_date=None), "payment_date"),
        (decision(payee_account_ref=""), "payee_account_ref"),
        (decision(notice_date=date(2025, 8, 4)), "notice_date"),
        (decision("A", **dict(reduction, reduction_percent=0)), "reduction_percent"),
        (decision(reduction_percent=50), "reduction_percent"),
        (decision("B", **dict(deferral, deferral_until=date(2025, 8, 1))), "deferral_until"),
        (decision(deferral_from=date(2025, 8, 5), deferral_until=date(2025, 9, 5)), "deferral_from"),
        (refused(payment_date=date(2025, 8, 25)), "payment_date"),
    ]
    for record, field in cases:
        assert errors_of("benefit-decision", [record]) == {(2, field)}, field
    high = decision(
        kind=ApplicationKind.HIGH_COST,
        amount_claimed=0,
        base_amount=25_000,
        amount_decided=7_000,
        result=DecisionResult.GRANTED,
    )
    assert errors_of("benefit-decision", [high]) == set()
    assert errors_of("benefit-decision", [dataclasses.replace(high, amount_decided=25_001)]) == {
        (2, "amount_decided")
    }


def test_document_flags_round_trip() -> None:
    docs = frozenset({Document.APPLICATION, Document.PROXY, Document.RECEIPT})
    assert document_flags(docs) == "1001000001"
    assert documents_of(document_flags(docs)) == docs
    with pytest.raises(ValueError, match="0 と 1"):
        documents_of("10010")
