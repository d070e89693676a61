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


class CertificateRequestStatus(models.TextChoices):
    PENDING = "pending", "未発行"
    ISSUED = "issued", "発行済"


class CertificateRequest(models.Model):
    """One 資格確認書発行用情報 record received from the union: what to print for one person.

    Read by kouki.certificates through `selectors.certificate_requests_pending()`; marked issued by
    `services.certificate_request_mark_issued`. Fields are the received values, unchanged.
    """

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("種別", max_length=1)  # CertificateKind: 1 資格確認書, 2 資格情報のお知らせ
    reason = models.CharField("交付事由", max_length=1)  # CertificateReason
    insured_no = models.CharField("被保険者番号", max_length=8)
    insurer_no = models.CharField("保険者番号", max_length=8)
    family_name = models.CharField("氏", max_length=40)
    given_name = models.CharField("名", max_length=40)
    family_name_kana = models.CharField("氏カナ", max_length=80)
    given_name_kana = models.CharField("名カナ", max_length=80)
    sex = models.CharField("性別", max_length=1)
    birth_date = models.DateField("生年月日")
    postal_code = models.CharField("郵便番号", max_length=7)
    address = models.CharField("住所", max_length=200)
    acquired_on = models.DateField("資格取得日")
    copay_rate = models.IntegerField("負担割合(%)")
    valid_from = models.DateField("有効開始日")
    valid_until = models.DateField("有効期限")
    limit_category = models.CharField("適用区分", max_length=20, blank=True)
    issued_on = models.DateField("交付年月日")
    status = models.CharField("状態", max_length=16, choices=CertificateRequestStatus.choices,
                              default=CertificateRequestStatus.PENDING)
    received_at = models.DateTimeField("受信日時")
    issue_id = models.BigIntegerField("発行記録ID", null=True, blank=True)
    issued_at = models.DateTimeField("発行日時", null=True, blank=True)
    import_record = models.ForeignKey("interfaces.ImportRecord", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")

    class Meta:
        verbose_name = "資格確認書発行依頼"
        indexes = [models.Index(fields=["status", "id"])]


class AddressException(models.Model):
    """住所地特例者情報: one exception period of one insured person, snapshot per (person, exception_from)."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    insured_no = models.CharField("被保険者番号", max_length=8)
    facility_name = models.CharField("施設名", max_length=100)
    facility_address = models.CharField("施設所在地", max_length=200)
    exception_from = models.DateField("住所地特例開始日")
    exception_until = models.DateField("住所地特例終了日", null=True, blank=True)
    recorded_at = models.DateTimeField("記録日時")
    superseded_at = models.DateTimeField("更新日時", null=True, blank=True)
    import_record = models.ForeignKey("interfaces.ImportRecord", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")

    class Meta:
        verbose_name = "住所地特例"
        indexes = [models.Index(fields=["person", "exception_from"])]


class OutboundFile(models.Model):
    """A city→union file written by the batch: which file, how many records, its SHA-256."""

    kind = models.CharField("ファイル種別", max_length=40)
    run_date = models.DateField("処理日")
    file_name = models.CharField("ファイル名", max_length=255)
    record_count = models.IntegerField("件数")
    sha256 = models.CharField(max_length=64)
    through_change_id = models.BigIntegerField("反映済異動ID", null=True, blank=True)
    created_at = models.DateTimeField("作成日時")
    created_by = models.CharField("実行者", max_length=150)

    class Meta:
        verbose_name = "送信ファイル"
        constraints = [models.UniqueConstraint(fields=["kind", "run_date"], name="one_outbound_per_kind_day")]
