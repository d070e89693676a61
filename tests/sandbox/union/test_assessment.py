"""The simulated union assesses premiums with the engine and sends 保険料情報; the city takes it in and the
assessment in force equals the engine's result."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from factories import make_person

from kouki.assessment.importers import import_premium_info
from kouki.assessment.selectors import assessment_in_force
from kouki.interfaces.importing import Outcome
from kouki.interfaces.union.income_info import dump_income_info
from kouki.interfaces.union.premium_info import parse_premium_info
from kouki.interfaces.union.records import (
    AcquisitionReason,
    AssessmentKind,
    IncomeInfoRecord,
    LossReason,
    PremiumInfoRecord,
    ReassessmentReason,
    ResidentInfoRecord,
    ResidentStatus,
)
from kouki.interfaces.union.resident_info import dump_resident_info
from kouki.privacy.context import Actor
from kouki.rules.eligibility import InsuredPeriodResult
from kouki.rules.premium import HouseholdMember, assess_household, insured_months, resolve_parameters
from kouki.sandbox.union import UnionSimulator
from kouki.sandbox.union.assessment import UnionAssessment

CITY = "11100"
ACTOR = Actor.system("test-union-assessment")
HUSBAND, WIFE = "000300001", "000300002"
# FY2026 (R8): values not published for Saitama; a test configuration, not a claim about the real ones
FY2026: dict[str, Any] = {
    "per_capita_levy": 47000, "income_levy_rate": "0.0950",
    "reduction": {"base": 430000, "per_earner": 100000, "per_insured_50": 305000, "per_insured_20": 560000,
                  "salary_earner_over": 650000, "pension_earner_over_under_65": 600000,
                  "pension_earner_over_65": 1250000, "senior_pension_deduction": 150000},
    "child_support": {"per_capita_levy": 1300, "income_levy_rate": "0.0026",
                      "reduced_per_capita_rounding": 10, "income_levy_rounding": 1, "premium_rounding": 100},
}  # fmt: skip


def resident(addressee: str, birth: date, householder: bool, given: str) -> ResidentInfoRecord:
    return ResidentInfoRecord(
        CITY, addressee, "700001", householder, "世帯主" if householder else "妻", "大宮", given, "オオミヤ",
        "タロウ" if householder else "ハナコ", "1" if householder else "2", birth, "3300846",
        "さいたま市大宮区大門町１丁目", ResidentStatus.RESIDENT, None, date(1980, 4, 1), date(2025, 4, 1), "",
    )  # fmt: skip


def income(addressee: str, year: int, pension: int, salary: int = 0) -> IncomeInfoRecord:
    return IncomeInfoRecord(CITY, addressee, year, pension, salary, 0, 0, True)


class Exchange:
    def __init__(self, tmp: Path, **kw: Any) -> None:
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        self.sim = UnionSimulator(tmp / "state", today=date(2025, 6, 1), **kw)
        self.n = 0

    def send(self, data: bytes) -> None:
        self.n += 1
        path = self.tmp / f"in-{self.n}.dat"
        path.write_bytes(data)
        self.sim.receive(path)

    def day(self, on: date) -> list[Path]:
        paths = self.sim.run_day(on, self.tmp / "out" / on.isoformat())
        return [p for p in paths if p.name.startswith("KOUKI_premium-info_")]


def premiums(path: Path) -> list[PremiumInfoRecord]:
    parsed = parse_premium_info(path.read_bytes(), path.name)
    assert parsed.errors == []
    return parsed.records


def household(husband_pension: int) -> list[HouseholdMember]:
    return [
        HouseholdMember(HUSBAND, True, date(1945, 5, 10), True, husband_pension),
        HouseholdMember(WIFE, True, date(1947, 9, 20), False, 790_000),
    ]


def setup(tmp: Path, **kw: Any) -> Exchange:
    ex = Exchange(tmp, **kw)
    ex.send(
        dump_resident_info(
            [
                resident(HUSBAND, date(1945, 5, 10), True, "太郎"),
                resident(WIFE, date(1947, 9, 20), False, "花子"),
            ],
            created_on=date(2025, 6, 1),
        )
    )
    ex.send(
        dump_income_info(
            [
                income(HUSBAND, 2024, 2_100_000),
                income(WIFE, 2024, 790_000),
                income(HUSBAND, 2025, 2_100_000),
                income(WIFE, 2025, 790_000),
            ]
        )
    )
    return ex


@pytest.mark.django_db
def test_initial_assessment_in_july_reaches_the_city_equal_to_the_engine(tmp_path: Path) -> None:
    ex = setup(tmp_path)
    assert ex.day(date(2025, 6, 2)) == []  # nothing before July
    [path] = ex.day(date(2025, 7, 1))
    records = premiums(path)
    engine = {r.id: r for r in assess_household(household(2_100_000), resolve_parameters(2025, "saitama"))}
    assert [r.addressee_no for r in records] == [HUSBAND, WIFE]
    for r in records:
        e = engine[r.addressee_no]
        assert r.kind == AssessmentKind.INITIAL and r.reason is None and r.fiscal_year == 2025
        assert (r.per_capita_levy, r.income_levy, r.months, r.annual_premium, r.child_support_levy) == (
            e.per_capita_levy,
            e.income_levy,
            e.months,
            e.annual_premium,
            e.child_support_levy,
        )
    assert records[0].income_base == 2_100_000 - 1_100_000 - 430_000

    people = {a: make_person(addressee_no=a) for a in (HUSBAND, WIFE)}
    assert import_premium_info(actor=ACTOR, path=path).outcome == Outcome.APPLIED
    for a, person in people.items():
        in_force = assessment_in_force(person.pk, 2025)
        assert in_force is not None
        assert (in_force.annual_premium, in_force.reduction, in_force.per_capita_levy) == (
            engine[a].annual_premium,
            engine[a].reduction,
            engine[a].per_capita_levy,
        )


@pytest.mark.django_db
def test_an_income_correction_gives_a_reassessment_in_the_next_monthly_file(tmp_path: Path) -> None:
    ex = setup(tmp_path)
    [initial] = ex.day(date(2025, 7, 1))
    people = {a: make_person(addressee_no=a) for a in (HUSBAND, WIFE)}
    import_premium_info(actor=ACTOR, path=initial)
    ex.send(dump_income_info([income(HUSBAND, 2024, 3_600_000)]))
    assert ex.day(date(2025, 7, 20)) == []  # monthly: waits for the next month's file
    [monthly] = ex.day(date(2025, 8, 1))
    engine = {r.id: r for r in assess_household(household(3_600_000), resolve_parameters(2025, "saitama"))}
    changed = premiums(monthly)
    assert {r.addressee_no for r in changed} <= {HUSBAND, WIFE} and changed
    for r in changed:
        assert r.kind == AssessmentKind.REASSESSMENT and r.reason == ReassessmentReason.INCOME
        assert r.annual_premium == engine[r.addressee_no].annual_premium
    assert import_premium_info(actor=ACTOR, path=monthly).outcome == Outcome.APPLIED
    in_force = assessment_in_force(people[HUSBAND].pk, 2025)
    assert in_force is not None and in_force.kind == "reassessment"
    assert in_force.annual_premium == engine[HUSBAND].annual_premium
    assert ex.day(date(2025, 9, 1)) == []  # nothing changed since


def test_moving_out_gives_a_reassessment_for_the_months_insured(tmp_path: Path) -> None:
    ex = setup(tmp_path)
    ex.day(date(2025, 7, 1))
    moved = dataclasses.replace(resident(WIFE, date(1947, 9, 20), False, "花子"),
                                status=ResidentStatus.MOVED_OUT, status_date=date(2025, 9, 10),
                                changed_on=date(2025, 9, 10))  # fmt: skip
    ex.send(dump_resident_info([moved]))
    [path] = ex.day(date(2025, 10, 1))
    wife = next(r for r in premiums(path) if r.addressee_no == WIFE)
    lost = household(2_100_000)[1]._replace(insured_until=date(2025, 9, 11))  # 喪失日: the day after
    assert wife.reason == ReassessmentReason.ELIGIBILITY and wife.kind == AssessmentKind.REASSESSMENT
    assert wife.months == len(insured_months(lost, 2025)) < 12


def test_fiscal_2026_needs_configuration_and_names_what_is_missing(tmp_path: Path) -> None:
    ex = setup(tmp_path)
    assert ex.day(date(2026, 7, 1)) == []  # nothing assessed; the day's eligibility run went on
    assert any("2026年度" in p and "per_capita_levy" in p for p in ex.sim.assessment.problems)

    configured = setup(tmp_path / "c", premium_parameters={2026: FY2026})
    [path] = configured.day(date(2026, 7, 1))
    records = [r for r in premiums(path) if r.fiscal_year == 2026]
    params = resolve_parameters(2026, "saitama", FY2026)
    members = [m._replace(public_pension_revenue=p) for m, p in
               zip(household(2_100_000), (2_100_000, 790_000), strict=True)]  # fmt: skip
    engine = {r.id: r for r in assess_household(members, params)}
    assert {r.addressee_no: (r.annual_premium, r.child_support_levy) for r in records} == {
        a: (e.annual_premium, e.child_support_levy) for a, e in engine.items()
    }
    assert all(r.child_support_levy > 0 for r in records)


class _View:
    """A minimal UnionView: one person and their insured periods (no files)."""

    def __init__(self, state_dir: Path, birth: date, periods: list[InsuredPeriodResult]) -> None:
        self.state_dir = state_dir
        self._birth, self._periods = birth, periods

    def known_keys(self) -> set[str]:
        return {"11100:1"}

    def resident(self, key: str) -> None:
        return None

    def person(self, key: str) -> dict[str, Any]:
        return {"birth_date": self._birth.isoformat()}

    def income_items(self, key: str, income_year: int) -> dict[str, Any]:
        return {"public_pension_revenue": 10_740_000}

    def household_members(self, key: str) -> set[str]:
        return {key}

    def periods(self, key: str) -> list[InsuredPeriodResult]:
        return self._periods

    def numbered_periods(self, key: str) -> list[tuple[InsuredPeriodResult, str]]:
        return [(p, "00000017") for p in self._periods]


@pytest.mark.parametrize(
    ("birth", "loss", "left", "premium"),
    [
        # disability entrant, 75 on 2024-08-01, moved out 2024-10-15 (April–September here): excluded → 80万
        (date(1949, 8, 1), LossReason.MOVE_OUT, True, 400_000),
        # the same person dying instead keeps the transitional 73万
        (date(1949, 8, 1), LossReason.DEATH, False, 365_000),
        # moved out before turning 75 (75 on 2024-12-01): not the exclusion → 73万
        (date(1949, 12, 1), LossReason.MOVE_OUT, False, 365_000),
    ],
)
def test_fy2024_cap_exclusion_for_a_disability_entrant_who_moved_out_after_75(
    tmp_path: Path, birth: date, loss: LossReason, left: bool, premium: int
) -> None:
    """https://shizuoka-ki.jp/hokenryo/index2.html (令和6年度の賦課限度額 ※2): 73万 for 障害認定 entrants
    except those born 1949-04-01 to 1950-03-31 who left the certifying union's area after turning 75."""
    period = InsuredPeriodResult(date(2023, 5, 1), date(2024, 10, 16), AcquisitionReason.DISABILITY, loss)
    assessor = UnionAssessment(_View(tmp_path, birth, [period]))
    member = assessor._member("11100:1", 2024, True)
    assert member is not None and member.disability_entry
    assert member.left_certifying_area_after_75 is left
    [result] = assess_household([member], assessor.parameters(2024), explain=False)
    assert (result.months, result.annual_premium) == (6, premium)
