"""Issue and hand-over records of 資格確認書 and 資格情報のお知らせ.

An issue keeps a snapshot of exactly what was printed (`printed`, no personal number in it) and the
file it went into (name, sha256, page), so a document can be reproduced and proved later. Batch issues
belong to a CertificateBatch; counter issues have none. Statuses move issued → handed_over, or
issued → returned_undeliverable → handed_over (picked up at the counter, or mailed again: 再送付);
any of them → reissued when a later issue for the same person and kind replaces it.
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    CERTIFICATE = "1", "資格確認書"
    NOTICE = "2", "資格情報のお知らせ"


class Reason(models.TextChoices):
    NEW = "1", "新規資格取得"
    RENEWAL = "2", "一斉更新"
    CHANGE = "3", "記載事項変更"
    APPLICATION = "4", "申請による交付"
    REISSUE = "5", "再交付(紛失・破損)"


class IssueStatus(models.TextChoices):
    ISSUED = "issued", "発行済"
    HANDED_OVER = "handed_over", "引渡済"
    RETURNED_UNDELIVERABLE = "returned_undeliverable", "返戻(あて所不明)"
    REISSUED = "reissued", "再交付により無効"


class HandoverMethod(models.TextChoices):
    MAIL = "mail", "郵送"
    COUNTER = "counter", "窓口"


class Recipient(models.TextChoices):
    SELF = "self", "本人"
    AGENT = "agent", "代理人"


class ReturnReason(models.TextChoices):
    """Why the post brought a document back (the 返戻 stamp or label of the post office)."""

    ADDRESS_UNKNOWN = "address_unknown", "あて所に尋ねあたりません"
    MOVED = "moved", "転居先不明"
    UNCLAIMED = "unclaimed", "保管期間経過(不在)"
    REFUSED = "refused", "受取拒否"
    OTHER = "other", "その他"


class CertificateBatch(models.Model):
    """One batch run: every pending request at that moment, rendered into files in one folder."""

    issued_on = models.DateField("交付年月日")
    out_dir = models.CharField("出力先", max_length=500)
    files = models.JSONField("ファイル", default=list)  # [{name, kind, sha256, pages}]
    issue_count = models.IntegerField("件数")
    created_at = models.DateTimeField("作成日時")
    created_by = models.CharField("実行者", max_length=150)

    class Meta:
        verbose_name = "資格確認書一括発行"


class CertificateIssue(models.Model):
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("種別", max_length=1, choices=Kind.choices)
    reason = models.CharField("交付事由", max_length=1, choices=Reason.choices)
    insured_no = models.CharField("被保険者番号", max_length=8)
    valid_from = models.DateField("発効期日")
    valid_until = models.DateField("有効期限")
    issued_on = models.DateField("交付年月日")
    batch = models.ForeignKey(CertificateBatch, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="issues")
    request_id = models.BigIntegerField("発行依頼ID", null=True, blank=True)  # eligibility.CertificateRequest
    file_name = models.CharField("ファイル名", max_length=255)
    page_no = models.IntegerField("ページ", default=1)
    sha256 = models.CharField("ファイルSHA-256", max_length=64)
    printed = models.JSONField("印字内容")  # CertificateData snapshot
    status = models.CharField("状態", max_length=32, choices=IssueStatus.choices, default=IssueStatus.ISSUED)
    replaced_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaces")
    issued_by = models.CharField("発行者", max_length=150)
    created_at = models.DateTimeField("作成日時")

    class Meta:
        verbose_name = "資格確認書発行"
        indexes = [models.Index(fields=["person", "kind", "issued_on"])]


class CertificateHandover(models.Model):
    issue = models.ForeignKey(CertificateIssue, on_delete=models.PROTECT, related_name="handovers")
    method = models.CharField("引渡方法", max_length=16, choices=HandoverMethod.choices)
    handed_on = models.DateField("引渡日")
    recipient = models.CharField("受取人", max_length=16, choices=Recipient.choices)
    agent_name = models.CharField("代理人氏名", max_length=80, blank=True)
    identity_checked = models.BooleanField("本人確認", default=False)
    identity_document = models.CharField("確認書類", max_length=80, blank=True)
    note = models.CharField("備考", max_length=200, blank=True)
    recorded_by = models.CharField("記録者", max_length=150)
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "資格確認書引渡し"


class UndeliverableReturn(models.Model):
    """A mailed document came back (あて所に尋ねあたりません …)."""

    issue = models.ForeignKey(CertificateIssue, on_delete=models.PROTECT, related_name="returns")
    returned_on = models.DateField("返戻日")
    reason = models.CharField("返戻理由", max_length=16, choices=ReturnReason.choices, blank=True)
    note = models.CharField("備考", max_length=200, blank=True)
    recorded_by = models.CharField("記録者", max_length=150)
    recorded_at = models.DateTimeField("記録日時")

    class Meta:
        verbose_name = "返戻"
