"""Two staff on the same record never lose an update (issue 16 §5): both open the page, the first submits,
the second submit — made from the page opened before the change — is refused with
kouki.core.versioning.STALE_MESSAGE and changes nothing (no row, no audit entry).

Covered: a notification's 再鑑 (confirm after a return), a receipt's cancellation, an overpayment decision
(a refund that would still fit, decided on a stale amount) and an administrator's account action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from factories import Staff, make_household, make_person, make_staff
from notifications.conftest import actor_of, disability_input

from kouki.accounts.models import EnrolmentCode, StaffUser
from kouki.accounts.permissions import Role
from kouki.collection.models import Receipt, ReceiptStatus, Refund
from kouki.core.versioning import STALE_MESSAGE
from kouki.notifications.models import Notification, Status
from kouki.notifications.services import notification_enter
from kouki.privacy.models import AuditEntry
from web.collection_samples import overpaid, pay, person_with_plan
from web.conftest import Family, sign_in

pytestmark = pytest.mark.django_db


def _hidden_version(html: str) -> str:
    """The value of the page's hidden version field, as a browser would send it back."""
    return html.split('name="version" value="', 1)[1].split('"', 1)[0]


def _entered(clerk: Staff) -> Notification:
    """A disability certification (65–74) entered by `clerk`, waiting for 再鑑."""
    person = make_person(family_name="高橋", given_name="一郎", family_name_kana="タカハシ",
                         given_name_kana="イチロウ", birth_date=date(1956, 3, 10), household=make_household(),
                         is_householder=True, relationship="世帯主", valid_from=date(2001, 4, 1))
    return notification_enter(actor=actor_of(clerk), data=disability_input(person))


def test_a_confirmation_from_a_page_opened_before_the_return_is_refused() -> None:
    clerk, first, second = (make_staff(r) for r in (Role.COUNTER_CLERK, Role.SUPERVISOR, Role.SUPERVISOR))
    n = _entered(clerk)
    a, b = sign_in(Client(), first.user), sign_in(Client(), second.user)
    url = reverse("web:notification_detail", args=[n.pk])
    seen_a = _hidden_version(a.get(url).content.decode())
    seen_b = _hidden_version(b.get(url).content.decode())
    assert seen_a == seen_b == "0"
    a.post(reverse("web:notification_return", args=[n.pk]), {"version": seen_a, "note": "異動日が違います"})
    assert Notification.objects.get(pk=n.pk).status == Status.RETURNED
    page = b.post(reverse("web:notification_confirm", args=[n.pk]),
                  {"version": seen_b, "note": "届出書と照合"}, follow=True).content.decode()
    assert STALE_MESSAGE in page
    after = Notification.objects.get(pk=n.pk)
    assert after.status == Status.RETURNED and after.confirmed_by is None and after.version == 1
    assert not AuditEntry.objects.filter(action="notification.confirm").exists()


def test_a_correction_from_a_stale_edit_page_is_refused() -> None:
    clerk, other_clerk, boss = (make_staff(r) for r in (Role.COUNTER_CLERK, Role.COUNTER_CLERK,
                                                        Role.SUPERVISOR))
    n = _entered(clerk)
    sign_in(Client(), boss.user).post(reverse("web:notification_return", args=[n.pk]),
                                      {"version": "0", "note": "異動日が違います"})
    edit = reverse("web:notification_edit", args=[n.pk])
    a, b = sign_in(Client(), clerk.user), sign_in(Client(), other_clerk.user)
    seen = _hidden_version(a.get(edit).content.decode())
    assert seen == _hidden_version(b.get(edit).content.decode()) == "1"
    form = {"notification_type": "disability_certification", "received_on": "2026-04-03",
            "stated_kana": "ヤマダ タロウ", "stated_birth": "S31.3.10", "applicant": "self",
            "identity_documents": ["my_number_card"], "agent_kind": "", "note": "", "version": seen}
    taro = Notification.objects.get(pk=n.pk)
    form["stated_kana"], form["stated_birth"] = taro.stated_kana, taro.stated_birth_date.isoformat()
    form["identity_documents"] = list(taro.identity_documents)
    assert a.post(edit, {**form, "effective_date": "2026-04-02"}).status_code == 302
    page = b.post(edit, {**form, "effective_date": "2026-04-09"}, follow=True).content.decode()
    assert STALE_MESSAGE in page
    after = Notification.objects.get(pk=n.pk)
    assert after.effective_date.isoformat() == "2026-04-02" and after.version == 2
    assert AuditEntry.objects.filter(action="notification.reenter").count() == 1


