"""The staff account: one named member of staff, one role, a TOTP secret, lockout state."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from kouki.accounts.permissions import ROLE_LABELS, Perm, role_has
from kouki.core.versioning import version_field


class StaffUser(AbstractUser):
    staff_name = models.CharField("職員氏名", max_length=80)
    # SEC-02: the person behind the account. Unique when given, across active and disabled accounts.
    staff_no = models.CharField("職員番号", max_length=20, blank=True)
    office = models.CharField("所属", max_length=80, blank=True)
    role = models.CharField(
        "役割", max_length=32, choices=[(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    totp_secret = models.CharField("TOTP秘密鍵(鍵で封緘)", max_length=255, blank=True)  # accounts.secret_box
    totp_confirmed = models.BooleanField("二要素登録済", default=False)
    last_totp_step = models.BigIntegerField("最終TOTPステップ", default=0)
    failed_attempts = models.IntegerField("連続失敗回数", default=0)
    locked_until = models.DateTimeField("ロック解除日時", null=True, blank=True)
    disabled_at = models.DateTimeField("利用停止日時", null=True, blank=True)
    # change on first sign-in: set when someone other than the owner chose the password (issue 14 §3)
    must_change_password = models.BooleanField("パスワード変更要", default=False)
    password_changed_at = models.DateTimeField("パスワード変更日時", null=True, blank=True)
    # WebAuthn user handle (issue 14 §5): random, the same for all of the account's credentials, never the ID
    webauthn_handle = models.CharField("WebAuthnユーザーハンドル", max_length=64, blank=True)
    # optimistic locking of the administrator's account form (kouki.core.versioning): moved by the
    # administrator's actions (unlock, stop, re-enable, new enrolment code), not by the owner's sign-ins
    version = version_field()

    class Meta:
        verbose_name = "職員"
        constraints = [
            models.UniqueConstraint(
                fields=["staff_no"], condition=~models.Q(staff_no=""), name="one_account_per_staff_no"
            ),
            models.CheckConstraint(condition=~models.Q(staff_name=""), name="staff_name_required"),
        ]

    def has_kouki_perm(self, perm: Perm) -> bool:
        return bool(self.is_active) and role_has(self.role, perm)


class LoginFailure(models.Model):
    """One failed sign-in step from a client address, for the per-address throttle (issue 14 §3,
    kouki.accounts.throttle). Rows older than the window are pruned as new ones arrive."""

    address = models.CharField("接続元", max_length=64)
    failed_at = models.DateTimeField("失敗日時")

    class Meta:
        indexes = [models.Index(fields=["address", "failed_at"])]


class PasswordHistory(models.Model):
    """A password an account used before (its hash only), for the no-reuse rule (KOUKI_PASSWORD_HISTORY,
    kouki.accounts.passwords). Only the newest KOUKI_PASSWORD_HISTORY are kept."""

    user = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("パスワード(ハッシュ)", max_length=128)
    replaced_at = models.DateTimeField("変更日時")

    class Meta:
        indexes = [models.Index(fields=["user", "replaced_at"])]


class AccountFailure(models.Model):
    """One failed sign-in step of an account from a client address (kouki.accounts.lockout): the lock is
    per account and address, so failures from one terminal do not lock the owner out at another."""

    user = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="+")
    address = models.CharField("接続元", max_length=64)
    failed_at = models.DateTimeField("失敗日時")

    class Meta:
        indexes = [models.Index(fields=["user", "address", "failed_at"])]


class RequestKind(models.TextChoices):
    NEW_ACCOUNT = "new_account", "アカウントの新規発行"
    ROLE_CHANGE = "role_change", "役割の変更"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "承認待ち"
    APPROVED = "approved", "承認済"
    REJECTED = "rejected", "却下"


class AccountRequest(models.Model):
    """A section head's request for a new account or a role change (SEC-05, SEC-08), decided by the system
    administrator with the 決裁 reference. Also the record on file that the inventory compares roles with:
    an account registered directly (`kouki staff create`, the demo) gets an approved row too."""

    kind = models.CharField("種別", max_length=16, choices=RequestKind.choices)
    status = models.CharField(
        "状態", max_length=16, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    # the account: for a role change from the start, for a new account once approved
    account = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="account_requests"
    )
    username = models.CharField("職員ID", max_length=150)
    staff_name = models.CharField("職員氏名", max_length=80)
    staff_no = models.CharField("職員番号", max_length=20, blank=True)
    office = models.CharField("所属", max_length=80, blank=True)
    role = models.CharField("役割", max_length=32)
    previous_role = models.CharField("変更前の役割", max_length=32, blank=True)
    reason = models.CharField("申請理由", max_length=200)
    requested_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField("申請日時")
    decided_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("決定日時", null=True, blank=True)
    kessai_ref = models.CharField("決裁番号", max_length=50, blank=True)
    decision_note = models.CharField("決定の理由", max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "requested_at"]),
            models.Index(fields=["account", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="approved") | ~models.Q(kessai_ref=""),
                name="approved_has_kessai_ref",
            ),
        ]


class EnrolmentCode(models.Model):
    """A one-time code with which a member of staff sets their own password and enrols their own TOTP
    (kouki.accounts.enrolment). Only its hash is stored; single use, valid until `expires_at`."""

    user = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField("登録コード(ハッシュ)", max_length=64, unique=True)
    issued_at = models.DateTimeField("発行日時")
    expires_at = models.DateTimeField("有効期限")
    used_at = models.DateTimeField("使用日時", null=True, blank=True)
    voided_at = models.DateTimeField("無効化日時", null=True, blank=True)


class WebAuthnCredential(models.Model):
    """One registered authenticator of an account (issue 14 §5): a platform authenticator of a terminal
    (fingerprint or face), named by its owner. Only the public key is stored; a revoked one stays on file."""

    user = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="webauthn_credentials")
    name = models.CharField("端末名", max_length=40)
    credential_id = models.CharField("認証器ID(base64url)", max_length=1400, unique=True)
    public_key = models.BinaryField("公開鍵(COSE)")
    sign_count = models.BigIntegerField("署名カウンタ", default=0)
    aaguid = models.CharField("認証器の型(AAGUID)", max_length=36, blank=True)
    transports = models.CharField("接続方式", max_length=100, blank=True)
    created_at = models.DateTimeField("登録日時")
    last_used_at = models.DateTimeField("最終使用日時", null=True, blank=True)
    revoked_at = models.DateTimeField("失効日時", null=True, blank=True)
    revoked_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField("失効の理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "生体認証の登録"
        indexes = [models.Index(fields=["user", "revoked_at"])]


class WebAuthnChallenge(models.Model):
    """A challenge handed to the browser for one registration or sign-in (issue 14 §5): used at most once
    (a conditional UPDATE sets `used_at`), refused after `expires_at`."""

    PURPOSES = (("register", "登録"), ("login", "ログイン"))

    user = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField("用途", max_length=16, choices=PURPOSES)
    challenge = models.CharField("チャレンジ(base64url)", max_length=128)
    issued_at = models.DateTimeField("発行日時")
    expires_at = models.DateTimeField("有効期限")
    used_at = models.DateTimeField("使用日時", null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]
