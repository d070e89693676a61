"""受付票: one row per inquiry or complaint about how the city handles personal information in this work
(SEC-38; the assessment's 問合せ窓口, PIA L3297–3304): who asked, when, how, what, the answer, the follow-up.

The texts are free but never hold a personal number (refused by the service). A 受付票 may name the
person it concerns (宛名) when the inquiry is about a person the city holds; the requester may be someone
else (a relative, an agent) or anonymous.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    COUNTER = "counter", "窓口"
    PHONE = "phone", "電話"
    LETTER = "letter", "文書"
    FAX = "fax", "FAX"
    EMAIL = "email", "電子メール"


class InquiryKind(models.TextChoices):
    INQUIRY = "inquiry", "問合せ"
    COMPLAINT = "complaint", "苦情"
    REQUEST = "request", "要望"


class Relation(models.TextChoices):
    SELF = "self", "本人"
    FAMILY = "family", "家族"
    AGENT = "agent", "代理人"
    OTHER = "other", "その他"
    ANONYMOUS = "anonymous", "匿名"


class InquiryStatus(models.TextChoices):
    OPEN = "open", "受付"
    ANSWERED = "answered", "回答済(対応継続)"
    CLOSED = "closed", "完了"


class PrivacyInquiry(models.Model):
    receipt_no = models.CharField("受付番号", max_length=20, unique=True)
    received_at = models.DateTimeField("受付日時")
    channel = models.CharField("受付方法", max_length=10, choices=Channel.choices)
    kind = models.CharField("種別", max_length=10, choices=InquiryKind.choices)
    requester_name = models.CharField("申出者氏名", max_length=100, blank=True)
    relation = models.CharField("本人との関係", max_length=10, choices=Relation.choices)
    contact = models.CharField("連絡先", max_length=100, blank=True)
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="対象の宛名")
    subject = models.CharField("件名", max_length=100)
    content = models.TextField("内容")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="受付者")
    answer = models.TextField("回答", blank=True)
    answered_at = models.DateTimeField("回答日時", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="回答者")
    follow_up = models.TextField("対応・経過", blank=True)
    status = models.CharField("状態", max_length=10, choices=InquiryStatus.choices,
                              default=InquiryStatus.OPEN)
    closed_at = models.DateTimeField("完了日時", null=True, blank=True)

    class Meta:
        verbose_name = "個人情報に関する問合せ受付票"
        indexes = [models.Index(fields=["received_at"], name="rights_inquiry_received")]

    def __str__(self) -> str:
        return f"受付番号 {self.receipt_no}"


class InquirySerial(models.Model):
    """The last 受付票 serial given in a fiscal year (locked while the next one is taken)."""

    fiscal_year = models.PositiveSmallIntegerField("年度", unique=True)
    last = models.PositiveIntegerField("最終連番", default=0)

    class Meta:
        verbose_name = "受付票の連番"