def test_a_second_cancellation_of_the_same_receipt_is_refused_as_stale(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    person, rows = person_with_plan(family.taro)
    receipt = pay(person, rows[0].amount)
    a, b = client_as(Role.SUPERVISOR), sign_in(Client(), make_staff(Role.SUPERVISOR).user)
    url = reverse("web:receipt_cancel", args=[receipt.pk])
    seen_a = _hidden_version(a.post(url, {"reason": "二重入力"}).content.decode())
    seen_b = _hidden_version(b.post(url, {"reason": "入力誤り"}).content.decode())
    a.post(url, {"reason": "二重入力", "confirm": "1", "version": seen_a})
    page = b.get(b.post(url, {"reason": "入力誤り", "confirm": "1", "version": seen_b})["Location"])
    assert STALE_MESSAGE in page.content.decode()
    after = Receipt.objects.get(pk=receipt.pk)
    assert after.status == ReceiptStatus.CANCELLED and after.cancel_reason == "二重入力"
    assert AuditEntry.objects.filter(action="receipt_cancel").count() == 1


def test_a_refund_decided_on_a_stale_overpayment_is_refused_even_when_it_would_fit(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    person = overpaid(family.taro)  # 10,000 open in FY2024
    a, b = client_as(Role.SUPERVISOR), sign_in(Client(), make_staff(Role.SUPERVISOR).user)
    detail = reverse("web:overpayment_detail", args=[person.pk, 2024])
    seen_a = _hidden_version(a.get(detail).content.decode())
    seen_b = _hidden_version(b.get(detail).content.decode())
    assert seen_a == seen_b == "10000"
    url = reverse("web:refund_decide", args=[person.pk, 2024])
    assert a.post(url, {"amount": "4000", "reason": "還付請求", "version": seen_a}).status_code == 302
    page = b.post(url, {"amount": "5000", "reason": "還付請求", "version": seen_b}).content.decode()
    assert STALE_MESSAGE in page
    assert list(Refund.objects.values_list("amount", flat=True)) == [4000]


def test_an_account_action_from_a_stale_page_is_refused(staff_of: Callable[[Role], Staff]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    a = sign_in(Client(), staff_of(Role.SYSTEM_ADMIN).user)
    b = sign_in(Client(), make_staff(Role.SYSTEM_ADMIN).user)
    url = reverse("web:staff_account", args=[clerk.pk])
    seen_a = _hidden_version(a.get(url).content.decode())
    seen_b = _hidden_version(b.get(url).content.decode())
    codes, secret = EnrolmentCode.objects.count(), clerk.totp_secret
    disable = {"action": "disable", "reason": "異動", "confirm": "on", "version": seen_a}
    assert a.post(url, disable).status_code == 302
    reissue = {"action": "reissue", "reason": "紛失", "confirm": "on", "version": seen_b}
    page = b.post(url, reissue).content.decode()
    assert STALE_MESSAGE in page
    after = StaffUser.objects.get(pk=clerk.pk)
    assert not after.is_active and after.totp_secret == secret and after.version == 1
    assert EnrolmentCode.objects.count() == codes
    assert not AuditEntry.objects.filter(action="staff.reset_totp").exists()
