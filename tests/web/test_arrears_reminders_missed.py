"""督促漏れ screen (issue 10 §7, 地方自治法 §231の3 ①): staff see the instalments missed outside the 20-day
window; only a supervisor (Perm.DECIDE_COLLECTION) issues the late 督促状 (audited, PDF answer);
instalments extinguished by limitation (地方自治法 §236 ②) are not listed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kouki.accounts.permissions import Role
from kouki.arrears.models import Reminder
from kouki.privacy.models import AuditEntry
from web.collection_samples import fix_today, person_with_plan
from web.conftest import Family

pytestmark = pytest.mark.django_db

WORKLIST = reverse("web:missed_reminders")
ISSUE = reverse("web:missed_reminders_issue")


def test_listed_for_staff_and_issued_by_a_supervisor(
    family: Family, client_as: Callable[[Role], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    fix_today(monkeypatch)  # 2026-12-01
    _person, rows = person_with_plan(family.taro)  # FY2025: all past due, none reminded
    _old, old_rows = person_with_plan(family.hanako, fiscal_year=2023)  # extinguished by now
    clerk = client_as(Role.COUNTER_CLERK)
    html = clerk.get(WORKLIST).content.decode()
    assert f'id="missed-{rows[0].pk}"' in html and f'id="missed-{old_rows[0].pk}"' not in html
    assert 'name="instalment"' not in html  # a clerk sees the list, not the issue button
    assert clerk.post(ISSUE, {"instalment": [rows[0].pk]}).status_code == 403
    assert Reminder.objects.count() == 0
    boss = client_as(Role.SUPERVISOR)
    assert 'name="instalment"' in boss.get(WORKLIST).content.decode()
    response = boss.post(ISSUE, {"instalment": [rows[0].pk, rows[1].pk]})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reminded = set(Reminder.objects.values_list("instalment_id", flat=True))
    assert reminded == {rows[0].pk, rows[1].pk}
    assert AuditEntry.objects.filter(action="reminder_issue_late").count() == 2
    assert f'id="missed-{rows[0].pk}"' not in boss.get(WORKLIST).content.decode()
    # an extinguished or unknown instalment is refused, nothing written
    page = boss.post(ISSUE, {"instalment": [old_rows[0].pk]}, follow=True)
    assert "督促状を発行できませんでした" in page.content.decode()
    assert boss.post(ISSUE, {}, follow=True).content.decode().count("期を選んでください") == 1
    assert Reminder.objects.count() == 2


def test_the_list_is_paged(
    family: Family, client_as: Callable[[Role], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16 §5: the screen shows one page of the list, counted and summed in the database."""
    fix_today(monkeypatch)  # 2026-12-01
    monkeypatch.setattr("kouki.web.views.arrears_reminders.PAGE_SIZE", 2)
    _person, rows = person_with_plan(family.taro)  # FY2025: all past due, none reminded
    clerk = client_as(Role.COUNTER_CLERK)
    first = clerk.get(WORKLIST).content.decode()
    pages = -(-len(rows) // 2)
    assert f"{len(rows)}件" in first and f"1 / {pages} ページ" in first
    assert f'id="missed-{rows[0].pk}"' in first and f'id="missed-{rows[2].pk}"' not in first
    second = clerk.get(WORKLIST, {"page": 2}).content.decode()
    assert f'id="missed-{rows[2].pk}"' in second and f'id="missed-{rows[0].pk}"' not in second
