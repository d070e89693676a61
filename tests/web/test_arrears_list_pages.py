"""The 滞納者一覧 screen pages in the database (issue 16 §5; helper arrears16): page 2 shows the people
after the first page, in the list's order, with the whole list's count and total and the page links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from kouki.accounts.permissions import Role
from kouki.arrears.selectors import arrears_list
from kouki.web.views import arrears as arrears_views
from web.collection_samples import ARREARS_TODAY, fix_today, person_with_plan

pytestmark = pytest.mark.django_db
URL = reverse("web:arrears_list")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    return fix_today(monkeypatch)


def test_page_two_shows_the_next_people_in_order(
        monkeypatch: pytest.MonkeyPatch, client_as: Callable[[Role], Client]) -> None:
    for premium, year in ((30_000, 2025), (60_000, 2024), (45_000, 2025)):
        person_with_plan(None, premium, year)
    monkeypatch.setattr(arrears_views, "PAGE_SIZE", 2)
    everyone = arrears_list(ARREARS_TODAY)
    assert len(everyone) == 3
    clerk = client_as(Role.COUNTER_CLERK)
    first = clerk.get(URL)
    second = clerk.get(URL, {"page": 2})
    assert [r.person_id for r, _v, _p in first.context["rows"]] == [r.person_id for r in everyone[:2]]
    assert [r.person_id for r, _v, _p in second.context["rows"]] == [everyone[2].person_id]
    assert second.context["count"] == 3 and second.context["total"] == sum(r.total for r in everyone)
    html = second.content.decode()
    assert "2 / 2 ページ" in html and 'id="page-prev"' in html and 'id="page-next"' not in html
    assert f'id="arrears-{everyone[2].person_id}"' in html
    assert f'id="arrears-{everyone[0].person_id}"' not in html
    largest = clerk.get(URL, {"sort": "total", "page": 1})
    assert [r.person_id for r, _v, _p in largest.context["rows"]] == [
        r.person_id for r in sorted(everyone, key=lambda r: (-r.total, r.oldest_due, r.person_id))[:2]]
