"""TOTP (SEC-03): 30-second steps, 6 digits, ±1 step accepted, each step usable once."""

from __future__ import annotations

import pyotp
import pytest
from factories import make_staff

from kouki.accounts import totp
from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role

NOW = 1_790_000_000.0  # a fixed instant; the tests do not depend on the clock


def code_at(secret: str, t: float) -> str:
    return str(pyotp.TOTP(secret).at(t))


def test_window_is_one_step_each_side() -> None:
    secret = totp.new_secret()
    step = totp.current_step(NOW)
    for offset in (-1, 0, 1):
        assert totp.matching_step(secret, code_at(secret, NOW + 30 * offset), now=NOW) == step + offset
    for offset in (-3, -2, 2, 3):
        code = code_at(secret, NOW + 30 * offset)
        near = {code_at(secret, NOW + 30 * o) for o in (-1, 0, 1)}
        if code not in near:  # a 6-digit collision with a neighbouring step is possible, rarely
            assert totp.matching_step(secret, code, now=NOW) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "１２３４５６"])
def test_malformed_codes_never_match(code: str) -> None:
    assert totp.matching_step(totp.new_secret(), code, now=NOW) is None


def test_provisioning_uri_names_the_issuer_and_account() -> None:
    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret=secret, username="sato.hanako")
    assert uri.startswith("otpauth://totp/") and "sato.hanako" in uri and f"secret={secret}" in uri
    assert "issuer=" in uri


@pytest.mark.django_db
def test_code_is_consumed_once_and_older_steps_are_refused() -> None:
    staff = make_staff(Role.COUNTER_CLERK)
    user = StaffUser.objects.get(pk=staff.user.pk)
    current = code_at(staff.secret, NOW)
    assert totp.verify_and_consume(user, current, now=NOW)
    assert not totp.verify_and_consume(user, current, now=NOW)
    assert not totp.verify_and_consume(user, code_at(staff.secret, NOW - 30), now=NOW)
    assert totp.verify_and_consume(user, code_at(staff.secret, NOW + 30), now=NOW)
    assert StaffUser.objects.get(pk=user.pk).last_totp_step == totp.current_step(NOW) + 1


@pytest.mark.django_db
def test_a_stale_copy_of_the_account_cannot_replay_a_code() -> None:
    """Two requests racing with the same code: the conditional UPDATE lets only one through."""
    staff = make_staff(Role.COUNTER_CLERK)
    first = StaffUser.objects.get(pk=staff.user.pk)
    second = StaffUser.objects.get(pk=staff.user.pk)
    code = code_at(staff.secret, NOW)
    assert totp.verify_and_consume(first, code, now=NOW)
    assert not totp.verify_and_consume(second, code, now=NOW)
