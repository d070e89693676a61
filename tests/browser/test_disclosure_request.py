"""開示請求 in a real browser (issue 15 §3 "done when"): a counter clerk registers a disclosure request for
Taro and prepares a 開示 decision, cannot approve it; a supervisor approves, makes the package and downloads
it — a PDF with the embedded font, the spouse masked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from documents.pdftools import pdffonts, pdftotext
from factories import Staff
from playwright.sync_api import Page
from web.conftest import Family

from browser.browser_signin import sign_in, sign_out
from kouki.accounts.permissions import Role
from kouki.disclosure.models import DisclosureRequest, RequestState

pytestmark = pytest.mark.browser


def test_clerk_registers_and_prepares_supervisor_approves_and_downloads(
        transactional_db: None, live_server: object, page: Page, staff_of: Callable[[Role], Staff],
        family: Family, tmp_path: Path) -> None:
    base = str(live_server)
    clerk, supervisor = staff_of(Role.COUNTER_CLERK), staff_of(Role.SUPERVISOR)

    sign_in(page, base, clerk)
    page.click("text=開示・訂正・利用停止請求")
    page.wait_for_url("**/disclosure/")
    page.click("text=請求を受け付ける")
    page.wait_for_url("**/disclosure/new/")
    page.select_option("#id_kind", "disclosure")
    page.fill("#id_addressee_no", family.taro.addressee_no)
    page.select_option("#id_requester", "self")
    page.check("input[name=documents][value=drivers_licence]")
    page.select_option("#id_method", "copy")
    page.fill("#id_content", "後期高齢者医療に関して保有する私の個人情報の全部")
    page.click("#disclosure-new button[type=submit]")
    page.wait_for_url("**/disclosure/*/")
    request = DisclosureRequest.objects.get()
    assert request.request_no in page.inner_text("h1")
    assert "受付" in page.inner_text("#disclosure-state")
    page.select_option("#id_decision", "disclose")
    page.click("#disclosure-prepare button[type=submit]")
    page.wait_for_selector("text=決定案作成済")
    assert page.locator("#disclosure-approve").count() == 0  # a clerk has no approval
    sign_out(page)

    sign_in(page, base, supervisor)
    page.goto(f"{base}/disclosure/")
    assert request.request_no in page.inner_text("#disclosure-worklist")
    page.click(f"#disclosure-worklist >> text={request.request_no}")
    page.wait_for_url(f"**/disclosure/{request.pk}/")
    page.click("#disclosure-approve button")
    page.wait_for_selector("text=決定済(実施待ち)")
    page.click("#disclosure-package button")
    page.wait_for_selector("#disclosure-download")
    with page.expect_download() as info:
        page.click("#disclosure-download")
    pdf = tmp_path / "package.pdf"
    info.value.save_as(pdf)
    request.refresh_from_db()
    assert request.state == RequestState.DONE and request.approved_by == supervisor.user
    assert request.prepared_by == clerk.user
    text = "".join(pdftotext(pdf).split())
    assert request.request_no in text and "花子" not in text and "第三者の情報のため非開示" in text
    assert all(f["emb"] == "yes" for f in pdffonts(pdf))
