"""Previous-year income of an addressee (integer yen)."""

from __future__ import annotations

from django.db import models


class IncomeRecord(models.Model):
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="incomes")
    income_year = models.IntegerField("所得年")
    public_pension_revenue = models.BigIntegerField("公的年金等収入", default=0)
    salary_revenue = models.BigIntegerField("給与収入", default=0)
    other_income = models.BigIntegerField("その他所得", default=0)
    care_premium_annual = models.BigIntegerField("介護保険料(年額)", default=0)
    care_deduction_pension_annual = models.BigIntegerField("介護特徴対象年金額", default=0)
    taxable_income = models.BigIntegerField("課税所得", default=0)  # 課税標準額 (for the co-payment test)
    # 申告区分 of the tax file: False = 未申告 (the income is not known; no 軽減 until a 申告 or 簡易申告)
    declared = models.BooleanField("申告あり", default=True)
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "所得情報"
        constraints = [models.UniqueConstraint(fields=["person", "income_year"], name="one_income_per_year")]
