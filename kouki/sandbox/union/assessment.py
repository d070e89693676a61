"""The simulated union's assessment (賦課): premiums with kouki.rules.premium, written as 保険料情報.

- 当初賦課: on the first day run on or after July 1 of a fiscal year, every person insured in some month of
  that year is assessed (income = 所得・課税情報 of the year before the fiscal year; eligibility = the
  union's own insured periods).
- Household (軽減): 高齢者の医療の確保に関する法律施行令 §18 judges the household as of the
  賦課期日 (April 1), or the acquisition date for a person who acquires the status later in the
  year. Each person is assessed with the 世帯 and 世帯主 of their judgement date
  (kouki.sandbox.union.households, from the 異動日 of the 住民基本台帳情報 received), never the
  latest; the engine (kouki.rules.premium) gets that household, and its members judged the same day
  share one engine call.
- 更正: everyone who shared a household with a person touched since the last file (income, household or
  eligibility changes: the simulator's dirty keys) is assessed again on the first day run in each later
  month; only a changed result is sent, with the reason (eligibility, household, income, other, in that
  order of precedence). A household change after a person's judgement date changes nothing for them (no
  更正); an income correction re-judges with the household of the judgement date; a household change dated
  on or before it (a late notification or a correction) does re-judge (reason household). A person not
  assessed before gets a 当初 record for that year; a person no longer insured in that year gets a 更正
  with 0 months.
- 減免: a 減免 the union's benefit side granted (kouki.sandbox.union.reductions) lowers the person's
  保険料額 for its fiscal year by the 減免額 in every assessment from then on; the person is assessed again on
  the first day run in the next month and the lowered premium is sent as a 更正 (reason その他).
- Parameters: `resolve_parameters(fiscal_year, union, overrides.get(fiscal_year))`; Saitama's presets
  cover FY2023–FY2025. Where parameters are missing (FY2026 without configuration) the year is not
  assessed and `problems` names what is missing; the day's eligibility run goes on.

Simplifications (the union's input files do not carry them): nobody is a former dependant (so the first
entry into 後期 elsewhere, HouseholdMember.first_insured_from, is never needed); a person with two insured
periods in a year is assessed from the first start to the last end (and judged on the first start); a
missing income record counts as no income; a person in no household of the city's register on the
judgement date (moved out under 住所地特例, 住登外) is judged alone. A disability entrant whose period was
still open on the 75th birthday and then ended by a move out of the union's area is
`left_certifying_area_after_75` (the FY2024 transitional cap's exclusion).

The assessor keeps its own state file (`union-assessment.json`) next to the simulator's.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from kouki.interfaces.union.files import union_file_name
from kouki.interfaces.union.premium_info import dump_premium_info
from kouki.interfaces.union.records import (
    AcquisitionReason,
    AssessmentKind,
    PremiumInfoRecord,
    PremiumReduction,
    ReassessmentReason,
)
from kouki.rules.eligibility import InsuredPeriodResult, birthday
from kouki.rules.premium import (
    HouseholdMember,
    MemberPremium,
    ParameterError,
    PremiumParameters,
    assess_household,
    judgement_date,
    resolve_parameters,
)
from kouki.rules.union_codes import LossReason
from kouki.rules.wareki import fiscal_year
from kouki.sandbox.union.reductions import granted_reductions, reduced_values, reduction_for
from kouki.sandbox.union.state import write_json

ASSESSMENT_FILE = "union-assessment.json"
INITIAL_MONTH = 7  # 当初賦課 in July
REDUCTION_CODES = {
    "70%": PremiumReduction.SEVENTY,
    "50%": PremiumReduction.FIFTY,
    "20%": PremiumReduction.TWENTY,
    "former_dependant": PremiumReduction.FORMER_DEPENDANT,
    "none": PremiumReduction.NONE,
}


_REDUCTION_VALUES = {label: code.value for label, code in REDUCTION_CODES.items()}


def premium_values(result: MemberPremium, base: int) -> list[Any]:
    """The assessed amounts in the order of PremiumInfoRecord (from per_capita_levy on, reason aside)."""
    return [
        result.per_capita_levy,
        result.income_levy,
        _REDUCTION_VALUES[result.reduction],
        result.months,
        result.annual_premium,
        result.child_support_levy,
        base,
    ]


def assess_members(household: list[HouseholdMember], params: PremiumParameters) -> dict[str, list[Any]]:
    """Member id → premium_values for every insured member (used by the simulator and the benchmark)."""
    results = assess_household(household, params, explain=False)  # no 試算 explanation in bulk
    return {r.id: premium_values(r, r.income_base) for r in results}


@dataclass
class AssessmentState:
    assessed_years: list[int] = field(default_factory=list)
    # key → fiscal year → {"values": [...], "insured_no": str,
    #                      "inputs": {"eligibility", "income", "household"}}
    sent: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    last_file_month: str | None = None
    # 受付番号 of the granted 減免 (kouki.sandbox.union.reductions) already taken into the assessment
    reductions_seen: list[str] = field(default_factory=list)


def _load(state_dir: Path) -> AssessmentState:
    path = state_dir / ASSESSMENT_FILE
    if not path.exists():
        return AssessmentState()
    return AssessmentState(**json.loads(path.read_text(encoding="utf-8")))


def _save(state_dir: Path, state: AssessmentState) -> None:
    write_json(state_dir, ASSESSMENT_FILE, asdict(state))


@dataclass(frozen=True)
class _Assessed:
    values: list[Any]
    insured_no: str
    inputs: dict[str, Any]


class UnionView(Protocol):
    """What the assessment reads of the union (kouki.sandbox.union.simulator.UnionSimulator): read-only;
    the union's state itself stays the simulator's."""

    @property
    def state_dir(self) -> Path: ...

    def known_keys(self) -> set[str]: ...

    def resident(self, key: str) -> Mapping[str, Any] | None: ...

    def person(self, key: str) -> Mapping[str, Any] | None: ...

    def income_items(self, key: str, income_year: int) -> Mapping[str, Any]: ...

    def household_on(self, key: str, day: date) -> Mapping[str, bool]: ...

    def housemates(self, key: str) -> set[str]: ...

    def periods(self, key: str) -> list[InsuredPeriodResult]: ...

    def numbered_periods(self, key: str) -> list[tuple[InsuredPeriodResult, str]]: ...


class UnionAssessment:
    """Attached to a UnionSimulator; `run_day(on, dirty, out_dir)` is called from its run_day."""

    def __init__(
        self,
        simulator: UnionView,
        *,
        union: str | None = "saitama",
        overrides: Mapping[int, Mapping[str, Any]] | None = None,
    ) -> None:
        self.sim = simulator
        self.union = union
        self.overrides = dict(overrides or {})
        self.state = _load(simulator.state_dir)
        self.problems: list[str] = []
        self._params: dict[int, PremiumParameters] = {}
        self._reductions: dict[str, dict[str, Any]] = {}

    def parameters(self, year: int) -> PremiumParameters:
        """The year's parameters (raises kouki.rules.premium.MissingParameters naming what is missing)."""
        if year not in self._params:
            self._params[year] = resolve_parameters(year, self.union, self.overrides.get(year))
        return self._params[year]

    # ------------------------------------------------------------ inputs

    def _span(self, key: str, year: int) -> tuple[date, date | None, bool] | None:
        """(first start, last end, disability entry) of the insured periods touching the fiscal year."""
        start, end = date(year, 4, 1), date(year + 1, 4, 1)
        touching = [p for p in self.sim.periods(key) if p.start < end and (p.end is None or p.end > start)]
        touching = [p for p in touching if p.end is None or p.end > p.start]  # cancelled periods aside
        if not touching:
            return None
        last_end = None if any(p.end is None for p in touching) else max(p.end for p in touching if p.end)
        disability = any(p.acquisition_reason == AcquisitionReason.DISABILITY for p in touching)
        return min(p.start for p in touching), last_end, disability

    def _member(self, key: str, year: int, householder: bool) -> HouseholdMember | None:
        data = self.sim.person(key)
        if data is None:
            return None
        income = self.sim.income_items(key, year - 1)
        span = self._span(key, year)
        return HouseholdMember(
            id=key,
            insured=span is not None,
            birth_date=date.fromisoformat(data["birth_date"]),
            householder=householder,
            public_pension_revenue=int(income.get("public_pension_revenue", 0)),
            salary_revenue=int(income.get("salary_revenue", 0)),
            other_income=max(0, int(income.get("other_income", 0))),
            insured_from=span[0] if span else None,
            insured_until=span[1] if span else None,
            disability_entry=span[2] if span else False,
            left_certifying_area_after_75=self._left_after_75(key, date.fromisoformat(data["birth_date"])),
            income_declared=bool(income.get("declared", True)),  # 未申告: no 軽減 (none received: known 0)
        )

    def _left_after_75(self, key: str, birth: date) -> bool:
        """A period open on the 75th birthday that ended by a move out (the 障害認定 was this union's)."""
        turned_75 = birthday(birth, 75)
        return any(
            p.covers(turned_75) and p.loss_reason == LossReason.MOVE_OUT for p in self.sim.periods(key)
        )

    def _judged_on(self, key: str, year: int) -> date | None:
        """The person's 軽減 judgement date in the year (施行令 §18: April 1, or the acquisition date), or
        None when not insured in the year."""
        member = self._member(key, year, False)
        if member is None or not member.insured:
            return None
        return judgement_date(member, year)

    def _household(self, key: str, year: int, day: date) -> list[HouseholdMember]:
        """The person's household on `day` (the 世帯 and 世帯主 of that day, not the latest)."""
        members: list[HouseholdMember] = []
        for k, householder in sorted(self.sim.household_on(key, day).items()):
            m = self._member(k, year, householder)
            if m is not None:
                members.append(m)
        return members

    def _assess_household(self, key: str, year: int) -> dict[str, _Assessed]:
        """The premium of `key` and of everyone judged with it: the members of its household on its judgement
        date whose judgement date is the same day (one engine call for them all)."""
        day = self._judged_on(key, year)
        if day is None:
            return {}
        household = self._household(key, year, day)
        results = assess_members(household, self.parameters(year))
        relief = {m.id: reduction_for(self._reductions, m.id, year) for m in household}
        composition = [[m.id, m.householder] for m in household]
        incomes = [[m.id, m.public_pension_revenue, m.salary_revenue, m.other_income] for m in household]
        out: dict[str, _Assessed] = {}
        for m in household:
            if m.id not in results or judgement_date(m, year) != day:
                continue  # judged on another day, with that day's household
            eligibility = [m.insured_from.isoformat() if m.insured_from else None,
                           m.insured_until.isoformat() if m.insured_until else None]  # fmt: skip
            inputs = {"eligibility": eligibility, "income": incomes, "household": composition,
                      "judged_on": day.isoformat()}  # fmt: skip
            if relief[m.id]:
                inputs["relief"] = relief[m.id]  # the 減免額 granted (a 更正 for it has reason その他)
            out[m.id] = _Assessed(
                reduced_values(results[m.id], relief[m.id]), self._insured_no(m.id, year), inputs
            )
        return out

    def _insured_no(self, key: str, year: int) -> str:
        start, end = date(year, 4, 1), date(year + 1, 4, 1)
        numbers = [
            n for p, n in self.sim.numbered_periods(key) if p.start < end and (p.end is None or p.end > start)
        ]
        return numbers[-1]

    # ------------------------------------------------------------ deciding

    def run_day(self, on: date, dirty: Iterable[str], out_dir: Path) -> list[Path]:
        self._reductions = granted_reductions(self.sim.state_dir)
        fresh_relief = sorted(set(self._reductions) - set(self.state.reductions_seen))
        self.state.reductions_seen.extend(fresh_relief)
        pending = set(self.state.pending) | set(dirty) | {self._reductions[n]["key"] for n in fresh_relief}
        year = fiscal_year(on)
        month = f"{on:%Y-%m}"
        records: list[PremiumInfoRecord] = []
        initial = year not in self.state.assessed_years and on >= date(year, INITIAL_MONTH, 1)
        if initial and self._usable(year):
            records.extend(self._initial(year, on))
            self.state.assessed_years.append(year)
        if month != self.state.last_file_month:
            for y in sorted({year - 1, year} & set(self.state.assessed_years)):
                if initial and y == year:
                    continue
                if self._usable(y):
                    records.extend(self._reassess(y, on, pending))
            pending = set()
            self.state.last_file_month = month
        self.state.pending = sorted(pending)
        paths = self._write(records, on, Path(out_dir))
        _save(self.sim.state_dir, self.state)
        return paths

    def _usable(self, year: int) -> bool:
        try:
            self.parameters(year)
        except ParameterError as exc:
            message = f"{year}年度の賦課ができません: {exc}"
            if message not in self.problems:
                self.problems.append(message)
            return False
        return True

    def _record(
        self, key: str, year: int, on: date, a: _Assessed, kind: AssessmentKind,
        reason: ReassessmentReason | None,
    ) -> PremiumInfoRecord:  # fmt: skip
        municipality, addressee = key.split(":", 1)
        v = a.values
        return PremiumInfoRecord(
            municipality, addressee, a.insured_no, year, kind, on,
            v[0], v[1], PremiumReduction(v[2]), v[3], v[4], v[5], v[6], reason,
        )  # fmt: skip

    def _initial(self, year: int, on: date) -> list[PremiumInfoRecord]:
        done: set[str] = set()
        out: list[PremiumInfoRecord] = []
        for key in sorted(self.sim.known_keys()):
            if key in done:
                continue
            for member, assessed in sorted(self._assess_household(key, year).items()):
                done.add(member)
                out.append(self._record(member, year, on, assessed, AssessmentKind.INITIAL, None))
                self._remember(member, year, assessed)
        return out

    def _remember(self, key: str, year: int, a: _Assessed) -> None:
        self.state.sent.setdefault(key, {})[str(year)] = {
            "values": a.values, "insured_no": a.insured_no, "inputs": a.inputs,
        }  # fmt: skip

    def _reassess(self, year: int, on: date, pending: set[str]) -> list[PremiumInfoRecord]:
        # whoever may have counted a changed person on their judgement date: everyone who shared a
        # household with them (the household of that day is then looked up for each)
        keys: set[str] = set()
        for key in pending:
            keys |= self.sim.housemates(key)
        fresh: dict[str, _Assessed] = {}
        for key in sorted(keys):
            if key not in fresh:
                fresh.update(self._assess_household(key, year))
        out: list[PremiumInfoRecord] = []
        for key in sorted(keys | set(fresh)):
            before = self.state.sent.get(key, {}).get(str(year))
            now = fresh.get(key)
            if now is None:
                if before is None or before["values"][3] == 0:
                    continue
                now = _Assessed(
                    [0, 0, PremiumReduction.NONE.value, 0, 0, 0, before["values"][6]],
                    before["insured_no"],
                    {**before["inputs"], "eligibility": [None, None]},
                )
            if before is None:
                out.append(self._record(key, year, on, now, AssessmentKind.INITIAL, None))
            elif before["values"] != now.values or before["insured_no"] != now.insured_no:
                out.append(
                    self._record(
                        key, year, on, now, AssessmentKind.REASSESSMENT, _reason(before["inputs"], now.inputs)
                    )
                )
            else:
                continue
            self._remember(key, year, now)
        return out

    def _write(self, records: list[PremiumInfoRecord], on: date, out_dir: Path) -> list[Path]:
        by_city: dict[str, list[PremiumInfoRecord]] = defaultdict(list)
        for r in records:
            by_city[r.municipality_code].append(r)
        paths: list[Path] = []
        for municipality in sorted(by_city):
            out_dir.mkdir(parents=True, exist_ok=True)
            path = out_dir / union_file_name("premium-info", municipality, on)
            path.write_bytes(dump_premium_info(by_city[municipality], created_on=on))
            paths.append(path)
        return paths


def _reason(before: dict[str, Any], after: dict[str, Any]) -> ReassessmentReason:
    if before.get("eligibility") != after.get("eligibility"):
        return ReassessmentReason.ELIGIBILITY
    if before.get("household") != after.get("household"):
        return ReassessmentReason.HOUSEHOLD
    if before.get("income") != after.get("income"):
        return ReassessmentReason.INCOME
    return ReassessmentReason.OTHER
