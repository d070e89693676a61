"""情報照会 as kouki keeps it (issue 13 §2).

- CodeRegistration: the person's 団体内統合宛名番号 was registered with the 中間サーバ (符号取得). Neither the
  符号 nor the 取得番号 is kept: the platform holds the 符号, the 取得番号 is spent [R36 §21の2].
- InquiryRecord: the 情報提供等記録 of one inquiry (番号法 §23 [R36]): both parties, the request and
  provision datetimes, the 事務 and item, the 不開示 flag, the 提供許可証; also who asked, from where, why
  (as a personal-number reveal is recorded), and refusals. Kept 7 years [R37][R38] (`retain_until`);
  nothing in kouki deletes one before that.
- InquiryResult: the sealed answer (encrypted to the city's key), deleted by `kouki inquiries purge` after
  KOUKI_INQUIRY_RESULT_DAYS (SEC-31). Opened only in memory, on a permitted request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CodeRegistration(models.Model):
    person = models.OneToOneField("addressees.Person", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField("符号取得日時")
    username = models.CharField("職員ID", max_length=150)

    class Meta:
        verbose_name = "符号取得記録"


class InquiryStatus(models.TextChoices):
    PROVIDED = "provided", "提供済"
    REFUSED = "refused", "拒否(提供許可証なし)"


class InquiryRecord(models.Model):
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("照会の種類", max_length=20)
    inquirer = models.CharField("情報照会者", max_length=100)
    provider = models.CharField("情報提供者", max_length=100)
    jimu = models.CharField("事務", max_length=100)
    item = models.CharField("特定個人情報の項目", max_length=100)
    basis = models.CharField("根拠", max_length=200)
    request_id = models.CharField("照会番号", max_length=40, unique=True)
    permit_id = models.CharField("提供許可証番号", max_length=64, blank=True)
    status = models.CharField("結果", max_length=10, choices=InquiryStatus.choices)
    refusal = models.CharField("拒否理由", max_length=200, blank=True)
    requested_at = models.DateTimeField("照会日時")
    provided_at = models.DateTimeField("提供日時", null=True)
    nondisclosure = models.BooleanField("不開示", default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    username = models.CharField("職員ID", max_length=150)
    terminal_id = models.CharField("端末ID", max_length=64)
    screen = models.CharField("照会画面・コマンド", max_length=100)
    purpose_code = models.CharField("照会理由コード", max_length=32)
    purpose = models.CharField("照会理由", max_length=200)
    retain_until = models.DateField("保存期限")

    class Meta:
        verbose_name = "情報提供等記録"
        indexes = [
            models.Index(fields=["person", "requested_at"], name="inquiry_person_at"),
            models.Index(fields=["requested_at"], name="inquiry_at"),
        ]

    def __str__(self) -> str:
        return f"照会番号 {self.request_id}"


class InquiryResult(models.Model):
    record = models.OneToOneField(InquiryRecord, on_delete=models.PROTECT, related_name="result")
    sealed = models.BinaryField("照会結果(暗号化)")
    received_at = models.DateTimeField("受信日時")
    applied_at = models.DateTimeField("反映日時", null=True)

    class Meta:
        verbose_name = "情報照会結果"
        indexes = [models.Index(fields=["received_at"], name="inquiry_result_received")]
