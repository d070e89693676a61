"""One page of a list that grows with the city (issue 16 §5): the shared piece every list screen uses.

`page_of` hands Django's Paginator a queryset, so the list is counted (one COUNT) and sliced
(LIMIT/OFFSET) in the database; only the page's rows are read. `?page=N` chooses the page (an invalid
number gives page 1, one past the end the last). The template `web/_pages.html` draws 前へ / n / N ページ /
次へ with the screen's other query parameters (its filters) kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 100  # rows on a page of an office list, unless the screen says otherwise


@dataclass(frozen=True)
class ListPage:
    """A page and the query string that keeps the screen's filters on the page links."""

    page: Page  # type: ignore[type-arg]
    query: str

    @property
    def rows(self) -> list[Any]:
        return list(self.page.object_list)


def page_of(request: HttpRequest, object_list: Any, *, per_page: int = PAGE_SIZE) -> ListPage:
    """Page `?page=N` of `object_list` (a queryset: counted and sliced in the database, keys first — see
    `KeysFirst`; or anything with `count()`/`len()` and slicing)."""
    listed: Any = KeysFirst(object_list) if isinstance(object_list, QuerySet) else object_list
    page = Paginator(listed, per_page).get_page(request.GET.get("page", 1))
    kept = request.GET.copy()
    kept.pop("page", None)
    return ListPage(page, kept.urlencode())


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told its count (when the list was counted with something else, in the same pass)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: this is its cached value


class KeysFirst:
    """A queryset sliced in two steps: the slice's primary keys (the ORDER BY and OFFSET walk an index,
    with none of the query's joins), then those rows with their joins (`select_related`), in key order.
    A deep page of a million-row log then skips index entries, not joined rows."""

    def __init__(self, qs: QuerySet[Any]) -> None:
        self.qs = qs

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Any]:
        keys = list(self.qs.values_list("pk", flat=True)[key])
        rows = {row.pk: row for row in self.qs.filter(pk__in=keys)}
        return [rows[k] for k in keys if k in rows]
