"""IN-11 再鑑 in a real browser (Debian chromium through Playwright): a counter clerk enters a notification
from the person page, cannot confirm it (no button; a forged POST is refused), a supervisor signs in and
confirms it, and the status shows 確認済."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from factories import Staff
from playwright.sync_api import Page
from web.conftest import Family

from browser.browser_signin import sign_in, sign_out
from kouki.accounts.permissions import Role
from kouki.notifications.models import Notification, Status
from kouki.privacy.models import AuditEntry

pytestmark = pytest.mark.browser


def test_clerk_enters_supervisor_confirms(transactional_db: None, live_server: object, page: Page,
                                         staff_of: Callable[[Role], Staff], family: Family) -> None:
    base = str(live_server)
    clerk, supervisor = staff_of(Role.COUNTER_CLERK), staff_of(Role.SUPERVISOR)

    sign_in(page, base, clerk)
    page.goto(f"{base}/persons/{family.taro.pk}/")
    page.click("#enter-notification")
    page.wait_for_url(f"**/notifications/new/{family.taro.pk}/")
    assert "山田 太郎" in page.inner_text("#addressee")
    assert page.locator("input[name=number]").count() == 0  # BF-01: no number field for this role
    page.select_option("#id_notification_type", "public_assistance_end")
    page.fill("#id_effective_date", "R8.10.1")
    page.fill("#id_received_on", "R8.10.5")
    # IN-08: the form's kana and birth date are typed from the paper form, never prefilled from the register
    assert page.input_value("#id_stated_kana") == "" and page.input_value("#id_stated_birth") == ""
    page.fill("#id_stated_kana", "ヤマダ タロウ")
    page.fill("#id_stated_birth", "S21.5.1")
    page.check("input[name=identity_documents][value=drivers_licence]")
    page.fill("#id_note", "福祉事務所の廃止決定通知書を確認")
    page.click("#submit-notification")
    page.wait_for_url("**/notifications/*/")
    n = Notification.objects.get()
    assert n.status == Status.ENTERED and n.entered_by == clerk.user
    assert "入力済(再鑑待ち)" in page.inner_text("#status")
    assert "運転免許証" in page.inner_text("#identity")
    # the same clerk: no confirm button, and a forged POST with a valid CSRF token is refused
    assert page.locator("#confirm-button").count() == 0
    assert page.locator("#self-entry").count() == 1
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    forged = page.request.post(f"{base}/notifications/{n.pk}/confirm/",
                               form={"note": "自分で確認", "csrfmiddlewaretoken": token},
                               headers={"Referer": page.url})
    assert forged.status == 403 and "権限がありません" in forged.text()
    assert AuditEntry.objects.filter(action="access.denied", actor=clerk.user.username).exists()
    assert Notification.objects.get().status == Status.ENTERED
    sign_out(page)

    sign_in(page, base, supervisor)
    page.click("text=届出(資格取得・喪失・変更)")
    page.wait_for_url("**/notifications/")
    page.click(f"text={n.notification_no}")
    page.wait_for_url(f"**/notifications/{n.pk}/")
    page.fill("#id_note", "届出書・廃止決定通知書と照合")
    page.click("#confirm-button")
    page.wait_for_selector("text=確認しました")
    assert "確認済(有効)" in page.inner_text("#status")
    steps = page.inner_text("#steps")
    assert clerk.user.staff_name in steps and supervisor.user.staff_name in steps
    assert "届出書・廃止決定通知書と照合" in steps
    n.refresh_from_db()
    assert n.status == Status.CONFIRMED and n.confirmed_by == supervisor.user
