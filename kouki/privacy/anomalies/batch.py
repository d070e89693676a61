"""A batch run by an unusual user (checked when `kouki … --as USER` is admitted: kouki.staff.operators calls
`batch_noted`): a role not among KOUKI_ALERT_BATCH_ROLES, or the first run of that command by this user
while others have run it before (the first run of a command on an installation raises nothing for an
expected role). Batches are the commands that need RUN_BATCHES or IMPORT_FILES."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.core.alert_config import alert_thresholds
from kouki.privacy.alerts import alert_raise, register_rule
from kouki.privacy.models import BatchRunner

BATCH_UNUSUAL_USER = "batch_unusual_user"
BATCH_PERMISSIONS = frozenset({Perm.RUN_BATCHES, Perm.IMPORT_FILES})
FOLD = timedelta(hours=1)

register_rule(BATCH_UNUSUAL_USER, "通常と異なる職員による一括処理",
              "一括処理・ファイル取込のコマンドを、これまでその処理を実行したことのない職員、または運用担当の"
              "役割でない職員が実行しました。実行の指示・決裁があったか確認してください。")


def batch_noted(*, user: StaffUser, command: str, permission: Perm, terminal_id: str) -> None:
    """Record the run; raise the alert when the user is unusual for it. In its own transaction."""
    if permission not in BATCH_PERMISSIONS:
        return
    t = alert_thresholds()
    now = timezone.now()
    command = command[:100]
    with transaction.atomic():
        runs = BatchRunner.objects.filter(command=command)
        first_for_user = runs.filter(user=user).update(last_run_at=now) == 0
        others_before = first_for_user and runs.exclude(user=user).exists()
        if first_for_user:
            try:
                with transaction.atomic():  # a parallel run of the same command may have recorded it
                    BatchRunner.objects.create(user=user, command=command, first_run_at=now, last_run_at=now)
            except IntegrityError:
                first_for_user = others_before = False
        wrong_role = bool(t.batch_roles) and user.role not in t.batch_roles
        if not (wrong_role or (t.batch_new_user and others_before)):
            return
        # runs of the same user within an hour (and a command's second admission) fold into one alert
        alert_raise(kind=BATCH_UNUSUAL_USER, user=user, window_start=now - FOLD, window_end=now, count=1,
                    details={"command": command, "role": user.role, "first_run_by_user": first_for_user,
                             "role_not_expected": wrong_role},
                    terminal_id=terminal_id)
