"""滞納者一覧 screen (issue 5 §4; USE-03): one row per person with an instalment past due and unpaid —
oldest due date in 和暦, total unpaid, last reminder, last contact and pledge state — sortable (oldest,
newest, largest), filterable by method, paginated, each row leading to the person's arrears detail.
SEC-07: only staff with Perm.VIEW_PERSON see it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from collection_factories import ACTOR
from django.test import Client
from django.urls import reverse
from factories import make_person

from kouki.accounts.permissions import Role
from kouki.arrears.models import PledgeStatus
from kouki.arrears.services import contact_record, pledge_make, reminders_issue
from kouki.rules.wareki import format_wareki
from web.collection_samples import ARREARS_TODAY, fix_today, pay, person_with_plan
from web.conftest import Family

pytestmark = pytest.mark.django_db

URL = reverse("web:arrears_list")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    return fix_today(monkeypatch)


def test_each_person_in_arrears_is_one_row_with_reminder_contact_and_pledge(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    taro, rows = person_with_plan(family.taro, 90_000, 2025)
    for row in rows[:-1]:
        pay(taro, row.amount, instalment=row)  # only the last instalment (March 2026) is unpaid
    hanako, hrows = person_with_plan(family.hanako, 45_000, 2024)
    reminders_issue(actor=ACTOR, on=date(2024, 8, 10))  # the first FY2024 instalment (due 2024-07-31)
    contact_record(actor=ACTOR, person_id=hanako.pk, contacted_on=date(2026, 11, 2), channel="phone")
    pledge_make(actor=ACTOR, person_id=hanako.pk, made_on=date(2026, 11, 2),
                schedule=[(date(2026, 12, 25), 5_000)])
    page = client_as(Role.COUNTER_CLERK).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert [r.person_id for r, _v, _p in page.context["rows"]] == [hanako.pk, taro.pk]  # oldest due first
    assert page.context["count"] == 2 and page.context["total"] == 45_000 + rows[-1].amount
    row = html.split(f'id="arrears-{hanako.pk}"')[1].split("</tr>")[0]
    assert format_wareki(hrows[0].due_date) in row and "45,000円" in row
    assert format_wareki(date(2024, 8, 10)) in row and format_wareki(date(2026, 11, 2)) in row
    assert PledgeStatus.ACTIVE.label in row and family.hanako.addressee_no in row
    assert reverse("web:arrears_detail", args=[hanako.pk]) in row
    taro_row = html.split(f'id="arrears-{taro.pk}"')[1].split("</tr>")[0]
    assert format_wareki(rows[-1].due_date) in taro_row and taro_row.count("-") >= 3  # no reminder etc.


def test_newest_first_and_largest_first_and_method_filter(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    old, _ = person_with_plan(family.taro, 30_000, 2024)
    new, _ = person_with_plan(family.hanako, 90_000, 2025)
    client = client_as(Role.COUNTER_CLERK)
    order = lambda **q: [r.person_id for r, _v, _p in client.get(URL, q).context["rows"]]  # noqa: E731
    assert order() == [old.pk, new.pk]
    assert order(sort="newest") == [new.pk, old.pk]
    assert order(sort="total") == [new.pk, old.pk]
    assert order(method="direct") == [old.pk, new.pk]
    assert order(method="pension") == []
    assert b'id="no-arrears"' in client.get(URL, {"method": "pension"}).content
    # an unknown sort falls back to the default order
    assert order(sort="bogus") == [old.pk, new.pk]


def test_the_list_is_paginated(family: Family, client_as: Callable[[Role], Client],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kouki.web.views.arrears.PAGE_SIZE", 2)
    people = [person_with_plan(p, 30_000, 2025)[0] for p in (family.taro, family.hanako, family.jiro)]
    people.append(person_with_plan(make_person(), 30_000, 2025)[0])
    people.append(person_with_plan(make_person(), 30_000, 2025)[0])
    client = client_as(Role.COUNTER_CLERK)
    first = client.get(URL, {"sort": "newest"})
    seen = [r.person_id for r, _v, _p in first.context["rows"]]
    assert len(seen) == 2 and first.context["page"].paginator.num_pages == 3
    assert 'id="page-next"' in first.content.decode() and "sort=newest" in first.content.decode()
    for number in (2, 3):
        later = client.get(URL, {"sort": "newest", "page": number})
        seen += [r.person_id for r, _v, _p in later.context["rows"]]
    assert sorted(seen) == sorted(p.pk for p in people)
    assert first.context["count"] == 5
    # a page number past the end shows the last page
    assert client.get(URL, {"page": 99}).context["page"].number == 3


def test_nobody_in_arrears_before_the_first_due_date(family: Family, client_as: Callable[[Role], Client],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    person_with_plan(family.taro, 30_000, 2025)
    fix_today(monkeypatch, date(2025, 7, 1))
    page = client_as(Role.COUNTER_CLERK).get(URL)
    assert page.context["count"] == 0 and b'id="no-arrears"' in page.content
    assert ARREARS_TODAY > date(2025, 7, 1)


@pytest.mark.parametrize(("role", "status"), [(Role.COUNTER_CLERK, 200), (Role.NUMBER_CLERK, 200),
                                               (Role.SUPERVISOR, 200), (Role.AUDITOR, 403),
                                               (Role.SYSTEM_ADMIN, 403)])
def test_who_sees_the_list(client_as: Callable[[Role], Client], role: Role, status: int) -> None:
    assert client_as(role).get(URL).status_code == status


@pytest.mark.parametrize(("role", "clerk_entry", "supervisor_entry"), [
    (Role.COUNTER_CLERK, True, False), (Role.SUPERVISOR, True, True), (Role.AUDITOR, False, False)])
def test_menu_entries(client_as: Callable[[Role], Client], role: Role, clerk_entry: bool,
                      supervisor_entry: bool) -> None:
    menu = client_as(role).get(reverse("web:menu")).content.decode()
    assert ("滞納者一覧・納付折衝" in menu) == clerk_entry
    assert ("不納欠損の決裁" in menu) == supervisor_entry
    assert ("特別徴収の未徴収" in menu) == clerk_entry
    assert ("督促漏れ" in menu) == clerk_entry  # issue 10 §7; issuing is a supervisor's (DECIDE_COLLECTION)


def test_the_late_charge_column_shows_determined_and_accruing_charges(
        family: Family, client_as: Callable[[Role], Client], settings: object) -> None:
    from kouki.collection.late_charge_selectors import accruing
    from kouki.collection.selectors import unpaid_instalments
    from web.collection_samples import late_charge_sample

    taro, rows = person_with_plan(family.taro, 900_000, 2025)
    for row in rows[1:]:
        pay(taro, row.amount, instalment=row)  # the first instalment (due 2025-07-31) stays unpaid
    late_charge_sample(taro, rows[1], amount=1_500)
    page = client_as(Role.COUNTER_CLERK).get(URL)
    cell = page.content.decode().split(f'id="arrears-{taro.pk}"')[1].split("</tr>")[0]
    assert "未設定" in cell
    settings.KOUKI_LATE_CHARGE_EARLY_MONTHS = "1"  # type: ignore[attr-defined]
    page = client_as(Role.COUNTER_CLERK).get(URL)
    cell = page.content.decode().split(f'id="arrears-{taro.pk}"')[1].split("</tr>")[0]
    unpaid = list(unpaid_instalments(due_before=ARREARS_TODAY, person_ids=[taro.pk]))
    expected = accruing(unpaid, ARREARS_TODAY)
    estimate = sum(e.amount for e in expected.values())
    assert estimate > 0
    assert "確定 1,500円" in cell and f"見込 {estimate:,}円" in cell


def test_pension_instalments_awaiting_their_result_are_listed_apart(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    """Issue 11 §3: unpaid pension instalments with no 特別徴収結果 yet are not arrears."""
    from arrears.helpers import pension_person

    pensioner, _plan = pension_person(90_000)
    taro, _rows = person_with_plan(family.taro, 90_000, 2025)
    html = client_as(Role.COUNTER_CLERK).get(URL).content.decode()
    listed = html.split('id="arrears"')[1].split("</table>")[0]
    assert f'id="arrears-{taro.pk}"' in listed and f'id="arrears-{pensioner.pk}"' not in listed
    awaiting = html.split('id="pension-awaiting"')[1]
    assert pensioner.addressee_no in awaiting and "特別徴収 第1期" in awaiting
    assert "1人、6期" in awaiting.split('id="pension-awaiting-summary"')[1]
    direct_only = client_as(Role.COUNTER_CLERK).get(URL, {"method": "direct"}).content.decode()
    assert 'id="no-pension-awaiting"' in direct_only
