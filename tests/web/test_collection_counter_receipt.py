"""窓口収納 (issue 5 §2; USE-03): a clerk takes a payment on the ledger screen; it is recorded as a counter
receipt, allocated, audited, and its 領収証書 can be downloaded at once. Wrong input is refused on the
form with the reason and records nothing. Cancellation (with a reason) is for a supervisor only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Role
from kouki.collection.models import Channel, Receipt, ReceiptStatus
from kouki.collection.selectors import instalment_statuses, ledger
from kouki.privacy.models import AuditEntry
from web.collection_samples import FY, pay, person_with_plan
from web.conftest import Family

pytestmark = pytest.mark.django_db


def take(client: Client, person_id: int, **data: object) -> object:
    form = {"fy": FY, "amount": "", "paid_on": timezone.localdate().isoformat(), "instalment": "", **data}
    return client.post(reverse("web:counter_receipt", args=[person_id]), form)


def test_a_clerk_takes_a_payment_for_a_named_instalment(family: Family,
                                                         client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    client = client_as(Role.COUNTER_CLERK)
    response = take(client, person.pk, amount=f"{rows[1].amount:,}円", instalment=rows[1].pk)
    receipt = Receipt.objects.get(person=person)
    assert (receipt.channel, receipt.status, receipt.amount, receipt.period) == (
        Channel.COUNTER, ReceiptStatus.CONFIRMED, rows[1].amount, rows[1].period)
    assert receipt.paid_on == timezone.localdate()
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"].endswith(f"?fy={FY}&issued={receipt.pk}")  # type: ignore[index]
    page = client.get(response["Location"])  # type: ignore[index]
    assert reverse("web:counter_receipt_pdf", args=[receipt.pk]) in page.content.decode()
    assert "収納しました" in page.content.decode()
    second = instalment_statuses(person.pk, FY)[1]
    assert second.paid == rows[1].amount and second.unpaid == 0
    assert AuditEntry.objects.filter(action="receipt_record", target_id=str(receipt.pk)).exists()
    assert ledger(person.pk, FY).balances


def test_without_an_instalment_the_earliest_are_paid_first_and_the_date_may_be_wareki(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    take(client_as(Role.NUMBER_CLERK), person.pk, amount=str(rows[0].amount + 100), paid_on="R7.7.31")
    receipt = Receipt.objects.get(person=person)
    assert receipt.paid_on.isoformat() == "2025-07-31" and receipt.period is None
    assert [s.paid for s in instalment_statuses(person.pk, FY)][:2] == [rows[0].amount, 100]


@pytest.mark.parametrize(("data", "message"), [
    ({"amount": "0"}, "金額は1円以上で入力してください"),
    ({"amount": "-500"}, "金額は1円以上で入力してください"),
    ({"amount": ""}, "金額を入力してください"),
    ({"amount": "12.5"}, "金額は円単位の整数で入力してください"),
    ({"amount": "1000", "paid_on": "R7.2.30"}, "日付"),
    ({"amount": "1000", "instalment": "999999"}, "期別を一覧から選んでください"),
])
def test_wrong_input_is_shown_on_the_form_and_nothing_is_recorded(
        family: Family, client_as: Callable[[Role], Client], data: dict[str, str], message: str) -> None:
    person, _rows = person_with_plan(family.taro)
    response = take(client_as(Role.COUNTER_CLERK), person.pk, **data)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert message in response.content.decode()  # type: ignore[attr-defined]
    assert not Receipt.objects.exists()


def test_a_future_payment_date_is_refused(family: Family, client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = take(client_as(Role.COUNTER_CLERK), person.pk, amount="1000", paid_on=tomorrow)
    assert "納付日に未来の日付は指定できません" in response.content.decode()  # type: ignore[attr-defined]
    assert not Receipt.objects.exists()


def test_no_plan_in_force_is_refused_with_the_reason(family: Family,
                                                     client_as: Callable[[Role], Client]) -> None:
    response = take(client_as(Role.COUNTER_CLERK), family.jiro.pk, amount="1000")
    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200 and "期割(納付計画)がないため収納できません" in html  # type: ignore[attr-defined]
    assert 'id="receipt-errors"' in html
    assert not Receipt.objects.exists()


def test_the_receipt_pdf_is_a_pdf_for_counter_receipts_only(family: Family,
                                                           client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    counter = pay(person, rows[0].amount)
    bank = pay(person, 1_000, channel=Channel.BANK)
    client = client_as(Role.COUNTER_CLERK)
    pdf = client.get(reverse("web:counter_receipt_pdf", args=[counter.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert f"ryoshu-shosho-{counter.pk:010d}.pdf" in pdf["Content-Disposition"]
    assert "no-store" in pdf["Cache-Control"]
    assert client.get(reverse("web:counter_receipt_pdf", args=[bank.pk])).status_code == 404
    assert client.get(reverse("web:counter_receipt_pdf", args=[999_999])).status_code == 404


def cancel(client: Client, receipt_id: int, reason: str) -> object:
    # the confirmation page carries the receipt's version (optimistic locking, issue 16 §5)
    version = Receipt.objects.get(pk=receipt_id).version
    return client.post(reverse("web:receipt_cancel", args=[receipt_id]),
                       {"reason": reason, "confirm": "1", "version": str(version)})


@pytest.mark.parametrize("role", [Role.COUNTER_CLERK, Role.NUMBER_CLERK])
def test_a_clerk_cannot_cancel_a_receipt(family: Family, client_as: Callable[[Role], Client],
                                         role: Role) -> None:
    person, rows = person_with_plan(family.taro)
    receipt = pay(person, rows[0].amount)
    client = client_as(role)
    assert cancel(client, receipt.pk, "入力誤り").status_code == 403  # type: ignore[attr-defined]
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.CONFIRMED
    denied = AuditEntry.objects.get(action="access.denied")
    assert denied.target_id == "web:receipt_cancel" and denied.detail["permission"] == "collection.decide"
    page = client.get(reverse("web:collection_ledger", args=[person.pk]) + f"?fy={FY}")
    assert b"cancel-form" not in page.content


def test_a_supervisor_cancels_with_a_reason(family: Family, client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    receipt = pay(person, rows[0].amount)
    client = client_as(Role.SUPERVISOR)
    ledger_page = reverse("web:collection_ledger", args=[person.pk]) + f"?fy={FY}"
    assert b"cancel-form" in client.get(ledger_page).content
    response = cancel(client, receipt.pk, "  ")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.CONFIRMED
    page = client.get(response["Location"])  # type: ignore[index]
    assert "取消理由を入力してください" in page.content.decode()
    cancel(client, receipt.pk, "二重に入力したため")
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.CANCELLED and receipt.cancel_reason == "二重に入力したため"
    assert instalment_statuses(person.pk, FY)[0].paid == 0
    assert client.get(reverse("web:counter_receipt_pdf", args=[receipt.pk])).status_code == 404
    again = client.get(cancel(client, receipt.pk, "もう一度")["Location"])  # type: ignore[index]
    assert "取り消せませんでした" in again.content.decode()


def test_get_on_the_payment_url_is_not_allowed(family: Family, client_as: Callable[[Role], Client]) -> None:
    assert client_as(Role.COUNTER_CLERK).get(
        reverse("web:counter_receipt", args=[family.taro.pk])).status_code == 405


def test_anonymous_is_sent_to_the_login(family: Family) -> None:
    person, rows = person_with_plan(family.taro)
    receipt = pay(person, rows[0].amount)
    client = Client()
    for url in (reverse("web:collection_ledger", args=[person.pk]), reverse("web:collection_search"),
                reverse("web:counter_receipt_pdf", args=[receipt.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
    response = take(client, person.pk, amount="1000")
    assert response.status_code == 302 and Receipt.objects.count() == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSTEM_ADMIN])
def test_roles_without_person_access_cannot_take_payments(family: Family, client_as: Callable[[Role], Client],
                                                          role: Role) -> None:
    person, _rows = person_with_plan(family.taro)
    client = client_as(role)
    assert take(client, person.pk, amount="1000").status_code == 403  # type: ignore[attr-defined]
    assert client.get(reverse("web:collection_ledger", args=[person.pk])).status_code == 403
    assert not Receipt.objects.exists()
