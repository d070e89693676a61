"""The simulated union judges 軽減 on the household of the judgement date, not the latest one (issue 10 §3).

Sources: 高齢者の医療の確保に関する法律施行令 (平成19年政令第318号) 第18条 — the household (its 世帯主 and
被保険者) is taken as of the 賦課期日, or the acquisition date for a person who becomes insured later in the
year (https://laws.e-gov.go.jp/law/419CO0000000318 ; domain-facts §9 "軽減 household date": later household
changes do not re-judge). The same in a municipality's words: "賦課期日(4月1日)現在の世帯の所得状況に応じて
…年度途中に資格取得した方の場合(年齢到達、県外転入等)、資格取得日が賦課期日となります"
(https://www.town.nagashima.lg.jp/livelihood/li0047/).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kouki.interfaces.union.income_info import dump_income_info
from kouki.interfaces.union.premium_info import parse_premium_info
from kouki.interfaces.union.records import (
    AssessmentKind,
    IncomeInfoRecord,
    PremiumInfoRecord,
    ReassessmentReason,
    ResidentInfoRecord,
    ResidentStatus,
)
from kouki.interfaces.union.resident_info import dump_resident_info
from kouki.rules.premium import HouseholdMember, MemberPremium, assess_household, resolve_parameters
from kouki.sandbox.union import UnionSimulator
from kouki.sandbox.union.assessment import REDUCTION_CODES
from kouki.sandbox.union.households import HouseholdHistory

CITY = "11100"
MOTHER, SON, DAUGHTER, FATHER = "000400001", "000400002", "000400003", "000400004"
H1, H2 = "800001", "800002"
LONG_AGO = date(2000, 4, 1)
BIRTH = {
    MOTHER: date(1945, 5, 10),
    SON: date(1970, 1, 5),
    DAUGHTER: date(1972, 3, 3),
    FATHER: date(1950, 5, 15),
}
ACQUIRED = {
    FATHER: date(2025, 5, 15)
}  # 75th birthday inside FY2025; the others: MOTHER long before, SON/DAUGHTER never
# income of 2024 (the FY2025 judgement): (public pension, salary)
INCOME = {MOTHER: (790_000, 0), FATHER: (790_000, 0), SON: (0, 5_000_000), DAUGHTER: (0, 5_000_000)}


def rec(
    addressee: str, household: str, householder: bool, changed_on: date, *, since: date = LONG_AGO,
    status: ResidentStatus = ResidentStatus.RESIDENT,
) -> ResidentInfoRecord:  # fmt: skip
    return ResidentInfoRecord(
        CITY, addressee, household, householder, "世帯主" if householder else "世帯員", "与野", "某", "ヨノ",
        "ボウ", "1", BIRTH[addressee], "3380001", "さいたま市中央区上落合", status,
        None if status == ResidentStatus.RESIDENT else changed_on, since, changed_on, "",
    )  # fmt: skip


class Union:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        self.sim = UnionSimulator(tmp / "state", today=date(2025, 3, 1))
        self.n = 0

    def send(self, data: bytes) -> None:
        self.n += 1
        path = self.tmp / f"in-{self.n}.dat"
        path.write_bytes(data)
        self.sim.receive(path)

    def residents(self, *records: ResidentInfoRecord) -> None:
        for r in records:  # one file each: the daily exchanges that carried them
            self.send(dump_resident_info([r]))

    def incomes(self, override: dict[str, tuple[int, int]] | None = None) -> None:
        values = {**INCOME, **(override or {})}
        self.send(
            dump_income_info(
                [IncomeInfoRecord(CITY, a, 2024, p, s, 0, 0, True) for a, (p, s) in values.items()]
            )
        )

    def premiums(self, on: date) -> dict[str, PremiumInfoRecord]:
        paths = self.sim.run_day(on, self.tmp / "out" / on.isoformat())
        out: dict[str, PremiumInfoRecord] = {}
        for path in paths:
            if path.name.startswith("KOUKI_premium-info_"):
                parsed = parse_premium_info(path.read_bytes(), path.name)
                assert parsed.errors == []
                out.update({r.addressee_no: r for r in parsed.records})
        return out


def engine(
    person: str, household: dict[str, bool], override: dict[str, tuple[int, int]] | None = None
) -> MemberPremium:
    """The engine's premium of `person` with the household the law counts (member → 世帯主)."""
    incomes = {**INCOME, **(override or {})}
    members = [
        HouseholdMember(
            a, a in (MOTHER, FATHER), BIRTH[a], householder, *incomes[a], insured_from=ACQUIRED.get(a)
        )
        for a, householder in sorted(household.items())
    ]
    return next(r for r in assess_household(members, resolve_parameters(2025, "saitama")) if r.id == person)


def assert_assessed(record: PremiumInfoRecord, expected: MemberPremium) -> None:
    assert record.reduction == REDUCTION_CODES[expected.reduction]
    assert (record.per_capita_levy, record.income_levy, record.months, record.annual_premium) == (
        expected.per_capita_levy, expected.income_levy, expected.months, expected.annual_premium,
    )  # fmt: skip


