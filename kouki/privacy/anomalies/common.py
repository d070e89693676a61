"""What the anomaly rules share: local days, the staff behind audit actor names, and runs already
acknowledged (a sweep over a period never raises again what an auditor has closed)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max

from kouki.accounts.models import StaffUser
from kouki.privacy.alerts import alert_raise
from kouki.privacy.models import Alert

TOKYO = ZoneInfo("Asia/Tokyo")  # stored times are UTC; days and office hours are the city's


def local_day(moment: datetime) -> date:
    return moment.astimezone(TOKYO).date()


def staff_by_username(names: Iterable[str]) -> dict[str, StaffUser]:
    return {u.username: u for u in StaffUser.objects.filter(username__in=set(names))}


def acknowledged_until(kind: str) -> dict[int, datetime]:
    """Per user: the end of the latest acknowledged alert of this kind. Events up to it are closed."""
    rows = (Alert.objects.filter(kind=kind, acknowledged_at__isnull=False, user__isnull=False)
            .values("user_id").annotate(until=Max("window_end")))
    return {r["user_id"]: r["until"] for r in rows}


def open_events(kind: str, events: dict[int, list[datetime]]) -> dict[int, list[datetime]]:
    """The events (per user id) after the user's last acknowledged alert of this kind."""
    closed = acknowledged_until(kind)
    out: dict[int, list[datetime]] = {}
    for user_id, moments in events.items():
        kept = sorted(m for m in moments if user_id not in closed or m > closed[user_id])
        if kept:
            out[user_id] = kept
    return out


def raise_run(kind: str, user: StaffUser, moments: list[datetime], details: dict[str, object],
              terminal_id: str = "") -> None:
    """One alert (or the open one grown) for a run of events, its window from the first to the last."""
    alert_raise(kind=kind, user=user, window_start=moments[0], window_end=moments[-1], count=len(moments),
                details=details, terminal_id=terminal_id)


def per_day(moments: list[datetime]) -> dict[date, list[datetime]]:
    days: dict[date, list[datetime]] = {}
    for m in sorted(moments):
        days.setdefault(local_day(m), []).append(m)
    return days


def sliding_runs(moments: list[datetime], *, at_least: int, within: timedelta) -> list[list[datetime]]:
    """Maximal runs of sorted moments in which some `at_least` consecutive ones fall within `within`:
    each run is the moments from the first such group to the last one overlapping it."""
    runs: list[list[datetime]] = []
    current: list[datetime] = []
    ordered = sorted(moments)
    for i in range(len(ordered)):
        j = i + at_least - 1
        if j < len(ordered) and ordered[j] - ordered[i] < within:
            group = ordered[i:j + 1]
            if current and group[0] <= current[-1]:
                current.extend(m for m in group if m > current[-1])
            else:
                if current:
                    runs.append(current)
                current = list(group)
    if current:
        runs.append(current)
    return runs
