"""口座振替の登録 in a real browser (Debian chromium through Playwright; issue 11 §2): a counter clerk opens
口座振替・還付口座 from the menu, finds the person, types a 口座振替依頼書 with a wrong bank code (the error
shows next to the field and nothing is saved), corrects it and sees the account in force from its start."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from factories import Staff
from playwright.sync_api import Page
from web.conftest import Family

from browser.browser_signin import sign_in
from kouki.accounts.permissions import Role
from kouki.banking.models import BankAccount

pytestmark = pytest.mark.browser


def test_clerk_registers_a_debit_account(transactional_db: None, live_server: object, page: Page,
                                         staff_of: Callable[[Role], Staff], family: Family) -> None:
    base = str(live_server)
    clerk = staff_of(Role.COUNTER_CLERK)
    sign_in(page, base, clerk)
    page.click("text=口座振替・還付口座")
    page.wait_for_url("**/banking/")
    page.fill("#id_addressee_no", family.taro.addressee_no)
    page.click("#bank-search button[type=submit]")
    page.click("#results a:has-text('口座')")
    page.wait_for_url(f"**/banking/persons/{family.taro.pk}/")
    assert "口座振替の登録はありません" in page.inner_text("main")
    page.click("#register-debit")
    page.wait_for_url(f"**/banking/persons/{family.taro.pk}/debit/new/")

    page.fill("#id_bank_code", "9999")
    page.fill("#id_branch_code", "001")
    page.fill("#id_account_number", "7654321")
    page.fill("#id_holder_kana", "ヤマダ タロウ")
    page.fill("#id_applied_on", "R7.9.10")
    page.fill("#id_valid_from", "R7.10.1")
    page.click("#register-account")
    page.wait_for_selector("#field-bank_code .errorlist")
    bank_field = page.locator("#field-bank_code")
    assert "銀行コード 9999 は存在しません" in bank_field.inner_text()
    assert not BankAccount.objects.exists()

    page.fill("#id_bank_code", "0001")
    page.click("#register-account")
    page.wait_for_selector("text=保険料引落口座を登録しました")
    account = BankAccount.objects.get(person=family.taro)
    assert account.recorded_by == clerk.user.username and account.holder_kana == "ﾔﾏﾀﾞ ﾀﾛｳ"
    row = page.inner_text(f"#account-{account.pk}")
    assert "令和7年10月1日" in row and "0001" in row and "7654321" in row
