"""監査警告 (issue 15 §2): every anomaly kind is offered by its Japanese label in the 種別 filter, and an
alert of a new kind is listed with its label and meaning, filtered by kind."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Role
from kouki.privacy.alerts import ALERT_RULES, alert_raise

pytestmark = pytest.mark.django_db

NEW_KINDS = ("reveal_without_counter_work", "reveal_outside_ward", "reveal_own_family", "reveal_daily",
             "person_view_daily", "search_hourly", "search_daily", "out_of_hours", "new_terminal",
             "repeated_refusals", "dormant_account_active", "batch_unusual_user")


def test_the_filter_offers_every_new_kind_and_lists_an_alert_by_label(
        client_as: Callable[[Role], Client]) -> None:
    auditor = client_as(Role.AUDITOR)
    page = auditor.get(reverse("web:alert_list")).content.decode()
    for kind in NEW_KINDS:
        assert f'<option value="{kind}">{ALERT_RULES[kind].label}</option>' in page
    now = timezone.now()
    alert_raise(kind="repeated_refusals", user=None, window_start=now, window_end=now, count=5, details={})
    alert_raise(kind="out_of_hours", user=None, window_start=now, window_end=now, count=1, details={})
    shown = auditor.get(reverse("web:alert_list"), {"state": "open", "kind": "repeated_refusals"})
    text = shown.content.decode()
    assert "拒否の繰り返し" in text and ALERT_RULES["repeated_refusals"].meaning in text
    assert ALERT_RULES["out_of_hours"].meaning not in text
