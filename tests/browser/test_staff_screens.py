"""The staff screens in a real browser (Debian chromium through Playwright's sync API).

Scenarios: sign-in with TOTP (SEC-03), kana search, reveal with a purpose next to 氏名・生年月日・住所
(SEC-10/SEC-11), and the counter clerk's denial (SEC-07). Numbers are compared as booleans only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from factories import Staff
from playwright.sync_api import Page
from web.conftest import Family, Numbers
from web.person_samples import Day

from browser.browser_signin import sign_in
from kouki.accounts.permissions import Role
from kouki.privacy.models import ReferenceLog

pytestmark = pytest.mark.browser



def test_sign_in_with_password_and_totp(transactional_db: None, live_server: object, page: Page,
                                        staff_of: Callable[[Role], Staff]) -> None:
    base = str(live_server)
    staff = staff_of(Role.NUMBER_CLERK)
    sign_in(page, base, staff)
    header = page.inner_text("header")
    assert staff.user.staff_name in header and "個人番号取扱担当" in header and "ログアウト" in header
    assert page.locator("ul.menu >> text=宛名検索").count() == 1
    page.click("header button[type=submit]")
    page.wait_for_url("**/login/")
    assert "ログアウトしました" in page.inner_text("main")


def test_wrong_totp_in_the_browser(transactional_db: None, live_server: object, page: Page,
                                   staff_of: Callable[[Role], Staff]) -> None:
    base = str(live_server)
    staff = staff_of(Role.COUNTER_CLERK)
    page.goto(base + "/login/")
    page.fill("#id_username", staff.user.username)
    page.fill("#id_password", staff.password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/login/totp/")
    page.fill("#id_code", f"{(int(staff.code()) + 1) % 1_000_000:06d}")
    page.click("main button[type=submit]")
    assert "確認コードが正しくないか" in page.inner_text("main")
    page.goto(base + "/persons/")
    assert "/login/" in page.url


def test_kana_search_and_person_page(transactional_db: None, live_server: object, page: Page,
                                     staff_of: Callable[[Role], Staff], family: Family) -> None:
    base = str(live_server)
    sign_in(page, base, staff_of(Role.COUNTER_CLERK))
    page.click("text=宛名検索")
    page.fill("#id_kana", "ﾔﾏﾀﾞ ﾀﾛｳ")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/persons/\?.*kana=.*"))
    results = page.inner_text("main table")
    assert "山田 太郎" in results and "昭和21年5月1日" in results and "山田 花子" not in results
    assert "被保険者でない" in page.inner_text("main table td.insured")
    page.click("main table >> text=山田 太郎")
    page.wait_for_url(f"**/persons/{family.taro.pk}/")
    assert "山田 花子" in page.inner_text("#household")
    assert page.locator("#history tbody tr").count() == 2
    # the counter's sections: eligibility, money, arrears, notifications and what was done (issue 11 §1)
    sections = ("eligibility", "certificates", "premium", "collection", "arrears", "notifications", "history")
    for name in sections:
        assert page.locator(f"#section-{name}").count() == 1, name
    assert "被保険者でない" in page.inner_text("#insured-state")
    page.fill("#id_on", "H17.1.1")
    page.click("text=基準日で表示")
    page.wait_for_url(re.compile(r".*on=.*"))
    assert "山田 花子" not in page.inner_text("#household")


def test_reveal_with_purpose_shows_the_number_beside_identity(
        transactional_db: None, live_server: object, page: Page, staff_of: Callable[[Role], Staff],
        family: Family, numbers: Numbers) -> None:
    base = str(live_server)
    staff = staff_of(Role.NUMBER_CLERK)
    sign_in(page, base, staff)
    page.goto(f"{base}/persons/{family.taro.pk}/")
    page.click("#reveal-number")
    page.wait_for_url(re.compile(r".*/personal-number/\?from=person_detail$"))
    assert ReferenceLog.objects.count() == 0
    page.select_option("#id_purpose", "identity")
    page.click("main button:has-text('個人番号を表示する')")
    page.wait_for_selector("#shown-number")
    shown = re.sub(r"\s", "", page.inner_text("#shown-number"))
    assert (shown == numbers.taro) is True
    assert (numbers.taro in page.url) is False
    assert "山田 太郎" in page.inner_text("#shown-name")
    assert "昭和21年5月1日" in page.inner_text("#shown-birth")
    assert family.new_address in page.inner_text("#shown-address")
    log = ReferenceLog.objects.get()
    assert (log.username, log.person_id, log.kind) == (staff.user.username, family.taro.pk, "reveal")
    assert log.purpose == "本人確認(番号確認)" and log.terminal_id
    # leaving the page (another tab, a locked screen) takes the number off it (web/number_shown.js)
    page.evaluate("Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
                  "document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_selector("#hidden-note", state="visible")
    assert page.locator("#shown-number").count() == 0


def test_counter_clerk_has_no_reveal_button_and_the_url_is_refused(
        transactional_db: None, live_server: object, page: Page, staff_of: Callable[[Role], Staff],
        family: Family, numbers: Numbers) -> None:
    base = str(live_server)
    sign_in(page, base, staff_of(Role.COUNTER_CLERK))
    page.goto(f"{base}/persons/{family.taro.pk}/")
    assert page.locator("#reveal-number").count() == 0
    assert "個人番号を表示" not in page.content()
    response = page.goto(f"{base}/persons/{family.taro.pk}/personal-number/")
    assert response is not None and response.status == 403
    assert "権限がありません" in page.inner_text("main")
    assert ReferenceLog.objects.count() == 0


def test_person_page_answers_the_counter_and_leads_to_the_ledger(
        transactional_db: None, live_server: object, page: Page, staff_of: Callable[[Role], Staff],
        family: Family, day: Day) -> None:
    base = str(live_server)
    sign_in(page, base, staff_of(Role.COUNTER_CLERK))
    page.goto(f"{base}/persons/?kana=ヤマダ")
    assert "被保険者" in page.inner_text("main table")
    page.click("main table >> text=山田 太郎")
    page.wait_for_url(f"**/persons/{family.taro.pk}/")
    assert page.inner_text("#insured-no") == "12345678"
    assert "2割" in page.inner_text("#copay")
    assert "令和7年度" in page.inner_text("#section-premium")
    assert "令和8年11月20日 電話" in page.inner_text("#contacts")
    assert "期割の作成" in page.inner_text("#person-history")
    page.click("#collection-2025 >> text=収納状況・窓口収納")
    page.wait_for_url(re.compile(rf".*/collection/persons/{family.taro.pk}/\?fy=2025$"))
    assert "山田" in page.inner_text("main")
