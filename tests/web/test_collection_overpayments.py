"""過誤納 worklist and decisions (issue 5 §3; USE-03): a supervisor refunds (還付) or sets off (充当) an
open overpayment, always with a reason; a counter clerk sees the worklist but cannot decide (SEC-07:
the POST is refused and the attempt audited, SEC-13); the ledger shows who decided and why."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kouki.accounts.permissions import Role
from kouki.collection.models import Refund, SetOff
from kouki.collection.selectors import instalment_statuses, ledger, open_overpayment
from kouki.privacy.models import AuditEntry
from web.collection_samples import FY, fix_today, overpaid, person_with_plan
from web.conftest import Family

pytestmark = pytest.mark.django_db
OLD = 2024  # the year overpaid by 10,000 (30,000 charged, 40,000 paid)


def _seen(person_id: int) -> str:
    """What the detail page puts in the forms' hidden field: the open overpayment it showed."""
    return str(open_overpayment(person_id, OLD))


def refund(client: Client, person_id: int, **data: object) -> object:
    return client.post(reverse("web:refund_decide", args=[person_id, OLD]),
                       {"amount": "", "reason": "", "version": _seen(person_id), **data})


def set_off(client: Client, person_id: int, **data: object) -> object:
    return client.post(reverse("web:set_off_decide", args=[person_id, OLD]),
                       {"instalment": "", "amount": "", "reason": "", "version": _seen(person_id), **data})


def test_the_worklist_lists_open_overpayments_for_clerks_too(family: Family,
                                                            client_as: Callable[[Role], Client]) -> None:
    person = overpaid(family.taro)
    person_with_plan(family.jiro)  # no overpayment
    page = client_as(Role.COUNTER_CLERK).get(reverse("web:overpayment_list"))
    assert page.status_code == 200
    html = page.content.decode()
    row = html.split(f'id="overpayment-{person.pk}-{OLD}"')[1].split("</tr>")[0]
    assert "10,000円" in row and "令和6年度" in row and "山田 太郎" in row
    assert f'id="overpayment-{family.jiro.pk}-' not in html
    detail = client_as(Role.COUNTER_CLERK).get(reverse("web:overpayment_detail", args=[person.pk, OLD]))
    assert b'id="not-decider"' in detail.content and b"refund-form" not in detail.content


@pytest.mark.parametrize("role", [Role.COUNTER_CLERK, Role.NUMBER_CLERK, Role.AUDITOR, Role.SYSTEM_ADMIN])
def test_only_a_supervisor_may_decide(family: Family, client_as: Callable[[Role], Client],
                                      role: Role) -> None:
    person = overpaid(family.taro)
    _p, rows = person_with_plan(person, 90_000, FY)
    client = client_as(role)
    assert refund(client, person.pk, amount="10000", reason="x").status_code == 403  # type: ignore[attr-defined]
    assert set_off(client, person.pk, instalment=rows[0].pk, reason="x").status_code == 403  # type: ignore[attr-defined]
    assert not Refund.objects.exists() and not SetOff.objects.exists()
    assert AuditEntry.objects.filter(action="access.denied").count() == 2


def test_anonymous_is_sent_to_the_login(family: Family) -> None:
    person = overpaid(family.taro)
    client = Client()
    assert client.get(reverse("web:overpayment_list"))["Location"].startswith("/login/?next=")
    assert refund(client, person.pk, amount="10000", reason="x").status_code == 302  # type: ignore[attr-defined]
    assert not Refund.objects.exists()


def test_a_supervisor_refunds_with_a_reason_and_the_ledger_shows_who_and_why(
        family: Family, staff_of: Callable[[Role], object], client_as: Callable[[Role], Client]) -> None:
    person = overpaid(family.taro)
    client = client_as(Role.SUPERVISOR)
    detail = client.get(reverse("web:overpayment_detail", args=[person.pk, OLD]))
    assert detail.context["refund_form"].initial["amount"] == 10_000
    too_much = refund(client, person.pk, amount="10001", reason="口座へ還付")
    assert "還付できるのは過誤納額 10,000円までです" in too_much.content.decode()  # type: ignore[attr-defined]
    no_reason = refund(client, person.pk, amount="10000", reason=" ")
    assert "理由を入力してください" in no_reason.content.decode()  # type: ignore[attr-defined]
    assert not Refund.objects.exists()
    done = refund(client, person.pk, amount="10,000", reason="還付請求書を受理")
    assert done.status_code == 302  # type: ignore[attr-defined]
    supervisor = staff_of(Role.SUPERVISOR).user  # type: ignore[attr-defined]
    decision = Refund.objects.get()
    assert (decision.amount, decision.decided_by) == (10_000, supervisor.username)
    assert decision.reason == "還付請求書を受理"
    assert AuditEntry.objects.filter(action="refund_decide", actor=supervisor.username).exists()
    assert open_overpayment(person.pk, OLD) == 0 and ledger(person.pk, OLD).balances
    page = client_as(Role.COUNTER_CLERK).get(done["Location"])  # type: ignore[index]
    decisions = page.content.decode().split('id="decisions"')[1]
    assert "還付請求書を受理" in decisions and supervisor.staff_name in decisions and "還付決定" in decisions
    assert f'id="overpayment-{person.pk}-' not in client.get(reverse("web:overpayment_list")).content.decode()


