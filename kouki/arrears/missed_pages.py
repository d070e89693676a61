"""督促漏れ one page at a time (issue 16 §5): the rows of `kouki.arrears.selectors.reminders_missed`
counted, summed and paged in the database.

The rules are those of `reminders_missed`: direct instalments of plans in force, due before the reminder
window, still unpaid, no convenience-store 速報 waiting, never reminded, no 徴収猶予 in force on the day,
not extinguished by limitation. Limitation is the one rule not written in SQL (each instalment's expiry
is renewed by its payments and pledges, kouki.collection.limitation): only an instalment due on or before
the limitation horizon (two years before the day) can have expired, so those few old instalments are
checked in Python and the others — nearly all of the list — stay in the database. The list's order
(due date, person, instalment) puts the old ones first, so a page is the old ones still alive followed
by an OFFSET/LIMIT slice of the rest."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum

from kouki.arrears.models import Reminder
from kouki.assessment.models import InstalmentMethod
from kouki.collection.limitation import ClaimRef, expiry_dates
from kouki.collection.selectors import UnpaidInstalment
from kouki.collection.unpaid_query import unpaid_instalments_query
from kouki.core.config import city_config
from kouki.rules import arrears as rules

FIELDS = ("pk", "person", "fiscal_year", "period", "method", "due_date", "charged_now", "unpaid_now")


@dataclass(frozen=True)
class MissedPage:
    """One page of 督促漏れ: its instalments in the list's order, the page (for the page links), and the
    whole list's number of instalments and unpaid total."""

    rows: list[UnpaidInstalment]
    page: Page  # type: ignore[type-arg]
    count: int
    total: int


def _missed_query(on: date, window: int | None) -> QuerySet[Any]:
    first, _last = rules.reminder_due_window(on, window or city_config().reminder_window_days)
    reminded = Reminder.objects.filter(instalment_id=OuterRef("pk"))
    qs: QuerySet[Any] = unpaid_instalments_query(
        due_before=first, method=InstalmentMethod.DIRECT, deferred_on=on
    ).exclude(Exists(reminded))
    return qs


class MissedList:
    """督促漏れ on a day as a sliceable sequence: the old instalments still alive (in Python), then the
    recent ones (in the database). Slicing reads only the slice; `len` is one COUNT."""

    def __init__(self, on: date, *, window: int | None = None) -> None:
        horizon = rules.add_years(on, -rules.LIMITATION_YEARS)  # due on or before: may have expired
        query = _missed_query(on, window)
        old = [UnpaidInstalment(*r) for r in _ordered(query.filter(due_date__lte=horizon))]
        expires = expiry_dates(
            ClaimRef(u.instalment_id, u.person_id, u.fiscal_year, u.method, u.period, u.due_date) for u in old
        )
        self.old = [u for u in old if not rules.extinguished(expires[u.instalment_id], on)]
        self.recent = query.filter(due_date__gt=horizon)
        whole = self.recent.aggregate(n=Count("pk"), s=Sum("unpaid_now"))
        self.count = len(self.old) + (whole["n"] or 0)
        self.total = sum(u.unpaid for u in self.old) + int(whole["s"] or 0)

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, key: int) -> UnpaidInstalment: ...
    @overload
    def __getitem__(self, key: slice) -> list[UnpaidInstalment]: ...
    def __getitem__(self, key: int | slice) -> UnpaidInstalment | list[UnpaidInstalment]:
        if isinstance(key, int):
            return self[key : key + 1][0]
        start, stop, _step = key.indices(self.count)
        taken = self.old[start:stop]
        if stop > len(self.old):
            skip = max(start - len(self.old), 0)
            taken += [UnpaidInstalment(*r) for r in _ordered(self.recent)[skip : stop - len(self.old)]]
        return taken

    def __iter__(self) -> Iterator[UnpaidInstalment]:
        """Every row, read from the database in chunks (for the command's full listing)."""
        yield from self.old
        for row in _ordered(self.recent).iterator(chunk_size=2000):
            yield UnpaidInstalment(*row)


def _ordered(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.order_by("due_date", "plan__person_id", "pk").values_list(*FIELDS)


def missed_page(on: date, *, number: int | str = 1, per_page: int = 100) -> MissedPage:
    """Page `number` of 督促漏れ on `on` (an invalid number gives page 1, one past the end the last)."""
    found = MissedList(on)
    page = Paginator(found, per_page).get_page(number)
    return MissedPage(list(page.object_list), page, found.count, found.total)


def missed_count(on: date) -> int:
    """How many instalments 督促漏れ lists on `on` (one COUNT, plus the few old ones checked)."""
    return MissedList(on).count
