"""Printing the monthly review report and recording the review (issue 15 §1), each with its audit row.

`monthly_report` renders the month's PDF for an auditor (VIEW_AUDIT) and records that it was made (which
month, its SHA-256). `record_review` records who reviewed the month, when, the findings and the follow-up
and the SHA-256 of the report reviewed (RECORD_AUDIT_REVIEW); a second review of a month is its next
version, the earlier ones stay. The notes refuse a personal number.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.documents.monthly_review import KIND
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.redaction import contains_personal_number
from kouki.reviews.models import AuditReview
from kouki.reviews.report import ReportError, monthly_review_data, period_of

FINDINGS_MAX = 2000
SHA256 = re.compile(r"[0-9a-f]{64}")


class ReviewError(ValueError):
    """A review or report that cannot be made; the message says why (Japanese, no personal number)."""


@dataclass(frozen=True)
class MonthlyReport:
    month: date
    pdf: bytes
    sha256: str

    @property
    def file_name(self) -> str:
        return f"{KIND.name}-{self.month:%Y-%m}.pdf"


def _user(actor: Actor, perm: Perm, what: str) -> StaffUser:
    user = StaffUser.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    if user is None or not user.has_kouki_perm(perm):
        raise ReviewError(f"{what}権限がありません")
    return user


def _today() -> date:
    return timezone.localdate()


def render_report(month: date) -> MonthlyReport:
    """The month's report as PDF bytes (no audit row: see monthly_report)."""
    try:
        data = monthly_review_data(month, today=_today())
    except ReportError as exc:
        raise ReviewError(str(exc)) from None
    pdf = KIND.render([data])
    return MonthlyReport(month.replace(day=1), pdf, hashlib.sha256(pdf).hexdigest())


def monthly_report(*, actor: Actor, month: date) -> MonthlyReport:
    """An auditor prints the month's report; audited (month, SHA-256)."""
    _user(actor, Perm.VIEW_AUDIT, "月次点検報告書を作成する")
    report = render_report(month)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.AUDIT_REVIEW_REPORT,
                     target_type=AuditTarget.AUDIT_REVIEW_MONTH, target_id=f"{report.month:%Y-%m}",
                     detail={"sha256": report.sha256, "bytes": len(report.pdf)})
    return report


def _note(label: str, value: str, *, required: bool) -> str:
    value = value.strip()
    if required and not value:
        raise ReviewError(f"{label}を入力してください(特記事項がなければ「特記事項なし」)")
    if len(value) > FINDINGS_MAX:
        raise ReviewError(f"{label}は{FINDINGS_MAX}文字以内で入力してください")
    if contains_personal_number(value):
        raise ReviewError(f"{label}に個人番号を書かないでください")
    return value


def record_review(*, actor: Actor, month: date, findings: str, follow_up: str = "",
                  report_sha256: str | None = None) -> AuditReview:
    """Record the review of `month` (ended months only). `report_sha256` is the digest of the PDF reviewed;
    without it, the report as it stands now is rendered and its digest recorded."""
    user = _user(actor, Perm.RECORD_AUDIT_REVIEW, "月次点検を記録する")
    findings = _note("所見", findings, required=True)
    follow_up = _note("対応・フォローアップ", follow_up, required=False)
    period = period_of(month)
    if period.last >= _today():
        raise ReviewError(f"{period.month:%Y-%m} はまだ終わっていません。"
                          "月が終わってから点検を記録してください")
    if report_sha256 is None:
        report_sha256 = render_report(period.month).sha256
    report_sha256 = report_sha256.strip().lower()
    if not SHA256.fullmatch(report_sha256):
        raise ReviewError("報告書のSHA-256は16進数64桁で指定してください")
    with transaction.atomic():
        AuditReview.objects.select_for_update().filter(month=period.month).exists()
        last = AuditReview.objects.filter(month=period.month).aggregate(v=Max("version"))["v"] or 0
        review = AuditReview.objects.create(
            month=period.month, version=last + 1, reviewer=user, reviewed_at=timezone.now(),
            findings=findings, follow_up=follow_up, report_sha256=report_sha256)
        audit_record(actor=actor, action=AuditAction.AUDIT_REVIEW_RECORD,
                     target_type=AuditTarget.AUDIT_REVIEW, target_id=str(review.pk),
                     detail={"month": f"{period.month:%Y-%m}", "version": review.version,
                             "report_sha256": report_sha256, "findings": findings, "follow_up": follow_up})
    return review
