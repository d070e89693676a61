"""Bulk reading noticed (issue 14 §6): personal-number reveals and 宛名詳細 views per user and hour.

Each kind of reading has its limits (kouki.core.config.reading_limits; docs/operations/reading-alerts.md):
- before a reading, `reading_admit` counts the user's readings of that kind in the last 60 minutes; at the
  hard limit the reading is refused (ReadingLimitExceeded, an audit row, and a `<kind>_limit` alert that
  counts the refused attempts) — the refusal is committed even though the reading is not;
- after a reading (in its transaction), `reading_noted` raises a `<kind>_hourly` alert when the count of
  the last 60 minutes reaches the alert threshold, and a `<kind>_burst` alert when the count of the last
  `burst_seconds` reaches `burst`.
Reveals are counted in the reference log (kind 表示), person views in PersonView. Two requests racing at
the limit can both pass: the limit may be overshot by the number of the user's parallel requests.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import ReadingLimits, reading_limits
from kouki.privacy.alerts import alert_raise, register_rule
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.models import PersonView, ReferenceKind, ReferenceLog

HOUR = timedelta(hours=1)


class Reading(StrEnum):
    REVEAL = "reveal"
    PERSON_VIEW = "person_view"


READING_LABELS = {Reading.REVEAL: "個人番号の表示", Reading.PERSON_VIEW: "宛名詳細の閲覧"}

for _reading, _label in READING_LABELS.items():
    register_rule(f"{_reading}_burst", f"{_label}の短時間集中",
                  f"短時間に{_label}が集中しました(一括読み取りの疑い)。参照記録で対象者と理由を確認してください。")
    register_rule(f"{_reading}_hourly", f"{_label}の件数超過(1時間)",
                  f"1時間の{_label}が警告の件数に達しました。業務上の必要があったか確認してください。")
    register_rule(f"{_reading}_limit", f"{_label}の上限到達(拒否)",
                  f"1時間の{_label}が上限に達し、以後の{_label}を拒否しました。")


class ReadingLimitExceeded(Exception):
    """The user reached the hourly limit of this kind of reading; nothing was shown. No number in it."""

    def __init__(self, reading: Reading, limit: int) -> None:
        super().__init__(f"{READING_LABELS[reading]}は1時間に{limit}件までです。しばらく待つか、"
                         "業務上必要な場合は監査担当者に連絡してください。")
        self.reading = reading
        self.limit = limit


def _count(user: StaffUser, reading: Reading, since: datetime) -> int:
    if reading == Reading.REVEAL:
        return ReferenceLog.objects.filter(user=user, at__gt=since, kind=ReferenceKind.REVEAL).count()
    return PersonView.objects.filter(user=user, at__gt=since).count()


def _counts(user: StaffUser, reading: Reading, first: datetime, second: datetime) -> tuple[int, int]:
    """The user's readings of this kind after `first` and after `second`, in one query."""
    rows = (ReferenceLog.objects.filter(kind=ReferenceKind.REVEAL) if reading == Reading.REVEAL
            else PersonView.objects.all()).filter(user=user, at__gt=min(first, second))
    found = rows.aggregate(first=Count("pk", filter=Q(at__gt=first)),
                           second=Count("pk", filter=Q(at__gt=second)))
    return int(found["first"]), int(found["second"])


def _details(reading: Reading, limits: ReadingLimits, **more: int) -> dict[str, object]:
    return {"reading": str(reading), "alert_per_hour": limits.alert_per_hour,
            "limit_per_hour": limits.limit_per_hour, **more}


def reading_admit(user: StaffUser, reading: Reading, *, terminal_id: str, person_id: int | None = None,
                  now: datetime | None = None) -> None:
    """Refuse (ReadingLimitExceeded) when the user is at the hourly limit; the refusal, its audit row and
    the alert are committed on their own. Call before the reading's transaction."""
    limits = reading_limits(reading)
    if limits.limit_per_hour <= 0:
        return
    now = now or timezone.now()
    count = _count(user, reading, now - HOUR)
    if count < limits.limit_per_hour:
        return
    with transaction.atomic():
        alert = alert_raise(kind=f"{reading}_limit", user=user, window_start=now - HOUR, window_end=now,
                            count=0, details=_details(reading, limits, readings_in_window=count),
                            terminal_id=terminal_id)
        alert.count += 1  # the refused attempts
        alert.save(update_fields=["count"])
        audit_record(
            actor=Actor(username=user.username, terminal_id=terminal_id, user_id=user.pk),
            action=AuditAction.READING_REFUSED, target_type=AuditTarget.PERSON,
            target_id="" if person_id is None else str(person_id),
            detail={"reading": str(reading), "limit_per_hour": limits.limit_per_hour, "alert_id": alert.pk},
        )
    raise ReadingLimitExceeded(reading, limits.limit_per_hour)


def reading_noted(user: StaffUser, reading: Reading, *, terminal_id: str,
                  now: datetime | None = None) -> None:
    """After a reading was recorded (in its transaction): raise the hourly and burst alerts it crosses."""
    limits = reading_limits(reading)
    now = now or timezone.now()
    hourly_on = limits.alert_per_hour > 0
    burst_on = limits.burst > 0 and limits.burst_seconds > 0
    if not (hourly_on or burst_on):
        return
    since = now - timedelta(seconds=limits.burst_seconds)
    hourly, burst = _counts(user, reading, now - HOUR, since)  # both windows in one query
    if hourly_on and hourly >= limits.alert_per_hour:
        alert_raise(kind=f"{reading}_hourly", user=user, window_start=now - HOUR, window_end=now,
                    count=hourly, details=_details(reading, limits), terminal_id=terminal_id)
    if burst_on and burst >= limits.burst:
        alert_raise(kind=f"{reading}_burst", user=user, window_start=since, window_end=now, count=burst,
                    details=_details(reading, limits, burst=limits.burst, burst_seconds=limits.burst_seconds),
                    terminal_id=terminal_id)


def person_view_record(*, user: StaffUser, person_id: int, terminal_id: str) -> None:
    """宛名詳細 opened: refused at the hourly limit (ReadingLimitExceeded), else recorded and checked."""
    reading_admit(user, Reading.PERSON_VIEW, terminal_id=terminal_id, person_id=person_id)
    with transaction.atomic():
        now = timezone.now()
        PersonView.objects.create(user=user, person_id=person_id, at=now, terminal_id=terminal_id[:64])
        reading_noted(user, Reading.PERSON_VIEW, terminal_id=terminal_id, now=now)
