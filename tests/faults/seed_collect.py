"""Run as a subprocess by the crash harness after tests/faults/seed_world.py: gives the collection batches of
tests/faults/test_collect_crash.py their work — people registered for 口座振替 with July instalments due,
decided refunds of overpayments with a refund account, an active 分納誓約 past a pledged date (one broken,
one kept), instalments paid in full long after their due date while the city's 延滞金 value was unset
(nothing computed yet), and 2025 assessments awaiting their instalment plan (new ones and a 更正).

Synthetic people only (tests/factories.py and the collection, arrears and banking test helpers);
deterministic: the same database gets the same rows."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
FY = 2025


def main() -> None:
    sys.path.insert(0, str(TESTS))
    from kouki.cli import setup_django

    setup_django()
    import itertools

    import arrears.helpers
    import factories
    from arrears.helpers import ACTOR, direct_person, instalments, pay
    from banking.helpers import debtor, refund_account
    from collection_factories import assess, make_direct_plan
    from factories import make_person

    from kouki.arrears.services import pledge_make
    from kouki.collection.decisions import refund_decide
    from kouki.collection.models import Channel
    from kouki.collection.services import ReceiptInput, receipts_record

    # the helpers number people and 被保険者番号 from 1 in each process: past seed_world.py's
    factories._serial = itertools.count(700_001)
    arrears.helpers._serial = itertools.count(4_700_001)
    for n in range(3):  # collect debit-request --debit-date 2025-07-31: the July instalments
        debtor(48_000 + 9_000 * n, holder=f"ﾃｽﾄ ｲﾁﾛｳ{n}")
    for n in range(2):  # collect refunds: an overpayment decided for refund, a refund account registered
        person, _plan = make_direct_plan(54_000 + 9_000 * n, FY)
        overpaid = 2_100 + 1_300 * n
        paid = ReceiptInput(person_id=person.pk, fiscal_year=FY, channel=Channel.COUNTER,
                            amount=54_000 + 9_000 * n + overpaid, paid_on=date(2025, 8, 1))
        receipts_record(actor=ACTOR, on=date(2025, 8, 1), items=[paid])
        refund_decide(actor=ACTOR, person_id=person.pk, fiscal_year=FY, amount=overpaid, reason="過納",
                      on=date(2025, 9, 1))
        refund_account(person)
    made = date(2025, 8, 10)  # collect pledges --on 2025-09-01: one pledge broken, one kept
    schedule = [(date(2025, 8, 20), 4_000)]
    broken, _plan = direct_person(63_000)
    pledge_make(actor=ACTOR, person_id=broken.pk, made_on=made, schedule=schedule)
    kept, plan = direct_person(72_000)
    pledge_make(actor=ACTOR, person_id=kept.pk, made_on=made, schedule=schedule)
    pay(kept, instalments(plan)[0], 4_000, paid_on=date(2025, 8, 15), named=False)
    for n in range(2):  # collect late-charges: paid in full 120 days late, before the value was set
        person, plan = direct_person(900_000 + 90_000 * n)
        first = instalments(plan)[0]
        pay(person, first, paid_on=first.due_date + timedelta(days=120))
    for n in range(3):  # batch instalments: assessments without a plan, and a 更正 of a planned one
        assess(make_person(given_name=f"期割{n}"), 45_000 + 3_000 * n, FY)
    replanned, _plan = direct_person(81_000)
    assess(replanned, 69_000, FY, kind="reassessment")


if __name__ == "__main__":
    main()
