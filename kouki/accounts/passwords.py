"""Password validators and the password history (issue 14 §3; NIST SP 800-63B §5.1.1.2).

AUTH_PASSWORD_VALIDATORS (kouki/settings.py) lists, besides Django's minimum length (12):
`CommonListValidator` (kouki's list of 40,101 breached/common passwords, data/common-passwords.txt.gz),
`CommonCoreValidator` (the password's core — digits and symbols stripped from its ends — is a common
password: 'Dragon2026!!'), `IdentifierValidator` (derived from the user's ID, name, staff number, the city's
or the service's name, forwards or reversed), `RepetitiveValidator` (repetition, the alphabet, digits or a
keyboard row) and `HistoryValidator` (one of the account's current or KOUKI_PASSWORD_HISTORY previous
passwords). No composition rules and no expiry (NIST 800-63B §5.1.1.2). The decisions: kouki.rules.passwords.

`set_new_password` is the one place a password is stored: it validates, keeps the replaced hash in the
history (the newest KOUKI_PASSWORD_HISTORY only) and clears the change-on-first-sign-in flag unless asked to
set it. The caller writes the audit row (kouki.staff).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator, validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from kouki.accounts.models import PasswordHistory, StaffUser
from kouki.core.config import access_config, city_config
from kouki.rules import passwords as rules

# 40,101 breached/common passwords: Django's 20,000 and zxcvbn's 30,000 (provenance, licences and how to
# regenerate: data/common-passwords-LICENSE.txt)
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"


class CommonListValidator(CommonPasswordValidator):
    """The password is on kouki's list of breached/common passwords (COMMON_PASSWORDS)."""

    def __init__(self, password_list_path: Path | str = COMMON_PASSWORDS) -> None:
        super().__init__(password_list_path)

    def get_error_message(self) -> str:
        return "このパスワードは一般的すぎます(よく使われている・漏えいしたパスワードの一覧にあります)。"

    def get_help_text(self) -> str:
        return "よく使われている・漏えいしたパスワードでないこと。"


class CommonCoreValidator(CommonListValidator):
    """The core of the password (kouki.rules.passwords.core) is on kouki's list of common passwords."""

    def validate(self, password: str, user: object = None) -> None:
        found = rules.core(password)
        if len(found) >= rules.MIN_WORD and found in self.passwords:
            raise ValidationError(
                "よく使われる語に数字や記号を付け足しただけのパスワードは使えません。",
                code="password_common_core",
            )

    def get_help_text(self) -> str:
        return "よく使われる語に数字や記号を足しただけのものは使えません。"


def _identifiers(user: object) -> tuple[str, ...]:
    values = [str(getattr(user, name, "") or "") for name in ("username", "staff_name", "staff_no", "office")]
    values.append(city_config().city_name)
    return (*rules.identifier_words(*values), *rules.SERVICE_WORDS)


class IdentifierValidator:
    """Derived from the user's ID, name, staff number or office, or the service's or city's name."""

    def validate(self, password: str, user: object = None) -> None:
        if rules.derived_from(password, _identifiers(user)) is not None:
            raise ValidationError(
                "職員ID・氏名・職員番号・所属やシステム名を含むパスワードは使えません。",
                code="password_identifier",
            )

    def get_help_text(self) -> str:
        return "職員ID・氏名・職員番号・所属・システム名を含まないこと。"


class RepetitiveValidator:
    """Repetition ('aaaa…', 'abcabc…') or a sequence (alphabet, digits, keyboard row)."""

    def validate(self, password: str, user: object = None) -> None:
        if rules.repetitive(password):
            raise ValidationError(
                "同じ文字の繰返しや連続した文字・キーの並びだけのパスワードは使えません。",
                code="password_repetitive",
            )

    def get_help_text(self) -> str:
        return "同じ文字の繰返しや連続した並びでないこと。"


def reused(user: StaffUser, password: str) -> bool:
    """The password is the account's current one or one of its last KOUKI_PASSWORD_HISTORY."""
    if user.pk is None:
        return False
    if user.has_usable_password() and user.check_password(password):
        return True
    keep = access_config().password_history
    hashes = PasswordHistory.objects.filter(user_id=user.pk).order_by("-replaced_at", "-pk")[:keep]
    return any(check_password(password, row.password) for row in hashes)


class HistoryValidator:
    """One of the account's current or previous KOUKI_PASSWORD_HISTORY passwords."""

    def validate(self, password: str, user: object = None) -> None:
        if isinstance(user, StaffUser) and reused(user, password):
            raise ValidationError("現在または最近使ったパスワードは使えません。", code="password_reused")

    def get_help_text(self) -> str:
        return "現在または最近使ったパスワードでないこと。"


def set_new_password(
    user: StaffUser, password: str, *, must_change: bool = False, now: datetime | None = None
) -> None:
    """Validate and store `password` (ValidationError with Japanese messages if refused); the replaced hash
    goes to the history. `must_change`: the owner did not choose it (changed at the first sign-in)."""
    validate_password(password, user)
    now = now or timezone.now()
    if user.pk is not None and user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password, replaced_at=now)
        keep = access_config().password_history
        stale = PasswordHistory.objects.filter(user=user).order_by("-replaced_at", "-pk")[keep:]
        PasswordHistory.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    user.set_password(password)
    user.must_change_password = must_change
    user.password_changed_at = now
    if user.pk is not None:
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
