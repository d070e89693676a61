"""Transfer definitions with their versions and two-sided approvals, and one record per execution."""

from __future__ import annotations

from django.db import models

from kouki.rules.transfer_gate import RECEIVING, SENDING


class Side(models.TextChoices):
    SENDING = SENDING, "移転元(後期高齢者医療担当)"
    RECEIVING = RECEIVING, "移転先"


class TransferDefinition(models.Model):
    code = models.CharField("移転番号", max_length=8, unique=True)  # T01…T15
    number = models.PositiveSmallIntegerField("評価書の番号", unique=True)

    class Meta:
        ordering = ("number",)

    def __str__(self) -> str:
        return self.code


class TransferDefinitionVersion(models.Model):
    definition = models.ForeignKey(TransferDefinition, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("版")
    recipient = models.CharField("移転先", max_length=80)
    persons = models.CharField("対象者", max_length=200)
    purpose = models.CharField("目的", max_length=200)
    items = models.JSONField("移転する項目")  # list[str]: the whitelist
    legal_basis = models.CharField("根拠", max_length=200, blank=True)  # "" = not found
    methods = models.JSONField("方法")  # list[Method]
    frequency = models.CharField("頻度", max_length=200)
    sources = models.TextField("出典")
    content_sha256 = models.CharField(max_length=64)
    registered_by = models.CharField("登録者", max_length=150)
    registered_at = models.DateTimeField("登録日時")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("definition", "version"), name="transfer_version_unique")
        ]
        ordering = ("definition", "version")


class TransferApproval(models.Model):
    version = models.ForeignKey(TransferDefinitionVersion, on_delete=models.PROTECT, related_name="approvals")
    side = models.CharField("承認の側", max_length=16, choices=Side.choices)
    approver_name = models.CharField("承認者", max_length=80)
    approver_office = models.CharField("承認者の所属", max_length=80)
    kessai_ref = models.CharField("決裁番号", max_length=80)
    recorded_by = models.CharField("記録した職員", max_length=150)
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("version", "side"), name="transfer_approval_one_per_side")
        ]


class TransferRecord(models.Model):
    version = models.ForeignKey(TransferDefinitionVersion, on_delete=models.PROTECT, related_name="records")
    executed_by = models.CharField("実行者", max_length=150)
    executed_at = models.DateTimeField("実行日時")
    method = models.CharField("方法", max_length=16)
    person_ids = models.JSONField("対象者")  # list[int]: 宛名 ids, never a personal number
    person_count = models.PositiveIntegerField("件数")
    items = models.JSONField("移転した項目")
    file_name = models.CharField("ファイル名", max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ("executed_at", "pk")
