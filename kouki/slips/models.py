"""納付書 (payment slips) of direct-payment instalments, with their convenience-store code.

A slip's number (`slip_no`, the 納付書番号 in the code's free field) is fixed at its first issue; a re-issue
with a new due date is a new row with `reissue` + 1 that supersedes the old one (ADR 0007).
"""

from __future__ import annotations

from django.db import models


class PaymentSlip(models.Model):
    instalment = models.ForeignKey("assessment.Instalment", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.IntegerField("年度")
    period = models.IntegerField("期別")
    slip_no = models.BigIntegerField("納付書番号")
    reissue = models.SmallIntegerField("再発行区分", default=0)
    due_date = models.DateField("納期限")
    amount = models.BigIntegerField("金額")
    barcode = models.CharField("バーコード", max_length=44, blank=True)  # blank above 300,000円
    issued_on = models.DateField("発行日")
    issued_at = models.DateTimeField("発行日時")
    issued_by = models.CharField("発行者", max_length=150)
    superseded_at = models.DateTimeField("失効日時", null=True, blank=True)

    class Meta:
        verbose_name = "納付書"
        indexes = [models.Index(fields=["person", "fiscal_year"]), models.Index(fields=["instalment"])]
        constraints = [
            models.UniqueConstraint(fields=["slip_no", "reissue"], name="slip_no_reissue_unique"),
            models.UniqueConstraint(
                fields=["slip_no"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_slip_no_in_force",
            ),
            models.UniqueConstraint(
                fields=["instalment"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_slip_per_instalment_in_force",
            ),
            models.UniqueConstraint(
                fields=["barcode"], condition=~models.Q(barcode=""), name="slip_barcode_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(reissue__gte=0, reissue__lte=9), name="slip_reissue_digit"
            ),
        ]

    def __str__(self) -> str:
        return f"納付書 {self.slip_no}-{self.reissue}"
