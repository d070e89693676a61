"""USE-01 check 2 (tax data × household) with a 簡易申告: a person with no income who filed nothing is
未申告 in the tax data, so their income is not known and the union judges no 均等割軽減 (domain-facts-next §3
[R31]–[R34]). They file a 簡易申告 at the counter; it goes to 市民税課 (T02, `kouki transfers counter
simple-declaration`); the tax system's correction comes back 申告あり with income 0; the city stores it and
sends it on in 所得・課税情報; the simulated union re-assesses with the 7割軽減."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from applications.conftest import Counter
from applications.test_counter_transfers import approve, declaration, run
from kouki.core.config import municipality_code
from kouki.eligibility.extract import income_info_records
from kouki.income.importers import import_tax_income
from kouki.income.models import IncomeRecord
from kouki.interfaces.importing import Outcome
from kouki.interfaces.tax.income_file import dump_tax_income
from kouki.interfaces.tax.record import TaxIncomeRecord, TaxRecordKind
from kouki.interfaces.union.income_info import dump_income_info
from kouki.interfaces.union.premium_info import parse_premium_info
from kouki.interfaces.union.records import (
    IncomeInfoRecord,
    PremiumReduction,
    ResidentInfoRecord,
    ResidentStatus,
)
from kouki.interfaces.union.resident_info import dump_resident_info
from kouki.privacy.context import Actor
from kouki.rules.premium import HouseholdMember, assess_household, resolve_parameters
from kouki.sandbox.union import UnionSimulator

ACTOR = Actor.system("test-simple-declaration")


def tax_file(tmp: Path, name: str, addressee_no: str, kind: TaxRecordKind, declared: bool) -> Path:
    record = TaxIncomeRecord(municipality_code(), addressee_no, 2024, kind, date(2025, 6, 10), 0, 0, 0, 0,
                             declared)  # fmt: skip
    path = tmp / name
    path.write_bytes(dump_tax_income([record], created_on=date(2025, 6, 10)))
    return path


class Union:
    def __init__(self, tmp: Path) -> None:
        self.tmp, self.n = tmp, 0
        tmp.mkdir(parents=True, exist_ok=True)
        self.sim = UnionSimulator(tmp / "state", today=date(2025, 6, 1))

    def send(self, data: bytes) -> None:
        self.n += 1
        path = self.tmp / f"in-{self.n}.dat"
        path.write_bytes(data)
        self.sim.receive(path)

    def premium(self, on: date) -> tuple[PremiumReduction, int]:
        [path] = [p for p in self.sim.run_day(on, self.tmp / "out" / on.isoformat())
                  if p.name.startswith("KOUKI_premium-info_")]  # fmt: skip
        [record] = parse_premium_info(path.read_bytes(), path.name).records
        return record.reduction, record.per_capita_levy


def sent(records: list[IncomeInfoRecord]) -> bytes:
    return dump_income_info(records)


def test_a_person_who_filed_a_simple_declaration_gets_the_reduction(
    counter: Counter, tmp_path: Path
) -> None:
    person = counter.living  # 鈴木花子, born 1945, alone in her household, no income
    no = person.addressee_no
    # the June tax file: no return, no 源泉徴収票 — 未申告, the income is not known
    assert import_tax_income(actor=ACTOR, path=tax_file(tmp_path, "t1.dat", no, TaxRecordKind.INITIAL,
                                                        False)).outcome == Outcome.APPLIED  # fmt: skip
    assert IncomeRecord.objects.get(person=person).declared is False
    records, last = income_info_records(person_ids=[person.pk], after_income_id=None, on=date(2025, 6, 1))
    assert [(r.addressee_no, r.declared) for r in records] == [(no, False)]

    union = Union(tmp_path / "union")
    union.send(dump_resident_info([ResidentInfoRecord(
        municipality_code(), no, "800001", True, "世帯主", "鈴木", "花子", "スズキ", "ハナコ", "2",
        date(1945, 2, 3), "3300063", "さいたま市浦和区高砂三丁目1番1号", ResidentStatus.RESIDENT, None,
        date(1980, 4, 1), date(2025, 4, 1), "",
    )], created_on=date(2025, 6, 1)))  # fmt: skip
    union.send(sent(records))
    engine = resolve_parameters(2025, "saitama")
    alone = HouseholdMember(no, True, date(1945, 2, 3), True)
    [unknown] = assess_household([HouseholdMember(no, True, date(1945, 2, 3), True, income_declared=False)],
                                 engine)  # fmt: skip
    [known] = assess_household([alone], engine)
    assert (unknown.reduction, known.reduction) == ("none", "70%")  # the law: income 0 → 7割, unknown → none
    assert union.premium(date(2025, 7, 1)) == (PremiumReduction.NONE, unknown.per_capita_levy)

    # she files a 簡易申告 (no income); it is confirmed and goes to 市民税課 on the T02 移転票
    filed = declaration(counter, person.pk)
    approve(counter, "T02")
    assert run(counter, "simple-declaration", tmp_path / "slips") == 0
    filed.refresh_from_db()
    assert filed.transferred_to == "市民税課"

    # 市民税課 assesses it: the correction comes back 申告あり, income 0
    assert import_tax_income(actor=ACTOR, path=tax_file(tmp_path, "t2.dat", no, TaxRecordKind.CORRECTION,
                                                        True)).outcome == Outcome.APPLIED  # fmt: skip
    assert IncomeRecord.objects.get(person=person).declared is True
    corrected, _ = income_info_records(person_ids=[], after_income_id=last, on=date(2025, 7, 15))
    assert [(r.addressee_no, r.declared) for r in corrected] == [(no, True)]
    union.send(sent(corrected))
    assert union.premium(date(2025, 8, 1)) == (PremiumReduction.SEVENTY, known.per_capita_levy)
    assert known.per_capita_levy < unknown.per_capita_levy


@pytest.mark.parametrize("declared", [True, False])
def test_the_declared_flag_alone_is_a_correction(counter: Counter, tmp_path: Path, declared: bool) -> None:
    no = counter.living.addressee_no
    import_tax_income(actor=ACTOR, path=tax_file(tmp_path, "a.dat", no, TaxRecordKind.INITIAL, declared))
    outcome = import_tax_income(actor=ACTOR, path=tax_file(tmp_path, "b.dat", no, TaxRecordKind.CORRECTION,
                                                           not declared))  # fmt: skip
    assert outcome.outcome == Outcome.APPLIED
    assert IncomeRecord.objects.get(person=counter.living).declared is (not declared)