@dataclass(frozen=True)
class Case:
    name: str
    records: tuple[ResidentInfoRecord, ...]  # sent in this order before the 当初賦課
    person: str
    household: dict[str, bool]  # the household on the judgement date: member → 世帯主
    reduction: str  # what that household gives (the latest household would give something else)


CASES = [
    Case(
        "household change after 4-01: the 世帯主 moves out on 6-01, no change to 軽減",
        (rec(MOTHER, H1, False, LONG_AGO), rec(SON, H1, True, LONG_AGO),
         rec(SON, H2, True, date(2025, 6, 1)), rec(MOTHER, H1, True, date(2025, 6, 1))),
        MOTHER, {SON: True, MOTHER: False}, "none",
    ),
    Case(
        "household change after 4-01: the 世帯主 dies on 5-10, still counted",
        (rec(MOTHER, H1, False, LONG_AGO), rec(SON, H1, True, LONG_AGO),
         rec(SON, H1, True, date(2025, 5, 10), status=ResidentStatus.DECEASED),
         rec(MOTHER, H1, True, date(2025, 5, 10))),
        MOTHER, {SON: True, MOTHER: False}, "none",
    ),
    Case(
        "household member moving in before 4-01 (3-20) is counted",
        (rec(MOTHER, H1, True, LONG_AGO), rec(SON, H1, True, date(2025, 3, 20), since=date(2025, 3, 20)),
         rec(MOTHER, H1, False, date(2025, 3, 20))),
        MOTHER, {SON: True, MOTHER: False}, "none",
    ),
    Case(
        "household member moving in on 4-01 is counted (現在: as of that day)",
        (rec(MOTHER, H1, True, LONG_AGO), rec(SON, H1, True, date(2025, 4, 1), since=date(2025, 4, 1)),
         rec(MOTHER, H1, False, date(2025, 4, 1))),
        MOTHER, {SON: True, MOTHER: False}, "none",
    ),
    Case(
        "household member moving in after 4-01 (4-02) is not counted",
        (rec(MOTHER, H1, True, LONG_AGO), rec(SON, H1, True, date(2025, 4, 2), since=date(2025, 4, 2)),
         rec(MOTHER, H1, False, date(2025, 4, 2))),
        MOTHER, {MOTHER: True}, "70%",
    ),
    Case(
        "acquiring mid-year (75 on 5-15): judged on that day's household, not 4-01's nor the latest",
        (rec(FATHER, H1, False, LONG_AGO), rec(SON, H1, True, LONG_AGO),
         rec(SON, H2, True, date(2025, 5, 1)), rec(FATHER, H1, True, date(2025, 5, 1)),
         rec(DAUGHTER, H1, True, date(2025, 6, 10), since=date(2025, 6, 10)),
         rec(FATHER, H1, False, date(2025, 6, 10))),
        FATHER, {FATHER: True}, "70%",
    ),
    Case(
        "acquiring mid-year (75 on 5-15): a member moving in before the acquisition (5-01) is counted",
        (rec(FATHER, H1, True, LONG_AGO),
         rec(DAUGHTER, H1, True, date(2025, 5, 1), since=date(2025, 5, 1)),
         rec(FATHER, H1, False, date(2025, 5, 1))),
        FATHER, {DAUGHTER: True, FATHER: False}, "none",
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_reduction_is_judged_on_the_household_of_the_judgement_date(tmp_path: Path, case: Case) -> None:
    union = Union(tmp_path)
    union.residents(*case.records)
    union.incomes()
    initial = union.premiums(date(2025, 7, 1))  # 当初賦課 FY2025
    expected = engine(case.person, case.household)
    assert expected.reduction == case.reduction
    assert initial[case.person].kind == AssessmentKind.INITIAL
    assert_assessed(initial[case.person], expected)


def test_a_household_change_after_4_01_received_later_gives_no_reassessment(tmp_path: Path) -> None:
    union = Union(tmp_path)
    union.residents(rec(MOTHER, H1, False, LONG_AGO), rec(SON, H1, True, LONG_AGO))
    union.incomes()
    initial = union.premiums(date(2025, 7, 1))
    assert_assessed(initial[MOTHER], engine(MOTHER, {SON: True, MOTHER: False}))
    assert initial[MOTHER].reduction == REDUCTION_CODES["none"]
    # the son (世帯主, the income that denies the reduction) moves out in August; the mother is alone
    union.residents(rec(SON, H2, True, date(2025, 8, 20)), rec(MOTHER, H1, True, date(2025, 8, 20)))
    assert union.premiums(date(2025, 8, 21)) == {}
    assert union.premiums(date(2025, 9, 1)) == {}  # the monthly 更正 file: nothing to correct
    assert union.premiums(date(2025, 10, 1)) == {}


def test_an_income_correction_re_judges_with_the_household_of_4_01(tmp_path: Path) -> None:
    union = Union(tmp_path)
    union.residents(rec(MOTHER, H1, False, LONG_AGO), rec(SON, H1, True, LONG_AGO))
    union.incomes()
    union.premiums(date(2025, 7, 1))
    union.residents(rec(SON, H2, True, date(2025, 8, 20)), rec(MOTHER, H1, True, date(2025, 8, 20)))
    union.premiums(date(2025, 9, 1))
    union.incomes({MOTHER: (2_000_000, 0)})  # the tax system corrects the mother's 2024 pension
    changed = union.premiums(date(2025, 10, 1))
    assert set(changed) == {MOTHER}
    record = changed[MOTHER]
    assert record.kind == AssessmentKind.REASSESSMENT and record.reason == ReassessmentReason.INCOME
    # with the son of 4-01 counted: no reduction (alone, as today, she would get 2割)
    expected = engine(MOTHER, {SON: True, MOTHER: False}, {MOTHER: (2_000_000, 0)})
    assert expected.reduction == "none"
    assert engine(MOTHER, {MOTHER: True}, {MOTHER: (2_000_000, 0)}).reduction == "20%"
    assert_assessed(record, expected)


def test_a_late_notified_move_in_dated_before_4_01_re_judges_with_reason_household(tmp_path: Path) -> None:
    union = Union(tmp_path)
    union.residents(rec(MOTHER, H1, True, LONG_AGO))
    union.incomes()
    initial = union.premiums(date(2025, 7, 1))
    assert initial[MOTHER].reduction == REDUCTION_CODES["70%"]
    # notified in August: the son moved in on 3-20, before the 賦課期日 — the household of 4-01 was wrong
    union.residents(rec(SON, H1, True, date(2025, 3, 20), since=date(2025, 3, 20)),
                    rec(MOTHER, H1, False, date(2025, 3, 20)))  # fmt: skip
    changed = union.premiums(date(2025, 9, 1))
    assert set(changed) == {MOTHER}
    assert changed[MOTHER].kind == AssessmentKind.REASSESSMENT
    assert changed[MOTHER].reason == ReassessmentReason.HOUSEHOLD
    assert_assessed(changed[MOTHER], engine(MOTHER, {SON: True, MOTHER: False}))


def _history(*records: ResidentInfoRecord) -> HouseholdHistory:
    history = HouseholdHistory({})
    for r in records:
        history.record(f"{CITY}:{r.addressee_no}", r)
    return history


def test_the_history_follows_the_change_dates() -> None:
    key = f"{CITY}:{SON}"
    history = _history(
        rec(SON, H1, True, date(2025, 3, 20), since=date(2025, 3, 20)),
        rec(SON, H2, False, date(2025, 6, 1)),
        rec(SON, H2, False, date(2025, 9, 1), status=ResidentStatus.MOVED_OUT),
    )
    assert history.entry_on(key, date(2025, 3, 19)) is None  # not yet a resident
    assert history.entry_on(key, date(2025, 3, 20)) == (f"{CITY}:{H1}", True)
    assert history.entry_on(key, date(2025, 5, 31)) == (f"{CITY}:{H1}", True)
    assert history.entry_on(key, date(2025, 6, 1)) == (f"{CITY}:{H2}", False)
    assert history.entry_on(key, date(2025, 9, 1)) is None  # moved out that day
    assert history.members_on(key, date(2025, 9, 1)) == {key: False}  # alone


def test_a_record_dated_earlier_replaces_what_followed_it() -> None:
    key = f"{CITY}:{SON}"
    history = _history(
        rec(SON, H1, True, LONG_AGO),
        rec(SON, H2, True, date(2025, 6, 1)),
        rec(SON, H1, True, date(2025, 5, 1)),  # the city's corrected current version: the move was cancelled
    )
    assert history.entry_on(key, date(2025, 7, 1)) == (f"{CITY}:{H1}", True)
    assert history.histories[key][-1][0] == "2025-05-01"


def test_before_the_first_record_its_household_stands_from_the_residence_start() -> None:
    key = f"{CITY}:{MOTHER}"
    history = _history(rec(MOTHER, H1, False, date(2025, 6, 1), since=date(1990, 1, 1)))
    assert history.entry_on(key, date(2025, 4, 1)) == (f"{CITY}:{H1}", False)
    assert history.entry_on(key, date(1989, 12, 31)) is None


def test_a_state_written_before_the_history_was_kept_starts_it_from_the_latest_records(
    tmp_path: Path,
) -> None:
    union = Union(tmp_path)
    union.residents(rec(MOTHER, H1, False, LONG_AGO), rec(SON, H1, True, LONG_AGO))
    union.sim.save()
    state = tmp_path / "state" / "union-state.json"
    data: dict[str, Any] = json.loads(state.read_text(encoding="utf-8"))
    del data["household_history"]
    state.write_text(json.dumps(data), encoding="utf-8")
    again = UnionSimulator(tmp_path / "state")
    assert again.household_on(f"{CITY}:{MOTHER}", date(2025, 4, 1)) == {
        f"{CITY}:{MOTHER}": False, f"{CITY}:{SON}": True,
    }  # fmt: skip
    assert dataclasses.asdict(again.state)["household_history"].keys() == {
        f"{CITY}:{MOTHER}",
        f"{CITY}:{SON}",
    }
