"""`--as USER` on every command that sends or takes in files or runs a batch (who may run what: the table
in docs/operations/batch-calendar.md).

The user is a staff account (kouki staff create) whose role holds the command's permission; scheduled runs
(systemd timers, cron) may set KOUKI_BATCH_USER instead of passing --as. Without either, or when the
account is unknown, disabled, locked or lacks the permission, the command stops before it changes anything:
exit status 2 without a user, 3 when the user was refused (the refusal is audited).
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from kouki.accounts.permissions import PERM_LABELS, Perm
from kouki.errors import EXIT_REFUSED, CommandError

if TYPE_CHECKING:
    from kouki.privacy.context import Actor

BATCH_USER_ENV = "KOUKI_BATCH_USER"  # the default for --as in scheduled runs (systemd timers, cron)


def add_operator_argument(parser: argparse.ArgumentParser, permission: Perm) -> None:
    parser.add_argument(
        "--as", dest="as_user", metavar="USER", default=None,
        help=f"実行する職員のID (必須; 省略時は環境変数 {BATCH_USER_ENV}). "
             f"必要な権限: {PERM_LABELS[permission]} ({permission})",
    )
    parser.set_defaults(operator_permission=permission, after_success=checkpoint_after_command)


def command_actor(args: argparse.Namespace, command: str) -> Actor:
    """The named staff member running `command` (call after setup_django); CommandError if refused."""
    from kouki.staff.operators import OperatorRefused, command_operator

    username = (getattr(args, "as_user", None) or os.environ.get(BATCH_USER_ENV, "")).strip()
    if not username:
        raise CommandError(
            f"--as USER is required: the staff member who runs `kouki {command}` "
            f"(or set {BATCH_USER_ENV} for scheduled runs); nothing was done"
        )
    permission: Perm = args.operator_permission
    try:
        return command_operator(username=username, permission=permission, command=f"kouki {command}")
    except OperatorRefused as exc:
        raise CommandError(f"{exc}; nothing was done", status=EXIT_REFUSED) from None


def checkpoint_after_command(args: argparse.Namespace) -> int:
    """After a command run `--as USER` succeeded: a sealed audit checkpoint (issue 14 §1) when
    KOUKI_AUDIT_CHECKPOINT_FILE is set, as the same operator; 1 when the rows since the last checkpoint
    fail their check (nothing is then sealed), else 0. Cheap: only the rows since the last checkpoint
    are checked."""
    import sys

    from kouki.core.config import audit_checkpoint_file
    from kouki.privacy.checkpoint import CheckpointError, write_checkpoint
    from kouki.privacy.keys import KeyringError

    if args.command == "audit" or not audit_checkpoint_file():
        return 0
    # the actor the command itself ran as (the first administrator's `staff create` runs as the
    # operating-system user, without --as), else the one named by --as / KOUKI_BATCH_USER
    actor = getattr(args, "resolved_actor", None) or command_actor(args, args.command)
    try:
        result = write_checkpoint(actor=actor)
    except (CheckpointError, KeyringError, OSError) as exc:
        raise CommandError(f"done, but no audit checkpoint was written: {exc}") from None
    if result.problems:
        print(f"kouki {args.command}: done, but no audit checkpoint was written: {result.problems[0]} "
              "(run `kouki audit verify`)", file=sys.stderr)
        return 1
    return 0
