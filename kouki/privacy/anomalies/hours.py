"""Activity out of office hours (KOUKI_OFFICE_HOURS on the city's business days; times in Asia/Tokyo):
checked at sign-in (kouki.privacy.anomalies.login) and swept over every audit row a member of staff wrote."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import cache

from kouki.core.alert_config import AlertThresholds
from kouki.core.audit_vocabulary import AuditAction
from kouki.core.config import office_hours
from kouki.privacy.alerts import register_rule
from kouki.privacy.anomalies.common import TOKYO, open_events, per_day, raise_run, staff_by_username
from kouki.privacy.models import AuditEntry
from kouki.rules.business_days import BusinessCalendar, japanese_calendar
from kouki.rules.office_hours import is_out_of_hours

OUT_OF_HOURS = "out_of_hours"

# rows that are not the user's own doing at that hour: an alert raised about them, an idle sign-out
NOT_ACTIVITY = frozenset({AuditAction.ALERT_RAISE, AuditAction.LOGOUT})

register_rule(OUT_OF_HOURS, "時間外の操作",
              "開庁時間外(閉庁日・時間外)にログインまたは操作がありました。時間外勤務の命令・記録があったか、"
              "操作の内容を監査ログで確認してください。")


@cache
def _calendar(year: int) -> BusinessCalendar:
    """The city's business days of a year (its holidays computed once per process, not per sign-in)."""
    return japanese_calendar([year])


def out_of_hours(moment: datetime) -> bool:
    local = moment.astimezone(TOKYO)
    return is_out_of_hours(local, office_hours(), _calendar(local.year))


def scan_out_of_hours(since: datetime, until: datetime, t: AlertThresholds) -> int:
    if t.out_of_hours_per_day <= 0:
        return 0
    hours = office_hours()
    found: dict[str, list[datetime]] = defaultdict(list)
    rows = (AuditEntry.objects.filter(at__gte=since, at__lt=until)
            .exclude(action__in=[str(a) for a in NOT_ACTIVITY]).values_list("actor", "at"))
    for actor, at in rows.iterator():
        if actor in t.out_of_hours_exempt:
            continue
        local = at.astimezone(TOKYO)
        if is_out_of_hours(local, hours, _calendar(local.year)):
            found[actor].append(at)
    users = staff_by_username(found)
    by_id = {users[name].pk: moments for name, moments in found.items() if name in users}
    named = {u.pk: u for u in users.values()}
    raised = 0
    for user_id, moments in open_events(OUT_OF_HOURS, by_id).items():
        user = named[user_id]
        for day, on_day in per_day(moments).items():
            if len(on_day) >= t.out_of_hours_per_day:
                raise_run(OUT_OF_HOURS, user, on_day, {"day": day.isoformat(), "office_hours":
                                                       f"{hours.opens:%H:%M}-{hours.closes:%H:%M}"})
                raised += 1
    return raised
