"""Issue 14 §4 in a real browser (Debian chromium through Playwright): a section head requests an account,
the administrator approves it with the 決裁番号 and reads the one-time code once, and the new member of staff
enrols their own password and TOTP secret (shown only on their screen) and signs in with them."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pyotp
import pytest
from factories import Staff
from playwright.sync_api import Page

from browser.browser_signin import sign_in, sign_out
from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role

pytestmark = pytest.mark.browser
PASSWORD = "quiet-orchard-after-rain-31"


def test_request_approval_and_enrolment(
    transactional_db: None, live_server: object, page: Page, staff_of: Callable[[Role], Staff]
) -> None:
    base = str(live_server)
    head, admin = staff_of(Role.SUPERVISOR), staff_of(Role.SYSTEM_ADMIN)
    sign_in(page, base, head)
    page.click("text=職員アカウントの申請")
    page.fill("#form-new #id_username", "hayashi.mio")
    page.fill("#form-new #id_staff_name", "林 美桜")
    page.select_option("#form-new #id_role", "counter_clerk")
    page.fill("#form-new #id_reason", "4月1日付 転入")
    page.click("#form-new button[type=submit]")
    assert "承認待ち" in page.inner_text("main")
    sign_out(page)

    sign_in(page, base, admin)
    page.click("text=職員アカウントの申請の承認")
    page.click("text=決定")
    page.fill("#form-approve input[name=kessai_ref]", "浦和区保第21号")
    page.check("#form-approve input[name=confirm]")
    page.click("#form-approve button[type=submit]")
    code = page.inner_text("#code")
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code)
    sign_out(page)

    page.goto(base + "/login/")
    page.click("text=初回登録")
    page.fill("#id_username", "hayashi.mio")
    page.fill("#id_code", code)
    page.click("main button[type=submit]")
    page.wait_for_url("**/enrol/setup/")
    secret = "".join(page.inner_text("#secret").split())
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_totp_code", pyotp.TOTP(secret).now())
    page.click("main button[type=submit]")
    page.wait_for_url("**/login/")
    assert "登録が完了しました" in page.inner_text("main")
    user = StaffUser.objects.get(username="hayashi.mio")
    assert user.totp_confirmed and user.check_password(PASSWORD)

    page.fill("#id_username", "hayashi.mio")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/login/totp/")
    page.fill("#id_code", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
    assert "林 美桜" in page.inner_text("header")
