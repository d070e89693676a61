"""特別徴収の未徴収 worklist (issue 5 §2; ADR 0011 decision 6): the pension instalments the union reported
as not deducted, each closed by staff once the person was moved to direct payment (audited); a role
without Perm.VIEW_PERSON is refused (SEC-07)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from factories import Staff

from kouki.accounts.permissions import Role
from kouki.arrears.models import ConversionStatus, PensionNonDeduction
from kouki.privacy.models import AuditEntry
from kouki.rules.wareki import wareki_month
from web.collection_samples import fix_today, not_deducted, person_with_plan
from web.conftest import Family

pytestmark = pytest.mark.django_db

WORKLIST = reverse("web:pension_worklist")


def test_open_items_are_listed_and_closed(family: Family, staff_of: Callable[[Role], Staff],
                                          client_as: Callable[[Role], Client],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    today = fix_today(monkeypatch)
    person, rows = person_with_plan(family.taro)
    item = not_deducted(rows[3], reason="01")
    client = client_as(Role.COUNTER_CLERK)
    row = client.get(WORKLIST).content.decode().split(f'id="pension-item-{item.pk}"')[1].split("</tr>")[0]
    assert "死亡" in row and "令和7年度" in row and family.taro.addressee_no in row
    assert wareki_month(rows[3].due_date.year, rows[3].due_date.month) in row  # 和暦 (issue 11 §4)
    assert reverse("web:collection_ledger", args=[person.pk]) in row
    response = client.post(reverse("web:pension_done", args=[item.pk]), follow=True)
    assert "切替済として処理しました" in response.content.decode()
    assert 'id="no-pension-items"' in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.resolved_by, item.resolved_on) == (
        ConversionStatus.DONE, staff_of(Role.COUNTER_CLERK).user.username, today)
    assert AuditEntry.objects.filter(action="pension_conversion_done", target_id=str(item.pk)).exists()
    # closed items are not offered again
    assert client.post(reverse("web:pension_done", args=[item.pk])).status_code == 404


def test_refusals(family: Family, client_as: Callable[[Role], Client]) -> None:
    _person, rows = person_with_plan(family.taro)
    item = not_deducted(rows[0])
    auditor = client_as(Role.AUDITOR)
    assert auditor.get(WORKLIST).status_code == 403
    assert auditor.post(reverse("web:pension_done", args=[item.pk])).status_code == 403
    assert client_as(Role.COUNTER_CLERK).get(reverse("web:pension_done", args=[item.pk])).status_code == 405
    assert PensionNonDeduction.objects.get(pk=item.pk).status == ConversionStatus.OPEN
