"""受付票 in a real browser (issue 15 §4 "done when"; SEC-38): a counter clerk records a phone complaint about
personal information and its answer; an auditor finds it again by a word of its subject and reads it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from factories import Staff
from playwright.sync_api import Page
from web.conftest import Family

from browser.browser_signin import sign_in, sign_out
from kouki.accounts.permissions import Role
from kouki.rights.models import InquiryStatus, PrivacyInquiry

pytestmark = pytest.mark.browser


def test_a_clerk_records_a_complaint_and_an_auditor_finds_it(
        transactional_db: None, live_server: object, page: Page, staff_of: Callable[[Role], Staff],
        family: Family) -> None:
    base = str(live_server)
    clerk, auditor = staff_of(Role.COUNTER_CLERK), staff_of(Role.AUDITOR)

    sign_in(page, base, clerk)
    page.click("text=個人情報に関する問合せ受付票")
    page.wait_for_url("**/privacy-inquiries/")
    page.click("text=受付票を作成する")
    page.wait_for_url("**/privacy-inquiries/new/")
    page.select_option("#id_channel", "phone")
    page.select_option("#id_kind", "complaint")
    page.select_option("#id_relation", "self")
    page.fill("#id_requester_name", "山田 太郎")
    page.fill("#id_addressee_no", family.taro.addressee_no)
    page.fill("#id_subject", "通知書の誤送付の苦情")
    page.fill("#id_content", "隣家あての保険料額決定通知書が届いたとの申出")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url("**/privacy-inquiries/*/")
    inquiry = PrivacyInquiry.objects.get()
    assert inquiry.receipt_no in page.inner_text("h1")
    page.fill("#id_answer", "誤送付を謝罪し、回収と再発防止を説明した")
    page.fill("#id_follow_up", "発送手順を点検")
    page.check("#id_close")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_selector("#inquiry >> text=完了")
    sign_out(page)

    sign_in(page, base, auditor)
    page.goto(f"{base}/privacy-inquiries/")
    page.fill("#id_text", "誤送付")
    page.click("form.inline button[type=submit]")
    page.wait_for_selector("#privacy-inquiries")
    page.click(f"#privacy-inquiries >> text={inquiry.receipt_no}")
    page.wait_for_url(f"**/privacy-inquiries/{inquiry.pk}/")
    shown = page.inner_text("#inquiry")
    assert "通知書の誤送付の苦情" in shown and "誤送付を謝罪し" in shown and "発送手順を点検" in shown
    assert "山田 太郎" in shown and family.taro.addressee_no in shown
    assert page.locator("#id_answer").count() == 0  # auditors only read
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED and inquiry.received_by == clerk.user
