"""窓口収納 and a 還付 decision in a real browser (Debian chromium through Playwright; issue 5 §2–§3):
a counter clerk finds a person with a plan, takes a payment for the first instalment, sees it paid and
downloads the 領収証書 PDF; then a supervisor decides the refund of another year's overpayment and the
ledger shows who decided and why."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from factories import Staff
from playwright.sync_api import Page
from web.collection_samples import FY, overpaid, person_with_plan
from web.conftest import Family

from browser.browser_signin import sign_in, sign_out
from kouki.accounts.permissions import Role
from kouki.collection.models import Channel, Receipt, Refund

pytestmark = pytest.mark.browser


def test_clerk_takes_a_payment_and_a_supervisor_decides_a_refund(
        transactional_db: None, live_server: object, page: Page, tmp_path: Path,
        staff_of: Callable[[Role], Staff], family: Family) -> None:
    base = str(live_server)
    clerk, supervisor = staff_of(Role.COUNTER_CLERK), staff_of(Role.SUPERVISOR)
    person = overpaid(family.taro, premium=30_000, paid=40_000, fiscal_year=2024)
    _p, rows = person_with_plan(person, 90_000, FY)
    first = rows[0]

    sign_in(page, base, clerk)
    page.click("text=収納状況・窓口収納")
    page.wait_for_url("**/collection/")
    page.fill("#id_addressee_no", family.taro.addressee_no)
    page.click("#collection-search button[type=submit]")
    page.click("#results a:has-text('収納状況')")
    page.wait_for_url(f"**/collection/persons/{person.pk}/")
    row = page.locator(f"#instalment-{first.pk}")
    assert "未納" in row.inner_text()
    page.fill("#id_amount", f"{first.amount:,}")
    page.select_option("#id_instalment", str(first.pk))
    page.click("#take-payment")
    page.wait_for_selector("text=収納しました")
    assert "完納" in page.locator(f"#instalment-{first.pk} .state").inner_text()
    assert page.locator(f"#instalment-{first.pk} .unpaid").inner_text() == "0"
    receipt = Receipt.objects.get(person=person, fiscal_year=FY)
    assert receipt.channel == Channel.COUNTER and receipt.recorded_by == clerk.user.username

    with page.expect_download() as download:
        page.click("#receipt-pdf")
    pdf = tmp_path / "ryoshu.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "領収証書" in text and f"{first.amount:,}" in text
    # more than the year still owes: held until the clerk confirms the overpayment (issue 11 §3)
    owed = 90_000 - first.amount
    page.fill("#id_amount", f"{owed + 500:,}")
    page.click("#take-payment")
    page.wait_for_selector("#over-warning")
    assert "500円が過誤納金" in page.inner_text("#over-warning")
    assert Receipt.objects.filter(person=person, fiscal_year=FY).count() == 1
    page.click("#confirm-over")
    page.wait_for_selector("#issued-effect")
    assert "過誤納金 500円" in page.inner_text("#issued-effect")
    # a clerk sees the worklist but has no decision form
    page.goto(f"{base}/collection/overpayments/{person.pk}/2024/")
    assert page.locator("#refund-form").count() == 0 and page.locator("#not-decider").count() == 1
    sign_out(page)

    sign_in(page, base, supervisor)
    page.click("text=過誤納金の処理(還付・充当)")
    page.wait_for_url("**/collection/overpayments/")
    page.click(f"#overpayment-{person.pk}-2024 a:has-text('処理')")
    page.wait_for_url(f"**/collection/overpayments/{person.pk}/2024/")
    assert page.input_value("#refund-form #id_amount") == "10000"
    page.fill("#refund-form #id_reason", "還付請求書を受理、指定口座へ振込")
    page.click("#decide-refund")
    page.wait_for_selector("text=還付を決定しました")
    decisions = page.inner_text("#decisions")
    assert "還付請求書を受理、指定口座へ振込" in decisions and supervisor.user.staff_name in decisions
    assert "一致" in page.inner_text("#ledger-identity")
    refund = Refund.objects.get()
    assert refund.amount == 10_000 and refund.decided_by == supervisor.user.username
    # the FY2025 receipt: cancelling asks for confirmation, with what becomes unpaid again
    page.goto(f"{base}/collection/persons/{person.pk}/?fy={FY}")
    page.locator(".cancel-form input[name=reason]").first.fill("金額の入力誤り")
    page.locator(".cancel-form button").first.click()
    page.wait_for_selector("#cancel-confirm-form")
    assert "金額の入力誤り" in page.inner_text("#cancel-receipt")
    page.click("#cancel-confirm")
    page.wait_for_selector("text=収納を取り消しました")
