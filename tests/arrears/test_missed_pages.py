"""督促漏れ paged in the database (issue 16 §5; helper lists22): `missed_page` gives, page by page,
exactly the instalments, order, count and total of the in-memory `reminders_missed`, with its exclusions
(paid, reminded, a convenience-store 速報 waiting, a 徴収猶予 in force, pension instalments, extinguished by
limitation — while an old instalment whose limitation was renewed by a payment stays listed)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from arrears.helpers import ACTOR, direct_person, instalments, pay, pension_person
from kouki.arrears.missed_pages import MissedList, missed_count, missed_page
from kouki.arrears.selectors import reminders_missed
from kouki.arrears.services import reminders_issue
from kouki.collection.deferrals import instalment_deferrals_record
from kouki.collection.models import Channel, Receipt, ReceiptStatus
from kouki.collection.selectors import UnpaidInstalment
from kouki.rules.arrears import add_years

pytestmark = pytest.mark.django_db
ON = date(2026, 9, 20)  # FY2024 July and August instalments past the two-year horizon, the rest within


def _mixed_city() -> dict[str, int]:
    """Old (FY2023/2024) and recent (FY2025) direct instalments: some paid, reminded, deferred, reported
    by a store, renewed by a payment; pension payers (never reminded)."""
    ids: dict[str, int] = {}
    _old, old_plan = direct_person(60_000, fiscal_year=2023)  # all extinguished by ON
    renewed, renewed_plan = direct_person(72_000, fiscal_year=2024)
    old_rows, renewed_rows = instalments(old_plan), instalments(renewed_plan)
    ids.update(old_first=old_rows[0].pk, renewed_first=renewed_rows[0].pk)
    # a part payment naming the first FY2024 instalment renews its limitation (it stays listed)
    pay(renewed, renewed_rows[0], renewed_rows[0].amount // 3, paid_on=ON - timedelta(days=100),
        fiscal_year=2024)  # fmt: skip
    for n, premium in enumerate((90_000, 60_000, 120_000, 48_000, 30_000)):
        person, plan = direct_person(premium)
        rows = instalments(plan)
        if n == 1:
            pay(person, rows[0], paid_on=rows[0].due_date)
        if n == 2:
            reminders_issue(actor=ACTOR, on=rows[1].due_date + timedelta(days=1))  # in time: not missed
        if n == 3:
            instalment_deferrals_record(
                actor=ACTOR, person_id=person.pk, application_no="令和7年度第00001号",
                instalment_ids=[rows[0].pk], deferred_from=ON - timedelta(days=60),
                deferred_until=ON + timedelta(days=30), decided_on=ON - timedelta(days=60),
            )  # fmt: skip
            ids["deferred"] = rows[0].pk
        if n == 4:
            Receipt.objects.create(
                person_id=person.pk, fiscal_year=2025, channel=Channel.STORE, amount=rows[1].amount,
                paid_on=ON, status=ReceiptStatus.PROVISIONAL, instalment=rows[1], reference="store",
                recorded_at=timezone.now(), recorded_by="test",
            )  # fmt: skip
            ids["store"] = rows[1].pk
    pension_person(90_000)
    return ids


def _all_pages(per_page: int) -> list[UnpaidInstalment]:
    first = missed_page(ON, number=1, per_page=per_page)
    out = list(first.rows)
    for n in range(2, first.page.paginator.num_pages + 1):
        out += missed_page(ON, number=n, per_page=per_page).rows
    return out


def test_the_pages_are_the_in_memory_list_with_its_exclusions() -> None:
    ids = _mixed_city()
    whole = reminders_missed(ON)
    listed = {u.instalment_id for u in whole}
    assert ids["renewed_first"] in listed and ids["old_first"] not in listed
    assert not listed & {ids["deferred"], ids["store"]}
    horizon = add_years(ON, -2)
    assert any(u.due_date <= horizon for u in whole) and any(u.due_date > horizon for u in whole)
    for per_page in (1, 2, 3, 7, 100):
        assert _all_pages(per_page) == whole
    page = missed_page(ON, number=2, per_page=3)
    assert page.rows == whole[3:6] and page.page.number == 2
    assert page.count == len(whole) == missed_count(ON)
    assert page.total == sum(u.unpaid for u in whole)
    assert list(MissedList(ON)) == whole
    last = missed_page(ON, number=999, per_page=3)  # past the end: the last page
    assert last.page.number == last.page.paginator.num_pages and last.rows == whole[-len(last.rows):]
    assert missed_page(ON, number="x", per_page=3).rows == whole[:3]


def test_an_empty_list_has_one_empty_page() -> None:
    page = missed_page(ON, number=1, per_page=5)
    assert page.rows == [] and page.count == 0 and page.total == 0 and page.page.paginator.num_pages == 1
