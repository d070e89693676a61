"""The staff account: one named member of staff, one role, a TOTP secret, lockout state."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from kouki.accounts.permissions import ROLE_LABELS, Perm, role_has


class StaffUser(AbstractUser):
    staff_name = models.CharField("職員氏名", max_length=80)
    # SEC-02: the person behind the account. Unique when given, across active and disabled accounts.
    staff_no = models.CharField("職員番号", max_length=20, blank=True)
    office = models.CharField("所属", max_length=80, blank=True)
    role = models.CharField(
        "役割", max_length=32, choices=[(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    totp_secret = models.CharField("TOTP秘密鍵", max_length=64, blank=True)
    totp_confirmed = models.BooleanField("二要素登録済", default=False)
    last_totp_step = models.BigIntegerField("最終TOTPステップ", default=0)
    failed_attempts = models.IntegerField("連続失敗回数", default=0)
    locked_until = models.DateTimeField("ロック解除日時", null=True, blank=True)
    disabled_at = models.DateTimeField("利用停止日時", null=True, blank=True)

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