def test_a_supervisor_sets_off_against_an_unpaid_instalment_chosen_from_a_list(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    person = overpaid(family.taro)
    _p, rows = person_with_plan(person, 90_000, FY)
    _other, others = person_with_plan(family.jiro)
    client = client_as(Role.SUPERVISOR)
    detail = client.get(reverse("web:overpayment_detail", args=[person.pk, OLD]))
    choices = dict(detail.context["set_off_form"].fields["instalment"].choices)
    assert rows[0].pk in choices and others[0].pk not in choices
    assert "令和7年度 普通徴収 第1期" in choices[rows[0].pk]
    wrong_person = set_off(client, person.pk, instalment=others[0].pk, reason="充当")
    assert "充当先の期を一覧から選んでください" in wrong_person.content.decode()  # type: ignore[attr-defined]
    over = set_off(client, person.pk, instalment=rows[0].pk, amount="10001", reason="充当")
    assert "充当できるのは過誤納額 10,000円までです" in over.content.decode()  # type: ignore[attr-defined]
    assert not SetOff.objects.exists()
    # a blank amount: as much as fits (the smaller of the overpayment and the instalment's unpaid amount)
    done = set_off(client, person.pk, instalment=rows[0].pk, reason="未納の第1期へ充当")
    assert done.status_code == 302  # type: ignore[attr-defined]
    decision = SetOff.objects.get()
    assert decision.amount == min(10_000, rows[0].amount) and decision.reason == "未納の第1期へ充当"
    assert instalment_statuses(person.pk, FY)[0].set_off == decision.amount
    assert ledger(person.pk, OLD).balances and ledger(person.pk, FY).balances
    into = client.get(reverse("web:collection_ledger", args=[person.pk]) + f"?fy={FY}").content.decode()
    assert "充当(入)" in into and "未納の第1期へ充当" in into and "令和6年度の過誤納金から" in into
    out = client.get(done["Location"]).content.decode()  # type: ignore[index]
    assert "充当(出)" in out and "令和7年度 第1期へ" in out


def test_set_off_amount_above_the_instalment_is_refused(family: Family,
                                                       client_as: Callable[[Role], Client]) -> None:
    person = overpaid(family.taro, premium=10_000, paid=40_000)  # 30,000 overpaid
    _p, rows = person_with_plan(person, 90_000, FY)
    response = set_off(client_as(Role.SUPERVISOR), person.pk, instalment=rows[0].pk,
                       amount=str(rows[0].amount + 1), reason="充当")
    assert f"この期の未納額は {rows[0].amount:,}円です" in response.content.decode()  # type: ignore[attr-defined]
    assert not SetOff.objects.exists()


def test_nothing_to_decide_when_nothing_is_open(family: Family, client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro)
    page = client_as(Role.SUPERVISOR).get(reverse("web:overpayment_detail", args=[person.pk, FY]))
    assert b'id="nothing-open"' in page.content and b"refund-form" not in page.content
    assert b'id="no-overpayments"' in client_as(Role.SUPERVISOR).get(reverse("web:overpayment_list")).content


def test_an_extinguished_instalment_is_not_offered_for_a_set_off(
        family: Family, client_as: Callable[[Role], Client], monkeypatch: pytest.MonkeyPatch) -> None:
    """地方自治法 §236 ②: a claim extinguished by limitation cannot be paid by a set-off (issue 10 §5)."""
    fix_today(monkeypatch)  # 2026-12-01: FY2023's instalments ran out, FY2025's did not
    person = overpaid(family.taro)
    _p, old_rows = person_with_plan(person, 30_000, 2023)
    _p, rows = person_with_plan(person, 90_000, FY)
    client = client_as(Role.SUPERVISOR)
    detail = client.get(reverse("web:overpayment_detail", args=[person.pk, OLD]))
    choices = dict(detail.context["set_off_form"].fields["instalment"].choices)
    assert rows[0].pk in choices and old_rows[0].pk not in choices
    refused = set_off(client, person.pk, instalment=old_rows[0].pk, reason="充当")
    assert "充当先の期を一覧から選んでください" in refused.content.decode()  # type: ignore[attr-defined]
    assert not SetOff.objects.exists()
