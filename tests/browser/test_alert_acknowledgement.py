"""監査警告 in a real browser (issue 15 §2, Done when): a clerk's scripted burst of reveals raises one alert;
an auditor opens 監査警告, acknowledges it with a note, and the alert shows as acknowledged with the note.
Numbers are compared as booleans only."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from factories import Staff
from playwright.sync_api import Page
from web.conftest import Family, Numbers

from browser.browser_signin import sign_in, sign_out
from kouki.accounts.permissions import Role
from kouki.privacy.models import Alert, ReferenceLog
from kouki.privacy.redaction import contains_personal_number

pytestmark = pytest.mark.browser

BURST_LABEL = "個人番号の表示の短時間集中"


def test_a_scripted_burst_is_acknowledged_by_an_auditor_with_a_note(
        transactional_db: None, live_server: object, page: Page, staff_of: Callable[[Role], Staff],
        family: Family, numbers: Numbers, settings: Any) -> None:
    settings.KOUKI_REVEAL_BURST = 3  # three reveals within a minute are a burst (default 20)
    base = str(live_server)
    clerk = staff_of(Role.NUMBER_CLERK)
    sign_in(page, base, clerk)
    for _ in range(4):  # the script: the reveal form again and again
        page.goto(f"{base}/persons/{family.taro.pk}/personal-number/?from=person_detail")
        page.select_option("#id_purpose", "identity")
        page.click("main button:has-text('個人番号を表示する')")
        page.wait_for_selector("#shown-number")
    assert ReferenceLog.objects.filter(user=clerk.user).count() == 4
    burst = Alert.objects.get(kind="reveal_burst", user=clerk.user)  # one for the run, not one per reveal
    assert burst.count == 4
    sign_out(page)

    sign_in(page, base, staff_of(Role.AUDITOR))
    page.click("ul.menu >> text=監査警告")
    page.wait_for_url("**/audit/alerts/")
    row = page.locator("#alerts tbody tr", has_text=BURST_LABEL)
    assert row.count() == 1 and clerk.user.username in row.inner_text()
    assert contains_personal_number(page.content()) is False
    note = "本人確認の繰返しと本人に確認。問題なし"
    row.locator("textarea").fill(note)
    row.locator("button:has-text('確認済みにする')").click()
    page.wait_for_url("**/audit/alerts/")
    assert f"警告 #{burst.pk} を確認済みにしました" in page.inner_text("main")
    assert page.locator("#alerts tbody tr", has_text=BURST_LABEL).count() == 0  # no longer open
    page.select_option("#id_state", "all")
    page.click("main form button:has-text('絞り込み')")
    page.wait_for_url(re.compile(r".*/audit/alerts/\?.*state=all.*"))
    done = page.locator("#alerts tbody tr", has_text=BURST_LABEL).inner_text()
    assert "確認済" in done and note in done
    burst.refresh_from_db()
    assert burst.acknowledgement_note == note and burst.acknowledged_by is not None
