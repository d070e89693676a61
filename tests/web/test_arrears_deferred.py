"""徴収猶予中 on the arrears screens (issue 12 §2; helper relief12): a person whose instalments are under
a 徴収猶予 in force (an InstalmentDeferral the union's decision wrote) is listed under their own heading
「徴収猶予中」, not in the arrears table; the person's arrears page marks the deferral; the 督促状 run
and the 督促漏れ list leave the deferred instalments alone during the period and take them back after
it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from collection_factories import ACTOR
from django.test import Client
from django.urls import reverse

from kouki.accounts.permissions import Role
from kouki.arrears.selectors import arrears_list, deferred_list, reminders_missed
from kouki.arrears.services import reminders_issue
from kouki.collection.deferrals import instalment_deferrals_record
from kouki.rules.wareki import format_wareki
from web.collection_samples import ARREARS_TODAY, fix_today, person_with_plan
from web.conftest import Family

pytestmark = pytest.mark.django_db
UNTIL = ARREARS_TODAY + timedelta(days=40)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    return fix_today(monkeypatch)


def test_a_deferred_person_has_their_own_heading_and_marker(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    taro, rows = person_with_plan(family.taro, 90_000, 2025)  # every FY2025 instalment past due
    hanako, _hrows = person_with_plan(family.hanako, 45_000, 2025)
    deferred_ids = [r.pk for r in rows[-3:]]
    instalment_deferrals_record(
        actor=ACTOR, person_id=taro.pk, application_no="令和8年度第00007号", instalment_ids=deferred_ids,
        deferred_from=date(2026, 11, 1), deferred_until=UNTIL, decided_on=date(2026, 11, 1),
    )  # fmt: skip
    (row,) = deferred_list(ARREARS_TODAY)
    assert (row.person_id, len(row.instalments), row.deferred_until) == (taro.pk, 3, UNTIL)
    assert row.application_nos == ("令和8年度第00007号",) and row.past_due == 3
    listed = {r.person_id: r for r in arrears_list(ARREARS_TODAY)}
    assert {u.instalment_id for u in listed[taro.pk].instalments}.isdisjoint(deferred_ids)

    page = client_as(Role.COUNTER_CLERK).get(reverse("web:arrears_list"))
    html = page.content.decode()
    assert page.status_code == 200 and "徴収猶予中" in html
    section = html.split('id="deferred-table"')[1].split("</table>")[0]
    assert f'id="deferred-{taro.pk}"' in section and f'id="deferred-{hanako.pk}"' not in section
    assert format_wareki(UNTIL) in section and "令和8年度第00007号" in section
    assert f"{sum(r.amount for r in rows[-3:]):,}円" in section

    detail = client_as(Role.COUNTER_CLERK).get(reverse("web:arrears_detail", args=[taro.pk]))
    marker = detail.content.decode().split('id="deferred-marker"')[1].split("</dd>")[0]
    assert "徴収猶予中" in marker and format_wareki(UNTIL) in marker
    other = client_as(Role.COUNTER_CLERK).get(reverse("web:arrears_detail", args=[hanako.pk]))
    assert 'id="deferred-marker"' not in other.content.decode()


def test_the_reminder_batch_leaves_a_deferred_instalment_until_the_period_ends(family: Family) -> None:
    taro, rows = person_with_plan(family.taro, 90_000, 2026)
    first = rows[0]  # due in July 2026
    on = first.due_date + timedelta(days=5)
    instalment_deferrals_record(
        actor=ACTOR, person_id=taro.pk, application_no="令和8年度第00008号", instalment_ids=[first.pk],
        deferred_from=first.due_date - timedelta(days=10), deferred_until=on + timedelta(days=30),
        decided_on=first.due_date - timedelta(days=10),
    )  # fmt: skip
    assert reminders_issue(actor=ACTOR, on=on).reminder_ids == []  # no 督促状 during the period
    assert first.pk not in {u.instalment_id for u in reminders_missed(on + timedelta(days=30))}
    assert [r.person_id for r in deferred_list(on)] == [taro.pk]
    after = on + timedelta(days=31)
    assert first.pk in {u.instalment_id for u in reminders_missed(after)}  # reminded once it has ended
    assert deferred_list(after) == []
    assert len(reminders_issue(actor=ACTOR, on=after).reminder_ids) == 1  # the 督促状 once it has ended
