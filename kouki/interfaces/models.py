"""Record of every file taken in, so that the same file twice changes nothing the second time."""

from __future__ import annotations

from django.db import models


class ImportStatus(models.TextChoices):
    APPLIED = "applied", "取込済"
    REJECTED = "rejected", "不備により取込中止"


class ImportRecord(models.Model):
    kind = models.CharField("ファイル種別", max_length=40)
    file_name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField("結果", max_length=16, choices=ImportStatus.choices)
    line_count = models.IntegerField("行数")
    applied_count = models.IntegerField("反映件数", default=0)
    error_count = models.IntegerField("エラー件数", default=0)
    warning_count = models.IntegerField("警告件数", default=0)  # recorded; the file was still applied
    imported_at = models.DateTimeField("取込日時")
    imported_by = models.CharField("実行者", max_length=150)

    class Meta:
        verbose_name = "取込記録"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "sha256"], condition=models.Q(status="applied"), name="applied_file_once"
            )
        ]
