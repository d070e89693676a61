"""IN-08 at the counter (issue 11 §4): the 届出書記載 kana and birth date are typed from the form, never
prefilled from the register they are compared with, and a difference from the register is flagged at entry
(a warning the clerk must acknowledge) and recorded with the notification for the 再鑑."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from web.conftest import sign_in

from kouki.notifications.matching import entry_mismatch
from kouki.notifications.models import Notification, Status
from kouki.notifications.services import notification_enter
from kouki.privacy.models import AuditEntry

from .conftest import Counter, actor_of, disability_input
from .test_screens import form_data

pytestmark = pytest.mark.django_db


def field_value(page: str, name: str) -> str | None:
    """The value attribute of the input named `name` (None when it has none)."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag is not None, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def test_the_entry_form_does_not_prefill_what_it_compares(counter: Counter) -> None:
    client = sign_in(Client(), counter.clerk.user)
    page = client.get(reverse("web:notification_new", args=[counter.person.pk])).content.decode()
    assert field_value(page, "stated_kana") is None
    assert field_value(page, "stated_birth") is None
    # the dates that may be prefilled are in 和暦, as staff type them; the hint leads with 和暦
    assert re.fullmatch(r"R\d+\.\d+\.\d+", field_value(page, "received_on") or "")
    assert "R8.4.1 または 2026-04-01" in page


@pytest.mark.parametrize(("changes", "what"), [
    ({"stated_kana": "タカハシ イチロ"}, "氏名カナ"),
    ({"stated_birth": "S31.3.11"}, "生年月日"),
])  # fmt: skip
def test_a_kana_or_birth_date_mismatch_is_flagged_before_entry_and_recorded(
        counter: Counter, changes: dict[str, str], what: str) -> None:
    client = sign_in(Client(), counter.clerk.user)
    url = reverse("web:notification_new", args=[counter.person.pk])
    response = client.post(url, form_data(**changes))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="mismatch-warning"' in page and what in page
    assert "昭和31年3月10日" in page  # the register's birth date, in 和暦
    assert Notification.objects.count() == 0  # not entered until the clerk acknowledges the difference

    response = client.post(url, form_data(**changes, accept_mismatch="on"), follow=True)
    n = Notification.objects.get()
    assert n.status == Status.ENTERED and what in n.entry_mismatch
    page = response.content.decode()
    assert 'id="entry-mismatch"' in page and what in page  # the 再鑑 sees it on the detail page
    entry = AuditEntry.objects.get(action="notification.enter")
    assert entry.detail["register_mismatch"] is True


def test_matching_entries_go_through_without_warning(counter: Counter) -> None:
    client = sign_in(Client(), counter.clerk.user)
    response = client.post(reverse("web:notification_new", args=[counter.person.pk]),
                           form_data(stated_kana="タカハシ イチロウ"))  # fmt: skip
    assert response.status_code == 302
    n = Notification.objects.get()
    assert n.entry_mismatch == ""
    page = client.get(reverse("web:notification_detail", args=[n.pk])).content.decode()
    assert 'id="entry-mismatch"' not in page


def test_the_service_records_the_difference_whoever_calls_it(counter: Counter) -> None:
    n = notification_enter(actor=actor_of(counter.clerk), data=disability_input(
        counter.person, stated_kana="タカハシ ジロウ", stated_birth_date=date(1956, 3, 11)))
    assert "氏名カナ・生年月日が異なります" in n.entry_mismatch
    assert "平成" not in n.entry_mismatch and "昭和31年3月11日" in n.entry_mismatch
    # voiced marks, small kana and spacing do not count as a difference
    assert entry_mismatch(counter.person.pk, "タカハシイチロウ", date(1956, 3, 10), date(2026, 4, 1)) == ""


def test_a_service_error_is_shown_next_to_its_field(counter: Counter) -> None:
    """An agent without a name: the reason stands beside the 代理人氏名 input, not at the top of the form."""
    client = sign_in(Client(), counter.clerk.user)
    response = client.post(reverse("web:notification_new", args=[counter.person.pk]),
                           form_data(applicant="agent", agent_kind="delegate", agent_name=""))  # fmt: skip
    page = response.content.decode()
    beside = page.split('name="agent_name"')[1].split("</p>")[0]
    assert "代理人の区分・氏名・本人との関係を入力してください" in beside
    assert Notification.objects.count() == 0
