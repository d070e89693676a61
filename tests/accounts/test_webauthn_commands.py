"""`kouki staff keys` and `kouki staff revoke-key` (issue 14 §5): the administrator's revocation of a lost
terminal from the command line, audited like the screen's."""

from __future__ import annotations

import pytest
from factories import make_staff

from kouki.accounts.models import WebAuthnCredential
from kouki.accounts.permissions import Role
from kouki.accounts.webauthn_ceremony import registration_options
from kouki.cli import main
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.staff.webauthn_keys import key_register

from .soft_authenticator import SoftAuthenticator

pytestmark = pytest.mark.django_db


def test_list_and_revoke_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    clerk, admin = make_staff(Role.COUNTER_CLERK), make_staff(Role.SYSTEM_ADMIN)
    issued = registration_options(clerk.user)
    key = key_register(actor=Actor(username=clerk.user.username, terminal_id="T1", user_id=clerk.user.pk),
                       user_id=clerk.user.pk, challenge_id=issued.challenge_id,
                       response_json=SoftAuthenticator().create(issued.options_json), name="窓口4番")
    assert main(["staff", "keys", "--username", clerk.user.username]) == 0
    listed = capsys.readouterr().out
    assert f"{key.pk}\t窓口4番\t" in listed and "有効" in listed
    assert main(["staff", "revoke-key", "--username", clerk.user.username, "--key", str(key.pk),
                 "--reason", "端末の紛失", "--as", clerk.user.username]) != 0  # not an administrator
    assert WebAuthnCredential.objects.get(pk=key.pk).revoked_at is None
    assert main(["staff", "revoke-key", "--username", clerk.user.username, "--key", str(key.pk),
                 "--reason", "端末の紛失", "--as", admin.user.username]) == 0
    assert "失効させました" in capsys.readouterr().out
    entry = AuditEntry.objects.get(action="staff.webauthn_revoke")
    assert entry.actor == admin.user.username and entry.detail["by"] == "administrator"
    assert main(["staff", "revoke-key", "--username", clerk.user.username, "--key", str(key.pk),
                 "--reason", "再度", "--as", admin.user.username]) == 2
    assert "既に失効" in capsys.readouterr().err
