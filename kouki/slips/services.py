"""Issuing and re-issuing 納付書 (payment slips) of direct-payment (普通徴収) instalments.

- `slips_issue`: the slips of one plan's direct instalments (due on or after `on`), or of given instalments.
- `slips_issue_for_plans`: the same for many plans at once (bulk insert, one audit row per chunk).
- `slip_reissue`: a new due date → a new row with the re-issue digit + 1 (0–9), same 納付書番号; the old
  slip is superseded (its barcode no longer matches a slip in force).
- `slips_supersede_replaced`: after a re-plan, the slips in force of the replaced plan's instalments are
  superseded (their amounts and dates no longer hold); the new plan's slips are then issued.

An instalment has at most one slip in force; issuing again skips instalments that have one.
The slip number is the id of the first row (PostgreSQL: reserved from the sequence; SQLite: max + 1 under
the single writer), so it is unique and fits the 12-digit 納付書番号 segment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

from kouki.assessment.models import Instalment, InstalmentMethod, InstalmentPlan
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import chunked, db_datetime, insert_rows, next_id
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.slips.codes import CodeMaker
from kouki.slips.models import PaymentSlip

CHUNK = 5000
MAX_REISSUE = 9
SLIP_FIELDS = (
    "id", "instalment_id", "person_id", "fiscal_year", "period", "slip_no", "reissue", "due_date", "amount",
    "barcode", "issued_on", "issued_at", "issued_by",
)  # fmt: skip


class SlipError(ValueError):
    """A slip cannot be issued or re-issued; the message says why."""


@dataclass(frozen=True)
class _Due:
    instalment_id: int
    person_id: int
    fiscal_year: int
    period: int
    due_date: date
    amount: int


def _dues(instalments: Iterable[tuple[int, int, int, int, date, int]]) -> list[_Due]:
    return [_Due(*row) for row in instalments]


_DUE_COLUMNS = ("pk", "plan__person_id", "plan__fiscal_year", "period", "due_date", "amount")


def _reserve_ids(count: int) -> list[int]:
    if count == 0:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [PaymentSlip._meta.db_table, count],
            )
            return [int(row[0]) for row in cursor.fetchall()]
    first = next_id(PaymentSlip)
    return list(range(first, first + count))


def _insert(dues: Sequence[_Due], *, actor: Actor, on: date, now: datetime, maker: CodeMaker) -> list[int]:
    """Insert the first-issue slips of dues (no audit); their ids."""
    ids = _reserve_ids(len(dues))
    at = db_datetime(now)
    rows = []
    for slip_id, d in zip(ids, dues, strict=True):
        code = maker.barcode(
            fiscal_year=d.fiscal_year, slip_no=slip_id, period=d.period, reissue=0, due_date=d.due_date,
            amount=d.amount,
        )  # fmt: skip
        rows.append((slip_id, d.instalment_id, d.person_id, d.fiscal_year, d.period, slip_id, 0, d.due_date,
                     d.amount, code, on, at, actor.username))  # fmt: skip
    insert_rows(PaymentSlip, SLIP_FIELDS, rows)
    return ids


def _without_slip(dues: list[_Due]) -> list[_Due]:
    issued = set(
        PaymentSlip.objects.filter(
            instalment_id__in=[d.instalment_id for d in dues], superseded_at__isnull=True
        ).values_list("instalment_id", flat=True)
    )
    return [d for d in dues if d.instalment_id not in issued and d.amount > 0]


def slips_issue(
    *, actor: Actor, on: date, plan_id: int | None = None, instalment_ids: Sequence[int] | None = None
) -> list[PaymentSlip]:
    """Issue the slips of a plan's direct instalments due on or after `on`, or of the given direct
    instalments (any due date); instalments that already have a slip in force are skipped.
    Returns the new slips in due-date order; one audit row per slip."""
    if (plan_id is None) == (instalment_ids is None):
        raise SlipError("give either plan_id or instalment_ids")
    if plan_id is not None:
        plan = InstalmentPlan.objects.filter(pk=plan_id).values_list("superseded_at", flat=True)
        if not plan.exists():
            raise SlipError(f"plan {plan_id}: no such instalment plan")
        if plan.get() is not None:
            raise SlipError(f"plan {plan_id}: superseded; issue the slips of the plan in force")
        rows = Instalment.objects.filter(plan_id=plan_id, method=InstalmentMethod.DIRECT, due_date__gte=on)
    else:
        assert instalment_ids is not None
        rows = Instalment.objects.filter(pk__in=list(instalment_ids))
        found = dict(rows.values_list("pk", "method"))
        missing = sorted(set(instalment_ids) - set(found))
        if missing:
            raise SlipError(f"instalments {missing}: not found")
        replaced = sorted(rows.filter(plan__superseded_at__isnull=False).values_list("pk", flat=True))
        if replaced:
            raise SlipError(
                f"instalments {replaced}: their plan was replaced; issue the slips of the plan in force"
            )
        pension = sorted(pk for pk, method in found.items() if method != InstalmentMethod.DIRECT)
        if pension:
            raise SlipError(
                f"instalments {pension}: not 普通徴収 (direct payment); slips are for direct payment"
            )
    dues = _dues(rows.order_by("due_date", "pk").values_list(*_DUE_COLUMNS))
    maker = CodeMaker()
    with transaction.atomic():
        todo = _without_slip(dues)
        ids = _insert(todo, actor=actor, on=on, now=timezone.now(), maker=maker)
        audit_record_many(actor=actor, items=[
            AuditItem(AuditAction.SLIP_ISSUE, AuditTarget.PAYMENT_SLIP, str(slip_id),
                      {"instalment": d.instalment_id, "fiscal_year": d.fiscal_year, "period": d.period,
                       "due_date": d.due_date.isoformat(), "amount": d.amount, "on": on.isoformat()})
            for slip_id, d in zip(ids, todo, strict=True)
        ])  # fmt: skip
    return list(PaymentSlip.objects.filter(pk__in=ids).order_by("due_date", "pk"))


def slips_issue_for_plans(
    *, actor: Actor, plan_ids: Sequence[int], on: date, chunk: int = CHUNK
) -> list[int]:
    """Issue the slips of many plans' direct instalments due on or after `on` (plans in force only;
    instalments with a slip in force skipped). One transaction, bulk inserts, one audit row per chunk.
    Returns the new slip ids in plan order, then due-date order."""
    maker = CodeMaker()
    created: list[int] = []
    now = timezone.now()
    with transaction.atomic():
        for part in map(list, chunked(plan_ids, chunk)):
            order = {pid: i for i, pid in enumerate(part)}
            rows = list(
                Instalment.objects.filter(
                    plan_id__in=part, plan__superseded_at__isnull=True, method=InstalmentMethod.DIRECT,
                    due_date__gte=on,
                ).values_list("plan_id", *_DUE_COLUMNS)
            )  # fmt: skip
            rows.sort(key=lambda r: (order[r[0]], r[5], r[1]))
            todo = _without_slip(_dues(r[1:] for r in rows))
            if not todo:
                continue
            ids = _insert(todo, actor=actor, on=on, now=now, maker=maker)
            audit_record_many(actor=actor, items=[AuditItem(
                AuditAction.SLIPS_ISSUE_FOR_PLANS, AuditTarget.PAYMENT_SLIP, f"{min(ids)}-{max(ids)}",
                {"plans": len(part), "slips": len(ids), "on": on.isoformat()},
            )])  # fmt: skip
            created.extend(ids)
        if created and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {PaymentSlip._meta.db_table}")
    return created


def slip_reissue(*, actor: Actor, slip_id: int, new_due_date: date, on: date | None = None) -> PaymentSlip:
    """Re-issue a slip in force with a new due date: same 納付書番号 and amount, re-issue digit + 1, a new
    code; the old slip is superseded. After re-issue 9 the number is used up (SlipError)."""
    issued_on = on or timezone.localdate()
    maker = CodeMaker()
    with transaction.atomic():
        old = PaymentSlip.objects.select_for_update().filter(pk=slip_id).first()
        if old is None:
            raise SlipError(f"slip {slip_id}: no such slip")
        if old.superseded_at is not None:
            raise SlipError(f"slip {slip_id}: superseded; re-issue the slip in force")
        if old.reissue >= MAX_REISSUE:
            raise SlipError(
                f"slip {slip_id}: re-issued {MAX_REISSUE} times already (再発行区分 is one digit); "
                "cancel it and issue a new slip"
            )
        now = timezone.now()
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
        reissue = old.reissue + 1
        new = PaymentSlip.objects.create(
            instalment_id=old.instalment_id, person_id=old.person_id, fiscal_year=old.fiscal_year,
            period=old.period, slip_no=old.slip_no, reissue=reissue, due_date=new_due_date, amount=old.amount,
            barcode=maker.barcode(fiscal_year=old.fiscal_year, slip_no=old.slip_no, period=old.period,
                                  reissue=reissue, due_date=new_due_date, amount=old.amount),
            issued_on=issued_on, issued_at=now, issued_by=actor.username,
        )  # fmt: skip
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.SLIP_REISSUE, AuditTarget.PAYMENT_SLIP, str(new.pk),
            {"replaces": old.pk, "slip_no": old.slip_no, "reissue": reissue,
             "old_due_date": old.due_date.isoformat(), "due_date": new_due_date.isoformat()},
        )])  # fmt: skip
    return new


def slips_supersede_replaced(*, actor: Actor, person_id: int, fiscal_year: int) -> list[int]:
    """Supersede the slips in force whose instalment belongs to a replaced plan of the person's year
    (after a re-plan); their ids, one audit row each."""
    with transaction.atomic():
        stale = list(
            PaymentSlip.objects.select_for_update()
            .filter(person_id=person_id, fiscal_year=fiscal_year, superseded_at__isnull=True,
                    instalment__plan__superseded_at__isnull=False)
            .order_by("pk")
            .values_list("pk", "period", "due_date")
        )  # fmt: skip
        ids = [pk for pk, _p, _d in stale]
        PaymentSlip.objects.filter(pk__in=ids).update(superseded_at=timezone.now())
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.SLIP_SUPERSEDE, AuditTarget.PAYMENT_SLIP, str(pk),
            {"period": period, "due_date": due.isoformat(), "why": "plan replaced"},
        ) for pk, period, due in stale])  # fmt: skip
    return ids
