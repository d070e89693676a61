"""Counter notifications (届出), their four-eyes steps (再鑑), and the USE-01 matching worklist.

A notification is entered by one member of staff and takes effect only when a different one confirms it
(IN-11). Every step is kept as a NotificationStep row: who, when, on what basis (USE-03). Personal numbers
are never stored here: an entered number is kept only as the privacy gate's reference token, so the
confirmer's re-keyed number can be compared with it, and is registered through kouki.privacy on
confirmation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kouki.core.versioning import version_field
from kouki.interfaces.union.records import NotificationKind


class Category(models.TextChoices):
    ACQUISITION = "acquisition", "資格取得"
    LOSS = "loss", "資格喪失"
    ADDRESS_EXCEPTION = "address_exception", "住所地特例"
    CHANGE = "change", "記載事項変更・申請"


class NotificationType(models.TextChoices):
    DISABILITY_CERTIFICATION = "disability_certification", "障害認定申請(65歳以上75歳未満)"
    PUBLIC_ASSISTANCE_END = "public_assistance_end", "生活保護廃止による資格取得"
    MOVE_IN = "move_in", "転入による資格取得(負担区分等証明書の提出)"
    PUBLIC_ASSISTANCE_START = "public_assistance_start", "生活保護開始による資格喪失"
    DISABILITY_WITHDRAWAL = "disability_withdrawal", "障害認定の撤回による資格喪失"
    ADDRESS_EXCEPTION_START = "address_exception_start", "住所地特例届(区域外の施設への入所)"
    ADDRESS_EXCEPTION_END = "address_exception_end", "住所地特例終了届(施設退所等)"
    ADDRESS_EXCEPTION_IN_START = (
        "address_exception_in_start",
        "他広域連合の住所地特例者の転入(区域内の施設へ入所)",
    )
    ADDRESS_EXCEPTION_IN_END = (
        "address_exception_in_end",
        "他広域連合の住所地特例の終了(区域内の施設を退所等)",
    )
    CERTIFICATE_APPLICATION = "certificate_application", "資格確認書の交付申請(84歳以下・要配慮者)"
    LIMIT_CATEGORY_ENTRY = "limit_category_entry", "適用区分の併記申請"
    ENTRY_CHANGE = "entry_change", "記載事項変更届(住登外者の氏名・住所等)"


CATEGORY_OF: dict[str, Category] = {
    NotificationType.DISABILITY_CERTIFICATION: Category.ACQUISITION,
    NotificationType.PUBLIC_ASSISTANCE_END: Category.ACQUISITION,
    NotificationType.MOVE_IN: Category.ACQUISITION,
    NotificationType.PUBLIC_ASSISTANCE_START: Category.LOSS,
    NotificationType.DISABILITY_WITHDRAWAL: Category.LOSS,
    NotificationType.ADDRESS_EXCEPTION_START: Category.ADDRESS_EXCEPTION,
    NotificationType.ADDRESS_EXCEPTION_END: Category.ADDRESS_EXCEPTION,
    NotificationType.ADDRESS_EXCEPTION_IN_START: Category.ADDRESS_EXCEPTION,
    NotificationType.ADDRESS_EXCEPTION_IN_END: Category.ADDRESS_EXCEPTION,
    NotificationType.CERTIFICATE_APPLICATION: Category.CHANGE,
    NotificationType.LIMIT_CATEGORY_ENTRY: Category.CHANGE,
    NotificationType.ENTRY_CHANGE: Category.CHANGE,
}

# What goes to the union in 届出情報. None: the union learns it from another file (a move-in arrives in
# 住民基本台帳情報; the certificate of the former union is kept at the city).
UNION_KIND_OF: dict[str, NotificationKind | None] = {
    NotificationType.DISABILITY_CERTIFICATION: NotificationKind.DISABILITY_CERTIFICATION,
    NotificationType.PUBLIC_ASSISTANCE_END: NotificationKind.PUBLIC_ASSISTANCE_END,
    NotificationType.MOVE_IN: None,
    NotificationType.PUBLIC_ASSISTANCE_START: NotificationKind.PUBLIC_ASSISTANCE_START,
    NotificationType.DISABILITY_WITHDRAWAL: NotificationKind.DISABILITY_WITHDRAWAL,
    NotificationType.ADDRESS_EXCEPTION_START: NotificationKind.ADDRESS_EXCEPTION_START,
    NotificationType.ADDRESS_EXCEPTION_END: NotificationKind.ADDRESS_EXCEPTION_END,
    NotificationType.ADDRESS_EXCEPTION_IN_START: NotificationKind.ADDRESS_EXCEPTION_IN_START,
    NotificationType.ADDRESS_EXCEPTION_IN_END: NotificationKind.ADDRESS_EXCEPTION_IN_END,
    NotificationType.CERTIFICATE_APPLICATION: NotificationKind.CERTIFICATE_APPLICATION,
    NotificationType.LIMIT_CATEGORY_ENTRY: NotificationKind.OTHER_CHANGE,
    NotificationType.ENTRY_CHANGE: NotificationKind.OTHER_CHANGE,
}
FACILITY_TYPES = frozenset(
    {
        NotificationType.ADDRESS_EXCEPTION_START,
        NotificationType.ADDRESS_EXCEPTION_END,
        NotificationType.ADDRESS_EXCEPTION_IN_START,
        NotificationType.ADDRESS_EXCEPTION_IN_END,
    }
)
# Room for each text in 届出情報 (CP932 bytes, docs/interfaces/union-notification-info.md).
FILE_BYTES = {"facility_name": 80, "facility_address": 160, "note": 100}


class Applicant(models.TextChoices):
    SELF = "self", "本人"
    AGENT = "agent", "代理人"


class Status(models.TextChoices):
    ENTERED = "entered", "入力済(再鑑待ち)"
    RETURNED = "returned", "差戻し(修正待ち)"
    CONFIRMED = "confirmed", "確認済(有効)"


class StepAction(models.TextChoices):
    ENTERED = "entered", "入力"
    REENTERED = "reentered", "修正入力"
    RETURNED = "returned", "差戻し"
    CONFIRMED = "confirmed", "再鑑・確認"
    SENT = "sent", "広域連合へ送付"


class Notification(models.Model):
    notification_no = models.CharField("届出番号", max_length=10, unique=True, null=True, blank=True)
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="notifications")
    notification_type = models.CharField("届出の種類", max_length=32, choices=NotificationType.choices)
    effective_date = models.DateField("異動日(効力発生日)")
    received_on = models.DateField("受付日")
    stated_kana = models.CharField("届出書記載の氏名カナ", max_length=160)
    stated_birth_date = models.DateField("届出書記載の生年月日")
    applicant = models.CharField("届出人", max_length=8, choices=Applicant.choices)
    agent_kind = models.CharField("代理人の区分", max_length=16, blank=True)
    agent_name = models.CharField("代理人氏名", max_length=80, blank=True)
    agent_relationship = models.CharField("本人との関係", max_length=40, blank=True)
    agent_documents = models.JSONField("代理人の本人確認書類", default=list)
    authority_documents = models.JSONField("代理権の確認書類", default=list)
    identity_documents = models.JSONField("本人確認書類", default=list)
    notification_card_matches = models.BooleanField("通知カード記載事項が住民票と一致", default=False)
    resident_network_checked = models.BooleanField("住基ネット照会で確認", default=False)
    # IN-09: the lookup that verified it (kouki.jukinet). Rows from before the lookup existed keep only the
    # flag above (checked on the CS terminal, not recorded here); new rows set both together.
    resident_network_lookup = models.ForeignKey(
        "jukinet.Lookup", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="住基ネット照会記録",
    )
    identity_summary = models.CharField("本人確認の方法", max_length=200)
    number_token = models.CharField("個人番号(照合用トークン)", max_length=40, blank=True)
    number_result = models.CharField("個人番号登録結果", max_length=10, blank=True)
    facility_name = models.CharField("施設名", max_length=100, blank=True)
    facility_address = models.CharField("施設所在地", max_length=200, blank=True)
    note = models.CharField("備考", max_length=200, blank=True)
    status = models.CharField("状態", max_length=12, choices=Status.choices, default=Status.ENTERED)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("入力日時")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField("確認日時", null=True, blank=True)
    register_checked_on = models.DateField("住基突合日", null=True, blank=True)
    entry_mismatch = models.CharField(
        "入力時の住民記録との相違(氏名カナ・生年月日)", max_length=300, blank=True
    )
    sent_at = models.DateTimeField("送付日時", null=True, blank=True)
    sent_file_name = models.CharField("送付ファイル名", max_length=100, blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    version = version_field()  # optimistic locking of the edit and decision forms (kouki.core.versioning)

    class Meta:
        verbose_name = "届出"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(resident_network_lookup__isnull=True)
                           | models.Q(resident_network_checked=True)),
                name="lookup_means_checked",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "effective_date"]),
            models.Index(fields=["person", "received_on"]),
        ]

    def __str__(self) -> str:
        return f"届出 {self.notification_no}"

    @property
    def category(self) -> Category:
        return CATEGORY_OF[self.notification_type]

    @property
    def union_kind(self) -> NotificationKind | None:
        return UNION_KIND_OF[self.notification_type]

    @property
    def has_number(self) -> bool:
        return bool(self.number_token)


class NotificationStep(models.Model):
    """One step of a notification: who did what, when, and on what basis (USE-03). Never edited."""

    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField("操作", max_length=12, choices=StepAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField("操作者", max_length=150)
    at = models.DateTimeField("日時")
    note = models.CharField("根拠・理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "届出の処理履歴"
        ordering = ["at", "pk"]


class MismatchKind(models.TextChoices):
    NO_REGISTER_RECORD = "no_register_record", "効力発生日に宛名の記録がない"
    DECEASED = "deceased", "死亡者についての届出"
    NOT_RESIDENT = "not_resident", "転入による取得だが住民登録がない"
    NAME_OR_BIRTH = "name_or_birth", "氏名カナ・生年月日が住民記録と不一致"
    AGE = "age", "障害認定の年齢要件(65歳以上75歳未満)に該当しない"
    NONRESIDENT_NOW_RESIDENT = "nonresident_now_resident", "住登外者と同一と思われる住民が登録された"
    REGISTER_CHANGE = "register_change", "届出後に住基異動(死亡・転出)"


# USE-01: 1 = 住基情報 × 申請・届出, 3 = 住基異動データ × 住登外者の申請・届出.
CHECK_OF: dict[str, int] = {
    MismatchKind.NO_REGISTER_RECORD: 1,
    MismatchKind.DECEASED: 1,
    MismatchKind.NOT_RESIDENT: 1,
    MismatchKind.NAME_OR_BIRTH: 1,
    MismatchKind.AGE: 1,
    MismatchKind.NONRESIDENT_NOW_RESIDENT: 3,
    MismatchKind.REGISTER_CHANGE: 3,
}


class MismatchStatus(models.TextChoices):
    OPEN = "open", "未処理"
    RESOLVED = "resolved", "処理済"


class MatchingMismatch(models.Model):
    """One mismatch found by the USE-01 matching checks; listed once, resolved with a note."""

    kind = models.CharField("不一致の種類", max_length=32, choices=MismatchKind.choices)
    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="mismatches")
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    subject_key = models.CharField("対象キー", max_length=40, blank=True)
    detail = models.CharField("内容", max_length=300)
    status = models.CharField(
        "状態", max_length=10, choices=MismatchStatus.choices, default=MismatchStatus.OPEN
    )
    found_on = models.DateField("検出基準日")
    found_at = models.DateTimeField("検出日時")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField("処理日時", null=True, blank=True)
    resolution_note = models.CharField("処理内容", max_length=200, blank=True)

    class Meta:
        verbose_name = "突合不一致"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "notification", "subject_key"], name="mismatch_listed_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "found_at"])]

    @property
    def check_no(self) -> int:
        return CHECK_OF[self.kind]
