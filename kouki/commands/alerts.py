"""`kouki alerts`: the auditors' alerts (issue 14 §6; docs/operations/reading-alerts.md).

    kouki alerts list --as USER [--open] [--kind KIND] [--user STAFF] [--since DATE] [--until DATE]
    kouki alerts ack ALERT_ID --note TEXT --as USER

list needs VIEW_AUDIT, ack needs ACKNOWLEDGE_ALERTS (both the auditor's). No personal number is printed:
alerts never hold one.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime, time, timedelta

from kouki.accounts.permissions import Perm
from kouki.commands.operator import add_operator_argument, command_actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("alerts", help="監査警告 (alerts for the auditors)")
    alerts_sub = p.add_subparsers(dest="alerts_command", required=True)
    listing = alerts_sub.add_parser("list", help="警告の一覧 (list alerts, newest first)")
    listing.add_argument("--open", action="store_true", help="未確認の警告だけ (only unacknowledged)")
    listing.add_argument("--kind", default="", help="種別 (e.g. reveal_burst)")
    listing.add_argument("--user", default="", help="対象の職員ID")
    listing.add_argument("--since", type=date.fromisoformat, default=None, help="発生日 (from, YYYY-MM-DD)")
    listing.add_argument("--until", type=date.fromisoformat, default=None, help="発生日 (to, inclusive)")
    add_operator_argument(listing, Perm.VIEW_AUDIT)
    listing.set_defaults(handler=run_list)
    ack = alerts_sub.add_parser("ack", help="警告を確認済みにする (acknowledge with a note)")
    ack.add_argument("alert_id", type=int)
    ack.add_argument("--note", required=True, help="確認メモ (what was found; no personal number)")
    add_operator_argument(ack, Perm.ACKNOWLEDGE_ALERTS)
    ack.set_defaults(handler=run_ack)


def _day_start(day: date) -> datetime:
    from django.utils import timezone

    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def run_list(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from django.utils import timezone

    from kouki.privacy.alerts import alerts, rule_label

    command_actor(args, "alerts list")
    if args.since and args.until and args.until < args.since:
        raise CommandError(f"--until {args.until} is before --since {args.since}: no day in between")
    rows = alerts(open_only=args.open, kind=args.kind, username=args.user,
                  since=_day_start(args.since) if args.since else None,
                  until=_day_start(args.until + timedelta(days=1)) if args.until else None)
    count = 0
    for a in rows[:1000]:
        count += 1
        local = timezone.localtime
        by = a.acknowledged_by.username if a.acknowledged_by else ""
        state = (f"確認済 {local(a.acknowledged_at):%Y-%m-%d %H:%M} {by} メモ: {a.acknowledgement_note}"
                 if a.acknowledged_at else "未確認")
        print(f"#{a.pk} {local(a.raised_at):%Y-%m-%d %H:%M:%S} {a.kind} ({rule_label(a.kind)}) "
              f"user={a.username or '-'} count={a.count} window={local(a.window_start):%H:%M:%S}"
              f"–{local(a.window_end):%H:%M:%S} {state}")
    print(f"{count} alert(s)")
    return 0


def run_ack(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.privacy.alerts import AlertError, alert_acknowledge

    actor = command_actor(args, "alerts ack")
    try:
        alert = alert_acknowledge(actor=actor, alert_id=args.alert_id, note=args.note)
    except AlertError as exc:
        raise CommandError(str(exc)) from None
    print(f"alert #{alert.pk} acknowledged by {actor.username}")
    return 0
