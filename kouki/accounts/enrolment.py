"""One-time enrolment codes (issue 14 §4): with one, a member of staff sets their own password and enrols
their own TOTP secret, so nobody else ever knows both factors.

A code is 16 characters from 32 unambiguous letters and digits (80 bits), shown once as XXXX-XXXX-XXXX-XXXX
to the administrator who hands it over on paper; only its SHA-256 is stored. It is valid for
KOUKI_ENROLMENT_HOURS, used once, and a newer code for the same account voids the older ones. Wrong codes
count towards the per-address throttle (kouki.staff.enrol), so 80 bits are never searched.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from datetime import datetime, timedelta

from django.utils import timezone

from kouki.accounts.models import EnrolmentCode, StaffUser
from kouki.core.config import access_config

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1
LENGTH = 16
GROUP = 4


def normalise(code: str) -> str:
    """As typed (full-width, lower case, spaces or hyphens between groups) → the 16 characters."""
    text = unicodedata.normalize("NFKC", code).upper()
    return "".join(ch for ch in text if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", "ignore")).hexdigest()


def shown(code: str) -> str:
    plain = normalise(code)
    return "-".join(plain[i : i + GROUP] for i in range(0, len(plain), GROUP))


def issue(user: StaffUser, now: datetime | None = None) -> tuple[EnrolmentCode, str]:
    """A new code for `user` (older unused ones are voided): the row and the code, to be shown once."""
    now = now or timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, voided_at__isnull=True).update(
        voided_at=now
    )
    plain = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    row = EnrolmentCode.objects.create(
        user=user,
        code_hash=code_hash(plain),
        issued_at=now,
        expires_at=now + timedelta(hours=access_config().enrolment_hours),
    )
    return row, shown(plain)


def valid_code(username: str, code: str, now: datetime | None = None) -> EnrolmentCode | None:
    """The unused, unexpired, not voided code of the active account `username`, else None."""
    now = now or timezone.now()
    plain = normalise(code)
    if len(plain) != LENGTH:
        return None
    row = EnrolmentCode.objects.select_related("user").filter(code_hash=code_hash(plain)).first()
    if row is None or row.user.username != username or not row.user.is_active:
        return None
    if row.used_at is not None or row.voided_at is not None or row.expires_at <= now:
        return None
    return row


def pending(user: StaffUser, now: datetime | None = None) -> EnrolmentCode | None:
    """The account's code still waiting to be used, if any (for the screens)."""
    now = now or timezone.now()
    return (
        EnrolmentCode.objects.filter(
            user=user, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now
        )
        .order_by("-issued_at")
        .first()
    )
