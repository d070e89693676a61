"""Money must add up at the counter (issue 11 §3), on the screens:

- cancelling a receipt first shows what it paid and asks for confirmation (with the reason); a receipt
  whose money a refund has spent is refused, on the confirmation and on a forced POST;
- a counter payment above what the year still owes is not recorded until the clerk confirms the
  overpayment; the receipt then shows which instalments it paid and what became an overpayment.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from collection_factories import ACTOR
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from documents.pdftools import pdftotext

from kouki.accounts.permissions import Role
from kouki.collection.decisions import refund_decide
from kouki.collection.models import Receipt, ReceiptStatus
from kouki.collection.selectors import ledger
from web.collection_samples import FY, pay, person_with_plan
from web.conftest import Family

pytestmark = pytest.mark.django_db


def take(client: Client, person_id: int, **data: object) -> object:
    form = {"fy": FY, "amount": "", "paid_on": timezone.localdate().isoformat(), "instalment": "", **data}
    return client.post(reverse("web:counter_receipt", args=[person_id]), form)


def test_cancelling_asks_for_confirmation_and_shows_what_becomes_unpaid(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    receipt = pay(person, rows[0].amount)
    client = client_as(Role.SUPERVISOR)
    url = reverse("web:receipt_cancel", args=[receipt.pk])
    first = client.post(url, {"reason": "二重に入力したため"})
    assert first.status_code == 200
    html = first.content.decode()
    assert 'id="cancel-confirm-form"' in html and "二重に入力したため" in html
    assert "普通徴収 第1期" in html.split('id="cancel-effect"')[1]
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.CONFIRMED
    assert f'name="version" value="{receipt.version}"' in html
    client.post(url, {"reason": "二重に入力したため", "confirm": "1", "version": str(receipt.version)})
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.CANCELLED


def test_a_receipt_whose_overpayment_was_refunded_cannot_be_cancelled(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro, 30_000)
    pay(person, 30_000)
    extra = pay(person, 10_000)
    refund_decide(actor=ACTOR, person_id=person.pk, fiscal_year=FY, amount=10_000, reason="還付",
                  on=extra.paid_on)
    client = client_as(Role.SUPERVISOR)
    url = reverse("web:receipt_cancel", args=[extra.pk])
    confirm = client.post(url, {"reason": "入力誤り"}).content.decode()
    assert 'id="cancel-blocked"' in confirm and "10,000円" in confirm
    assert 'id="cancel-confirm-form"' not in confirm
    forced = client.get(client.post(url, {"reason": "入力誤り", "confirm": "1",
                                          "version": str(extra.version)})["Location"])
    assert "取り消せませんでした" in forced.content.decode()
    assert "還付または充当が決定" in forced.content.decode()
    assert Receipt.objects.get(pk=extra.pk).status == ReceiptStatus.CONFIRMED
    assert ledger(person.pk, FY).unpaid == 0


def test_a_payment_above_what_is_owed_is_held_until_confirmed_and_the_receipt_shows_where_it_went(
        family: Family, client_as: Callable[[Role], Client], tmp_path: Path) -> None:
    person, _rows = person_with_plan(family.taro, 30_000)
    client = client_as(Role.COUNTER_CLERK)
    held = take(client, person.pk, amount="35000")
    html = held.content.decode()  # type: ignore[attr-defined]
    assert held.status_code == 200 and 'id="over-warning"' in html  # type: ignore[attr-defined]
    assert "5,000円が過誤納金" in html and "未納額は 30,000円" in html
    assert not Receipt.objects.exists()
    done = take(client, person.pk, amount="35000", confirm_over="1")
    receipt = Receipt.objects.get(person=person)
    assert receipt.amount == 35_000 and ledger(person.pk, FY).overpaid == 5_000
    page = client.get(done["Location"]).content.decode()  # type: ignore[index]
    effect = page.split('id="issued-effect"')[1].split("</div>")[0]
    assert "普通徴収 第1期" in effect and "過誤納金 5,000円" in effect
    pdf = client.get(reverse("web:counter_receipt_pdf", args=[receipt.pk])).content
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = pdftotext(path)
    assert "充当内訳" in text and "過誤納金 5,000円" in text
    assert "普通徴収 第1期・第2期・" in text and "計 30,000円" in text


def test_a_payment_within_what_is_owed_is_recorded_at_once(family: Family,
                                                           client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro, 30_000)
    response = take(client_as(Role.COUNTER_CLERK), person.pk, amount="30000")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert ledger(person.pk, FY).overpaid == 0
