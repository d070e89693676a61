"""Issue 14 §2: staff TOTP secrets are sealed with the keyring at rest — no secret in clear in the
database; a sealed secret copied to another account or read without its key does not open (and signs
nobody in); `kouki staff seal-secrets` seals secrets stored in clear before this and re-seals under a
new active key, and a key still sealing a secret is counted as in use (not retired)."""

from __future__ import annotations

import pyotp
import pytest
from factories import Staff, make_staff

from kouki.accounts import totp
from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Role
from kouki.accounts.secret_box import PREFIX, open_secret
from kouki.cli import main
from kouki.privacy.models import AuditEntry
from kouki.privacy.selectors import key_usage

pytestmark = pytest.mark.django_db


def stored(user: StaffUser) -> str:
    return StaffUser.objects.values_list("totp_secret", flat=True).get(pk=user.pk)


def test_no_secret_is_stored_in_clear_and_a_copied_one_does_not_open() -> None:
    a, b = make_staff(Role.COUNTER_CLERK), make_staff(Role.SUPERVISOR)
    for staff in (a, b):
        assert stored(staff.user).startswith(PREFIX) and staff.secret not in stored(staff.user)
        assert totp.verify_and_consume(staff.user, staff.code())
    # a's sealed secret written onto b's account: it names the wrong owner, so b's codes no longer work
    StaffUser.objects.filter(pk=b.user.pk).update(totp_secret=stored(a.user), last_totp_step=0)
    b.user.refresh_from_db()
    assert not totp.verify_and_consume(b.user, pyotp.TOTP(a.secret).now())
    assert not totp.verify_and_consume(b.user, pyotp.TOTP(b.secret).now())


def test_seal_secrets_seals_legacy_clear_values_and_counts_the_key(
    own_admin: Staff, capsys: pytest.CaptureFixture[str]
) -> None:
    clerk = make_staff(Role.COUNTER_CLERK)
    StaffUser.objects.filter(pk=clerk.user.pk).update(totp_secret=clerk.secret)  # as stored before
    clerk.user.refresh_from_db()
    assert totp.verify_and_consume(clerk.user, clerk.code())  # a legacy clear secret still works …
    before = key_usage()
    assert main(["staff", "seal-secrets", "--as", own_admin.user.username]) == 0
    assert "sealed under the active key: 1" in capsys.readouterr().out
    assert stored(clerk.user).startswith(PREFIX)  # … and is sealed by the command
    assert open_secret(stored(clerk.user), clerk.user.username) == clerk.secret
    assert sum(key_usage().values()) == sum(before.values()) + 1
    assert AuditEntry.objects.filter(action="staff.secrets_seal").count() == 1
    assert main(["staff", "seal-secrets", "--as", own_admin.user.username]) == 0
    assert "sealed under the active key: 0" in capsys.readouterr().out


@pytest.fixture
def own_admin() -> Staff:
    return make_staff(Role.SYSTEM_ADMIN)
