"""延滞金 on the ledger: derived from each instalment's allocations when it is paid in full late, and
waived (減免) by a supervisor. Rule: kouki/rules/collection/late_charge.py; decisions: ADR 0008 "延滞金".

`refresh` runs inside the allocation's transaction (kouki.collection.state.flush) for the fiscal years
whose allocations changed with a late payment, or were derived again; `audit_changes` writes the audit
rows of what it changed under the acting user. Nothing is computed while the city's ordinance value
KOUKI_LATE_CHARGE_EARLY_MONTHS is not set (ADR 0006 §4).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from kouki.assessment.models import Instalment
from kouki.collection.deferral_selectors import waived_periods
from kouki.collection.models import Allocation, Channel, InstalmentAccount, LateCharge
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import city_config
from kouki.core.db import chunked
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.rules.collection.late_charge import (
    LateChargeRules,
    MissingRate,
    Reduction,
    Segment,
    late_charge,
)

Key = tuple[int, int]  # (person_id, fiscal_year)
Slot = tuple[int, int, str, int]  # (person_id, fiscal_year, method, period)
CHUNK = 500


class LateChargeError(ValueError):
    """A late-charge decision that cannot be made; the message says why."""


@dataclass(frozen=True)
class Change:
    """A late charge written, changed or removed by `refresh` (for the audit row)."""

    pk: int
    person_id: int
    fiscal_year: int
    period: int
    amount: int | None  # None: removed
    problem: str


@dataclass(frozen=True)
class _Inst:
    pk: int
    person_id: int
    fiscal_year: int
    method: str
    period: int
    due_date: date
    amount: int


def _segments(segments: Sequence[Segment]) -> list[dict[str, object]]:
    return [
        {"start": s.start.isoformat(), "end": s.end.isoformat(), "days": s.days, "base": s.base,
         "percent": str(s.percent), "early": s.early}
        for s in segments
    ]  # fmt: skip


def compute(
    principal: int, due: date, payments: Sequence[tuple[date, int]], until: date, rules: LateChargeRules,
    waived: Sequence[tuple[date, date]] = (),
) -> tuple[int, int, int, list[dict[str, object]], str]:  # fmt: skip
    """(days, computed, amount, detail, problem) of one instalment; a missing year's rate is a problem,
    not an error (the payment is recorded all the same). `waived`: its 徴収猶予 periods."""
    try:
        r = late_charge(principal, due, [Reduction(on, a) for on, a in payments], until, rules, waived)
    except MissingRate as exc:
        return (until - due).days, 0, 0, [], str(exc)[:200]
    return r.days, r.computed, r.amount, _segments(r.segments), ""


def refresh(keys: Iterable[Key]) -> list[Change]:
    """Derive the late charges of these fiscal years again from their allocations (plans in force)."""
    rules = city_config().late_charge_rules
    if rules.early_months is None:
        return []
    changes: list[Change] = []
    for part in chunked(sorted(set(keys)), CHUNK):
        changes += _refresh_part(part, rules)
    return changes


def _refresh_part(keys: Sequence[Key], rules: LateChargeRules) -> list[Change]:
    by_year: dict[int, list[int]] = defaultdict(list)
    for person_id, fy in keys:
        by_year[fy].append(person_id)
    insts: dict[int, _Inst] = {}
    for fy, people in by_year.items():
        for pk, person_id, method, period, due, amount in Instalment.objects.filter(
            plan__superseded_at__isnull=True, plan__fiscal_year=fy, plan__person_id__in=people
        ).values_list("pk", "plan__person_id", "method", "period", "due_date", "amount"):
            insts[pk] = _Inst(pk, person_id, fy, method, period, due, amount)
    accounts = {
        i: (charged, unpaid, written_off)
        for i, charged, unpaid, written_off in InstalmentAccount.objects.filter(
            instalment_id__in=list(insts)
        ).values_list("instalment_id", "charged", "unpaid", "written_off")
    }
    paid: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for i, amount, on, channel in Allocation.objects.filter(instalment_id__in=list(insts)).values_list(
        "instalment_id", "amount", "receipt__paid_on", "receipt__channel"
    ):
        if channel != Channel.WRITE_OFF:
            paid[i].append((on, amount))
    waived = waived_periods({i.person_id for i in insts.values()}, by_year)
    existing: dict[Slot, LateCharge] = {}
    for fy, people in by_year.items():
        for lc in LateCharge.objects.select_for_update().filter(fiscal_year=fy, person_id__in=people):
            existing[(lc.person_id, lc.fiscal_year, lc.method, lc.period)] = lc
    now = timezone.now()
    changes: list[Change] = []
    seen: set[Slot] = set()
    for inst in insts.values():
        slot = (inst.person_id, inst.fiscal_year, inst.method, inst.period)
        acc = accounts.get(inst.pk)
        payments = sorted(paid.get(inst.pk, []))
        if acc is None or acc[1] != 0 or acc[2] != 0 or not payments or payments[-1][0] <= inst.due_date:
            continue  # not fully paid, partly written off, or paid in time
        last = payments[-1][0]
        days, computed, amount, detail, problem = compute(
            acc[0], inst.due_date, payments, last, rules, waived.get(slot, ())
        )
        if amount == 0 and not problem:
            continue
        seen.add(slot)
        found = existing.get(slot)
        values = {
            "instalment_id": inst.pk, "due_date": inst.due_date, "principal": acc[0], "paid_off_on": last,
            "days": days, "computed": computed, "amount": amount, "detail": detail, "problem": problem,
        }  # fmt: skip
        if found is not None and all(getattr(found, k) == v for k, v in values.items()):
            continue
        if found is None:
            lc = LateCharge(person_id=inst.person_id, fiscal_year=inst.fiscal_year, method=inst.method,
                            period=inst.period, computed_at=now, **values)  # fmt: skip
        else:
            lc = found
            for k, v in values.items():
                setattr(lc, k, v)
            lc.computed_at = now
        lc.save()
        changes.append(Change(lc.pk, lc.person_id, lc.fiscal_year, lc.period, amount, problem))
    for slot, lc in existing.items():
        if slot in seen:
            continue
        if lc.waived_amount:  # a decision stays on record; the charge itself is gone
            if lc.amount or lc.problem:
                lc.amount, lc.computed, lc.problem, lc.computed_at = 0, 0, "", now
                lc.save(update_fields=["amount", "computed", "problem", "computed_at"])
                changes.append(Change(lc.pk, lc.person_id, lc.fiscal_year, lc.period, 0, ""))
            continue
        changes.append(Change(lc.pk, lc.person_id, lc.fiscal_year, lc.period, None, ""))
        lc.delete()
    return changes


def audit_changes(actor: Actor, changes: Sequence[Change]) -> None:
    if not changes:
        return
    audit_record_many(actor=actor, items=[
        AuditItem(AuditAction.LATE_CHARGE_DETERMINE, AuditTarget.LATE_CHARGE, str(c.pk), {
            "fiscal_year": c.fiscal_year, "period": c.period, "amount": c.amount, "problem": c.problem,
        })
        for c in changes
    ])  # fmt: skip


def late_charges_recompute(*, actor: Actor, keys: Iterable[Key]) -> int:
    """Derive the late charges of these fiscal years again (after KOUKI_LATE_CHARGE_EARLY_MONTHS or a
    year's rate was set); audited. Returns how many changed."""
    with transaction.atomic():
        changes = refresh(keys)
        audit_changes(actor, changes)
    return len(changes)


def late_charge_waive(
    *, actor: Actor, late_charge_id: int, amount: int | None, reason: str, on: date
) -> LateCharge:
    """減免 of a late charge by a supervisor (the screen checks Perm.DECIDE_COLLECTION): `amount` None
    waives all that is outstanding. One decision per charge; a reason is required."""
    if not reason.strip():
        raise LateChargeError("減免の理由を入力してください")
    with transaction.atomic():
        lc = LateCharge.objects.select_for_update().filter(pk=late_charge_id).first()
        if lc is None:
            raise LateChargeError(f"延滞金 {late_charge_id} はありません")
        if lc.waived_amount:
            raise LateChargeError("この延滞金は既に減免されています")
        if lc.amount <= 0:
            raise LateChargeError("減免する延滞金がありません")
        value = lc.amount if amount is None else amount
        if not 0 < value <= lc.amount:
            raise LateChargeError(f"減免額は1円以上{lc.amount:,}円以下で入力してください")
        if on > timezone.localdate():
            raise LateChargeError("減免決定日に将来の日付は指定できません")
        lc.waived_amount, lc.waived_on = value, on
        lc.waived_by, lc.waive_reason = actor.username, reason[:200]
        lc.save(update_fields=["waived_amount", "waived_on", "waived_by", "waive_reason"])
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.LATE_CHARGE_WAIVE, AuditTarget.LATE_CHARGE, str(lc.pk),
            {"fiscal_year": lc.fiscal_year, "period": lc.period, "amount": lc.amount, "waived": value,
             "reason": reason[:200], "on": on.isoformat()},
        )])  # fmt: skip
    return lc
