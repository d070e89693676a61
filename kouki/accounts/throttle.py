"""Sign-in throttle per client address (issue 14 §3): after KOUKI_LOGIN_ADDRESS_LIMIT failed steps
(password or TOTP, any user name, known or not) within KOUKI_LOGIN_ADDRESS_WINDOW seconds, an address is
refused every sign-in step until the window has passed — before any password is checked and without
counting towards any account's lockout. Guessing from one address is slowed to the limit per window
whichever names it tries, and it cannot lock out accounts beyond the limit / KOUKI_LOCKOUT_THRESHOLD of
them per window. The address is kouki.accounts.terminal.client_address (X-Forwarded-For only from a
trusted proxy).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from kouki.accounts.models import LoginFailure
from kouki.core.config import access_config


def _since(now: datetime) -> datetime:
    return now - timedelta(seconds=access_config().address_window_seconds)


def address_blocked(address: str, now: datetime | None = None) -> bool:
    if not address:
        return False
    since = _since(now or timezone.now())
    failures = LoginFailure.objects.filter(address=address, failed_at__gt=since).count()
    return failures >= access_config().address_failure_limit


def address_failure(address: str, now: datetime | None = None) -> None:
    """Record one failure of the address (and forget failures older than the window)."""
    if not address:
        return
    now = now or timezone.now()
    LoginFailure.objects.filter(failed_at__lte=_since(now)).delete()
    LoginFailure.objects.create(address=address[:64], failed_at=now)
