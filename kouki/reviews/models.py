"""The record of a monthly log review (issue 15 §1; PPC: logs analysed 定期に及び必要に応じ随時).

One row per review of a month: who reviewed it, when, what they found and what follows, and the SHA-256 of
the report PDF they reviewed. A second review of the same month is a new version; the earlier one stays.
Rows are written only by kouki.reviews.services.record_review (with its audit row).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditReview(models.Model):
    month = models.DateField("対象月")  # the first day of the month reviewed
    version = models.PositiveIntegerField("版")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="点検者")
    reviewed_at = models.DateTimeField("点検日時")
    findings = models.TextField("所見")
    follow_up = models.TextField("対応・フォローアップ", blank=True)
    report_sha256 = models.CharField("点検した報告書のSHA-256", max_length=64)

    class Meta:
        verbose_name = "監査ログの月次点検"
        constraints = [models.UniqueConstraint(fields=["month", "version"], name="one_review_version")]
        ordering = ["-month", "-version"]
