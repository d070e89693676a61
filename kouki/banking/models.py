"""Bank accounts of insured persons (保険料引落口座 for 口座振替, 還付金振込口座 for refunds), the monthly
debit runs with their data records and the instalments each record debits, failed debits waiting for or
turned into payment slips, and refund transfer runs. Customer numbers never contain a personal number."""

from __future__ import annotations

from django.db import models


class Purpose(models.TextChoices):
    DEBIT = "debit", "保険料引落口座"
    REFUND = "refund", "還付金振込口座"
    HIGH_COST = "highcost", "高額療養費振込口座"  # registered by the first 高額療養費 application


class DepositType(models.IntegerChoices):
    ORDINARY = 1, "普通"
    CURRENT = 2, "当座"
    SAVINGS = 4, "貯蓄"
    OTHER = 9, "その他"


class BankAccount(models.Model):
    """One account registration; valid_from..valid_to (inclusive, None = open). Ended, never deleted."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField("用途", max_length=8, choices=Purpose.choices)
    bank_code = models.CharField("銀行コード", max_length=4)
    branch_code = models.CharField("支店コード", max_length=3)
    deposit_type = models.SmallIntegerField("預金種目", choices=DepositType.choices)
    account_number = models.CharField("口座番号", max_length=7)
    holder_kana = models.CharField("口座名義（半角カナ）", max_length=30)
    valid_from = models.DateField("開始日")
    valid_to = models.DateField("終了日", null=True, blank=True)
    applied_on = models.DateField("申請日")
    end_reason = models.CharField("終了理由", max_length=200, blank=True)
    recorded_at = models.DateTimeField("記録日時")
    recorded_by = models.CharField("記録者", max_length=150)

    class Meta:
        verbose_name = "口座"
        indexes = [models.Index(fields=["person", "purpose"]), models.Index(fields=["purpose", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="bank_account_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.bank_code}-{self.branch_code}"


class DebitRunStatus(models.TextChoices):
    REQUESTED = "requested", "依頼済"
    RESULTED = "resulted", "結果取込済"


class DebitRun(models.Model):
    """One 口座振替 request file for one debit date."""

    debit_date = models.DateField("振替日", unique=True)
    fiscal_year = models.IntegerField("年度", null=True, blank=True)
    bank_key = models.CharField("取引銀行設定", max_length=32)
    file_name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    record_count = models.IntegerField("件数")
    total_amount = models.BigIntegerField("合計金額")
    status = models.CharField("状態", max_length=16, choices=DebitRunStatus.choices)
    result_import = models.ForeignKey(
        "interfaces.ImportRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("作成日時")
    created_by = models.CharField("作成者", max_length=150)

    class Meta:
        verbose_name = "口座振替依頼"


class DebitRequest(models.Model):
    """One data record of a request file (one person, one debit); its result arrives later."""

    run = models.ForeignKey(DebitRun, on_delete=models.PROTECT, related_name="requests")
    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    customer_no = models.CharField("顧客番号", max_length=20, unique=True)
    amount = models.BigIntegerField("引落金額")
    new_code = models.SmallIntegerField("新規コード")
    result_code = models.SmallIntegerField("振替結果コード", null=True, blank=True)

    class Meta:
        verbose_name = "口座振替依頼明細"
        indexes = [models.Index(fields=["run", "result_code"])]


class DebitRequestLine(models.Model):
    """An instalment debited by a data record (the record's amount is the sum of its lines)."""

    request = models.ForeignKey(DebitRequest, on_delete=models.PROTECT, related_name="lines")
    instalment = models.ForeignKey(
        "assessment.Instalment", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    fiscal_year = models.IntegerField("年度")
    period = models.IntegerField("期別")
    amount = models.BigIntegerField("金額")

    class Meta:
        verbose_name = "口座振替対象期別"
        indexes = [models.Index(fields=["instalment"])]


class FailedDebit(models.Model):
    """An instalment whose debit failed (codes 1–9): it stays unpaid and gets a payment slip. `slip_id` is
    empty until the slip is issued (worklist 'slips to issue')."""

    line = models.OneToOneField(DebitRequestLine, on_delete=models.PROTECT, related_name="failure")
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    instalment = models.ForeignKey(
        "assessment.Instalment", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    result_code = models.SmallIntegerField("振替結果コード")
    reason = models.CharField("振替不能理由", max_length=64)
    debit_date = models.DateField("振替日")
    slip_id = models.BigIntegerField("納付書ID", null=True, blank=True)
    slip_issued_at = models.DateTimeField("納付書発行日時", null=True, blank=True)
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "振替不能"
        indexes = [models.Index(fields=["slip_id"]), models.Index(fields=["person"])]


class RefundTransferRun(models.Model):
    """One 総合振込 file of refunds; `result_import` is the bank's 振込結果 once taken in."""

    transfer_date = models.DateField("振込指定日")
    bank_key = models.CharField("取引銀行設定", max_length=32)
    file_name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    record_count = models.IntegerField("件数")
    total_amount = models.BigIntegerField("合計金額")
    created_at = models.DateTimeField("作成日時")
    created_by = models.CharField("作成者", max_length=150)
    result_import = models.ForeignKey(
        "interfaces.ImportRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "還付振込"


class RefundTransferLine(models.Model):
    """One refund in a transfer file. A refund whose transfer came back (振込不能, `result_code` 1–9) is
    open again and may be in a later file: a refund has at most one line without a failure."""

    run = models.ForeignKey(RefundTransferRun, on_delete=models.PROTECT, related_name="lines")
    refund = models.ForeignKey("collection.Refund", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField("振込金額")
    result_code = models.SmallIntegerField("振込結果コード", null=True, blank=True)  # 0 振込済, 1–9 振込不能
    returned_on = models.DateField("振込不能の取込日", null=True, blank=True)

    class Meta:
        verbose_name = "還付振込明細"
        constraints = [
            models.UniqueConstraint(
                fields=["refund"],
                condition=models.Q(returned_on__isnull=True),
                name="one_live_transfer_per_refund",
            )
        ]
