"""Counts over the audit log, the reference log and the alerts for the monthly review report (issue 15 §1).

Everything is aggregated in the database (GROUP BY): a month of a city's audit trail is never loaded row by
row. Each function takes a period [since, until) and, for out-of-hours counts, optional `within` intervals
(aware datetimes, from kouki.rules.out_of_hours); what they return holds staff user names, purposes, action
names, kinds and counts — never a personal number or a person.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from kouki.accounts.models import StaffUser
from kouki.core.audit_vocabulary import AuditAction
from kouki.privacy.models import Alert, AuditEntry, ReferenceLog

Intervals = Sequence[tuple[datetime, datetime]]


def _within(field: str, intervals: Intervals) -> Q:
    q = Q(pk__in=[])  # no interval: nothing
    for start, end in intervals:
        q |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return q


@dataclass(frozen=True)
class ReferenceCount:
    username: str
    purpose: str
    kind: str  # ReferenceKind: reveal / search
    count: int


def reference_counts(since: datetime, until: datetime,
                     within: Intervals | None = None) -> list[ReferenceCount]:
    """Personal-number references in [since, until) per (user, purpose, kind), most first."""
    qs = ReferenceLog.objects.filter(at__gte=since, at__lt=until)
    if within is not None:
        qs = qs.filter(_within("at", within))
    rows = (qs.values("username", "purpose", "kind").annotate(n=Count("pk"))
            .order_by("-n", "username", "purpose", "kind"))
    return [ReferenceCount(r["username"], r["purpose"], r["kind"], r["n"]) for r in rows]


@dataclass(frozen=True)
class ActionCount:
    action: str
    actor: str
    count: int


def audit_counts(actions: Collection[AuditAction] | None, since: datetime, until: datetime,
                 within: Intervals | None = None) -> list[ActionCount]:
    """Audit rows in [since, until) of the given actions (None: every action) per (action, actor), most
    first."""
    qs = AuditEntry.objects.filter(at__gte=since, at__lt=until)
    if actions is not None:
        qs = qs.filter(action__in=[a.value for a in actions])
    if within is not None:
        qs = qs.filter(_within("at", within))
    rows = qs.values("action", "actor").annotate(n=Count("pk")).order_by("-n", "action", "actor")
    return [ActionCount(r["action"], r["actor"], r["n"]) for r in rows]


def audit_actor_counts(since: datetime, until: datetime, within: Intervals | None = None) -> dict[str, int]:
    """Audit rows of any action in [since, until) per actor (the out-of-hours section)."""
    qs = AuditEntry.objects.filter(at__gte=since, at__lt=until)
    if within is not None:
        qs = qs.filter(_within("at", within))
    return {r["actor"]: r["n"] for r in qs.values("actor").annotate(n=Count("pk")).order_by("actor")}


def audit_last_seq(until: datetime) -> int:
    """The sequence number of the last audit row before `until` (0 if none): what the report covers. Walks
    the sequence index from the newest row back (rows are appended in time order, so this stops early)."""
    last = AuditEntry.objects.filter(at__lt=until).order_by("-seq").values_list("seq", flat=True).first()
    return int(last or 0)


@dataclass(frozen=True)
class AlertCounts:
    raised: dict[str, int]  # by kind: raised in the period
    acknowledged: dict[str, int]  # by kind: acknowledged in the period
    open_at_end: dict[str, int]  # by kind: raised before the end and not acknowledged by then


def alert_counts(since: datetime, until: datetime, kinds: Collection[str] | None = None) -> AlertCounts:
    qs = Alert.objects.all() if kinds is None else Alert.objects.filter(kind__in=list(kinds))

    def by_kind(q: Q) -> dict[str, int]:
        rows = qs.filter(q).values("kind").annotate(n=Count("pk")).order_by("kind")
        return {r["kind"]: r["n"] for r in rows}

    return AlertCounts(
        raised=by_kind(Q(raised_at__gte=since, raised_at__lt=until)),
        acknowledged=by_kind(Q(acknowledged_at__gte=since, acknowledged_at__lt=until)),
        open_at_end=by_kind(Q(raised_at__lt=until) & (Q(acknowledged_at__isnull=True)
                                                      | Q(acknowledged_at__gte=until))),
    )


def alert_users(since: datetime, until: datetime, kinds: Collection[str]) -> list[tuple[str, str, int]]:
    """(kind, username, alerts) of the given kinds raised in the period, most first."""
    rows = (Alert.objects.filter(kind__in=list(kinds), raised_at__gte=since, raised_at__lt=until)
            .values("kind", "username").annotate(n=Count("pk")).order_by("-n", "kind", "username"))
    return [(r["kind"], r["username"], r["n"]) for r in rows]


def staff_names(usernames: Collection[str]) -> dict[str, str]:
    """職員氏名 by user name, for the names a report shows (one query)."""
    rows = StaffUser.objects.filter(username__in=list(set(usernames))).values_list("username", "staff_name")
    return {username: name for username, name in rows if name}
