"""The 滞納者一覧 one page at a time (issue 16 §5): the people in arrears are grouped, counted, summed,
sorted and paged in the database; only the page's people get their instalments, reminders, pledges and
contacts loaded (by `kouki.arrears.selectors.arrears_list` limited to them). The rules are those of
`arrears_list`: unpaid instalments of plans in force past due, no convenience-store 速報 waiting, no
徴収猶予 in force on the day, no pension instalment still awaiting its 特別徴収結果 (neither a deduction
recorded nor a non-deduction reported for its month)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Exists, F, Min, OuterRef, QuerySet, Subquery, Sum

from kouki.arrears.models import ContactRecord, PensionNonDeduction
from kouki.arrears.selectors import ArrearsRow, arrears_list
from kouki.assessment.models import InstalmentMethod
from kouki.collection.selectors import UnpaidInstalment
from kouki.collection.unpaid_query import unpaid_instalments_query
from kouki.core.paging import CountedPaginator

SORTS = ("oldest", "newest", "total", "recent_contact")


@dataclass(frozen=True)
class ArrearsPage:
    """One page of the arrears list: its rows in the list's order, the page (for the page links), and the
    whole list's number of people and unpaid total."""

    rows: list[ArrearsRow]
    page: Page  # type: ignore[type-arg]
    count: int
    total: int


def _reported() -> Exists:
    return Exists(PensionNonDeduction.objects.filter(
        person_id=OuterRef("plan__person_id"), fiscal_year=OuterRef("plan__fiscal_year"),
        pension_month=OuterRef("month")))  # fmt: skip


def arrears_instalments(on: date, *, method: str | None = None) -> QuerySet[Any]:
    """The instalments that make people arrears on `on` (the rows `arrears_list` groups), as a query."""
    qs = unpaid_instalments_query(due_before=on, method=method, deferred_on=on).annotate(reported=_reported())
    kept: QuerySet[Any] = qs.exclude(method=InstalmentMethod.PENSION, pension_deducted=False, reported=False)
    return kept


def arrears_people(on: date, *, method: str | None = None, sort: str = "oldest") -> QuerySet[Any]:
    """One row per person in arrears (person, oldest, total, periods), in the order `sort` asks:
    oldest — by the oldest due date, then person (arrears_list's order); newest — the reverse;
    total — the largest unpaid first, then oldest due, then person; recent_contact — the latest
    contact on or before `on` first (never contacted last), then person, descending."""
    people: QuerySet[Any] = arrears_instalments(on, method=method).values("person").annotate(
        oldest=Min("due_date"), total=Sum("unpaid_now"), periods=Count("pk"))  # fmt: skip
    order: tuple[Any, ...] = ("oldest", "person")
    if sort == "newest":
        order = ("-oldest", "-person")
    elif sort == "total":
        order = ("-total", "oldest", "person")
    elif sort == "recent_contact":
        last = ContactRecord.objects.filter(person_id=OuterRef("person"), contacted_on__lte=on).order_by(
            "-contacted_on").values("contacted_on")[:1]  # fmt: skip
        people = people.annotate(last_contact=Subquery(last))
        order = (F("last_contact").desc(nulls_last=True), "-person")
    ordered: QuerySet[Any] = people.order_by(*order)
    return ordered


def arrears_page(
    on: date, *, number: int | str = 1, per_page: int = 50, method: str | None = None, sort: str = "oldest"
) -> ArrearsPage:
    """Page `number` of the arrears list (an invalid number gives page 1, one past the end the last)."""
    whole = arrears_instalments(on, method=method).aggregate(
        n=Count("plan__person_id", distinct=True), s=Sum("unpaid_now"))  # fmt: skip  (one pass for both)
    paginator = CountedPaginator(arrears_people(on, method=method, sort=sort), per_page, whole["n"] or 0)
    page = paginator.get_page(number)
    ids = [r["person"] for r in page.object_list]
    by_id = {r.person_id: r for r in arrears_list(on, person_ids=ids, method=method)} if ids else {}
    rows = [by_id[i] for i in ids if i in by_id]
    return ArrearsPage(rows, page, paginator.count, int(whole["s"] or 0))


@dataclass(frozen=True)
class AwaitingSummary:
    """特別徴収の結果待ち on a day: how many instalments, people and yen, and the first `shown` of them."""

    count: int
    people: int
    total: int
    first: list[UnpaidInstalment]


def pension_awaiting_summary(on: date, *, shown: int) -> AwaitingSummary:
    """The rows of `kouki.arrears.selectors.pension_awaiting`, counted and summed in the database."""
    qs = unpaid_instalments_query(due_before=on, method=InstalmentMethod.PENSION).annotate(
        reported=_reported()).filter(pension_deducted=False, reported=False)  # fmt: skip
    agg = qs.aggregate(n=Count("pk"), people=Count("plan__person_id", distinct=True), s=Sum("unpaid_now"))
    rows = qs.order_by("due_date", "plan__person_id", "pk").values_list(
        "pk", "person", "fiscal_year", "period", "method", "due_date", "charged_now", "unpaid_now")[:shown]
    first = [UnpaidInstalment(*row) for row in rows]
    return AwaitingSummary(agg["n"] or 0, agg["people"] or 0, int(agg["s"] or 0), first)
