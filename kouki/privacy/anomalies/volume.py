"""Unusual volume per user and day (and searches per hour), beyond the hourly reading limits of issue 14
(kouki.privacy.reading): reveals, 宛名詳細 views and personal-number searches. Swept over a period."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from kouki.accounts.models import StaffUser
from kouki.core.alert_config import AlertThresholds
from kouki.privacy.alerts import register_rule
from kouki.privacy.anomalies.common import open_events, per_day, raise_run, sliding_runs
from kouki.privacy.models import PersonView, ReferenceKind, ReferenceLog

REVEALS_DAILY = "reveal_daily"
PERSON_VIEWS_DAILY = "person_view_daily"
SEARCHES_HOURLY = "search_hourly"
SEARCHES_DAILY = "search_daily"

register_rule(REVEALS_DAILY, "個人番号の表示の件数超過(1日)",
              "1日の個人番号の表示が警告の件数に達しました。その日の窓口業務の量と見合うか、参照記録で確認してください。")
register_rule(PERSON_VIEWS_DAILY, "宛名詳細の閲覧の件数超過(1日)",
              "1日の宛名詳細の閲覧が警告の件数に達しました。業務上の必要があったか確認してください。")
register_rule(SEARCHES_HOURLY, "個人番号による検索の件数超過(1時間)",
              "1時間の個人番号による検索が警告の件数に達しました(番号の当てはめの疑い)。参照記録で検索した番号の"
              "見つかった/見つからないと理由を確認してください。")
register_rule(SEARCHES_DAILY, "個人番号による検索の件数超過(1日)",
              "1日の個人番号による検索が警告の件数に達しました。参照記録で理由を確認してください。")


def _moments(rows: list[tuple[int, datetime]]) -> dict[int, list[datetime]]:
    out: dict[int, list[datetime]] = defaultdict(list)
    for user_id, at in rows:
        out[user_id].append(at)
    return out


def _daily(kind: str, events: dict[int, list[datetime]], limit: int, users: dict[int, StaffUser]) -> int:
    raised = 0
    for user_id, moments in open_events(kind, events).items():
        for day, on_day in per_day(moments).items():
            if len(on_day) >= limit:
                raise_run(kind, users[user_id], on_day, {"day": day.isoformat(), "per_day": limit})
                raised += 1
    return raised


def scan_volume(since: datetime, until: datetime, t: AlertThresholds) -> int:
    """Raise the daily (and hourly search) alerts for [since, until); returns how many runs were found."""
    refs = ReferenceLog.objects.filter(at__gte=since, at__lt=until)
    reveals = _moments(list(refs.filter(kind=ReferenceKind.REVEAL).values_list("user_id", "at")))
    searches = _moments(list(refs.filter(kind=ReferenceKind.SEARCH).values_list("user_id", "at")))
    views = _moments(list(PersonView.objects.filter(at__gte=since, at__lt=until)
                          .values_list("user_id", "at")))
    users = StaffUser.objects.in_bulk({*reveals, *searches, *views})
    raised = 0
    for kind, events, limit in ((REVEALS_DAILY, reveals, t.reveals_per_day),
                                (PERSON_VIEWS_DAILY, views, t.person_views_per_day),
                                (SEARCHES_DAILY, searches, t.searches_per_day)):
        if limit > 0:
            raised += _daily(kind, events, limit, users)
    if t.searches_per_hour > 0:
        for user_id, moments in open_events(SEARCHES_HOURLY, searches).items():
            for run in sliding_runs(moments, at_least=t.searches_per_hour, within=timedelta(hours=1)):
                raise_run(SEARCHES_HOURLY, users[user_id], run, {"per_hour": t.searches_per_hour})
                raised += 1
    return raised
