"""Run as a subprocess by the crash harness (tests/faults/harness.py) against the seed database, after
seed_world.py: gives the transfers something to carry (tests/faults/test_transfers_crash.py).

- the catalogue registered (T03 with a test legal basis) and T02, T03, T04, T08, T15 approved on both sides;
- the number clerk `nc.transfers` (移転の実行, 申請の受付) who runs them;
- T03: acquisitions and losses effective on 2026-08-03; T08: August 2026's entrants and a 障害認定撤回;
  T15: 2025's confirmed pension deductions;
- paper (`transfers paper T04`): two people with known 宛名番号 (PAPER_ADDRESSEES);
- counter: three confirmed 簡易申告 (T02, one slip) and two confirmed 高額介護合算 applications (T04, a
  slip each).

Synthetic people only (tests/factories.py); deterministic: the same database gets the same rows."""

from __future__ import annotations

import itertools
import os
import sys
from datetime import date
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
OPERATOR = "nc.transfers"
PAPER_ADDRESSEES = ("880000011", "880000029")
T03_DAY = date(2026, 8, 3)


def main() -> None:
    sys.path.insert(0, str(TESTS))
    os.environ["KOUKI_T03_LEGAL_BASIS"] = "住民基本台帳法第7条第10号の2 | 試験用の設定 (crash tests)"
    from kouki.cli import setup_django

    setup_django()
    import factories
    from applications.conftest import Counter, actor_of
    from applications.test_counter_transfers import declaration, taken
    from arrears.helpers import valid_insured_no
    from factories import make_person, make_staff
    from transfers.conftest import approve_both, insure, pension_receipt

    from kouki.accounts.permissions import Role
    from kouki.rules.applications import ApplicationKind
    from kouki.rules.union_codes import AcquisitionReason, LossReason
    from kouki.transfers.services import transfers_load

    factories._serial = itertools.count(500_000)  # past seed_world.py's numbers (宛名番号, 異動 ids, staff)
    admin = make_staff(Role.SYSTEM_ADMIN, username="adm.transfers", staff_name="佐藤 誠")
    chief = make_staff(Role.SUPERVISOR, username="sv.transfers", staff_name="田中 課長", office="保険年金課")
    deputy = make_staff(Role.SUPERVISOR, username="sv.deputy", staff_name="鈴木 係長", office="保険年金課")
    clerk = make_staff(Role.NUMBER_CLERK, username=OPERATOR, staff_name="伊藤 担当", office="保険年金課")
    transfers_load(actor=actor_of(admin))
    for code in ("T02", "T03", "T04", "T08", "T15"):
        approve_both(code, actor_of(chief), actor_of(deputy))

    def insured(acquired_on: date, **kwargs: object) -> None:
        insure(make_person(birth_date=date(1950, 1, 1)).pk, acquired_on=acquired_on,
               insured_no=valid_insured_no(), **kwargs)  # type: ignore[arg-type]  # fmt: skip

    for _ in range(3):  # T03: the day's acquisitions and losses
        insured(T03_DAY)
    insured(date(2019, 4, 1), lost_on=T03_DAY, loss_reason=LossReason.DEATH)
    insured(date(2026, 8, 12), reason=AcquisitionReason.AGE)  # T08: the month's entrants …
    insured(date(2026, 8, 31), reason=AcquisitionReason.DISABILITY)
    insured(date(2024, 5, 1), reason=AcquisitionReason.DISABILITY, lost_on=date(2026, 8, 20),
            loss_reason=LossReason.DISABILITY_WITHDRAWN)  # … and a withdrawn 障害認定  # fmt: skip
    for n in range(3):  # T15: 2025's pension deductions
        person = make_person(birth_date=date(1948, 3, 3))
        for month in (4, 6, 8, 10, 12):
            pension_receipt(person.pk, 7_000 + 1_000 * n, date(2025, month, 15))

    for number in PAPER_ADDRESSEES:  # `transfers paper T04 --addressee-no …`
        make_person(given_name=f"移転{number[-2:]}", addressee_no=number)

    counter = Counter(
        deceased=make_person(given_name="申告一"), living=make_person(given_name="申告二"),
        clerk=make_staff(Role.COUNTER_CLERK), number_clerk=clerk, supervisor=chief, other_supervisor=deputy,
        auditor=make_staff(Role.AUDITOR),
    )  # fmt: skip
    for person in (counter.deceased, counter.living, make_person(given_name="申告三")):
        declaration(counter, person.pk)  # T02: one slip for the three
    details = {"period_end_year": 2025, "other_insurer": False}
    for person in (counter.living, make_person(given_name="合算二")):  # T04: a slip each
        taken(counter, ApplicationKind.HIGH_COST_COMBINED, person.pk, details, {"form", "account"})


if __name__ == "__main__":
    main()
