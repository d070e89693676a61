"""The collection ledger (収納): receipts from every channel, their allocation (消込) to instalments,
overpayments (過誤納), refunds (還付), set-offs (充当) and write-offs (不納欠損).

A `Receipt` is one credit to a person's fiscal year. Payments come from the channels; a set-off and a
write-off are credits too (channel set_off / write_off), so one allocation engine
(kouki/rules/collection) places all of them. Allocations are derived and may be re-derived (after a
re-plan); receipts and decisions are never deleted (a receipt is cancelled, with a reason).
"""

from __future__ import annotations

from django.db import models

from kouki.core.versioning import version_field


class Channel(models.TextChoices):
    COUNTER = "counter", "窓口納付"
    STORE = "store", "コンビニ納付"
    BANK = "bank", "金融機関納付"
    DEBIT = "debit", "口座振替"
    PENSION = "pension", "特別徴収"
    SET_OFF = "set_off", "充当"
    WRITE_OFF = "write_off", "不納欠損"


PAYMENT_CHANNELS = (Channel.COUNTER, Channel.STORE, Channel.BANK, Channel.DEBIT, Channel.PENSION)


class ReceiptStatus(models.TextChoices):
    PROVISIONAL = "provisional", "速報（未確定）"
    CONFIRMED = "confirmed", "確定"
    CANCELLED = "cancelled", "取消"


