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


class BenefitDecision(models.Model):
    """The union's decision on one application (決定情報), keyed by the city's 受付番号.

    Minimal on purpose (issue 12 §2): the applications app reads it through
    kouki.interfaces.selectors.benefit_decision and links it to its Application by 受付番号; nothing here
    refers to an application, a person or an account row. A later file with a different decision for the
    same 受付番号 replaces it (a 更正); the same decision again changes nothing.
    """

    reception_no = models.CharField("受付番号", max_length=20, unique=True)
    kind = models.CharField("申請種別", max_length=2)
    municipality_code = models.CharField("市区町村コード", max_length=5)
    addressee_no = models.CharField("宛名番号", max_length=15, db_index=True)
    insured_no = models.CharField("被保険者番号", max_length=8)
    result = models.CharField("決定区分", max_length=1)
    reason = models.CharField("決定理由", max_length=2, blank=True)
    amount_claimed = models.BigIntegerField("申請額")
    base_amount = models.BigIntegerField("算定基礎額")
    amount_decided = models.BigIntegerField("決定額")
    right_date = models.DateField("権利発生日")
    decided_on = models.DateField("決定日")
    payment_date = models.DateField("支払予定日", null=True, blank=True)
    notice_date = models.DateField("通知日")
    payee_account_ref = models.CharField("振込口座参照番号", max_length=20, blank=True)
    fiscal_year = models.IntegerField("対象年度", default=0)
    reduction_percent = models.IntegerField("減免率", default=0)
    deferral_from = models.DateField("猶予開始日", null=True, blank=True)
    deferral_until = models.DateField("猶予終了日", null=True, blank=True)
    recipient_name = models.CharField("送付先氏名", max_length=40)
    recipient_postal_code = models.CharField("送付先郵便番号", max_length=7)
    recipient_address = models.CharField("送付先住所", max_length=160)
    certificate_class = models.CharField("認定区分", max_length=1, blank=True)
    valid_from = models.DateField("適用開始日", null=True, blank=True)
    valid_until = models.DateField("有効期限", null=True, blank=True)
    import_record = models.ForeignKey(ImportRecord, on_delete=models.PROTECT, related_name="+")
    corrections = models.IntegerField("更正回数", default=0)

    class Meta:
        verbose_name = "給付等の決定"
