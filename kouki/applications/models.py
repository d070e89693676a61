"""Applications taken at the counter (申請), their steps, and the 受付番号 counter.

One model for every kind (kouki.rules.applications.SPECS says what each kind needs): the kind-specific
details are a JSON object validated by the kind's pure schema (`clean_details`), the documents presented
are the codes of the kind's checklist. A 葬祭費 is taken once per death: a second one for the same person
is refused unless the first was withdrawn (a partial unique constraint keeps this on both databases).

A personal number is never stored here: for a kind whose 事務 may handle it (BF-01), a number written on
the form is kept only as the privacy gate's reference token, re-keyed at 再鑑 and registered through
kouki.privacy, as for 届出.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from kouki.rules.applications import APPLICANT_LABELS, SPECS, ApplicationKind

KIND_CHOICES = [(k.value, SPECS[k].label) for k in ApplicationKind]
APPLICANT_CHOICES = [(a.value, label) for a, label in APPLICANT_LABELS.items()]


class Status(models.TextChoices):
    RECEIVED = "received", "受付(再鑑待ち)"
    RETURNED = "returned", "差戻し(修正待ち)"
    CONFIRMED = "confirmed", "再鑑済"
    SENT = "sent", "広域連合へ送付済"
    DECIDED = "decided", "決定済(通知未交付)"
    HANDED_OVER = "handed_over", "通知書交付済"
    MAILED = "mailed", "通知書郵送済"
    UNDELIVERED = "undelivered", "通知書返戻"
    WITHDRAWN = "withdrawn", "取下げ"


class StepAction(models.TextChoices):
    RECEIVED = "received", "受付"
    RETURNED = "returned", "差戻し"
    CORRECTED = "corrected", "修正"
    CONFIRMED = "confirmed", "再鑑・確認"
    WITHDRAWN = "withdrawn", "取下げ"
    TRANSFERRED = "transferred", "庁内送付"
    SENT = "sent", "広域連合へ送付"
    DECIDED = "decided", "広域連合の決定"
    NOTICE_PRINTED = "notice_print", "決定通知書の印刷"
    HANDED_OVER = "handed_over", "通知書の窓口交付"
    MAILED = "mailed", "通知書の郵送"
    UNDELIVERED = "undelivered", "通知書の返戻"
    RELIEF_APPLIED = "relief", "保険料への反映"


class Application(models.Model):
    application_no = models.CharField("受付番号", max_length=20, unique=True)
    fiscal_year = models.PositiveSmallIntegerField("受付年度")
    serial = models.PositiveIntegerField("年度内の連番")
    kind = models.CharField("申請の種類", max_length=24, choices=KIND_CHOICES)
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="applications")
    received_on = models.DateField("受付日")
    applicant = models.CharField("申請者", max_length=8, choices=APPLICANT_CHOICES)
    agent_kind = models.CharField("代理人の区分", max_length=16, blank=True)
    agent_name = models.CharField("代理人氏名", max_length=80, blank=True)
    agent_relationship = models.CharField("本人との関係", max_length=40, blank=True)
    agent_documents = models.JSONField("代理人の本人確認書類", default=list)
    authority_documents = models.JSONField("代理権の確認書類", default=list)
    identity_documents = models.JSONField("本人確認書類", default=list)
    notification_card_matches = models.BooleanField("通知カード記載事項が住民票と一致", default=False)
    resident_network_checked = models.BooleanField("住基ネット照会で確認", default=False)
    identity_summary = models.CharField("本人確認の方法", max_length=200)
    number_token = models.CharField("個人番号(照合用トークン)", max_length=40, blank=True)
    number_result = models.CharField("個人番号登録結果", max_length=10, blank=True)
    details = models.JSONField("申請の内容", default=dict)
    documents = models.JSONField("提出された書類(コード)", default=list)
    missing_documents = models.JSONField("不足書類", default=list)
    time_limit_last_day = models.DateField("申請期限(時効の最終日)", null=True, blank=True)
    warnings = models.JSONField("確認のうえ受け付けた警告", default=list)
    instalments = models.JSONField("申請の対象とする期別", default=list)
    note = models.CharField("備考", max_length=200, blank=True)
    status = models.CharField("状態", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField("受付日時")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField("再鑑日時", null=True, blank=True)
    withdrawn_at = models.DateTimeField("取下げ日時", null=True, blank=True)
    withdrawal_reason = models.CharField("取下げの理由", max_length=200, blank=True)
    transferred_to = models.CharField("送付先(庁内)", max_length=40, blank=True)
    transferred_on = models.DateField("送付日(庁内)", null=True, blank=True)
    sent_file = models.CharField("送付したファイル(申請情報)", max_length=255, blank=True)
    sent_on = models.DateField("広域連合への送付日", null=True, blank=True)
    medical_file = models.CharField("送付したファイル(療養費関連情報)", max_length=255, blank=True)
    decision_result = models.CharField("決定区分", max_length=1, blank=True)
    decision_amount = models.BigIntegerField("決定額", null=True, blank=True)
    decided_on = models.DateField("決定日", null=True, blank=True)
    decision_corrections = models.PositiveSmallIntegerField("反映した更正の回数", default=0)
    notice_on = models.DateField("通知書の交付・郵送日", null=True, blank=True)
    notice_by = models.CharField("通知書の交付・郵送者", max_length=150, blank=True)
    undelivered_on = models.DateField("返戻日", null=True, blank=True)
    bank_account = models.ForeignKey(
        "banking.BankAccount",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登録した振込口座",
    )

    class Meta:
        verbose_name = "申請"
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "serial"], name="application_serial_once"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind=ApplicationKind.FUNERAL.value) & ~Q(status="withdrawn"),
                name="funeral_once_per_death",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "received_on"]),
            models.Index(fields=["person", "received_on"]),
        ]

    def __str__(self) -> str:
        return f"申請 {self.application_no}"

    @property
    def has_number(self) -> bool:
        return bool(self.number_token)


class ApplicationStep(models.Model):
    """One step of an application: who did what, when, and on what basis (USE-03). Never edited."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField("操作", max_length=12, choices=StepAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField("操作者", max_length=150)
    at = models.DateTimeField("日時")
    note = models.CharField("根拠・理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "申請の処理履歴"
        ordering = ["at", "pk"]


class SerialCounter(models.Model):
    """The last 受付番号 serial given in a fiscal year (locked while the next one is taken)."""

    fiscal_year = models.PositiveSmallIntegerField("年度", unique=True)
    last = models.PositiveIntegerField("最終連番", default=0)

    class Meta:
        verbose_name = "受付番号の連番"
