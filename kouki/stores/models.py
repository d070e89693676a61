"""Convenience-store payments as reported by the payment agent (速報 / 確報), and the worklist of the
reports' lines that need a person (ADR 0010).

A `StorePayment` is one payment at a register, identified by (収納日, 収納時刻, 本部, 店舗, バーコード):
the 速報 and the 確報 of the same payment share that key. It points at the receipt it produced in the
collection ledger, if any. A `StoreWorkItem` is a line of a report that was not simply booked.
"""

from __future__ import annotations

from django.db import models


class PaymentState(models.TextChoices):
    PRELIMINARY = "preliminary", "速報のみ（未確定）"
    CONFIRMED = "confirmed", "確報済"
    CANCELLED = "cancelled", "取消"


class StorePayment(models.Model):
    paid_on = models.DateField("収納日")
    paid_at = models.TimeField("収納時刻")
    chain_code = models.CharField("コンビニ本部コード", max_length=4)
    store_code = models.CharField("店舗コード", max_length=8)
    barcode = models.CharField("バーコード情報", max_length=44)
    amount = models.BigIntegerField("金額")
    slip_no = models.BigIntegerField("納付書番号", null=True, blank=True)  # from the barcode
    reissue = models.SmallIntegerField("再発行区分", null=True, blank=True)
    state = models.CharField("状態", max_length=16, choices=PaymentState.choices)
    receipt = models.OneToOneField(
        "collection.Receipt", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # None: nothing booked (unknown slip, amount mismatch) — see the work items
    preliminary_import = models.ForeignKey(
        "interfaces.ImportRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    final_import = models.ForeignKey(
        "interfaces.ImportRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    processed_on = models.DateField("経理処理日", null=True, blank=True)
    transfer_on = models.DateField("振込予定日", null=True, blank=True)
    cancelled_on = models.DateField("取消報告日", null=True, blank=True)

    class Meta:
        verbose_name = "コンビニ収納"
        constraints = [
            models.UniqueConstraint(
                fields=["paid_on", "paid_at", "chain_code", "store_code", "barcode"], name="store_payment_key"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="store_payment_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["barcode"]),
            models.Index(fields=["slip_no"]),
            models.Index(fields=["state", "paid_on"]),
        ]

    def __str__(self) -> str:
        return f"コンビニ収納 {self.paid_on} {self.amount}円 ({self.get_state_display()})"


class WorkKind(models.TextChoices):
    DUPLICATE = "duplicate", "二重納付"
    UNKNOWN_SLIP = "unknown_slip", "該当納付書なし"
    AMOUNT_MISMATCH = "amount_mismatch", "金額不一致"
    SUPERSEDED_SLIP = "superseded_slip", "旧納付書（再発行前）での納付"
    NEVER_CONFIRMED = "preliminary_never_confirmed", "速報のみで確報なし"
    UNMATCHED_CANCELLATION = "unmatched_cancellation", "取消の対象となる収納なし"
    CANCELLATION_REFUSED = "cancellation_refused", "取消不可（還付・充当済の収納）"


class WorkStatus(models.TextChoices):
    OPEN = "open", "未処理"
    RESOLVED = "resolved", "処理済"


class StoreWorkItem(models.Model):
    kind = models.CharField("種別", max_length=32, choices=WorkKind.choices)
    status = models.CharField("状態", max_length=16, choices=WorkStatus.choices, default=WorkStatus.OPEN)
    payment = models.ForeignKey(StorePayment, on_delete=models.PROTECT, related_name="work_items")
    import_record = models.ForeignKey(
        "interfaces.ImportRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    line = models.IntegerField("行", null=True, blank=True)
    detail = models.CharField("内容", max_length=200)
    opened_on = models.DateField("発生日")
    opened_at = models.DateTimeField("登録日時")
    resolved_at = models.DateTimeField("処理日時", null=True, blank=True)
    resolved_by = models.CharField("処理者", max_length=150, blank=True)
    note = models.CharField("処理内容", max_length=200, blank=True)

    class Meta:
        verbose_name = "コンビニ収納 要確認"
        constraints = [models.UniqueConstraint(fields=["payment", "kind"], name="store_work_item_once")]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
