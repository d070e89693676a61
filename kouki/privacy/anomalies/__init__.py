"""Anomaly alerts for the auditors (issue 15 §2; docs/operations/reading-alerts.md), one module per family.

Checked where the event happens: sign-in (`login.login_noted`: dormant account, new terminal, out of hours)
and batch admission (`batch.batch_noted`); the reveal burst/hourly/limit rules of issue 14 are
kouki.privacy.reading. Swept over a period by `kouki alerts scan` (`scan`): reveals without counter work,
outside the ward or of the user's family name, daily volume, out-of-hours activity, repeated refusals.
Importing this package registers every kind (kouki.privacy.apps does at start-up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from kouki.core.alert_config import alert_thresholds
from kouki.core.faults import batch_transaction, fault_point
from kouki.privacy.anomalies import batch, login  # noqa: F401 (registers their kinds)
from kouki.privacy.anomalies.counter import reveals_settled_before, scan_counter_work
from kouki.privacy.anomalies.hours import scan_out_of_hours
from kouki.privacy.anomalies.people import scan_people
from kouki.privacy.anomalies.readers import Readers
from kouki.privacy.anomalies.refusals import scan_refusals
from kouki.privacy.anomalies.volume import scan_volume


@dataclass(frozen=True)
class ScanResult:
    since: datetime
    until: datetime
    counter_work_until: datetime  # reveals after this are judged by the next sweep
    runs: dict[str, int]  # family → alerts raised or grown


def scan(*, since: datetime, until: datetime, readers: Readers, now: datetime | None = None) -> ScanResult:
    """Sweep [since, until) with every look-back rule, in one transaction (a crash leaves no alert of the
    sweep half raised). Safe to repeat: a run already alerted grows the open alert (same count), and
    events up to an acknowledged alert's window are not raised again."""
    now = now or timezone.now()
    until = min(until, now)
    t = alert_thresholds()
    fault_point("after-read", "alerts-scan")  # crash tests only (kouki.core.faults)
    with batch_transaction("alerts-scan"):
        runs = {
            "counter_work": scan_counter_work(since, until, t, readers.targets, now),
            "people": scan_people(since, until, t, readers.facts),
            "volume": scan_volume(since, until, t),
            "out_of_hours": scan_out_of_hours(since, until, t),
            "refusals": scan_refusals(since, until, t),
        }
    return ScanResult(since, until, reveals_settled_before(until, t, now), runs)
