"""TOTP second factor (SEC-03): RFC 6238, 30-second steps, 6 digits, ±1 step, each code usable once.

The used step is stored on the account (StaffUser.last_totp_step); a code for that step or an
earlier one is refused, so a code seen over a shoulder cannot be replayed. The update is a
conditional UPDATE, so two simultaneous requests with the same code cannot both succeed.
"""

from __future__ import annotations

import hmac
import logging
import time

import pyotp

from kouki.accounts.models import StaffUser
from kouki.accounts.secret_box import SecretUnavailable, open_secret

log = logging.getLogger(__name__)

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1
ISSUER = "kouki"  # ASCII: some authenticator apps mangle non-ASCII issuers


def new_secret() -> str:
    return str(pyotp.random_base32())


def provisioning_uri(*, secret: str, username: str) -> str:
    """otpauth:// URI for an authenticator app (shown once at enrolment)."""
    return str(pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=username, issuer_name=ISSUER))


def code_for_step(secret: str, step: int) -> str:
    return str(pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step))


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, *, now: float | None = None) -> int | None:
    """The step (within ±WINDOW of now) whose code equals `code`, or None."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isascii() or not code.isdigit() or not secret:
        return None
    base = current_step(now)
    for step in range(base - WINDOW, base + WINDOW + 1):
        if hmac.compare_digest(code_for_step(secret, step), code):
            return step
    return None


def verify_and_consume(user: StaffUser, code: str, *, now: float | None = None) -> bool:
    """True once for a valid code; marks its step used so the same (or an older) code is refused later."""
    try:
        secret = open_secret(user.totp_secret, user.username)
    except SecretUnavailable as exc:
        log.error("second factor refused: %s", exc)  # the operator must restore the key; no secret here
        return False
    step = matching_step(secret, code, now=now)
    if step is None:
        return False
    updated = StaffUser.objects.filter(pk=user.pk, last_totp_step__lt=step).update(
        last_totp_step=step, totp_confirmed=True
    )
    if updated != 1:
        return False
    user.last_totp_step = step
    user.totp_confirmed = True
    return True
