"""The union's assessments (賦課) of one person and fiscal year, as received; the latest one not superseded
is in force (one partial unique constraint keeps that true)."""

from __future__ import annotations

from django.db import models


class AssessmentKind(models.TextChoices):
    INITIAL = "initial", "当初賦課"
    REASSESSMENT = "reassessment", "更正"


class Reduction(models.TextChoices):
    SEVENTY = "70%", "7割軽減"
    FIFTY = "50%", "5割軽減"
    TWENTY = "20%", "2割軽減"
    FORMER_DEPENDANT = "former_dependant", "被扶養者軽減"
    NONE = "none", "軽減なし"


class ReassessmentReason(models.TextChoices):
    NONE = "", "—"
    INCOME = "income", "所得の更正"
    HOUSEHOLD = "household", "世帯の異動"
    ELIGIBILITY = "eligibility", "資格の異動"
    OTHER = "other", "その他"


class Assessment(models.Model):
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="assessments")
    fiscal_year = models.IntegerField("賦課年度")
    kind = models.CharField("賦課区分", max_length=16, choices=AssessmentKind.choices)
    insured_no = models.CharField("被保険者番号", max_length=8)
    assessed_on = models.DateField("賦課決定日")
    per_capita_levy = models.BigIntegerField("均等割額")
    income_levy = models.BigIntegerField("所得割額")
    reduction = models.CharField("軽減区分", max_length=16, choices=Reduction.choices)
    months = models.IntegerField("賦課月数")
    annual_premium = models.BigIntegerField("保険料額（年額）")
    child_support_levy = models.BigIntegerField("子ども・子育て支援金額", default=0)
    income_base = models.BigIntegerField("賦課のもととなる所得金額")
    reason = models.CharField("更正事由", max_length=16, choices=ReassessmentReason.choices, blank=True)
    import_record = models.ForeignKey(
        "interfaces.ImportRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("記録日時")
    superseded_at = models.DateTimeField("失効日時", null=True, blank=True)

    class Meta:
        verbose_name = "賦課"
        indexes = [models.Index(fields=["person", "fiscal_year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "fiscal_year"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_assessment_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(months__gte=0, months__lte=12), name="assessment_months"
            ),
        ]

    def __str__(self) -> str:
        return f"賦課 {self.fiscal_year}年度 {self.get_kind_display()}"


class InstalmentMethod(models.TextChoices):
    DIRECT = "direct", "普通徴収"
    PENSION = "pension", "特別徴収"


class InstalmentPlan(models.Model):
    """The city's instalment plan (期割) of one assessment; a re-plan after a 更正 supersedes it."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="instalment_plans")
    fiscal_year = models.IntegerField("賦課年度")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="instalment_plans")
    amount_due = models.BigIntegerField("年間徴収額")  # annual premium + child-support levy
    pension_deduction_starts = models.CharField("特別徴収開始月", max_length=7, blank=True)  # YYYY-MM
    direct_reason = models.CharField("普通徴収の理由", max_length=32, blank=True)
    overpayment = models.BigIntegerField("過誤納金", default=0)  # for the collection side
    pension_stopped = models.BooleanField("特別徴収中止", default=False)
    replanned_on = models.DateField("更正基準日", null=True, blank=True)
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("作成日時")
    # The staff member who ran the batch or the re-plan (issue 11 §2); blank on plans made before it was kept.
    created_by = models.CharField("作成者", max_length=150, blank=True, default="")
    superseded_at = models.DateTimeField("失効日時", null=True, blank=True)

    class Meta:
        verbose_name = "期割計画"
        indexes = [models.Index(fields=["person", "fiscal_year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "fiscal_year"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_instalment_plan_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"期割計画 {self.fiscal_year}年度"


class Instalment(models.Model):
    plan = models.ForeignKey(InstalmentPlan, on_delete=models.CASCADE, related_name="instalments")
    method = models.CharField("徴収方法", max_length=8, choices=InstalmentMethod.choices)
    stage = models.CharField("区分", max_length=16)  # direct / provisional / final
    period = models.IntegerField("期別")  # 普通徴収: 1, 2, …; 特別徴収: 1–6 in pension-month order
    month = models.CharField("月", max_length=7)  # YYYY-MM
    due_date = models.DateField("納期限")
    amount = models.BigIntegerField("金額")

    class Meta:
        verbose_name = "期別"
        indexes = [models.Index(fields=["plan", "due_date"])]

    def __str__(self) -> str:
        return f"{self.month} {self.get_method_display()}"