class Receipt(models.Model):
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="receipts")
    fiscal_year = models.IntegerField("賦課年度")
    channel = models.CharField("収納区分", max_length=16, choices=Channel.choices)
    amount = models.BigIntegerField("金額")
    paid_on = models.DateField("納付日")
    status = models.CharField("状態", max_length=16, choices=ReceiptStatus.choices)
    instalment = models.ForeignKey(
        "assessment.Instalment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # the instalment the slip or the debit named
    period = models.IntegerField("期別", null=True, blank=True)  # kept when a re-plan replaces the row
    reference = models.CharField("参照番号", max_length=64, blank=True)  # slip no, debit customer no …
    import_record = models.ForeignKey(
        "interfaces.ImportRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField("備考", max_length=200, blank=True)
    recorded_at = models.DateTimeField("記録日時")
    recorded_by = models.CharField("記録者", max_length=150)
    cancelled_at = models.DateTimeField("取消日時", null=True, blank=True)
    cancel_reason = models.CharField("取消理由", max_length=200, blank=True)
    version = version_field()  # optimistic locking of the cancel form (kouki.core.versioning)

    class Meta:
        verbose_name = "収納"
        indexes = [
            models.Index(fields=["person", "fiscal_year"]),
            models.Index(fields=["channel", "reference"]),
            models.Index(fields=["paid_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="receipt_amount_positive")
        ]

    def __str__(self) -> str:
        return f"収納 {self.fiscal_year}年度 {self.get_channel_display()} {self.amount}円"


class Allocation(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="allocations")
    instalment = models.ForeignKey("assessment.Instalment", on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField("消込額")
    created_at = models.DateTimeField("消込日時")

    class Meta:
        verbose_name = "消込"
        indexes = [models.Index(fields=["instalment"])]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive")]


class InstalmentAccount(models.Model):
    """What one instalment charges and what paid it, kept by every allocation (期別収納状況).
    No row yet: the instalment charges its planned amount and nothing has paid it."""

    instalment = models.OneToOneField(
        "assessment.Instalment", on_delete=models.CASCADE, related_name="account"
    )  # the reverse relation lets a query LEFT JOIN the account (issue 16 §5) instead of a subquery per row
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.IntegerField("賦課年度")
    due_date = models.DateField("納期限")
    charged = models.BigIntegerField("調定額")
    paid = models.BigIntegerField("収納額", default=0)
    set_off = models.BigIntegerField("充当額", default=0)
    written_off = models.BigIntegerField("不納欠損額", default=0)
    unpaid = models.BigIntegerField("未納額")

    class Meta:
        verbose_name = "期別収納状況"
        indexes = [
            models.Index(fields=["person", "fiscal_year"]),
            models.Index(fields=["due_date", "unpaid"]),
        ]


class OverpaymentCause(models.TextChoices):
    SURPLUS = "surplus", "過納（納め過ぎ）"
    REASSESSMENT = "reassessment", "減額更正"
    CANCELLED_DEBT = "cancelled_debt", "取消・その他"


class Overpayment(models.Model):
    """The moment an overpayment (過誤納金) arose or grew; the open balance is derived."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.IntegerField("賦課年度")
    amount = models.BigIntegerField("発生額")
    arose_on = models.DateField("発生日")
    cause = models.CharField("発生事由", max_length=16, choices=OverpaymentCause.choices)
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "過誤納"
        indexes = [models.Index(fields=["person", "fiscal_year"])]


class RefundStatus(models.TextChoices):
    DECIDED = "decided", "還付決定"
    PAID = "paid", "還付済"
    CANCELLED = "cancelled", "取消"


class Refund(models.Model):
    """A decision to pay back (還付) part of a fiscal year's overpayment."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.IntegerField("賦課年度")
    amount = models.BigIntegerField("還付額")
    decided_on = models.DateField("決定日")
    decided_by = models.CharField("決定者", max_length=150)
    reason = models.CharField("理由", max_length=200)
    status = models.CharField(
        "状態", max_length=16, choices=RefundStatus.choices, default=RefundStatus.DECIDED
    )
    paid_on = models.DateField("還付日", null=True, blank=True)
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "還付"
        indexes = [models.Index(fields=["person", "fiscal_year"]), models.Index(fields=["status"])]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_positive")]


class SetOff(models.Model):
    """A decision to apply (充当) part of one fiscal year's overpayment to an unpaid instalment of the
    same person; the money arrives there as a receipt of channel set_off."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    from_fiscal_year = models.IntegerField("充当元年度")
    credit = models.OneToOneField(Receipt, on_delete=models.PROTECT, related_name="set_off_decision")
    amount = models.BigIntegerField("充当額")
    decided_on = models.DateField("決定日")
    decided_by = models.CharField("決定者", max_length=150)
    reason = models.CharField("理由", max_length=200)
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "充当"
        indexes = [models.Index(fields=["person", "from_fiscal_year"])]


class WriteOff(models.Model):
    """不納欠損: an unpaid instalment extinguished (limitation after 2 years, …), approved by a
    different user than the one who requested it."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.IntegerField("賦課年度")
    credit = models.OneToOneField(Receipt, on_delete=models.PROTECT, related_name="write_off_decision")
    amount = models.BigIntegerField("欠損額")
    reason = models.CharField("欠損事由", max_length=200)
    decided_on = models.DateField("決定日")
    requested_by = models.CharField("起案者", max_length=150)
    approved_by = models.CharField("承認者", max_length=150)
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "不納欠損"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("approved_by")), name="write_off_four_eyes"
            )
        ]


class LateCharge(models.Model):
    """延滞金 of one instalment paid in full after its due date (ADR 0008 "延滞金", issue 10 §4).

    Derived from the instalment's allocations each time they change (kouki/collection/late_charges.py),
    keyed on (person, fiscal year, method, period) so that it survives a re-plan; a supervisor's waiver
    (減免) is kept on the row and survives a recomputation. A charge that falls to nothing and was not
    waived is deleted. Collecting the charge itself (its own receipt) is not recorded in kouki yet."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.IntegerField("賦課年度")
    instalment = models.ForeignKey("assessment.Instalment", on_delete=models.PROTECT, related_name="+")
    method = models.CharField("徴収方法", max_length=16)
    period = models.IntegerField("期別")
    due_date = models.DateField("納期限")
    principal = models.BigIntegerField("延滞金の計算の基礎となる保険料額")
    paid_off_on = models.DateField("完納日")
    days = models.IntegerField("延滞日数")
    computed = models.BigIntegerField("算出額（円未満切捨て）")
    amount = models.BigIntegerField("延滞金額")
    detail = models.JSONField("計算内訳", default=list)
    problem = models.CharField("要確認事項", max_length=200, blank=True)  # e.g. a year without a rate
    computed_at = models.DateTimeField("計算日時")
    waived_amount = models.BigIntegerField("減免額", default=0)
    waived_on = models.DateField("減免決定日", null=True, blank=True)
    waived_by = models.CharField("減免決定者", max_length=150, blank=True)
    waive_reason = models.CharField("減免理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "延滞金"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "fiscal_year", "method", "period"], name="late_charge_per_instalment"
            ),
            models.CheckConstraint(
                condition=models.Q(waived_amount__gte=0), name="late_charge_waiver_positive"
            ),
        ]

    @property
    def outstanding(self) -> int:
        """What is left to collect after the waiver."""
        return max(self.amount - self.waived_amount, 0)

    def __str__(self) -> str:
        return f"延滞金 {self.fiscal_year}年度 第{self.period}期 {self.amount}円"


class InstalmentDeferral(models.Model):
    """徴収猶予 of one instalment granted by the union (issue 12 §2): from `deferred_from` to
    `deferred_until` (inclusive) the instalment is not sent a 督促状, is not in arrears and bears no
    延滞金 (domain-facts-next §2 [R24][R25]). Keyed on (person, fiscal year, method, period), like
    LateCharge, so that it survives a re-plan; written by kouki.collection.deferrals when the union's
    decision on the 徴収猶予 application (`application_no`, 受付番号) is applied; a 更正 of the decision
    replaces the period."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.IntegerField("賦課年度")
    method = models.CharField("徴収方法", max_length=16)
    period = models.IntegerField("期別")
    deferred_from = models.DateField("猶予の開始日")
    deferred_until = models.DateField("猶予の終了日")
    application_no = models.CharField("申請の受付番号", max_length=40)
    decided_on = models.DateField("決定日")
    created_at = models.DateTimeField("記録日時")
    created_by = models.CharField("記録者", max_length=150)

    class Meta:
        verbose_name = "徴収猶予"
        constraints = [
            models.UniqueConstraint(
                fields=["application_no", "fiscal_year", "method", "period"],
                name="deferral_per_application_instalment",
            ),
            models.CheckConstraint(
                condition=models.Q(deferred_until__gte=models.F("deferred_from")),
                name="deferral_period_order",
            ),
        ]
        indexes = [models.Index(fields=["person", "fiscal_year"], name="deferral_person_year")]
