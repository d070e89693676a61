"""The monthly review report (issue 15 §1): its counts against a scripted month, the PDF (embedded font,
its sections, no personal number) and the audit row of printing it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from documents.pdftools import pdffonts, pdftotext

from kouki.core.audit_vocabulary import AuditAction
from kouki.privacy.models import AuditEntry
from kouki.reviews.report import ReportError, monthly_review_data, parse_month
from kouki.reviews.services import ReviewError, monthly_report, render_report
from reviews.conftest import Clock, Month, actor


def _section(data, number: int):  # type: ignore[no-untyped-def]
    return next(s for s in data.sections if s.title.startswith(f"{number}. "))


def _totals(section) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return dict(section.totals)


def test_counts_of_a_scripted_month(november: Month) -> None:
    data = monthly_review_data(date(2025, 11, 1))
    reveals = _section(data, 1)
    # 3 + 2 + 1 in November; the reveals of 31 Oct 23:00 and 1 Dec 00:30 (Japanese time) are outside
    assert _totals(reveals) == {"表示": "6件", "番号検索": "0件", "参照した職員": "2人"}
    assert reveals.table is not None
    assert reveals.table.rows[0] == ("伊藤 担当(nc.ito)", "資格取得届の受付", "表示", "3")
    assert reveals.table.rows[1] == ("田中 課長(sv.tanaka)", "給付申請の受付", "表示", "3")

    logins = _totals(_section(data, 3))
    assert logins["アカウントのロック"] == "1件"
    assert int(logins["ログイン失敗"].removesuffix("件")) >= 1

    out = _section(data, 4)
    assert _totals(out)["個人番号の参照"] == "1件"  # the Saturday reveal only
    assert out.table is not None and out.table.rows[0][:2] == ("田中 課長(sv.tanaka)", "1")

    transfers = _totals(_section(data, 6))
    assert transfers["移転の実行"] == "1件" and transfers["移転した対象者(延べ)"] == "2人"

    alerts = _section(data, 8)
    assert _totals(alerts) == {"発生": "1件", "確認": "0件", "月末に未確認": "1件"}
    assert alerts.table is not None and alerts.table.rows == (("個人番号の表示の短時間集中", "1", "0", "1"),)
    bulk = _section(data, 5)
    assert _totals(bulk)["大量閲覧の警告"] == "1件"

    assert _totals(_section(data, 9)) == {"受付": "1件", "月末に未完了": "1件"}


def test_october_sees_only_its_own_reveal(november: Month) -> None:
    data = monthly_review_data(date(2025, 10, 1))
    assert _totals(_section(data, 1))["表示"] == "1件"
    assert _totals(_section(data, 4))["個人番号の参照"] == "1件"  # 23:00 on a Friday


def test_the_pdf_embeds_the_font_shows_the_sections_and_no_number(november: Month, tmp_path: Path) -> None:
    report = monthly_report(actor=actor(november.auditor), month=date(2025, 11, 1))
    pdf = tmp_path / report.file_name
    pdf.write_bytes(report.pdf)
    fonts = pdffonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts) and any("IPAex" in f["name"] for f in fonts)
    text = pdftotext(pdf)
    for title in ("監査ログ月次点検報告書", "個人番号の参照", "アクセスの拒否", "ログインの失敗・ロック",
                  "時間外の操作", "大量の閲覧・一括処理", "移転・ファイルの送信", "職員アカウントの変更",
                  "監査警告", "問合せ受付票", "伊藤 担当", "点検者"):
        assert title in text, title
    assert november.number not in text
    assert not re.search(r"\d{4}\s?\d{4}\s?\d{4}", re.sub(r"\s+", " ", text).replace(report.sha256, ""))
    assert report.pdf == render_report(date(2025, 11, 1)).pdf  # the same month gives the same bytes
    row = AuditEntry.objects.get(action=AuditAction.AUDIT_REVIEW_REPORT.value)
    assert (row.actor, row.target_id, row.detail["sha256"]) == ("au.kimura", "2025-11", report.sha256)


def test_a_clerk_cannot_print_the_report(november: Month) -> None:
    with pytest.raises(ReviewError, match="権限がありません"):
        monthly_report(actor=actor(november.clerk), month=date(2025, 11, 1))
    assert not AuditEntry.objects.filter(action=AuditAction.AUDIT_REVIEW_REPORT.value).exists()


def test_months_are_parsed_and_future_months_refused(november: Month) -> None:
    assert parse_month("2025-11") == date(2025, 11, 1)
    for bad in ("2025/11", "2025-13", "11"):
        with pytest.raises(ReportError):
            parse_month(bad)
    with pytest.raises(ReviewError, match="まだ始まっていません"):
        render_report(date(2026, 1, 1))  # the clock says 2025-12-05


def test_disclosure_requests_are_counted(november: Month, clock: Clock) -> None:
    # issue 15 §3 in the review: a 開示請求 received in November, one in December (not counted); the
    # November one still undecided at the end of the month is not yet overdue (due 30 days after receipt)
    from disclosure.samples import receive
    from factories import make_person

    hanako = make_person(family_name="山田", given_name="花子")
    clock.set("2025-11-12T10:00")
    receive(november.counter.user, hanako.addressee_no, received_on=date(2025, 11, 12))
    clock.set("2025-12-02T10:00")
    receive(november.counter.user, hanako.addressee_no, received_on=date(2025, 12, 2))
    section = _section(monthly_review_data(date(2025, 11, 1)), 10)
    assert _totals(section) == {"受付": "1件", "月末に期限超過": "0件", "期限後の決定": "0件"}
    assert section.table is not None and ("種別: 開示請求", "1") in section.table.rows
