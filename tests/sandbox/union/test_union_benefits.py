"""The simulated union's benefit side (issue 12 §2): it takes in 申請情報 and 療養費関連情報 (all or nothing,
each file once), decides by the law (domain-facts-next §1–§2) and writes 決定情報, which the city takes in.
Examples from the facts: 葬祭費 5万円 once per death and not when the former employee insurance pays [R6][R7]
[R8]; 療養費 at the person's co-payment rate [R1]; 高額療養費 two steps, 多数回 from the 4th time, the 2割
配慮措置 until 2025-09-30, the annual 外来 cap [R11][R12][R13]; 猶予 up to 6 months [R24][R25]."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from interfaces.union.benefit_samples import application, medical_expense

from kouki.interfaces.benefit_decisions import import_benefit_decision
from kouki.interfaces.importing import Outcome
from kouki.interfaces.selectors import benefit_decision
from kouki.interfaces.union.application_info import ApplicationInfoRecord, dump_application_info
from kouki.interfaces.union.benefit_decision import BenefitDecisionRecord, parse_benefit_decision
from kouki.interfaces.union.files import union_file_name
from kouki.interfaces.union.medical_expense_info import MedicalExpenseInfoRecord, dump_medical_expense_info
from kouki.interfaces.union.pension_result import dump_pension_result
from kouki.privacy.context import Actor
from kouki.rules.benefits.codes import ApplicationKind, DecisionReason, DecisionResult, Document, ReliefGround
from kouki.rules.benefits.high_cost import IncomeClass, MemberCosts
from kouki.sandbox.union.benefits import InsuredProfile, UnionBenefits
from kouki.sandbox.union.simulator import UnionFileRejected

G, P, R, D = DecisionResult.GRANTED, DecisionResult.PARTIAL, DecisionResult.REFUSED, DecisionResult.DISMISSED
ON = date(2025, 8, 5)
K = ApplicationKind


class ExactUnion(UnionBenefits):
    """The union whose 審査 accepts every amount paid (the tests' table needs exact figures)."""

    def assessed_cost(self, reception_no: str, paid: int) -> int:
        return paid


def send_applications(tmp_path: Path, records: list[ApplicationInfoRecord], serial: int = 0) -> Path:
    path = tmp_path / "out" / union_file_name("application-info", "11107", ON, serial)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(dump_application_info(records, created_on=ON))
    return path


def send_details(tmp_path: Path, records: list[MedicalExpenseInfoRecord]) -> Path:
    path = tmp_path / "out" / union_file_name("medical-expense-info", "11107", ON)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(dump_medical_expense_info(records, created_on=ON))
    return path


def costs_from(table: dict[tuple[str, str], tuple[int, int]]) -> Callable[[str, date], MemberCosts]:
    def costs(insured_no: str, month: date) -> MemberCosts:
        out, inp = table.get((insured_no, f"{month:%Y-%m}"), (0, 0))
        return MemberCosts(insured_no, out, inp)

    return costs


def by_no(records: list[BenefitDecisionRecord]) -> dict[str, BenefitDecisionRecord]:
    return {r.reception_no: r for r in records}


INSURED = application().insured_no


def test_medical_expense_funeral_and_relief_decided_by_the_law(tmp_path: Path) -> None:
    profiles = {INSURED: InsuredProfile(IncomeClass.GENERAL_2, "h1")}  # 2割
    union = ExactUnion(tmp_path / "union", profiles=profiles)
    funeral = dict(right_date=date(2025, 6, 20), death_date=date(2025, 6, 15))
    apps = [
        application(K.SELF_PAID, "A-1"),
        application(K.SELF_PAID, "A-2", documents="1110000000"),  # no statement, no receipt
        application(K.FUNERAL, "F-1", **funeral),  # type: ignore[arg-type]
        application(K.FUNERAL, "F-2", **funeral),  # type: ignore[arg-type]  # the same death again
        application(K.FUNERAL, "F-3", **dict(funeral, former_insurer_pays=True,
                                               death_date=date(2025, 6, 1))),  # type: ignore[arg-type]
        application(K.FUNERAL, "F-4", **dict(funeral, right_date=date(2023, 7, 9),
                                               death_date=date(2023, 7, 1))),  # type: ignore[arg-type]
        application(K.REDUCTION, "R-1"),
        application(K.DEFERRAL, "D-1", months_requested=9),
        application(K.REDUCTION, "R-2", ground=ReliefGround.DISASTER, damage_percent=45),
    ]  # fmt: skip
    assert union.receive(send_applications(tmp_path, apps)) == len(apps)
    first = by_no(union.decide(ON))
    assert "A-1" not in first and union.pending() == ["A-1"]  # waits for its 療養費関連情報; A-2 does not
    assert union.receive(send_details(tmp_path, [medical_expense("A-1")])) == 1
    decided = {**first, **by_no(union.decide(ON))}
    summary = {n: (r.result, r.amount_decided, r.reason) for n, r in decided.items()}
    assert summary == {
        "A-1": (G, 25_920, None),  # 32,400 − 2割 6,480
        "A-2": (D, 0, DecisionReason.DOCUMENTS_MISSING),
        "F-1": (G, 50_000, None),
        "F-2": (R, 0, DecisionReason.ALREADY_PAID),
        "F-3": (R, 0, DecisionReason.OTHER_INSURER),
        "F-4": (D, 0, DecisionReason.TIME_LIMIT),  # received 2025-07-10, funeral 2023-07-09
        "R-1": (G, 84_000, None),
        "D-1": (P, 84_000, DecisionReason.PARTLY_MET),
        "R-2": (P, 58_800, DecisionReason.PARTLY_MET),
    }
    deferral = decided["D-1"]
    assert (deferral.deferral_from, deferral.deferral_until) == (date(2025, 7, 10), date(2026, 1, 9))
    assert decided["R-2"].reduction_percent == 70 and decided["A-1"].payment_date == date(2025, 8, 25)
    assert union.pending() == [] and union.decide(ON) == []


def test_high_cost_two_steps_many_times_and_the_care_measure(tmp_path: Path) -> None:
    a, b, c = "11112228", "22223337", "33334446"
    profiles = {
        INSURED: InsuredProfile(IncomeClass.GENERAL_1, "h1"),
        a: InsuredProfile(IncomeClass.GENERAL_1, "h1"),
        b: InsuredProfile(IncomeClass.GENERAL_2, "h2"),
        c: InsuredProfile(IncomeClass.GENERAL_1, "h3"),
    }
    costs = {(INSURED, "2025-07"): (250_000, 0)}  # issue 12 §3: 25,000 borne, 7,000 back
    costs |= {(a, m): (0, 1_000_000) for m in ("2024-01", "2024-02", "2024-03", "2024-04")}  # 100,000 borne
    costs |= {(b, "2025-07"): (50_000, 0), (b, "2025-10"): (50_000, 0)}
    union = UnionBenefits(tmp_path / "union", profiles=profiles, costs=costs_from(costs))
    hc = dict(kind=K.HIGH_COST, amount_claimed=0)
    apps = [
        application(reception_no="H-1", **dict(hc, right_date=date(2025, 7, 1))),  # type: ignore[arg-type]
        application(reception_no="H-2", insured_no=a, **dict(hc, right_date=date(2024, 3, 1))),  # type: ignore[arg-type]
        application(reception_no="H-3", insured_no=a, **dict(hc, right_date=date(2024, 4, 1))),  # type: ignore[arg-type]
        application(reception_no="H-4", insured_no=b, **dict(hc, right_date=date(2025, 7, 1))),  # type: ignore[arg-type]
        application(reception_no="H-5", insured_no=b, received_on=date(2025, 11, 10),
                    **dict(hc, right_date=date(2025, 10, 1))),  # type: ignore[arg-type]
    ]  # fmt: skip
    union.receive(send_applications(tmp_path, apps))
    decided = by_no(union.decide(date(2025, 11, 20)))
    summary = {n: (r.result, r.base_amount, r.amount_decided) for n, r in decided.items()}
    assert summary == {
        "H-1": (G, 25_000, 7_000),  # household with a member who had nothing: 18,000 limit
        "H-2": (G, 100_000, 42_400),  # 3rd time: household limit 57,600
        "H-3": (G, 100_000, 55_600),  # 4th time: 多数回 44,400
        "H-4": (G, 10_000, 2_000),  # 配慮措置: 6,000 + (50,000 − 30,000) × 10% = 8,000
        "H-5": (R, 10_000, 0),  # from 2025-10 the 一般Ⅱ limit is 18,000: nothing back
    }
    assert decided["H-5"].reason is DecisionReason.WITHIN_LIMIT


def test_the_annual_outpatient_cap_and_automatic_months(tmp_path: Path) -> None:
    profiles = {INSURED: InsuredProfile(IncomeClass.GENERAL_1, "h1")}
    months = [f"2024-{m:02d}" for m in range(8, 13)] + [f"2025-{m:02d}" for m in range(1, 8)]
    costs = {(INSURED, m): (170_000, 0) for m in months}  # 17,000 a month, under the 18,000 monthly limit
    costs[(INSURED, "2025-08")] = (300_000, 0)
    union = UnionBenefits(tmp_path / "union", profiles=profiles, costs=costs_from(costs))
    union.receive(send_applications(tmp_path, [application(K.HIGH_COST, "H-1", amount_claimed=0,
                                                           right_date=date(2024, 8, 1))]))  # fmt: skip
    assert by_no(union.decide(ON))["H-1"].reason is DecisionReason.WITHIN_LIMIT  # registers the account
    year = union.outpatient_year(date(2025, 7, 31), ON)
    assert [(r.reception_no, r.base_amount, r.amount_decided) for r in year] == [
        (f"KN-{INSURED}-2025", 204_000, 60_000)
    ]  # 12 × 17,000 − 144,000
    assert union.outpatient_year(date(2025, 7, 31), ON) == []  # once
    auto = union.high_cost_month(date(2025, 8, 1), date(2025, 11, 5))
    assert [(r.reception_no, r.amount_decided) for r in auto] == [(f"KG-{INSURED}-202508", 12_000)]
    assert union.high_cost_month(date(2025, 8, 1), date(2025, 11, 5)) == []


def test_files_round_trip_to_the_city(tmp_path: Path, db: None) -> None:
    union = UnionBenefits(tmp_path / "union", seed=11)
    apps = [application(K.SELF_PAID, f"A-{i}") for i in range(5)] + [application(K.FUNERAL, "F-1",
            right_date=date(2025, 6, 20), death_date=date(2025, 6, 15))]  # fmt: skip
    union.receive(send_applications(tmp_path, apps))
    union.receive(send_details(tmp_path, [medical_expense(f"A-{i}") for i in range(5)]))
    paths = union.run(ON, tmp_path / "in")
    assert [p.name for p in paths] == [union_file_name("benefit-decision", "11107", ON)]
    parsed = parse_benefit_decision(paths[0].read_bytes(), paths[0].name)
    assert parsed.ok and len(parsed.records) == 6
    for r in parsed.records:  # never above the claim, whatever the 審査 accepted
        assert 0 <= r.amount_decided <= r.amount_claimed
    outcome = import_benefit_decision(actor=Actor.system("test-union"), path=paths[0], report_dir=tmp_path)
    assert outcome.outcome is Outcome.APPLIED
    held = benefit_decision("F-1")
    assert held is not None and held.amount_decided == 50_000
    second = union.write_decisions(parsed.records[:1], ON, tmp_path / "in")
    assert second[0].name.endswith("-01.dat")


def test_a_file_is_taken_in_once_and_a_bad_one_not_at_all(tmp_path: Path) -> None:
    union = UnionBenefits(tmp_path / "union")
    path = send_applications(tmp_path, [application()])
    assert union.receive(path) == 1 and union.receive(path) == 0
    bad = send_applications(tmp_path, [application(reception_no="B-1", documents="0000000002"),
                                       application(reception_no="B-2")], serial=1)  # fmt: skip
    with pytest.raises(UnionFileRejected) as caught:
        union.receive(bad)
    assert [(e.line, e.field) for e in caught.value.errors] == [(2, "documents")]
    assert union.pending() == ["U2025-000001"]
    other = tmp_path / "other.dat"
    other.write_bytes(dump_pension_result([], created_on=ON, municipality_code="11107"))
    with pytest.raises(UnionFileRejected):
        union.receive(other)
    reloaded = UnionBenefits(tmp_path / "union")
    assert reloaded.pending() == ["U2025-000001"] and reloaded.receive(path) == 0


def test_the_synthetic_union_is_reproducible_from_its_seed(tmp_path: Path) -> None:
    one, two = UnionBenefits(tmp_path / "1", seed=3), UnionBenefits(tmp_path / "2", seed=3)
    month = date(2025, 5, 1)
    assert one.monthly_costs(INSURED, month) == two.monthly_costs(INSURED, month)
    assert one.profile(INSURED) == two.profile(INSURED)
    cost = one.monthly_costs(INSURED, month)
    assert cost.outpatient_cost % 10 == 0 and cost.inpatient_cost % 10 == 0
    assert 0 < one.assessed_cost("A-1", 12_345) <= 12_345
    assert (
        dataclasses.replace(one.profile(INSURED), insured_until=date(2025, 1, 31)).insured_on(month) is False
    )
    assert Document.APPLICATION.value == "1"


def test_the_command_line_receives_and_decides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kouki.sandbox.union.__main__ import main

    state = str(tmp_path / "union")
    apps = send_applications(tmp_path, [application(K.FUNERAL, "F-1", right_date=date(2025, 6, 20),
                                                    death_date=date(2025, 6, 15))])  # fmt: skip
    assert main(["--state", state, "benefits-receive", str(apps)]) == 0
    assert "1 records" in capsys.readouterr().out
    out = tmp_path / "in"
    assert main(["--state", state, "benefits-decide", "--date", ON.isoformat(), "--out", str(out)]) == 0
    written = capsys.readouterr().out
    assert union_file_name("benefit-decision", "11107", ON) in written and "pending: 0" in written
    bad = tmp_path / "bad.dat"
    bad.write_bytes(b"not a union file")
    assert main(["--state", state, "benefits-receive", str(bad)]) == 1
