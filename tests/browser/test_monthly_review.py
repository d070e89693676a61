"""The monthly log review in a real browser (issue 15 §1, "Done when": an auditor prints the monthly report):
an auditor opens 監査ログの月次点検 from the menu, opens a scripted month, downloads its report (PDF, the
Japanese font embedded, the sections shown, no personal number) and records the review, which the month's
page and the list then show."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from documents.pdftools import pdffonts, pdftotext
from playwright.sync_api import Page
from reviews.conftest import Clock, Month, clock, november  # noqa: F401 (fixtures)

from browser.browser_signin import sign_in
from kouki.reviews.models import AuditReview

pytestmark = pytest.mark.browser


def test_auditor_prints_the_monthly_report_and_records_the_review(
        transactional_db: None, live_server: object, page: Page, tmp_path: Path,
        november: Month, clock: Clock) -> None:  # noqa: F811 (the fixtures imported above)
    clock.release()  # the month is scripted; the auditor works now
    base = str(live_server)
    sign_in(page, base, november.auditor)
    page.click("text=監査ログの月次点検")
    page.wait_for_url("**/audit/reviews/")
    page.fill("#id_month", "2025-11")
    page.click("#month-form button[type=submit]")
    page.wait_for_url("**/audit/reviews/2025-11/")
    assert "まだ記録はありません" in page.inner_text("#reviews")

    with page.expect_download() as download:
        page.click("#report-pdf")
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.name == "kansa-getsuji-tenken-2025-11.pdf"
    fonts = pdffonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    text = pdftotext(pdf)
    assert "監査ログ月次点検報告書" in text and "令和7年11月" in text and "時間外の操作" in text
    assert november.number not in "".join(text.split())

    page.fill("#id_findings", "土曜日の個人番号の表示1件は田中課長に確認(休日出勤の記録あり)")
    page.fill("#id_follow_up", "加藤さんのロックは入力誤り。対応不要")
    page.click("#record-review")
    page.wait_for_selector("text=点検を記録しました(第1版)")
    assert "田中課長に確認" in page.inner_text("#reviews")
    review = AuditReview.objects.get()
    assert review.reviewer == november.auditor.user
    assert review.report_sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
