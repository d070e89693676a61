"""The 滞納者一覧 paged in the database (issue 16 §5; helper arrears16): `arrears_page` gives, page by
page, exactly the people, order, instalments and totals of the in-memory `arrears_list` (with the same
exclusions: paid, a convenience-store 速報 waiting, a 徴収猶予 in force, a pension instalment awaiting
its 特別徴収結果), the screen's other orders, the method filter and the whole list's count and total;
`pension_awaiting_summary` counts what `pension_awaiting` lists."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from arrears.helpers import ACTOR, direct_person, instalments, pay, pension_person
from kouki.arrears.arrears_pages import arrears_page, arrears_people, pension_awaiting_summary
from kouki.arrears.importers import import_pension_result
from kouki.arrears.selectors import ArrearsRow, arrears_list, pension_awaiting
from kouki.arrears.services import contact_record
from kouki.assessment.models import Assessment, Instalment
from kouki.collection.deferrals import instalment_deferrals_record
from kouki.collection.models import Channel, Receipt, ReceiptStatus
from kouki.interfaces.union.pension_result import NotDeductedReason
from kouki.sandbox.union.collection import ExpectedDeduction, UnionCollection

pytestmark = pytest.mark.django_db
ON = date(2025, 10, 20)  # the July–September direct instalments and the pension months to October past


def _expected(person: object, month: str, amount: int, reason: NotDeductedReason | None) -> ExpectedDeduction:
    insured = Assessment.objects.filter(person=person, fiscal_year=2025).values_list(
        "insured_no", flat=True)[0]  # fmt: skip
    return ExpectedDeduction("11100", person.addressee_no, insured, 2025, month, amount, reason)  # type: ignore[attr-defined]


def _mixed_city(tmp_path: Path) -> dict[str, int]:
    """Direct payers unpaid, part paid, paid, deferred and store-reported; pension payers deducted,
    reported not deducted and awaiting; some contacted."""
    ids: dict[str, int] = {}
    for n, premium in enumerate((90_000, 60_000, 120_000, 90_000, 30_000, 48_000)):
        person, plan = direct_person(premium)
        ids[f"direct{n}"] = person.pk
        rows = instalments(plan)
        if n == 1:
            pay(person, rows[0], paid_on=rows[0].due_date)  # the first paid: oldest due is the second's
        if n == 2:
            pay(person, rows[0], rows[0].amount // 2, paid_on=rows[0].due_date)  # half paid
        if n == 3:
            for inst in rows[:3]:
                pay(person, inst, paid_on=inst.due_date)  # everything past due paid: not in arrears
        if n == 4:
            instalment_deferrals_record(
                actor=ACTOR, person_id=person.pk, application_no="令和7年度第00001号",
                instalment_ids=[r.pk for r in rows[:3]], deferred_from=ON - timedelta(days=60),
                deferred_until=ON + timedelta(days=30), decided_on=ON - timedelta(days=60),
            )  # fmt: skip  (all past-due instalments deferred: not in arrears)
        if n == 5:
            instalment_deferrals_record(
                actor=ACTOR, person_id=person.pk, application_no="令和7年度第00002号",
                instalment_ids=[rows[0].pk], deferred_from=ON - timedelta(days=60),
                deferred_until=ON + timedelta(days=30), decided_on=ON - timedelta(days=60),
            )  # fmt: skip  (one deferred: the other two are arrears)
            Receipt.objects.create(
                person_id=person.pk, fiscal_year=2025, channel=Channel.STORE, amount=rows[1].amount,
                paid_on=ON, status=ReceiptStatus.PROVISIONAL, instalment=rows[1], reference="store",
                recorded_at=timezone.now(), recorded_by="test",
            )  # fmt: skip  (a 速報 waiting for its 確報: the second left out)
        if n in (0, 2):
            contact_record(actor=ACTOR, person_id=person.pk, contacted_on=ON - timedelta(days=n),
                           channel="phone")  # fmt: skip
    deducted, _ = pension_person(90_000)
    reported, _ = pension_person(60_000)
    awaiting, _ = pension_person(72_000)
    ids.update(deducted=deducted.pk, reported=reported.pk, awaiting=awaiting.pk)
    months = sorted({Instalment.objects.get(pk=u.instalment_id).month for u in pension_awaiting(ON)})
    results = []
    for month in months:
        for who in (deducted, reported):
            amount = Instalment.objects.get(plan__person_id=who.pk, plan__superseded_at__isnull=True,
                                            method="pension", month=month).amount  # fmt: skip
            reason = NotDeductedReason.DEATH if who is reported and month >= "2025-08" else None
            results.append(_expected(who, month.replace("-", ""), amount, reason))
    (path,) = UnionCollection(tmp_path / "union").write_pension_results(results, ON, tmp_path / "inbox")
    import_pension_result(actor=ACTOR, path=path)
    return ids


def _shape(rows: list[ArrearsRow]) -> list[tuple[int, tuple[int, ...], int, date]]:
    return [(r.person_id, tuple(u.instalment_id for u in r.instalments), r.total, r.oldest_due) for r in rows]


def _all_pages(per_page: int, **kw: object) -> list[ArrearsRow]:
    first = arrears_page(ON, number=1, per_page=per_page, **kw)  # type: ignore[arg-type]
    out = list(first.rows)
    for n in range(2, first.page.paginator.num_pages + 1):
        out += arrears_page(ON, number=n, per_page=per_page, **kw).rows  # type: ignore[arg-type]
    return out


def test_the_pages_are_the_in_memory_list_with_its_exclusions(tmp_path: Path) -> None:
    ids = _mixed_city(tmp_path)
    old = arrears_list(ON)
    listed = {r.person_id for r in old}
    assert listed == {ids[k] for k in ("direct0", "direct1", "direct2", "direct5", "reported")}
    for per_page in (1, 2, 3, 50):
        assert _shape(_all_pages(per_page)) == _shape(old)
    page = arrears_page(ON, number=2, per_page=2)
    assert page.count == 5 and page.page.paginator.num_pages == 3 and page.page.number == 2
    assert page.total == sum(r.total for r in old)
    assert _shape(page.rows) == _shape(old[2:4])
    assert [r.last_contact_on for r in page.rows] == [r.last_contact_on for r in old[2:4]]
    last = arrears_page(ON, number=3, per_page=2)
    assert _shape(last.rows) == _shape(old[4:]) and not last.page.has_next()
    assert _shape(arrears_page(ON, number=99, per_page=2).rows) == _shape(old[4:])  # past the end: last
    assert _shape(arrears_page(ON, number="x", per_page=2).rows) == _shape(old[:2])  # not a number: first
    people = {p["person"]: p for p in arrears_people(ON)}
    assert {pid: (p["total"], p["oldest"], p["periods"]) for pid, p in people.items()} == {
        r.person_id: (r.total, r.oldest_due, len(r.instalments)) for r in old}  # fmt: skip


def test_the_other_orders_and_the_method_filter(tmp_path: Path) -> None:
    _mixed_city(tmp_path)
    old = arrears_list(ON)
    newest = sorted(old, key=lambda r: (r.oldest_due, r.person_id), reverse=True)
    largest = sorted(old, key=lambda r: (-r.total, r.oldest_due, r.person_id))
    contacted = sorted(old, key=lambda r: (r.last_contact_on or date.min, r.person_id), reverse=True)
    assert _shape(_all_pages(2, sort="newest")) == _shape(newest)
    assert _shape(_all_pages(2, sort="total")) == _shape(largest)
    assert _shape(_all_pages(2, sort="recent_contact")) == _shape(contacted)
    for method in ("direct", "pension"):
        assert _shape(_all_pages(2, method=method)) == _shape(arrears_list(ON, method=method))
        assert arrears_page(ON, method=method).total == sum(r.total for r in arrears_list(ON, method=method))


def test_the_awaiting_summary_counts_what_pension_awaiting_lists(tmp_path: Path) -> None:
    ids = _mixed_city(tmp_path)
    awaited = pension_awaiting(ON)
    assert {u.person_id for u in awaited} == {ids["awaiting"]} and len(awaited) > 2  # every month in the file
    summary = pension_awaiting_summary(ON, shown=2)
    assert (summary.count, summary.people, summary.total) == (
        len(awaited), len({u.person_id for u in awaited}), sum(u.unpaid for u in awaited))
    assert summary.first == awaited[:2]


def test_an_empty_city_has_one_empty_page() -> None:
    page = arrears_page(ON)
    assert (page.rows, page.count, page.total, page.page.paginator.num_pages) == ([], 0, 0, 1)
