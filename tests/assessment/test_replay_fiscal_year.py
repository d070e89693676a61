"""The proof of issue 4 §4: a replayed fiscal year on a 20,000-resident city with one reassessment per
month, through the real files, checked every month against an oracle (tests/assessment/replay_oracle.py)
computed with the pure engine from the synthetic truth.

Timeline (the city goes live on 2024-04-01 so that April–June of the replayed year have a fiscal year to
reassess; the union's 当初賦課 is in July):
- 2024-04-01 go-live: the synthetic city is loaded (its incomes of 2023 with it), the full extract goes to
  the simulated union (kouki.sandbox.union; only files cross), whose answers come back through the inbox.
- 2024-07-01: the union's 当初賦課 for FY2024 (保険料情報) comes back through the inbox; the city plans the
  instalments (kouki batch instalments' services).
- Replayed year, April 2025 – March 2026: on the 1st of each month the daily batch and the union's day run
  (union_day: 所得・課税情報 to the union, 保険料情報 back through the same inbox import as the other union
  files) and the city re-plans what was reassessed (instalment_plans_replan_due); on the 10th the tax system
  sends a correction file (`kouki import tax-income`) changing the income of a few insured people, which the
  union reassesses in its next monthly file (更正). April–June correct 2023 incomes (FY2024 更正); on
  2025-06-10 the tax system's yearly file brings the 2024 incomes; the 2025-07-01 file holds the 当初賦課
  for FY2025, and July–March correct 2024 incomes (FY2025 更正). The March correction is reassessed on
  2026-04-01.

Every union day, for each fiscal year assessed, the city must hold:
- exactly the oracle's premiums: the assessment in force of every insured person equals the engine's result
  for the truth (均等割, 所得割, 軽減, 月数, 保険料, 支援金, 賦課のもととなる所得金額); nobody else assessed;
- a 更正 (reason income, decided that day) for everyone whose premium changed, and the same assessment row
  as before for everyone else;
- one plan in force per assessment in force, planned from it: amount due = premium (+ 支援金), the
  instalments sum to the amount due plus the overpayment (kouki/rules/instalments/replan.py);
- a plan not re-planned unchanged; a re-planned plan replaces the previous one and keeps every instalment
  due on or before the reassessment day as it was.

Size: the issue's 20,000 residents (KOUKI_REPLAY_RESIDENTS overrides for quick local runs), CORRECTED
people corrected per month.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from assessment.replay_oracle import FIELDS, Expected, Truth
from kouki.assessment.models import Assessment, Instalment, InstalmentPlan
from kouki.assessment.planning import instalment_plans_initial_created
from kouki.cli import main
from kouki.collection.replanning import instalment_plans_replan_due
from kouki.eligibility.exchange import union_day
from kouki.interfaces.importing import Outcome
from kouki.interfaces.tax.income_file import dump_tax_income
from kouki.interfaces.tax.record import TaxIncomeRecord, TaxRecordKind
from kouki.privacy.audit import verify_chain
from kouki.privacy.context import Actor
from kouki.sandbox.synth.city import city_from_chunks, generate_city
from kouki.sandbox.synth.load import synthetic_city_load
from kouki.sandbox.synth.model import SynthConfig
from kouki.sandbox.union import UnionSimulator

RESIDENTS = int(os.environ.get("KOUKI_REPLAY_RESIDENTS", "20000"))
SEED = 4
GO_LIVE = date(2024, 4, 1)
CORRECTED = 3  # insured people whose income the tax system corrects each month
DIRECT_MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)  # さいたま市's are [NF]: a test configuration
CITY = "11100"
ACTOR = Actor.system("replay-fiscal-year")

Snapshot = dict[str, tuple[int, list[tuple[str, str, str, date, int]]]]  # addressee → (plan id, instalments)


def months(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day = (day + timedelta(days=32)).replace(day=1)


class Replay:
    def __init__(self, tmp: Path, truth: Truth) -> None:
        self.tmp = tmp
        self.truth = truth
        self.union = UnionSimulator(tmp / "union-state", today=GO_LIVE)
        self.years: list[int] = []  # fiscal years assessed so far
        self.expected: dict[int, dict[str, Expected]] = {}
        self.rows: dict[int, dict[str, int]] = {}  # fiscal year → addressee → assessment id in force
        self.reassessed_days: list[date] = []
        self.snapshots: dict[int, Snapshot] = {}  # fiscal year → plans in force after the last check
        self.replanned: list[int] = []  # plans made by re-planning after a 更正

    # ------------------------------------------------------------ the exchange

    def exchange(self, day: date, *, initial: bool = False) -> list[Path]:
        result = union_day(
            actor=ACTOR,
            union=self.union,
            on=day,
            outbox=self.tmp / "to-union" / f"{day:%Y%m%d}",
            inbox=self.tmp / "from-union" / f"{day:%Y%m%d}",
            initial=initial,
        )
        problems = [str(e) for o in result.imported for e in o.errors][:5]
        assert {o.outcome for o in result.imported} == {Outcome.APPLIED}, problems
        assert not self.union.assessment.problems
        # 被保険者情報, 資格確認書発行用情報, 住所地特例者情報, and 保険料情報 when the union sent one
        names = [o.file_name for o in result.imported]
        assert len(names) in (3, 4), names
        return [self.tmp / "from-union" / f"{day:%Y%m%d}" / n for n in names if "_premium-info_" in n]

    def tax_file(self, day: date, records: list[TaxIncomeRecord]) -> None:
        path = self.tmp / "tax" / f"shotoku_{day:%Y%m%d}.dat"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dump_tax_income(records, created_on=day, municipality_code=CITY))
        assert main(["import", "tax-income", str(path)]) == 0

    # ------------------------------------------------------------ the tax system's side (the truth)

    def yearly_tax_file(self, day: date, income_year: int) -> None:
        """The June file: every income of the year (the same revenue as the year before)."""
        records = []
        for (addressee, year), revenue in sorted(self.truth.income.items()):
            if year != income_year - 1:
                continue
            self.truth.income[(addressee, income_year)] = revenue
            records.append(
                TaxIncomeRecord(CITY, addressee, income_year, TaxRecordKind.INITIAL, day, *revenue, True)
            )
        self.tax_file(day, records)

    def corrections(self, day: date, fiscal_year: int) -> list[str]:
        """CORRECTED insured people whose corrected income changes their premium (one up, one down, …)."""
        rng = random.Random(f"{SEED}:{day.isoformat()}")
        candidates = self.truth.insured(fiscal_year)
        rng.shuffle(candidates)
        chosen: list[str] = []
        records: list[TaxIncomeRecord] = []
        year = fiscal_year - 1
        for addressee in candidates:
            if len(chosen) == CORRECTED:
                break
            key = (addressee, year)
            old = self.truth.income.get(key, (0, 0, 0, 0))
            up = len(chosen) % 2 == 0
            if not up and old[0] < 2_400_000:
                continue
            pension = old[0] + 1_200_000 if up else old[0] // 200 * 100
            household = self.truth.people[addressee].household_no
            before = self.truth.household_premiums(household, fiscal_year, day)
            self.truth.income[key] = (pension, *old[1:])
            after = self.truth.household_premiums(household, fiscal_year, day)
            if before.get(addressee) == after.get(addressee) or any(
                c in chosen for c in self.truth.households[household]
            ):
                self.truth.income[key] = old
                continue
            chosen.append(addressee)
            records.append(
                TaxIncomeRecord(CITY, addressee, year, TaxRecordKind.CORRECTION, day, pension, *old[1:], True)
            )
        assert len(chosen) == CORRECTED
        self.tax_file(day, records)
        return chosen

    # ------------------------------------------------------------ the city's plans and the checks

    def plan(self, day: date, *, initial_year: int | None = None) -> None:
        if initial_year is not None:
            self.years.append(initial_year)
            created = instalment_plans_initial_created(
                actor=ACTOR, fiscal_year=initial_year, on=day, direct_months=DIRECT_MONTHS
            )
            assert len(created) == len(self.truth.premiums(initial_year, day))
        for year in self.years:
            self.replanned += instalment_plans_replan_due(
                actor=ACTOR, fiscal_year=year, on=day, direct_months=DIRECT_MONTHS
            )

    def snapshot(self, year: int) -> Snapshot:
        plans = dict(
            InstalmentPlan.objects.filter(fiscal_year=year, superseded_at__isnull=True).values_list(
                "pk", "person__addressee_no"
            )
        )
        items: dict[int, list[tuple[str, str, str, date, int]]] = {pk: [] for pk in plans}
        for plan_id, *row in (
            Instalment.objects.filter(plan_id__in=list(plans))
            .order_by("plan_id", "due_date", "method", "pk")
            .values_list("plan_id", "method", "stage", "month", "due_date", "amount")
        ):
            items[plan_id].append((row[0], row[1], row[2], row[3], row[4]))
        return {addressee: (pk, items[pk]) for pk, addressee in plans.items()}

    def check(self, day: date, before: dict[int, Snapshot]) -> None:
        for year in self.years:
            self._check_assessments(day, year)
            self._check_plans(day, year, before.get(year, {}))

    def _check_assessments(self, day: date, year: int) -> None:
        expected = self.truth.premiums(year, day)
        assert expected, f"FY{year}: nobody insured"
        rows = {
            r[0]: r[1:]
            for r in Assessment.objects.filter(fiscal_year=year, superseded_at__isnull=True).values_list(
                "person__addressee_no", "pk", "kind", "reason", "assessed_on", *FIELDS
            )
        }
        actual = {a: tuple(r[4:]) for a, r in rows.items()}
        wrong = sorted(a for a in expected.keys() | actual.keys() if expected.get(a) != actual.get(a))
        assert not wrong, f"{day} FY{year}: {len(wrong)} differ, e.g. " + "; ".join(
            f"{a}: city {actual.get(a)} oracle {expected.get(a)}" for a in wrong[:3]
        )
        previous, earlier = self.expected.get(year), self.rows.get(year, {})
        if previous is not None:
            changed = {a for a in expected if previous.get(a) != expected[a]}
            for a, (pk, kind, reason, assessed_on, *_values) in rows.items():
                if a in changed:
                    assert (kind, reason, assessed_on) == ("reassessment", "income", day), (a, kind, reason)
                else:
                    assert pk == earlier[a], f"{day}: {a} got a new assessment without a change"
            if changed:
                self.reassessed_days.append(day)
        self.expected[year] = expected
        self.rows[year] = {a: r[0] for a, r in rows.items()}

    def _check_plans(self, day: date, year: int, before: Snapshot) -> None:
        in_force = InstalmentPlan.objects.filter(fiscal_year=year, superseded_at__isnull=True)
        plans = {
            row[0]: row[1:]
            for row in in_force.values_list(
                "person__addressee_no",
                "pk",
                "assessment_id",
                "amount_due",
                "overpayment",
                "replaces_id",
                "replanned_on",
            )
        }
        premiums = {
            a: (pk, premium + child)
            for a, pk, premium, child in Assessment.objects.filter(
                fiscal_year=year, superseded_at__isnull=True
            ).values_list("person__addressee_no", "pk", "annual_premium", "child_support_levy")
        }
        assert plans.keys() == premiums.keys()
        now = self.snapshots[year] = self.snapshot(year)
        for a, (pk, assessment_id, due, overpayment, replaces, replanned_on) in plans.items():
            assert (assessment_id, due) == premiums[a], f"{day}: plan of {a} not of the assessment in force"
            total = sum(i[4] for i in now[a][1])
            assert total == due + overpayment, f"{day}: plan of {a}: {total} ≠ {due} + {overpayment}"
            if a not in before:
                continue
            old_pk, old_items = before[a]
            if pk == old_pk:
                assert now[a][1] == old_items, f"{day}: plan of {a} changed without a re-plan"
            else:
                assert (replaces, replanned_on) == (old_pk, day)
                assert [i for i in now[a][1] if i[3] <= day] == [i for i in old_items if i[3] <= day], (
                    f"{day}: re-plan of {a} changed an instalment due before the reassessment"
                )

    def day(self, day: date, *, initial_year: int | None = None) -> list[Path]:
        # plans change only here: the snapshot taken by the previous day's check is the state before
        before = {year: self.snapshots[year] for year in self.years}
        premium_files = self.exchange(day)
        self.plan(day, initial_year=initial_year)
        self.check(day, before)
        return premium_files


@pytest.fixture(autouse=True)
def _pension_stop_lead(settings: Any) -> None:
    """KOUKI_PENSION_STOP_LEAD_MONTHS is [NF] (ADR 0006 §6): a test configuration of 2 months, so that a
    decrease keeps the deductions already notified and their excess becomes an overpayment."""
    settings.KOUKI_PENSION_STOP_LEAD_MONTHS = "2"


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_a_replayed_fiscal_year_of_reassessments_matches_the_oracle(tmp_path: Path) -> None:
    config = SynthConfig(residents=RESIDENTS, seed=SEED, as_of=GO_LIVE)
    chunks = list(generate_city(config))
    synthetic_city_load(actor=ACTOR, config=config, chunks=chunks)
    city = city_from_chunks(config, chunks)
    assert sum(p.registration == "resident" for p in city.persons) == RESIDENTS
    replay = Replay(tmp_path, Truth.of(city.persons, city.incomes))

    replay.exchange(GO_LIVE, initial=True)
    [initial] = replay.day(date(2024, 7, 1), initial_year=2024)  # 当初賦課 FY2024
    assert initial.name == f"KOUKI_premium-info_{CITY}_20240701.dat"

    corrected: list[str] = []  # last month's corrected people: reassessed today
    for first in months(date(2025, 4, 1), date(2026, 4, 1)):
        files = replay.day(first, initial_year=2025 if first == date(2025, 7, 1) else None)
        year = 2024 if first <= date(2025, 7, 1) else 2025  # the year last month's corrections concern
        in_force = dict(
            Assessment.objects.filter(
                fiscal_year=year, superseded_at__isnull=True, person__addressee_no__in=corrected
            ).values_list("person__addressee_no", "assessed_on")
        )
        assert in_force == dict.fromkeys(corrected, first), f"{first}: corrections not reassessed today"
        assert files or not corrected
        if first == date(2026, 4, 1):
            break
        tenth = first + timedelta(days=9)
        if first == date(2025, 6, 1):
            replay.yearly_tax_file(tenth - timedelta(days=1), 2024)  # the tax system's June file
        corrected = replay.corrections(tenth, 2024 if first < date(2025, 7, 1) else 2025)

    # one reassessment reached the city in every month of the replayed year (May 1 … April 1)
    assert set(months(date(2025, 5, 1), date(2026, 4, 1))) <= set(replay.reassessed_days)
    assert len(replay.expected[2025]) > RESIDENTS // 10 and replay.years == [2024, 2025]
    assert len(replay.replanned) >= 12 * CORRECTED
    replans = InstalmentPlan.objects.filter(pk__in=replay.replanned)
    assert replans.filter(overpayment__gt=0).exists()  # a decrease below what was already due
    assert list(verify_chain()) == []


def test_the_oracle_counts_a_75th_birthday_inside_the_year_from_that_month() -> None:
    from kouki.sandbox.synth.model import SynthIncome, SynthPerson

    base = SynthPerson(
        serial=0, addressee_no="000000001", registration="resident", status="resident",
        family_name="大宮", given_name="太郎", family_name_kana="オオミヤ", given_name_kana="タロウ",
        sex="1", birth_date=date(1950, 10, 15), household_serial=0, household_no="H1", is_householder=True,
        relationship="世帯主", postal_code="3300846", municipality_code=CITY, address="さいたま市大宮区",
        phone="", since=date(2000, 1, 1), personal_number="",
    )  # fmt: skip
    young = replace(
        base, serial=1, addressee_no="000000002", birth_date=date(1980, 1, 1), is_householder=False
    )
    truth = Truth.of(
        [base, young],
        [SynthIncome(0, 2024, 1_000_000, 0, 0, 0, 0), SynthIncome(1, 2024, 0, 5_000_000, 0, 0, 0)],
    )
    assert truth.insured(2025) == ["000000001"]
    [(addressee, expected)] = truth.premiums(2025, date(2025, 7, 1)).items()
    assert addressee == "000000001" and expected[3] == 6  # October … March
