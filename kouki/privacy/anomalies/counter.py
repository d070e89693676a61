"""Personal-number reveals without counter work on that person (swept).

Counter work is any audit row written by the same user, within KOUKI_ALERT_COUNTER_WINDOW_MINUTES before or
after the reveal, about one of the person's records: the 宛名 itself, applications (受付・訂正・通知), 届出
(notifications), eligibility and certificates, premiums, receipts and collection, slips, bank accounts,
arrears — whatever the domain apps' `audit_targets_of` name for the person (handed in by the caller). Not
counter work: the reveal or search itself, opening 宛名詳細 (a look is what this rule is about), refusals
and alerts. Reveals younger than the window are left for the next sweep (the work may follow the reveal).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Q

from kouki.accounts.models import StaffUser
from kouki.core.alert_config import AlertThresholds
from kouki.core.audit_vocabulary import AuditAction
from kouki.privacy.alerts import register_rule
from kouki.privacy.anomalies.common import open_events, per_day, raise_run
from kouki.privacy.anomalies.readers import PersonTargetsReader
from kouki.privacy.models import AuditEntry, ReferenceKind, ReferenceLog

NO_COUNTER_WORK = "reveal_without_counter_work"

NOT_COUNTER_WORK = frozenset({
    AuditAction.PERSONAL_NUMBER_REVEAL, AuditAction.PERSONAL_NUMBER_SEARCH, AuditAction.READING_REFUSED,
    AuditAction.ALERT_RAISE, AuditAction.ALERT_ACKNOWLEDGE, AuditAction.ACCESS_DENIED,
})

register_rule(NO_COUNTER_WORK, "窓口の手続を伴わない個人番号の表示",
              "個人番号を表示した前後の時間内に、同じ職員によるその方の手続(申請・届出・証の交付・収納など)の"
              "記録がありません。参照記録の理由を確認し、窓口・電話での対応記録(受付票など)と照らしてください。")


def reveals_settled_before(until: datetime, t: AlertThresholds, now: datetime) -> datetime:
    """The end of the reveals this sweep can judge: their window after the reveal must have passed."""
    return min(until, now - timedelta(minutes=t.counter_window_minutes))


def scan_counter_work(since: datetime, until: datetime, t: AlertThresholds, targets_of: PersonTargetsReader,
                      now: datetime) -> int:
    if t.counter_window_minutes <= 0:
        return 0
    window = timedelta(minutes=t.counter_window_minutes)
    end = reveals_settled_before(until, t, now)
    reveals = list(ReferenceLog.objects.filter(at__gte=since, at__lt=end, kind=ReferenceKind.REVEAL,
                                               person__isnull=False)
                   .values_list("user_id", "username", "person_id", "at"))
    if not reveals:
        return 0
    targets: dict[int, set[tuple[str, str]]] = {}

    def records_of(person_id: int) -> set[tuple[str, str]]:  # read only for reveals with work near them
        if person_id not in targets:
            targets[person_id] = {(kind, tid) for kind, ids in targets_of(person_id).items() for tid in ids}
        return targets[person_id]

    work: dict[str, list[tuple[datetime, str, str]]] = defaultdict(list)
    rows = (AuditEntry.objects.filter(actor__in={r[1] for r in reveals}, at__gte=since - window,
                                      at__lt=end + window)
            .exclude(action__in=[str(a) for a in NOT_COUNTER_WORK])
            .exclude(Q(target_type="") | Q(target_id=""))
            .values_list("actor", "at", "target_type", "target_id"))
    for actor, w_at, kind, tid in rows.iterator():
        work[actor].append((w_at, kind, tid))
    unmatched: dict[int, list[datetime]] = defaultdict(list)
    for user_id, username, person_id, at in reveals:
        near = [(kind, tid) for w_at, kind, tid in work[username] if abs(w_at - at) <= window]
        if not near or not any(pair in records_of(person_id) for pair in near):
            unmatched[user_id].append(at)
    users = StaffUser.objects.in_bulk(set(unmatched))
    raised = 0
    for user_id, moments in open_events(NO_COUNTER_WORK, unmatched).items():
        for day, on_day in per_day(moments).items():
            raise_run(NO_COUNTER_WORK, users[user_id], on_day,
                      {"day": day.isoformat(), "window_minutes": t.counter_window_minutes})
            raised += 1
    return raised
