"""口座振替・還付口座 screens (issue 11 §2; requirements §1.3 (3)⑥): a counter clerk registers a
保険料引落口座 from a 口座振替依頼書 and a 還付金振込口座, ends one with a date and a reason;
each write is audited under the clerk's name. Bad input is shown next to its field and changes
nothing; a role without Perm.VIEW_PERSON is refused (SEC-07)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from factories import Staff

from kouki.accounts.permissions import Role
from kouki.banking.models import BankAccount, Purpose
from kouki.privacy.models import AuditEntry
from web.banking_samples import debit_account
from web.collection_samples import fix_today
from web.conftest import Family

pytestmark = pytest.mark.django_db
TODAY = date(2025, 9, 10)

FORM = {"bank_code": "0001", "branch_code": "001", "deposit_type": "1", "account_number": "765432",
        "holder_kana": "ヤマダ タロウ", "applied_on": "R7.9.10", "valid_from": "R7.10.1"}  # fmt: skip


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    return fix_today(monkeypatch, TODAY)


def field_block(html: str, name: str) -> str:
    """The block of the form field `name` (label, input, help and its errors)."""
    match = re.search(rf'<div class="field" id="field-{name}"[^>]*>(?:(?!</div>).)*</div>', html, re.S)
    assert match is not None, name
    return match.group(0)


def test_clerk_registers_a_debit_account_and_sees_it(family: Family, client_as: Callable[[Role], Client],
                                                     staff_of: Callable[[Role], Staff]) -> None:
    client = client_as(Role.COUNTER_CLERK)
    url = reverse("web:debit_account_register", args=[family.taro.pk])
    page = client.get(url).content.decode()
    assert "口座振替依頼書" in page and 'value="R7.9.10"' in page
    response = client.post(url, FORM)
    assert response.status_code == 302 and response["Location"] == reverse("web:bank_accounts",
                                                                           args=[family.taro.pk])
    account = BankAccount.objects.get(person=family.taro)
    assert (account.purpose, account.account_number, account.holder_kana) == ("debit", "0765432", "ﾔﾏﾀﾞ ﾀﾛｳ")
    assert (account.valid_from, account.applied_on) == (date(2025, 10, 1), date(2025, 9, 10))
    clerk = staff_of(Role.COUNTER_CLERK).user.username
    assert account.recorded_by == clerk
    audit = AuditEntry.objects.get(action="debit_account_register")
    assert (audit.actor, audit.target_id) == (clerk, str(account.pk))
    assert "0765432" not in str(audit.detail)  # no account number in the audit detail
    listing = client.get(response["Location"]).content.decode()
    row = re.search(rf'<tr id="account-{account.pk}">.*?</tr>', listing, re.S)
    assert row is not None
    assert "令和7年10月1日" in row.group(0) and "0765432" in row.group(0) and "開始前" in row.group(0)
    assert "2025-10-01" not in listing  # dates in 和暦


def test_a_refund_account_is_registered_apart_from_the_debit_account(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.COUNTER_CLERK)
    debit_account(family.taro)
    response = client.post(reverse("web:refund_account_register", args=[family.taro.pk]),
                           {**FORM, "bank_code": "0005", "valid_from": "R7.9.10"})
    assert response.status_code == 302
    refund = BankAccount.objects.get(person=family.taro, purpose=Purpose.REFUND)
    assert refund.bank_code == "0005"
    assert BankAccount.objects.get(person=family.taro, purpose=Purpose.DEBIT).valid_to is None  # untouched
    assert AuditEntry.objects.filter(action="refund_account_register").count() == 1


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"bank_code": "9999"}, "bank_code", "銀行コード 9999 は存在しません"),
    ({"branch_code": "12"}, "branch_code", "3桁の数字ではありません"),
    ({"account_number": "12345678"}, "account_number", "7文字以内"),
    ({"account_number": "12a"}, "account_number", "口座番号は7桁以内の数字です"),
    ({"holder_kana": "山田太郎"}, "holder_kana", "口座名義に使えない文字があります"),
    ({"holder_kana": ""}, "holder_kana", "口座名義(カナ)を入力してください"),
    ({"valid_from": "2025-13-01"}, "valid_from", ""),
    ({"applied_on": "R9.1.1", "valid_from": "R7.4.1"}, "applied_on", "申請日が開始日より1年以上後です"),
])  # fmt: skip
def test_bad_input_is_shown_next_to_its_field_and_changes_nothing(
        family: Family, client_as: Callable[[Role], Client], changes: dict[str, str], field: str,
        message: str) -> None:
    response = client_as(Role.COUNTER_CLERK).post(
        reverse("web:debit_account_register", args=[family.taro.pk]), {**FORM, **changes})
    assert response.status_code == 200
    block = field_block(response.content.decode(), field)
    assert 'class="errorlist' in block and message in block
    assert not BankAccount.objects.exists()
    assert not AuditEntry.objects.filter(action="debit_account_register").exists()


def test_an_account_starting_before_the_one_in_force_is_refused_at_its_start_date(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    existing = debit_account(family.taro, valid_from=date(2025, 10, 1))
    response = client_as(Role.COUNTER_CLERK).post(
        reverse("web:debit_account_register", args=[family.taro.pk]), {**FORM, "valid_from": "R7.9.1"})
    block = field_block(response.content.decode(), "valid_from")
    assert "令和7年9月1日 以降に始まる保険料引落口座が既にあります" in block
    assert list(BankAccount.objects.values_list("pk", "valid_to")) == [(existing.pk, None)]


def test_a_new_debit_account_ends_the_old_one_the_day_before(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    old = debit_account(family.taro)
    client = client_as(Role.COUNTER_CLERK)
    url = reverse("web:debit_account_register", args=[family.taro.pk])
    assert "口座変更" in client.get(url).content.decode()
    client.post(url, FORM)
    old.refresh_from_db()
    assert (old.valid_to, old.end_reason) == (date(2025, 9, 30), "口座変更")


def test_clerk_ends_an_account_with_a_date_and_a_reason(
        family: Family, client_as: Callable[[Role], Client], staff_of: Callable[[Role], Staff]) -> None:
    account = debit_account(family.taro)
    client = client_as(Role.COUNTER_CLERK)
    url = reverse("web:bank_account_end", args=[account.pk])
    assert "1234567" in client.get(url).content.decode()
    response = client.post(url, {"valid_to": "R7.9.30", "reason": "口座振替廃止届"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.valid_to, account.end_reason) == (date(2025, 9, 30), "口座振替廃止届")
    audit = AuditEntry.objects.get(action="debit_account_end")
    assert audit.actor == staff_of(Role.COUNTER_CLERK).user.username
    listing = client.get(response["Location"]).content.decode()
    assert "令和7年9月30日" in listing and "口座振替廃止届" in listing


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"valid_to": "R7.9.30", "reason": "  "}, "reason", "終了理由を入力してください"),
    ({"valid_to": "", "reason": "廃止"}, "valid_to", "終了日を入力してください"),
    ({"valid_to": "R7.3.31", "reason": "廃止"}, "valid_to", "開始日 令和7年4月1日 より前です"),
])  # fmt: skip
def test_ending_with_bad_input_changes_nothing(
        family: Family, client_as: Callable[[Role], Client], data: dict[str, str], field: str,
        message: str) -> None:
    account = debit_account(family.taro)
    response = client_as(Role.COUNTER_CLERK).post(reverse("web:bank_account_end", args=[account.pk]), data)
    assert response.status_code == 200
    assert message in field_block(response.content.decode(), field)
    account.refresh_from_db()
    assert account.valid_to is None and not AuditEntry.objects.filter(action="debit_account_end").exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSTEM_ADMIN])
def test_roles_without_view_person_are_refused(family: Family, client_as: Callable[[Role], Client],
                                               role: Role) -> None:
    account = debit_account(family.taro)
    client = client_as(role)
    for name, arg in (("bank_accounts", family.taro.pk), ("debit_account_register", family.taro.pk),
                      ("refund_account_register", family.taro.pk), ("bank_account_end", account.pk)):
        assert client.get(reverse(f"web:{name}", args=[arg])).status_code == 403, name
    assert client.post(reverse("web:debit_account_register", args=[family.jiro.pk]), FORM).status_code == 403
    assert client.post(reverse("web:bank_account_end", args=[account.pk]),
                       {"valid_to": "R7.9.30", "reason": "x"}).status_code == 403
    assert list(BankAccount.objects.values_list("person_id", "valid_to")) == [(family.taro.pk, None)]


def test_unknown_or_overlong_ids_are_not_found(client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.COUNTER_CLERK)
    overlong = f"/{10**30}/"  # the shared URL converter (kouki/web/converters.py) makes it a 404
    assert client.get(reverse("web:bank_accounts", args=[1]).replace("/1/", overlong)).status_code == 404
    assert client.get(reverse("web:debit_account_register", args=[999_999])).status_code == 404
    assert client.get(reverse("web:bank_account_end", args=[1]).replace("/1/", overlong)).status_code == 404


def test_search_leads_to_the_accounts_and_the_menu_links_it(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.COUNTER_CLERK)
    assert reverse("web:bank_search") in client.get(reverse("web:menu")).content.decode()
    page = client.get(reverse("web:bank_search"), {"addressee_no": family.taro.addressee_no}).content.decode()
    assert reverse("web:bank_accounts", args=[family.taro.pk]) in page
