"""督促・滞納 (arrears): reminders (督促状), contacts, payment pledges (分納誓約), write-off requests
(不納欠損の起案と承認) and the worklist of pension deductions that did not happen (特別徴収の未徴収).

Money and the ledger live in kouki.collection; this app records what staff did about unpaid
instalments and asks kouki.collection to write off once a supervisor approved (ADR 0011).
"""

from __future__ import annotations

from django.db import models


class Reminder(models.Model):
    """One 督促 of one instalment (地方自治法 §231-3 ①: a reminder with a specified deadline)."""

    instalment = models.OneToOneField("assessment.Instalment", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.IntegerField("賦課年度")
    period = models.IntegerField("期別")
    due_date = models.DateField("納期限")
    issued_on = models.DateField("発付日")
    deadline = models.DateField("指定期限")
    amount = models.BigIntegerField("督促額")  # unpaid when issued
    document_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("作成日時")
    created_by = models.CharField("作成者", max_length=150)

    class Meta:
        verbose_name = "督促"
        indexes = [models.Index(fields=["person", "fiscal_year"]), models.Index(fields=["issued_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="reminder_amount_positive")
        ]


class ContactChannel(models.TextChoices):
    PHONE = "phone", "電話"
    VISIT = "visit", "訪問"
    LETTER = "letter", "文書"


class ContactRecord(models.Model):
    """納付折衝の記録: who was contacted how, by whom, and what was said (never a personal number)."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    contacted_on = models.DateField("折衝日")
    channel = models.CharField("方法", max_length=8, choices=ContactChannel.choices)
    staff = models.CharField("担当者", max_length=150)
    note = models.CharField("内容", max_length=500, blank=True)
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "折衝記録"
        indexes = [models.Index(fields=["person", "contacted_on"])]


class PledgeStatus(models.TextChoices):
    ACTIVE = "active", "履行中"
    KEPT = "kept", "完了"
    BROKEN = "broken", "不履行"


class PaymentPledge(models.Model):
    """分納誓約: the person acknowledges the arrears (債務の承認) and pledges amounts on dates."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    made_on = models.DateField("誓約日")
    arrears = models.BigIntegerField("誓約時の滞納額")
    status = models.CharField("状態", max_length=8, choices=PledgeStatus.choices, default=PledgeStatus.ACTIVE)
    status_on = models.DateField("状態確認日", null=True, blank=True)
    taken_by = models.CharField("受付者", max_length=150)
    note = models.CharField("備考", max_length=500, blank=True)
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "分納誓約"
        indexes = [models.Index(fields=["person", "made_on"]), models.Index(fields=["status"])]


class PledgeInstalment(models.Model):
    pledge = models.ForeignKey(PaymentPledge, on_delete=models.CASCADE, related_name="schedule")
    due_on = models.DateField("納付予定日")
    amount = models.BigIntegerField("予定額")

    class Meta:
        verbose_name = "分納予定"
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="pledge_amount_positive"),
            models.UniqueConstraint(fields=["pledge", "due_on"], name="one_pledged_amount_per_day"),
        ]


class PledgedInstalment(models.Model):
    """An instalment a pledge names: the pledge acknowledges these and renews their 時効 (民法 §152,
    issue 10 §5). A pledge recorded before pledges named instalments has none and is read as naming
    every instalment the person owed when it was made."""

    pledge = models.ForeignKey(PaymentPledge, on_delete=models.CASCADE, related_name="instalments")
    instalment = models.ForeignKey("assessment.Instalment", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.IntegerField("賦課年度")
    method = models.CharField("徴収方法", max_length=16)
    period = models.IntegerField("期別")
    unpaid = models.BigIntegerField("誓約時の未納額")

    class Meta:
        verbose_name = "分納誓約の対象期別"
        constraints = [
            models.UniqueConstraint(fields=["pledge", "instalment"], name="one_pledge_line_per_instalment")
        ]


class WriteOffStatus(models.TextChoices):
    REQUESTED = "requested", "起案中"
    APPROVED = "approved", "承認"
    REJECTED = "rejected", "却下"


class WriteOffGround(models.TextChoices):
    """欠損の根拠. Only 時効 is checked by kouki (the instalment's limitation date, see
    kouki.collection.limitation); the others rest on facts the requester records and the approver checks."""

    LIMITATION = "limitation", "時効による消滅(高確法第160条、地方自治法第236条第2項)"
    SUSPENSION = "suspension", "滞納処分の執行停止"
    OTHER = "other", "その他"


class WriteOffRequest(models.Model):
    """不納欠損の起案: a member of staff asks, a supervisor (another person) approves or rejects."""

    instalment = models.ForeignKey("assessment.Instalment", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.IntegerField("賦課年度")
    amount = models.BigIntegerField("欠損額")
    ground = models.CharField("欠損の根拠", max_length=16, choices=WriteOffGround.choices,
                              default=WriteOffGround.OTHER)
    reason = models.CharField("欠損事由", max_length=200)
    requested_by = models.CharField("起案者", max_length=150)
    requested_on = models.DateField("起案日")
    status = models.CharField(
        "状態", max_length=10, choices=WriteOffStatus.choices, default=WriteOffStatus.REQUESTED
    )
    decided_by = models.CharField("決裁者", max_length=150, blank=True)
    decided_on = models.DateField("決裁日", null=True, blank=True)
    decision_note = models.CharField("決裁意見", max_length=200, blank=True)
    write_off_id = models.BigIntegerField("不納欠損ID", null=True, blank=True)  # kouki.collection WriteOff
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "不納欠損起案"
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="write_off_request_positive"),
            models.UniqueConstraint(
                fields=["instalment"],
                condition=models.Q(status="requested"),
                name="one_open_write_off_request",
            ),
        ]


class NonDeductionReason(models.TextChoices):
    DEATH = "01", "死亡"
    PENSION_STOPPED = "02", "年金支給停止"
    PENSION_INSUFFICIENT = "03", "年金額不足"
    LOST_ELIGIBILITY = "04", "資格喪失"
    MOVED_OUT = "05", "転出"
    OTHER = "09", "その他"


class ConversionStatus(models.TextChoices):
    OPEN = "open", "未処理"
    DONE = "done", "普通徴収へ切替済"


class PensionNonDeduction(models.Model):
    """A pension instalment the union reported as not deducted: it stays unpaid and waits for staff to
    move the person to direct payment (普通徴収への切替, worklist)."""

    instalment = models.OneToOneField("assessment.Instalment", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.IntegerField("賦課年度")
    pension_month = models.CharField("年金支払月", max_length=7)  # YYYY-MM
    reason = models.CharField("未徴収事由", max_length=2, choices=NonDeductionReason.choices)
    import_record = models.ForeignKey("interfaces.ImportRecord", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "状態", max_length=8, choices=ConversionStatus.choices, default=ConversionStatus.OPEN
    )
    resolved_by = models.CharField("処理者", max_length=150, blank=True)
    resolved_on = models.DateField("処理日", null=True, blank=True)
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "特別徴収未徴収"
        indexes = [models.Index(fields=["status"])]
