"""Recording the monthly review (issue 15 §1): who, when, findings, follow-up and the report's digest, with
its audit row; versions; refusals (clerk, personal number, empty findings, a month not ended)."""

from __future__ import annotations

from datetime import date

import pytest

from kouki.core.audit_vocabulary import AuditAction
from kouki.privacy.models import AuditEntry
from kouki.reviews.models import AuditReview
from kouki.reviews.selectors import review_months
from kouki.reviews.services import ReviewError, record_review, render_report
from reviews.conftest import Month, actor

NOV = date(2025, 11, 1)


def test_a_review_is_recorded_with_its_audit_row_and_a_second_is_a_new_version(november: Month) -> None:
    first = record_review(actor=actor(november.auditor), month=NOV,
                          findings="時間外の参照1件を本人に確認済み",
                          follow_up="加藤さんのロックは本人の入力誤り。対応不要")
    assert (first.version, first.reviewer.username, first.report_sha256) == (
        1, "au.kimura", render_report(NOV).sha256)
    row = AuditEntry.objects.get(action=AuditAction.AUDIT_REVIEW_RECORD.value)
    assert (row.actor, row.target_id, row.detail["month"], row.detail["version"]) == (
        "au.kimura", str(first.pk), "2025-11", 1)
    second = record_review(actor=actor(november.auditor), month=date(2025, 11, 20),
                           findings="再点検: 特記事項なし", report_sha256="A" * 64)
    assert (second.version, second.month, second.report_sha256) == (2, NOV, "a" * 64)
    assert AuditReview.objects.filter(month=NOV).count() == 2
    row = next(r for r in review_months(date(2025, 12, 5)) if r.month == NOV)
    assert row.latest == second and [r.version for r in row.reviews] == [2, 1]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"findings": ""}, "所見を入力してください"),
    ({"findings": "番号 {number} を参照"}, "個人番号を書かないでください"),
    ({"findings": "問題なし", "follow_up": "{number}"}, "個人番号を書かないでください"),
    ({"findings": "問題なし", "report_sha256": "abc"}, "16進数64桁"),
    ({"findings": "問題なし", "month": date(2025, 12, 1)}, "まだ終わっていません"),
])
def test_refusals_change_nothing(november: Month, kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"month": NOV, **kwargs}
    for key in ("findings", "follow_up"):
        if isinstance(args.get(key), str):
            args[key] = str(args[key]).format(number=november.number)
    with pytest.raises(ReviewError, match=message) as caught:
        record_review(actor=actor(november.auditor), **args)  # type: ignore[arg-type]
    assert november.number not in str(caught.value)
    assert not AuditReview.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.AUDIT_REVIEW_RECORD.value).exists()


def test_a_clerk_or_supervisor_cannot_record(november: Month) -> None:
    for staff in (november.clerk, november.chief, november.counter):
        with pytest.raises(ReviewError, match="権限がありません"):
            record_review(actor=actor(staff), month=NOV, findings="問題なし")
    assert not AuditReview.objects.exists()
