"""Insured periods received from the union (被保険者情報), kept with history."""

from __future__ import annotations

from django.db import models


class InsuredPeriod(models.Model):
    """One eligibility period of one person, as in the latest 被保険者情報 record for it.

    A later record for the same (person, acquired_on) supersedes this row (superseded_at) rather than
    editing it, so what the city knew on any day can be reconstructed.
    """

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="insured_periods")
    insured_no = models.CharField("被保険者番号", max_length=8)
    insurer_no = models.CharField("保険者番号", max_length=8)
    acquired_on = models.DateField("資格取得日")
    acquisition_reason = models.CharField("取得事由", max_length=2)
    lost_on = models.DateField("資格喪失日", null=True, blank=True)
    loss_reason = models.CharField("喪失事由", max_length=2, blank=True)
    copay_rate = models.IntegerField("負担割合(%)")
    copay_from = models.DateField("負担割合適用開始日")
    address_exception = models.BooleanField("住所地特例", default=False)
    decided_on = models.DateField("決定日")
    recorded_at = models.DateTimeField("記録日時")
    superseded_at = models.DateTimeField("更新日時", null=True, blank=True)
    import_record = models.ForeignKey("interfaces.ImportRecord", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")

    class Meta:
        verbose_name = "被保険者資格"
        indexes = [
            models.Index(fields=["person", "acquired_on"]),
            models.Index(fields=["insured_no"]),
            models.Index(fields=["acquired_on", "lost_on"], name="ip_live_period",
                         condition=models.Q(superseded_at__isnull=True)),
        ]
