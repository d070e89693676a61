"""Alerts for the auditors (issue 14 §6; the base of issue 15 §2's anomaly rules).

A rule is registered once in ALERT_RULES under its kind (a short code) with its Japanese label and what it
means; the code that notices the event calls `alert_raise` with that kind. Issue 15 adds its rules with
`register_rule` from its own module (the registry is open; no rule is hard-wired into the model).

While an alert of the same kind for the same user is open (not acknowledged) and its window still runs,
further events raise its count and move its window end instead of raising another: a burst of 200 is one
alert, not 200. Raising writes an audit row; acknowledging (who, when, a note) writes one too. Neither
the details nor the note may carry a personal number (checked).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.models import Alert
from kouki.privacy.redaction import assert_no_personal_number, contains_personal_number

NOTE_MAX = 400


@dataclass(frozen=True)
class AlertRule:
    kind: str
    label: str  # for the 監査警告 screen and `kouki alerts list`
    meaning: str  # what it means and what the auditor should look at


ALERT_RULES: dict[str, AlertRule] = {}


def register_rule(kind: str, label: str, meaning: str) -> AlertRule:
    """Add a rule to the registry (idempotent for the same kind and label)."""
    rule = AlertRule(kind, label, meaning)
    existing = ALERT_RULES.get(kind)
    if existing is not None and existing != rule:
        raise ValueError(f"alert kind {kind!r} is registered already with another meaning")
    ALERT_RULES[kind] = rule
    return rule


def rule_label(kind: str) -> str:
    rule = ALERT_RULES.get(kind)
    return rule.label if rule else kind


class AlertError(ValueError):
    """An acknowledgement that cannot be made (unknown alert, done already, bad note, no permission)."""


def alert_raise(*, kind: str, user: StaffUser | None, window_start: datetime, window_end: datetime,
                count: int, details: dict[str, Any], terminal_id: str = "") -> Alert:
    """Raise an alert of a registered kind, or add to the open one of the same kind and user whose window
    has not ended before this one starts. Runs in the caller's transaction when there is one."""
    if kind not in ALERT_RULES:
        raise ValueError(f"alert kind {kind!r} is not registered")
    assert_no_personal_number(json.dumps(details, ensure_ascii=False))
    with transaction.atomic():
        open_alert = (
            Alert.objects.select_for_update()
            .filter(kind=kind, user=user, acknowledged_at__isnull=True, window_end__gte=window_start)
            .order_by("-window_end").first()
        )
        if open_alert is not None:
            open_alert.count = max(open_alert.count, count)
            open_alert.window_end = max(open_alert.window_end, window_end)
            open_alert.details = {**open_alert.details, **details}
            open_alert.save(update_fields=["count", "window_end", "details"])
            return open_alert
        alert = Alert.objects.create(
            kind=kind, user=user, username=user.username if user else "", window_start=window_start,
            window_end=window_end, count=count, details=details, raised_at=timezone.now(),
        )
        audit_record(
            actor=Actor(username=user.username if user else "system", terminal_id=terminal_id,
                        user_id=user.pk if user else None),
            action=AuditAction.ALERT_RAISE, target_type=AuditTarget.PRIVACY_ALERT, target_id=str(alert.pk),
            detail={"kind": kind, "user": alert.username, "count": count, **details},
        )
        return alert


def alert_acknowledge(*, actor: Actor, alert_id: int, note: str) -> Alert:
    """An auditor records that the alert was looked into, with a note (required, no personal number)."""
    note = note.strip()
    if not note:
        raise AlertError("確認メモを入力してください")
    if len(note) > NOTE_MAX:
        raise AlertError(f"確認メモは{NOTE_MAX}文字以内で入力してください")
    if contains_personal_number(note):
        raise AlertError("確認メモに個人番号を書かないでください")
    user = StaffUser.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    if user is None or not user.has_kouki_perm(Perm.ACKNOWLEDGE_ALERTS):
        raise AlertError("警告を確認する権限がありません")
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None:
            raise AlertError(f"警告 {alert_id} はありません")
        if alert.acknowledged_at is not None:
            raise AlertError(f"警告 {alert_id} は確認済みです")
        alert.acknowledged_by = user
        alert.acknowledged_at = timezone.now()
        alert.acknowledgement_note = note
        alert.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note"])
        audit_record(
            actor=actor, action=AuditAction.ALERT_ACKNOWLEDGE, target_type=AuditTarget.PRIVACY_ALERT,
            target_id=str(alert.pk), detail={"kind": alert.kind, "user": alert.username, "note": note},
        )
    return alert


def alerts(*, open_only: bool = False, kind: str = "", username: str = "", since: datetime | None = None,
           until: datetime | None = None) -> QuerySet[Alert]:
    """Alerts newest first, filtered by state, kind, user and when raised [since, until)."""
    qs = Alert.objects.select_related("acknowledged_by")
    if open_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if username:
        qs = qs.filter(username=username)
    if since is not None:
        qs = qs.filter(raised_at__gte=since)
    if until is not None:
        qs = qs.filter(raised_at__lt=until)
    return qs.order_by("-raised_at", "-pk")


def window(now: datetime, seconds: int) -> tuple[datetime, datetime]:
    return now - timedelta(seconds=seconds), now
