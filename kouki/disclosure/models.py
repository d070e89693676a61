"""A request of the person (or an agent) about what the city holds in this work: 開示, 訂正 or 利用停止
(APPI §76, §90, §98; issue 15 §3), from 受付 to the decision and its carrying out.

States: received → prepared (a clerk's 決定案) → decided (a supervisor's approval; four-eyes: never the
one who prepared it) → done (開示: the package made; 訂正/利用停止: carried out through the normal
services, the reference recorded). A refusing decision (不開示, 訂正しない, 利用停止しない) is done when
approved. The package PDF is kept as it was handed over.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models


class RequestKind(models.TextChoices):
    DISCLOSURE = "disclosure", "開示請求"
    CORRECTION = "correction", "訂正請求"
    SUSPENSION = "suspension", "利用停止請求"


class Requester(models.TextChoices):
    SELF = "self", "本人"
    LEGAL_AGENT = "legal_agent", "法定代理人"
    DELEGATE = "delegate", "任意代理人"


class RequestState(models.TextChoices):
    RECEIVED = "received", "受付"
    PREPARED = "prepared", "決定案作成済(承認待ち)"
    DECIDED = "decided", "決定済(実施待ち)"
    DONE = "done", "完了"


class Decision(models.TextChoices):
    DISCLOSE = "disclose", "開示"
    PARTIAL = "partial", "一部開示"
    NONDISCLOSE = "nondisclose", "不開示"
    CORRECT = "correct", "訂正する"
    NOT_CORRECT = "not_correct", "訂正しない"
    SUSPEND = "suspend", "利用停止する"
    NOT_SUSPEND = "not_suspend", "利用停止しない"


class Channel(models.TextChoices):
    COUNTER = "counter", "窓口"
    POST = "post", "郵送"


class DisclosureRequest(models.Model):
    request_no = models.CharField("受付番号", max_length=24, unique=True)
    kind = models.CharField("請求の種類", max_length=12, choices=RequestKind.choices)
    person = models.ForeignKey(
        "addressees.Person", on_delete=models.PROTECT, related_name="+", verbose_name="本人(宛名)"
    )
    requester = models.CharField("請求者", max_length=12, choices=Requester.choices)
    requester_name = models.CharField("代理人氏名", max_length=100, blank=True)
    agent_document_on = models.DateField("代理権を証する書類の日付", null=True, blank=True)
    identity_documents = models.JSONField("本人確認書類", default=list)  # IdentityDocument values
    channel = models.CharField("受付方法", max_length=10, choices=Channel.choices)
    received_on = models.DateField("受付日")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="受付者"
    )
    content = models.TextField("請求の内容")
    method = models.CharField("開示の実施方法", max_length=8, blank=True)  # DisclosureMethod (開示請求)
    disclosure = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name="対象の開示",
    )
    due_on = models.DateField("決定期限")
    extended_due_on = models.DateField("延長後の決定期限", null=True, blank=True)
    extension_reason = models.TextField("延長の理由", blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="延長した職員",
    )
    state = models.CharField(
        "状態", max_length=10, choices=RequestState.choices, default=RequestState.RECEIVED
    )
    decision = models.CharField("決定", max_length=12, choices=Decision.choices, blank=True)
    decision_reason = models.TextField("決定の理由", blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="決定案の作成者",
    )
    prepared_at = models.DateTimeField("決定案の作成日時", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承認者",
    )
    approved_at = models.DateTimeField("承認日時", null=True, blank=True)
    disclosed_on = models.DateField("開示の実施日", null=True, blank=True)
    package_pdf = models.BinaryField("開示文書(写し)", null=True, blank=True)
    package_pages = models.PositiveIntegerField("開示文書の枚数", null=True, blank=True)
    package_fee = models.PositiveIntegerField("費用(円)", null=True, blank=True)
    carried_out_on = models.DateField("実施日", null=True, blank=True)
    carried_out_reference = models.CharField("実施の記録(異動番号・届出番号等)", max_length=200, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="実施者",
    )

    class Meta:
        verbose_name = "開示・訂正・利用停止請求"
        indexes = [
            models.Index(fields=["state", "due_on"], name="disclosure_state_due"),
            models.Index(fields=["received_on"], name="disclosure_received"),
        ]

    def __str__(self) -> str:
        return f"受付番号 {self.request_no}"

    @property
    def effective_due_on(self) -> date:
        return self.extended_due_on or self.due_on


class RequestSerial(models.Model):
    """The last 受付番号 serial given in a fiscal year (locked while the next one is taken)."""

    fiscal_year = models.PositiveSmallIntegerField("年度", unique=True)
    last = models.PositiveIntegerField("最終連番", default=0)

    class Meta:
        verbose_name = "開示等請求の連番"
