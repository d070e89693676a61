"""監査警告 (issue 14 §6): a scripted burst of reveals on the screens is refused at the limit (429) and the
auditor sees the alert and acknowledges it; 宛名詳細 views count against their own limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kouki.accounts.permissions import Role
from kouki.privacy.models import Alert, PersonView
from kouki.privacy.redaction import contains_personal_number

from .conftest import Family, Numbers

pytestmark = pytest.mark.django_db


def test_a_burst_of_reveals_is_refused_at_the_limit_and_acknowledged_by_an_auditor(
        family: Family, numbers: Numbers, client_as: Callable[[Role], Client], settings: Any) -> None:
    settings.KOUKI_REVEAL_BURST = 3
    settings.KOUKI_REVEAL_LIMIT_PER_HOUR = 4
    clerk = client_as(Role.NUMBER_CLERK)
    url = reverse("web:personal_number_reveal", args=[family.taro.pk])
    statuses = [clerk.post(url, {"purpose": "identity", "source": "person_detail"}).status_code
                for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    refused = clerk.post(url, {"purpose": "identity", "source": "person_detail"}).content.decode()
    assert "1時間に4件まで" in refused and numbers.taro not in refused
    assert clerk.get(reverse("web:alert_list")).status_code == 403  # the auditors' screen

    auditor = client_as(Role.AUDITOR)
    page = auditor.get(reverse("web:alert_list")).content.decode()
    assert "個人番号の表示の短時間集中" in page and "個人番号の表示の上限到達(拒否)" in page
    assert contains_personal_number(page) is False
    burst = Alert.objects.get(kind="reveal_burst")
    note = "本人確認の繰返し。問題なし"
    done = auditor.post(reverse("web:alert_acknowledge", args=[burst.pk]), {"note": note})
    assert done.status_code == 302
    burst.refresh_from_db()
    assert burst.acknowledged_at is not None and burst.acknowledgement_note == "本人確認の繰返し。問題なし"
    open_page = auditor.get(reverse("web:alert_list")).content.decode()
    assert f"#{burst.pk}<" not in open_page  # only open alerts by default
    all_page = auditor.get(reverse("web:alert_list"), {"state": "all"}).content.decode()
    assert f"#{burst.pk}<" in all_page and "本人確認の繰返し。問題なし" in all_page


def test_person_detail_views_are_recorded_and_limited(
        family: Family, client_as: Callable[[Role], Client], settings: Any) -> None:
    settings.KOUKI_PERSON_VIEW_LIMIT_PER_HOUR = 2
    clerk = client_as(Role.COUNTER_CLERK)
    url = reverse("web:person_detail", args=[family.taro.pk])
    assert [clerk.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert PersonView.objects.filter(person=family.taro).count() == 2
    assert Alert.objects.filter(kind="person_view_limit").count() == 1
