"""The auditor's desk in a real browser (issue 15 §1 "Done when"; SEC-11, SEC-12): a number clerk reveals
Taro's number with a purpose; the auditor searches by kana, opens the person and sees who revealed the
number, from which terminal and why. Numbers are compared as booleans only."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from factories import Staff
from playwright.sync_api import Page
from web.conftest import Family, Numbers

from browser.browser_signin import sign_in, sign_out
from kouki.accounts.permissions import Role

pytestmark = pytest.mark.browser


def test_an_auditor_finds_who_saw_a_persons_number_from_a_kana_search(
        transactional_db: None, live_server: object, page: Page, staff_of: Callable[[Role], Staff],
        family: Family, numbers: Numbers) -> None:
    base = str(live_server)
    clerk = staff_of(Role.NUMBER_CLERK)
    sign_in(page, base, clerk)
    page.goto(f"{base}/persons/{family.taro.pk}/")
    page.click("#reveal-number")
    page.select_option("#id_purpose", "identity")
    page.click("main button:has-text('個人番号を表示する')")
    page.wait_for_selector("#shown-number")
    sign_out(page)

    sign_in(page, base, staff_of(Role.AUDITOR))
    page.click("ul.menu >> text=監査記録の検索")
    page.wait_for_url("**/audit/search/")
    page.fill("#id_kana", "やまだ たろう")
    page.click("#audit-search button[type=submit]")
    page.wait_for_url(re.compile(r".*/audit/search/\?.*kana=.*"))
    people = page.inner_text("#people")
    assert "山田 太郎" in people and family.taro.addressee_no in people and "山田 花子" not in people
    trail = page.inner_text("#trail")
    assert "個人番号の表示" in trail and "本人確認(番号確認)" in trail and clerk.user.staff_name in trail
    page.click("#people >> text=誰が番号を見たか")
    page.wait_for_url(f"**/audit/persons/{family.taro.pk}/")
    references = page.inner_text("#references")
    assert clerk.user.staff_name in references and "本人確認(番号確認)" in references
    assert "個人番号の表示(遷移元:宛名詳細)" in references
    assert "宛名詳細の閲覧" not in references
    assert clerk.user.staff_name in page.inner_text("#views")  # the clerk opened 宛名詳細 before revealing
    assert (numbers.taro in page.content()) is False
    assert (numbers.taro in page.url) is False
