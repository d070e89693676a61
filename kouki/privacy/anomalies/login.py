"""Checked at each sign-in (kouki.staff.services.signed_in calls `login_noted` in its transaction): a dormant
account becoming active, a terminal new for the user or not in the configured list, a sign-in out of hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from kouki.accounts.models import StaffUser
from kouki.core.alert_config import alert_thresholds
from kouki.core.config import access_config
from kouki.privacy.alerts import alert_raise, register_rule
from kouki.privacy.anomalies.common import local_day
from kouki.privacy.anomalies.hours import OUT_OF_HOURS, out_of_hours
from kouki.privacy.models import KnownTerminal
from kouki.privacy.redaction import redact

DORMANT = "dormant_account_active"
NEW_TERMINAL = "new_terminal"

register_rule(DORMANT, "休眠アカウントの利用再開",
              "長期間(KOUKI_DORMANT_DAYS)ログインのなかったアカウントでログインがありました。本人の復帰・異動など"
              "理由があるか、アカウントの棚卸しと照らして確認してください。")
register_rule(NEW_TERMINAL, "未登録・初めての端末からのログイン",
              "この職員が使ったことのない端末、または登録された端末の一覧にない端末からログインがありました。"
              "端末の配置換えなど理由があるか、端末IDを確認してください。")


def _one(kind: str, user: StaffUser, at: datetime, terminal_id: str, details: dict[str, object]) -> None:
    alert_raise(kind=kind, user=user, window_start=at, window_end=at, count=1, details=details,
                terminal_id=terminal_id)


def _terminal_is_new(user: StaffUser, terminal_id: str, at: datetime) -> bool:
    """Records the terminal for the user; True when the user had signed in from others but never this one.
    An account's first terminal is learnt without an alert (accounts from before this rule included)."""
    seen = KnownTerminal.objects.filter(user=user)
    if seen.filter(terminal_id=terminal_id).update(last_seen_at=at) > 0:
        return False
    first = not seen.exists()
    try:
        with transaction.atomic():  # a parallel sign-in from the same terminal may have recorded it
            KnownTerminal.objects.create(user=user, terminal_id=terminal_id, first_seen_at=at,
                                         last_seen_at=at)
    except IntegrityError:
        return False
    return not first


def login_noted(*, user: StaffUser, terminal_id: str, at: datetime, previous_login: datetime | None) -> None:
    """After both factors passed, before last_login is moved on."""
    t = alert_thresholds()
    dormant_days = access_config().dormant_days
    since = previous_login or user.date_joined
    if dormant_days > 0 and since is not None and at - since >= timedelta(days=dormant_days):
        _one(DORMANT, user, at, terminal_id, {"dormant_days": dormant_days,
                                              "previous_login": local_day(since).isoformat()
                                              if previous_login else "",
                                              "days_without_login": (at - since).days})
    terminal = terminal_id[:64]
    new = _terminal_is_new(user, terminal, at) if terminal else False
    unlisted = bool(t.known_terminals) and terminal not in t.known_terminals
    if (t.new_terminal and new) or unlisted:
        _one(NEW_TERMINAL, user, at, terminal_id, {"terminal": redact(terminal), "new_for_user": new,
                                                   "not_in_list": unlisted})
    if t.out_of_hours_per_day > 0 and user.username not in t.out_of_hours_exempt and out_of_hours(at):
        _one(OUT_OF_HOURS, user, at, terminal_id, {"day": local_day(at).isoformat(), "sign_in": True})

