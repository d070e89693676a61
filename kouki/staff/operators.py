"""Who runs a command: a named staff member, active, not locked, holding the command's permission.

Every batch and import runs as the person who started it (`kouki … --as USER`), so the audit rows and the
records it writes (ImportRecord.imported_by, OutboundFile.created_by, DebitRun.created_by, …) name someone
accountable for each file sent or taken in (OUT-02, SEC-13, SEC-16). A refusal is audited like a refused
screen (`command.refused`), and nothing else is written.
"""

from __future__ import annotations

import getpass
import re
import socket

from django.db import transaction

from kouki.accounts import lockout
from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import PERM_LABELS, ROLE_PERMISSIONS, Perm
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.anomalies.batch import batch_noted
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.redaction import redact

_TERMINAL_CHARS = re.compile(r"[^A-Za-z0-9._:\-]")


class OperatorRefused(ValueError):
    """The named user may not run this command; the message (Japanese) says why."""


def cli_terminal() -> str:
    """The terminal of a command run: `cli:` and the host name (SEC-11, SEC-13)."""
    try:
        host = socket.gethostname()
    except OSError:
        host = ""
    return ("cli:" + _TERMINAL_CHARS.sub("", host))[:64] or "cli"


def setup_actor() -> Actor:
    """Who acts before any staff account exists (the first administrator's enrolment, the demo's staff): the
    operating-system user at this terminal, named as such (`setup:<user>`)."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Actor(username=f"setup:{redact(who)}"[:150], terminal_id=cli_terminal())


def command_operator(*, username: str, permission: Perm, command: str, terminal_id: str = "") -> Actor:
    """The actor of `command` run by `username`, or OperatorRefused (audited) if the account may not run it.

    Refused: no such account, a disabled (利用停止) account, a locked account, a role without `permission`.
    """
    name = username.strip()
    terminal = terminal_id or cli_terminal()
    user = StaffUser.objects.filter(username=name).first() if name else None
    shown = redact(name)[:150]
    label = f"{PERM_LABELS[permission]} ({permission})"
    if user is None:
        reason, message = "unknown_user", f"職員ID「{shown}」はありません (--as には実行する職員のID)"
    elif not user.is_active:
        reason, message = "disabled", f"職員ID「{shown}」は利用停止されています"
    elif lockout.is_locked(user):
        reason, message = "locked", (
            f"職員ID「{shown}」はロック中です (管理者が職員アカウントの画面か "
            f"kouki staff unlock --username {shown} --as 管理者のユーザー名 で解除)"
        )
    elif not user.has_kouki_perm(permission):
        role = user.get_role_display()
        reason, message = "no_permission", f"職員ID「{shown}」の役割({role})には権限がありません"
    else:
        batch_noted(user=user, command=command, permission=permission, terminal_id=terminal)
        return Actor(username=user.username, terminal_id=terminal, user_id=user.pk)
    with transaction.atomic():
        audit_record(
            actor=Actor(username=shown or "(none)", terminal_id=terminal, user_id=user.pk if user else None),
            action=AuditAction.COMMAND_REFUSED, target_type=AuditTarget.STAFF,
            target_id=str(user.pk) if user else "",
            detail={"command": command, "permission": str(permission), "reason": reason},
        )
    raise OperatorRefused(f"{message}: {command} を実行できません (必要な権限: {label})")


def holders_exist(permission: Perm) -> bool:
    """Whether any active account's role holds `permission` (before the first administrator: no)."""
    roles = [role.value for role, perms in ROLE_PERMISSIONS.items() if permission in perms]
    return StaffUser.objects.filter(is_active=True, role__in=roles).exists()
