"""Repeated refusals: failed sign-ins, refused screens and commands, readings refused at the hourly limit —
KOUKI_ALERT_REFUSALS of them by one member of staff within KOUKI_ALERT_REFUSALS_MINUTES (swept from the
audit log; refusals under names that are no staff account are the login throttle's business)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from kouki.core.alert_config import AlertThresholds
from kouki.core.audit_vocabulary import AuditAction
from kouki.privacy.alerts import register_rule
from kouki.privacy.anomalies.common import open_events, raise_run, sliding_runs, staff_by_username
from kouki.privacy.models import AuditEntry

REPEATED_REFUSALS = "repeated_refusals"

REFUSALS = frozenset({
    AuditAction.ACCESS_DENIED, AuditAction.COMMAND_REFUSED, AuditAction.READING_REFUSED,
    AuditAction.LOGIN_FAILED, AuditAction.LOGIN_LOCKED, AuditAction.LOGIN_REFUSED_LOCKED,
    AuditAction.LOGIN_THROTTLED,
})

register_rule(REPEATED_REFUSALS, "拒否の繰り返し",
              "短時間にログイン失敗・権限のない画面やコマンドの拒否・閲覧上限による拒否が繰り返されました。"
              "本人の操作か(なりすまし・権限外の探索の疑い)、監査ログで拒否の内容と端末を確認してください。")


def scan_refusals(since: datetime, until: datetime, t: AlertThresholds) -> int:
    if t.refusals <= 0 or t.refusals_minutes <= 0:
        return 0
    found: dict[str, list[datetime]] = defaultdict(list)
    rows = AuditEntry.objects.filter(at__gte=since, at__lt=until, action__in=[str(a) for a in REFUSALS])
    for actor, at in rows.values_list("actor", "at").iterator():
        found[actor].append(at)
    users = staff_by_username(found)
    by_id = {users[name].pk: moments for name, moments in found.items() if name in users}
    named = {u.pk: u for u in users.values()}
    raised = 0
    for user_id, moments in open_events(REPEATED_REFUSALS, by_id).items():
        for run in sliding_runs(moments, at_least=t.refusals, within=timedelta(minutes=t.refusals_minutes)):
            raise_run(REPEATED_REFUSALS, named[user_id], run,
                      {"refusals": t.refusals, "minutes": t.refusals_minutes})
            raised += 1
    return raised
