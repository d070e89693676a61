"""A 葬祭費 at the counter in a real browser (Debian chromium through Playwright): a clerk chooses the kind
from the deceased person's page, the form asks no personal number (BF-01, 事務 7), a missing document is
a warning the clerk confirms, the 受付票 is a PDF, the clerk cannot 再鑑 and a supervisor does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from factories import Staff, make_person
from playwright.sync_api import Page

from browser.browser_signin import sign_in
from kouki.accounts.permissions import Role
from kouki.addressees.models import PersonStatus
from kouki.applications.models import Application, Status

pytestmark = pytest.mark.browser


def test_clerk_takes_a_funeral_application_supervisor_confirms(
    transactional_db: None, live_server: object, page: Page, staff_of: Callable[[Role], Staff]
) -> None:
    base = str(live_server)
    clerk, supervisor = staff_of(Role.COUNTER_CLERK), staff_of(Role.SUPERVISOR)
    deceased = make_person(
        family_name="佐藤",
        given_name="一郎",
        family_name_kana="サトウ",
        given_name_kana="イチロウ",
        birth_date=date(1940, 6, 1),
        status=PersonStatus.DECEASED,
    )

    sign_in(page, base, clerk)
    page.goto(f"{base}/persons/{deceased.pk}/")
    page.click("#receive-application")
    page.click("text=葬祭費")
    page.wait_for_url(f"**/persons/{deceased.pk}/applications/new/funeral/")
    assert "佐藤 一郎" in page.inner_text("#addressee") and "50,000円" in page.inner_text("#kind-note")
    assert page.locator("input[name=number]").count() == 0  # BF-01: 事務 7 never asks for it
    page.fill("#id_received_on", "R8.4.10")
    page.fill("#id_d_funeral_date", "R8.3.20")
    page.fill("#id_d_mourner_name", "佐藤 和子")
    page.fill("#id_d_mourner_relationship", "妻")
    page.select_option("#id_d_former_insurance", "no")
    for code in ("form", "card", "funeral_letter"):
        page.check(f"input[name=documents][value={code}]")
    page.check("input[name=identity_documents][value=drivers_licence]")
    page.click("#submit-application")
    page.wait_for_selector("#warnings")
    assert "喪主名義の口座のわかるもの" in page.inner_text("#warnings")
    assert Application.objects.count() == 0
    page.check("#id_accept_warnings")
    page.click("#submit-application")
    page.wait_for_url("**/applications/*/")
    a = Application.objects.get()
    assert a.application_no in page.inner_text("h1") and "受付(再鑑待ち)" in page.inner_text("#status")
    assert page.locator("#confirm-button").count() == 0 and page.locator("#self-entry").count() == 1
    receipt = page.request.get(f"{base}/applications/{a.pk}/receipt.pdf")
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    page.click("header button[type=submit]")
    page.wait_for_url("**/login/")

    sign_in(page, base, supervisor)
    page.click("text=申請(給付・減免・猶予・簡易申告)")
    page.wait_for_url("**/applications/")
    assert "再鑑待ちの申請 1件" in page.inner_text("#waiting")
    page.click(f"text={a.application_no}")
    page.fill("#id_note", "会葬礼状・運転免許証と照合")
    page.click("#confirm-button")
    page.wait_for_selector("text=再鑑しました")
    assert "再鑑済" in page.inner_text("#status")
    steps = page.inner_text("#steps")
    assert clerk.user.staff_name in steps and supervisor.user.staff_name in steps
    a.refresh_from_db()
    assert a.status == Status.CONFIRMED and a.confirmed_by == supervisor.user
