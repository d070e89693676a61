"""Tables of the privacy core. Only kouki.privacy reads or writes the number columns."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(RuntimeError):
    """The audit and reference logs are append-only: rows are never updated or deleted."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk changes: a chained log is only ever appended to (kouki.privacy.audit and .references)."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.db_table} rows cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.db_table} rows cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.db_table} rows cannot be updated")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.db_table} rows are appended one by one through their chain")


class AppendOnlyModel(models.Model):
    """A row of a keyed chain: seq without gaps, the MAC of the previous row, its own MAC and key id."""

    seq = models.BigIntegerField("連番", unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    key_id = models.CharField("監査鍵ID", max_length=16, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.db_table} rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self._meta.db_table} rows cannot be deleted")


class PersonalNumber(models.Model):
    """An encrypted personal number of an addressee. At most one current row per person."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    ciphertext = models.BinaryField("暗号文")
    key_id = models.CharField("鍵ID", max_length=32)
    blind_index = models.CharField("検索用ハッシュ", max_length=64, db_index=True)
    # the search-hash key the blind index was made with (kouki.privacy.search_keys; s1 before issue 14 §2)
    index_key_id = models.CharField("検索用ハッシュ鍵ID", max_length=16, default="s1")
    is_current = models.BooleanField(default=True)
    recorded_at = models.DateTimeField("登録日時")
    replaced_at = models.DateTimeField("変更日時", null=True, blank=True)
    source = models.CharField("登録元", max_length=100)

    class Meta:
        verbose_name = "個人番号"
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(is_current=True), name="one_current_number_per_person"
            )
        ]


class IntegratedAddressee(models.Model):
    """団体内統合宛名番号 (番号連携サーバ, SEC-09): one per person, assigned in the transaction that first
    stores the person's confirmed personal number (kouki.privacy.integrated), residents and 住登外者 alike.

    `serial` is the number; its text form (width) is the installation's setting. It leaves only through
    kouki.privacy.integrated_gate (permission, purpose, audit row) and is never written into an audit row.
    """

    person = models.OneToOneField("addressees.Person", on_delete=models.PROTECT, related_name="+")
    serial = models.BigIntegerField("団体内統合宛名番号", unique=True)
    assigned_at = models.DateTimeField("付番日時")
    source = models.CharField("付番の契機", max_length=100)

    class Meta:
        verbose_name = "団体内統合宛名番号"


class PendingStatus(models.TextChoices):
    PENDING = "pending", "確認待ち"
    CONFIRMED = "confirmed", "確認済(反映)"
    REJECTED = "rejected", "却下"


class PendingReason(models.TextChoices):
    DIFFERENT = "different", "既存の番号と異なる"
    BLANK = "blank", "空欄で到着"
    DUPLICATE = "duplicate", "他の宛名で登録済"


class PersonalNumberPending(models.Model):
    """IN-04: a number that differs from the stored one, or a blank one, waiting for a person to decide."""

    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("理由", max_length=16, choices=PendingReason.choices)
    ciphertext = models.BinaryField("暗号文", null=True)
    key_id = models.CharField("鍵ID", max_length=32, blank=True)
    blind_index = models.CharField("検索用ハッシュ", max_length=64, blank=True)
    index_key_id = models.CharField("検索用ハッシュ鍵ID", max_length=16, default="s1", blank=True)
    source = models.CharField("到着元", max_length=100)
    status = models.CharField("状態", max_length=16, choices=PendingStatus.choices, default="pending")
    created_at = models.DateTimeField("到着日時")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("判断日時", null=True, blank=True)
    decision_note = models.CharField("判断理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "個人番号確認リスト"


class ReferenceKind(models.TextChoices):
    REVEAL = "reveal", "表示"
    SEARCH = "search", "番号検索"


class ReferenceLog(AppendOnlyModel):
    """SEC-11: one row per personal-number reference (display or search); the number only as a token.

    `person` is empty for a search that found nobody: the attempt is still a reference and is logged.
    Chained and sealed like the audit log (kouki.privacy.references); rows from before the chain have
    empty hashes and key id.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    username = models.CharField("職員ID", max_length=150)
    at = models.DateTimeField("参照日時")
    terminal_id = models.CharField("端末ID", max_length=64)
    screen = models.CharField("参照画面", max_length=100)
    purpose = models.CharField("参照理由", max_length=200)
    person = models.ForeignKey(
        "addressees.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("参照種別", max_length=16, choices=ReferenceKind.choices, default="reveal")
    number_token = models.CharField("参照番号トークン", max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "個人番号参照記録"
        indexes = [
            models.Index(fields=["at"]),
            models.Index(fields=["user", "at"], name="privacy_ref_user_at"),
            models.Index(fields=["person", "at"], name="privacy_ref_person_at"),
            # the reference log's filter by member of staff (参照記録, the auditor's desk) names the username
            models.Index(fields=["username", "at"], name="privacy_ref_username_at"),
        ]


class AuditEntry(AppendOnlyModel):
    """Append-only record of every write and every personal-number read, sealed by a keyed chain."""

    at = models.DateTimeField("日時")
    actor = models.CharField("実行者", max_length=150)
    terminal_id = models.CharField("端末ID", max_length=64, blank=True)
    action = models.CharField("操作", max_length=64)
    target_type = models.CharField("対象種別", max_length=64, blank=True)
    target_id = models.CharField("対象ID", max_length=64, blank=True)
    detail = models.JSONField("内容", default=dict)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "監査ログ"
        # the history of one record or person (宛名詳細's 処理の履歴) is found by its target
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            # the auditor's desk (kouki.privacy.audit_search): newest first, by staff member, by action
            models.Index(fields=["at"], name="audit_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
        ]


class PersonView(models.Model):
    """One opening of 宛名詳細 by a member of staff (issue 14 §6): counted per user and hour against the
    reading limits (kouki.privacy.reading), and the record of who looked at whom."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("addressees.Person", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("閲覧日時")
    terminal_id = models.CharField("端末ID", max_length=64, blank=True)

    class Meta:
        verbose_name = "宛名閲覧記録"
        indexes = [
            models.Index(fields=["user", "at"], name="privacy_view_user_at"),
            models.Index(fields=["person", "at"], name="privacy_view_person_at"),  # who looked at this person
            models.Index(fields=["at"], name="privacy_view_at"),
        ]


class Alert(models.Model):
    """A warning for the auditors (issue 14 §6, issue 15 §2): raised by a rule of kouki.privacy.alerts,
    listed on the 監査警告 screen and by `kouki alerts list`, acknowledged with a note.

    `kind` names the rule (kouki.privacy.alerts.ALERT_RULES); `details` never holds a personal number
    (checked when raised). One alert covers one run of the same rule for the same user: further events
    while it is open raise its count and move `window_end` instead of raising another.
    """

    kind = models.CharField("種別", max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    username = models.CharField("職員ID", max_length=150, blank=True)
    window_start = models.DateTimeField("対象期間(開始)")
    window_end = models.DateTimeField("対象期間(終了)")
    count = models.PositiveIntegerField("件数")
    details = models.JSONField("内容", default=dict)
    raised_at = models.DateTimeField("発生日時")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField("確認日時", null=True, blank=True)
    acknowledgement_note = models.CharField("確認メモ", max_length=400, blank=True)

    class Meta:
        verbose_name = "監査警告"
        indexes = [
            models.Index(fields=["kind", "user", "window_end"], name="privacy_alert_open"),
            models.Index(fields=["raised_at"], name="privacy_alert_raised"),
        ]


class KnownTerminal(models.Model):
    """A terminal a member of staff has signed in from (issue 15 §2): a sign-in from a terminal not here
    raises the `new_terminal` alert (kouki.privacy.anomalies.login); the first sign-in of an account that
    has none yet only records it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    terminal_id = models.CharField("端末ID", max_length=64)
    first_seen_at = models.DateTimeField("初回利用日時")
    last_seen_at = models.DateTimeField("最終利用日時")

    class Meta:
        verbose_name = "利用端末"
        constraints = [models.UniqueConstraint(fields=["user", "terminal_id"], name="known_terminal_once")]


class BatchRunner(models.Model):
    """Who has run which `kouki` batch command (issue 15 §2): the first run of a batch by a user raises the
    `batch_unusual_user` alert when others ran it before (kouki.privacy.anomalies.batch)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    command = models.CharField("コマンド", max_length=100)
    first_run_at = models.DateTimeField("初回実行日時")
    last_run_at = models.DateTimeField("最終実行日時")

    class Meta:
        verbose_name = "一括処理の実行者"
        constraints = [models.UniqueConstraint(fields=["user", "command"], name="batch_runner_once")]
