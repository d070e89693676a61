"""/audit/reviews/ (issue 15 §1): an auditor lists the months, prints a month's report and records the review;
a clerk can do none of it (SEC-07: 403, audited refusal)."""

from __future__ import annotations

import hashlib

from django.test import Client
from django.urls import reverse
from web.conftest import sign_in

from kouki.core.audit_vocabulary import AuditAction
from kouki.privacy.models import AuditEntry
from kouki.reviews.models import AuditReview
from reviews.conftest import Month


def test_auditor_prints_and_records(november: Month) -> None:
    client = sign_in(Client(), november.auditor.user)
    listing = client.get(reverse("web:audit_reviews")).content.decode()
    assert "令和7年11月" in listing and "未点検" in listing
    page = client.get(reverse("web:audit_review_month", kwargs={"month": "2025-11"})).content.decode()
    assert "報告書を印刷する" in page and 'id="review-form"' in page
    pdf = client.get(reverse("web:audit_review_report", kwargs={"month": "2025-11"}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert 'filename="kansa-getsuji-tenken-2025-11.pdf"' in pdf["Content-Disposition"]
    response = client.post(reverse("web:audit_review_record", kwargs={"month": "2025-11"}),
                           {"findings": "時間外の参照1件は本人確認済み", "follow_up": ""}, follow=True)
    assert "点検を記録しました(第1版)" in response.content.decode()
    review = AuditReview.objects.get()
    assert review.reviewer == november.auditor.user
    assert review.report_sha256 == hashlib.sha256(pdf.content).hexdigest()  # what was printed
    listing = client.get(reverse("web:audit_reviews")).content.decode()
    assert "点検済" in listing and "木村 監査" in listing


def test_a_number_in_the_findings_is_refused_without_echo(november: Month) -> None:
    client = sign_in(Client(), november.auditor.user)
    response = client.post(reverse("web:audit_review_record", kwargs={"month": "2025-11"}),
                           {"findings": f"番号 {november.number}"}, follow=True)
    body = response.content.decode()
    assert "個人番号を書かないでください" in body and november.number not in body
    assert not AuditReview.objects.exists()


def test_a_clerk_cannot_see_or_record(november: Month) -> None:
    client = sign_in(Client(), november.clerk.user)
    for name in ("web:audit_review_month", "web:audit_review_report"):
        assert client.get(reverse(name, kwargs={"month": "2025-11"})).status_code == 403
    assert client.get(reverse("web:audit_reviews")).status_code == 403
    assert client.post(reverse("web:audit_review_record", kwargs={"month": "2025-11"}),
                       {"findings": "x"}).status_code == 403
    assert not AuditReview.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.AUDIT_REVIEW_REPORT.value).exists()
    assert AuditEntry.objects.filter(action=AuditAction.ACCESS_DENIED.value, actor="nc.ito").count() == 4
