"""保存期間と消去対象 (issue 15 §5): the auditor's read-only plan: labels, periods, counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from web.conftest import client_as, staff_of
from web.test_screen_conventions import findings, visible_text

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.inquiries.models import InquiryRecord
from kouki.rules.retention import Period, cutoff
from kouki.web.templatetags.kouki_web import wareki

from .conftest import inquiry_record

pytestmark = pytest.mark.django_db
__all__ = ["client_as", "staff_of"]  # the fixtures
TOKYO = timezone.get_default_timezone()


def test_the_auditor_sees_each_kind_with_its_period_and_count(
        clerk: StaffUser, client_as: Callable[[Role], Client], settings: Any) -> None:
    settings.KOUKI_RETENTION = "alerts=3y"
    edge = cutoff(timezone.localdate(), Period(7, "y"))  # the screen runs now: records placed around it
    inquiry_record(clerk, datetime.combine(edge - timedelta(days=1), time(9), tzinfo=TOKYO))
    inquiry_record(clerk, datetime.combine(edge, time(0), tzinfo=TOKYO))
    client = client_as(Role.AUDITOR)
    response = client.get(reverse("web:retention_plan"))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert f"情報提供等記録 7年 {wareki(edge)}より前 1 期間経過分を消去" in text
    assert "監査警告 3年" in text and "監査ログ - - - 消去しない" in text
    assert "保存期間が未設定のため消去しない種類: 情報照会結果、" in text
    assert findings(text) == []
    assert InquiryRecord.objects.count() == 2  # the screen deletes nothing
    assert client_as(Role.COUNTER_CLERK).get(reverse("web:retention_plan")).status_code == 403


def test_a_refused_setting_is_said_not_shown_as_a_plan(client_as: Callable[[Role], Client],
                                                       settings: Any) -> None:
    settings.KOUKI_RETENTION = "inquiry_records=1y"
    response = client_as(Role.SYSTEM_ADMIN).get(reverse("web:retention_plan"))
    assert response.status_code == 200
    assert "保存期間の設定に誤りがあるため" in response.content.decode()
    assert 'id="retention"' not in response.content.decode()
