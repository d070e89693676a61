"""分納誓約の履行確認 worklist (issue 11 §2): active pledges past a pledged date with what the review finds,
the review run as the signed-in member of staff (audited), broken pledges until a new pledge follows,
and `kouki collect pledges` for the same review as a batch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from factories import Staff

from kouki.accounts.permissions import Role
from kouki.arrears.models import PaymentPledge, PledgeStatus
from kouki.arrears.services import pledge_make
from kouki.cli import main
from kouki.privacy.models import AuditEntry
from kouki.rules.wareki import format_wareki
from web.collection_samples import ACTOR, fix_today, pay, person_with_plan
from web.conftest import Family

pytestmark = pytest.mark.django_db

LIST = reverse("web:pledge_review")
RUN = reverse("web:pledge_review_run")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    return fix_today(monkeypatch)


def _pledges(family: Family, today: date) -> tuple[PaymentPledge, PaymentPledge, PaymentPledge]:
    """Taro missed his pledged date; Hanako paid hers on time (next date later); Jiro pledges later."""
    made = today - timedelta(days=40)
    taro, rows = person_with_plan(family.taro)
    broken = pledge_make(actor=ACTOR, person_id=taro.pk, made_on=made,
                         schedule=[(made + timedelta(days=10), 5_000), (today + timedelta(days=20), 5_000)])
    pay(taro, 3_000, instalment=rows[0], paid_on=made + timedelta(days=5))
    hanako, rows = person_with_plan(family.hanako)
    on_time = pledge_make(actor=ACTOR, person_id=hanako.pk, made_on=made,
                          schedule=[(made + timedelta(days=10), 5_000), (today + timedelta(days=20), 5_000)])
    pay(hanako, 5_000, instalment=rows[0], paid_on=made + timedelta(days=9))
    jiro, _rows = person_with_plan(family.jiro)
    later = pledge_make(actor=ACTOR, person_id=jiro.pk, made_on=today,
                        schedule=[(today + timedelta(days=10), 5_000)])
    return broken, on_time, later


def test_the_worklist_shows_what_the_review_finds_and_the_review_records_it(
        family: Family, today: date, staff_of: Callable[[Role], Staff],
        client_as: Callable[[Role], Client]) -> None:
    broken, on_time, later = _pledges(family, today)
    client = client_as(Role.COUNTER_CLERK)
    assert LIST in client.get(reverse("web:menu")).content.decode()
    page = client.get(LIST).content.decode()
    rows = page.split('id="pledges"')[1]
    taro = rows.split(f'id="pledge-{broken.pk}"')[1].split("</tr>")[0]
    assert "不履行" in taro and "2,000円" in taro  # 5,000 pledged by the date, 3,000 paid
    assert format_wareki(broken.made_on) in taro and "山田" in taro
    assert reverse("web:arrears_detail", args=[broken.person_id]) in taro
    hanako = rows.split(f'id="pledge-{on_time.pk}"')[1].split("</tr>")[0]
    assert "履行中" in hanako and "なし" in hanako
    assert f'id="pledge-{later.pk}"' not in page  # no pledged date passed yet

    assert client.post(RUN, {"confirm": "yes"}).status_code == 302
    broken.refresh_from_db()
    on_time.refresh_from_db()
    assert broken.status == PledgeStatus.BROKEN and broken.status_on == today
    assert on_time.status == PledgeStatus.ACTIVE
    entry = AuditEntry.objects.get(action="pledge_review")
    assert entry.actor == staff_of(Role.COUNTER_CLERK).user.username and entry.target_id == str(broken.pk)
    shown = client.get(LIST).content.decode()
    assert f'id="pledge-{broken.pk}"' in shown  # broken: followed up until a new pledge is made

    pledge_make(actor=ACTOR, person_id=broken.person_id, made_on=today,
                schedule=[(today + timedelta(days=30), 2_000)])
    assert f'id="pledge-{broken.pk}"' not in client.get(LIST).content.decode()


def test_the_review_needs_the_confirmation(family: Family, today: date,
                                           client_as: Callable[[Role], Client]) -> None:
    broken, _on_time, _later = _pledges(family, today)
    client = client_as(Role.SUPERVISOR)
    response = client.post(RUN, {}, follow=True)
    assert "確認欄にチェックしてから実行してください" in response.content.decode()
    broken.refresh_from_db()
    assert broken.status == PledgeStatus.ACTIVE
    assert not AuditEntry.objects.filter(action="pledge_review").exists()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDITOR])
def test_roles_without_the_permission_are_refused(role: Role, family: Family, today: date,
                                                  client_as: Callable[[Role], Client]) -> None:
    broken, _on_time, _later = _pledges(family, today)
    client = client_as(role)
    assert client.get(LIST).status_code == 403
    assert client.post(RUN, {"confirm": "yes"}).status_code == 403
    broken.refresh_from_db()
    assert broken.status == PledgeStatus.ACTIVE


@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_the_review_as_a_command(family: Family, today: date, capsys: pytest.CaptureFixture[str]) -> None:
    broken, on_time, _later = _pledges(family, today)
    assert main(["collect", "pledges", "--on", today.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "状態が変わるもの 1件" in out and "完了: 0件  不履行: 1件" in out
    broken.refresh_from_db()
    on_time.refresh_from_db()
    assert broken.status == PledgeStatus.BROKEN and on_time.status == PledgeStatus.ACTIVE
