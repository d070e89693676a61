"""Lists that grow with the city are counted and paged in the database (issue 16 §5; kouki.core.paging):
the screen shows one page, the page links keep the screen's filters, an invalid or too-large page number
gives the first or the last page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Role
from kouki.privacy.alerts import alert_raise

pytestmark = pytest.mark.django_db


def test_the_alert_list_pages_in_the_database_and_keeps_its_filter(
    client_as: Callable[[Role], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kouki.web.views.alerts.PAGE_SIZE", 2)
    now = timezone.now()
    for n in range(5):  # windows apart: five alerts, not one merged
        at = now - timedelta(hours=10 - n)
        alert_raise(kind="out_of_hours", user=None, window_start=at, window_end=at, count=n + 1, details={})
    alert_raise(kind="repeated_refusals", user=None, window_start=now, window_end=now, count=9, details={})
    auditor = client_as(Role.AUDITOR)
    url = reverse("web:alert_list")
    query = {"state": "open", "kind": "out_of_hours"}
    first = auditor.get(url, query).content.decode()
    assert "1 / 3 ページ(5件中 1〜2件目)" in first
    assert 'href="?state=open&amp;kind=out_of_hours&amp;page=2" id="page-next"' in first
    last = auditor.get(url, {**query, "page": 3}).content.decode()
    assert "3 / 3 ページ(5件中 5〜5件目)" in last and 'id="page-next"' not in last
    assert "3 / 3 ページ" in auditor.get(url, {**query, "page": 99}).content.decode()
    assert "1 / 3 ページ" in auditor.get(url, {**query, "page": "x"}).content.decode()
    alone = auditor.get(url, {"state": "open", "kind": "repeated_refusals"}).content.decode()
    assert 'id="pages"' not in alone  # one page: no page links
