"""`kouki alerts`: the auditors' alerts (issue 14 §6; docs/operations/reading-alerts.md).

    kouki alerts list --as USER [--open] [--kind KIND] [--user STAFF] [--since DATE] [--until DATE]
    kouki alerts ack ALERT_ID --note TEXT --as USER
    kouki alerts scan --since DATE [--until DATE] --as USER

list and scan need VIEW_AUDIT, ack needs ACKNOWLEDGE_ALERTS (both the auditor's). No personal number is
printed: alerts never hold one. scan runs the look-back rules of kouki.privacy.anomalies over the days given.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from kouki.accounts.permissions import Perm
from kouki.commands.operator import add_operator_argument, command_actor

if TYPE_CHECKING:
    from kouki.privacy.anomalies.readers import Readers


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
    scan = alerts_sub.add_parser("scan", help="警告の規則で期間を点検する (sweep the look-back rules)")
    scan.add_argument("--since", type=date.fromisoformat, required=True,
                      help="点検する期間の初日 (YYYY-MM-DD)")
    scan.add_argument("--until", type=date.fromisoformat, default=None,
                      help="点検する期間の末日 (inclusive; default today)")
    add_operator_argument(scan, Perm.VIEW_AUDIT)
    scan.set_defaults(handler=run_scan)


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


def _readers() -> Readers:
    """What the sweep reads about people, from the domain apps' selectors (kouki.privacy may not)."""
    from kouki.addressees import selectors as addressees
    from kouki.applications import selectors as applications
    from kouki.arrears import selectors as arrears
    from kouki.assessment import selectors as assessment
    from kouki.banking import selectors as banking
    from kouki.collection import selectors as collection
    from kouki.eligibility import selectors as eligibility
    from kouki.notifications import selectors as notifications
    from kouki.privacy.anomalies.readers import PersonFacts, Readers
    from kouki.slips import selectors as slips

    apps = (addressees, applications, arrears, assessment, banking, collection, eligibility, notifications,
            slips)

    def targets(person_id: int) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for app in apps:
            for kind, ids in app.audit_targets_of(person_id).items():
                out.setdefault(str(kind), []).extend(ids)
        return out

    def facts(person_ids: Iterable[int]) -> dict[int, PersonFacts]:
        return {pid: PersonFacts(v.family_name, v.family_name_kana, v.address)
                for pid, v in addressees.persons_current(person_ids).items()}

    return Readers(facts=facts, targets=targets)


def run_scan(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from django.utils import timezone

    from kouki.privacy.anomalies import scan

    command_actor(args, "alerts scan")
    until_day = args.until or timezone.localdate()
    if until_day < args.since:
        raise CommandError(f"--until {until_day} is before --since {args.since}: no day in between")
    result = scan(since=_day_start(args.since), until=_day_start(until_day + timedelta(days=1)),
                  readers=_readers())
    local = timezone.localtime
    print(f"scanned {local(result.since):%Y-%m-%d %H:%M} – {local(result.until):%Y-%m-%d %H:%M}")
    for family, runs in result.runs.items():
        print(f"  {family}: {runs} alert run(s)")
    if result.counter_work_until < result.until:
        print(f"  reveals after {local(result.counter_work_until):%Y-%m-%d %H:%M} are judged for counter "
              "work by the next scan (their window has not passed)")
    return 0
