"""収納状況 screen (issue 5 §2; USE-03): a person's instalments for a fiscal year with 和暦 due dates and
調定額・収納額・充当額・不納欠損額・未納額, the receipts, the decisions with who and why, and the ledger
identity. SEC-07/BF-01: no personal number on the screen, even for a role that may see numbers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from collection_factories import ACTOR
from django.test import Client
from django.urls import reverse

from kouki.accounts.permissions import Role
from kouki.collection.decisions import refund_decide
from kouki.collection.services import receipt_cancel
from kouki.privacy.context import Actor
from kouki.rules.wareki import format_wareki
from web.collection_samples import FY, overpaid, pay, person_with_plan
from web.conftest import Family, Numbers

pytestmark = pytest.mark.django_db


def ledger_url(person_id: int, fy: int | None = None) -> str:
    url = reverse("web:collection_ledger", args=[person_id])
    return f"{url}?fy={fy}" if fy is not None else url


def test_the_ledger_shows_each_instalment_with_its_due_date_in_wareki_and_its_amounts(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    pay(person, rows[0].amount + 1_000, instalment=rows[0])
    page = client_as(Role.COUNTER_CLERK).get(ledger_url(person.pk, FY))
    assert page.status_code == 200
    html = page.content.decode()
    assert "令和7年度" in html
    for row in rows:
        assert format_wareki(row.due_date) in html
    statuses = page.context["statuses"]
    assert [s.paid for _label, s in statuses][:2] == [rows[0].amount, 1_000]
    assert statuses[0][0] == "普通徴収 第1期"
    assert page.context["totals"]["unpaid"] == 90_000 - rows[0].amount - 1_000
    assert "完納" in html and "一部未納" in html


def test_the_ledger_identity_line_is_shown_and_balances(family: Family,
                                                         client_as: Callable[[Role], Client]) -> None:
    person = overpaid(family.taro, premium=30_000, paid=40_000, fiscal_year=2024)
    page = client_as(Role.COUNTER_CLERK).get(ledger_url(person.pk, 2024))
    identity = page.content.decode().split('id="ledger-identity"')[1].split("</div>")[0]
    assert "調定額 30,000円" in identity and "収納額 40,000円" in identity
    assert "未納額 -10,000円" in identity and "一致" in identity
    assert page.context["book"].balances
    assert reverse("web:overpayment_detail", args=[person.pk, 2024]) in identity


def test_the_fiscal_year_can_be_chosen_and_defaults_to_the_newest(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    person = overpaid(family.taro, fiscal_year=2024)
    person_with_plan(person, 90_000, FY)
    client = client_as(Role.COUNTER_CLERK)
    assert client.get(ledger_url(person.pk)).context["fiscal_year"] == FY
    older = client.get(ledger_url(person.pk, 2024))
    assert older.context["fiscal_year"] == 2024 and older.context["book"].assessed == 30_000
    assert [y for y, _label in older.context["years"]] == [FY, 2024]
    # a year without a plan: nothing to show and no payment form
    empty = client.get(ledger_url(person.pk, 2019))
    assert empty.status_code == 200 and not empty.context["has_plan"]
    assert b'id="counter-receipt-form"' not in empty.content


def test_no_personal_number_on_the_ledger_even_for_a_supervisor(family: Family, numbers: Numbers,
                                                                client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    pay(person, rows[0].amount)
    html = client_as(Role.SUPERVISOR).get(ledger_url(person.pk, FY)).content.decode()
    assert numbers.taro not in html and "個人番号" not in html


def test_search_leads_to_the_ledger(family: Family, client_as: Callable[[Role], Client]) -> None:
    page = client_as(Role.COUNTER_CLERK).get(reverse("web:collection_search"), {"kana": "ヤマダ"})
    assert page.status_code == 200
    assert reverse("web:collection_ledger", args=[family.taro.pk]) in page.content.decode()
    assert reverse("web:collection_ledger", args=[family.jiro.pk]) not in page.content.decode()


def test_decisions_and_cancellations_show_who_and_why(family: Family, staff_of: Callable[[Role], object],
                                                      client_as: Callable[[Role], Client]) -> None:
    person = overpaid(family.taro, fiscal_year=2024)
    supervisor = staff_of(Role.SUPERVISOR).user  # type: ignore[attr-defined]
    actor = Actor(username=supervisor.username, terminal_id="t", user_id=supervisor.pk)
    refund_decide(actor=actor, person_id=person.pk, fiscal_year=2024, amount=4_000,
                  reason="口座へ還付(申出書受理)", on=date(2024, 9, 1))
    wrong = pay(person, 500, fiscal_year=2024, paid_on=date(2024, 8, 1))
    receipt_cancel(actor=actor, receipt_id=wrong.pk, reason="金額の入力誤り", on=date(2024, 8, 2))
    html = client_as(Role.COUNTER_CLERK).get(ledger_url(person.pk, 2024)).content.decode()
    decisions = html.split('id="decisions"')[1]
    assert "還付" in decisions and "4,000円" in decisions and "口座へ還付(申出書受理)" in decisions
    assert supervisor.staff_name in decisions
    receipts = html.split('id="receipts"')[1].split("</table>")[0]
    assert "取消" in receipts and "金額の入力誤り" in receipts and supervisor.staff_name in receipts


def test_ledger_of_an_unknown_person_is_404(client_as: Callable[[Role], Client]) -> None:
    assert client_as(Role.COUNTER_CLERK).get(ledger_url(999_999)).status_code == 404


def test_system_jobs_are_named_by_their_username(family: Family, client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    pay(person, rows[0].amount)
    html = client_as(Role.COUNTER_CLERK).get(ledger_url(person.pk, FY)).content.decode()
    assert ACTOR.username in html


@pytest.mark.parametrize(("role", "shown"), [(Role.COUNTER_CLERK, True), (Role.SUPERVISOR, True),
                                             (Role.AUDITOR, False), (Role.SYSTEM_ADMIN, False)])
def test_menu_entries(client_as: Callable[[Role], Client], role: Role, shown: bool) -> None:
    menu = client_as(role).get(reverse("web:menu")).content.decode()
    assert ("収納状況・窓口収納" in menu) == shown
    assert ("過誤納金の処理(還付・充当)" in menu) == shown


def test_late_charges_are_shown_and_a_supervisor_may_waive_one_with_a_reason(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    from kouki.collection.models import LateCharge
    from kouki.privacy.models import AuditEntry
    from web.collection_samples import late_charge_sample

    person, rows = person_with_plan(family.taro)
    lc = late_charge_sample(person, rows[0], amount=2_300)
    clerk = client_as(Role.COUNTER_CLERK).get(ledger_url(person.pk, FY))
    html = clerk.content.decode()
    assert 'id="late-charge-table"' in html and "2,300円" in html
    assert "waive-form" not in html  # a clerk gets no decision form
    assert client_as(Role.COUNTER_CLERK).post(
        reverse("web:late_charge_waive", args=[lc.pk]), {"reason": "x"}).status_code == 403
    boss = client_as(Role.SUPERVISOR)
    assert "waive-form" in boss.get(ledger_url(person.pk, FY)).content.decode()
    url = reverse("web:late_charge_waive", args=[lc.pk])
    refused = boss.post(url, {"amount": "", "reason": ""}, follow=True)
    assert "延滞金を減免できませんでした: 理由を入力してください" in refused.content.decode()
    assert LateCharge.objects.get(pk=lc.pk).waived_amount == 0
    done = boss.post(url, {"amount": "", "reason": "災害による減免"}, follow=True)
    assert "2,300円を減免しました" in done.content.decode()
    lc.refresh_from_db()
    assert (lc.waived_amount, lc.outstanding, lc.waive_reason) == (2_300, 0, "災害による減免")
    assert AuditEntry.objects.filter(action="late_charge_waive", target_id=str(lc.pk)).exists()


def test_the_ledger_says_when_late_charges_are_not_configured_and_estimates_when_they_are(
        family: Family, client_as: Callable[[Role], Client], settings: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from web.collection_samples import fix_today

    person, rows = person_with_plan(family.taro, premium=900_000)
    fix_today(monkeypatch, date(2025, 12, 10))
    page = client_as(Role.COUNTER_CLERK).get(ledger_url(person.pk, FY))
    assert 'id="late-not-configured"' in page.content.decode()
    settings.KOUKI_LATE_CHARGE_EARLY_MONTHS = "1"  # type: ignore[attr-defined]
    page = client_as(Role.COUNTER_CLERK).get(ledger_url(person.pk, FY))
    html = page.content.decode()
    assert 'id="late-not-configured"' not in html
    accruing = page.context["late_accruing"]
    past_due = [r.pk for r in rows if r.due_date < date(2025, 12, 10)]
    assert [s.instalment_id for _l, s, _e in accruing] == past_due
    assert accruing[0][2].amount > 0 and f'id="late-accruing-{rows[0].pk}"' in html
