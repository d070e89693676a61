"""Reads of arrears work for screens, files and other apps: the arrears list (滞納者一覧), contacts,
pledges, instalments whose limitation has passed (時効到来, extinguished), and the pension-conversion
worklist."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max

from kouki.arrears.lookups import instalment_months, pension_receipts_recorded
from kouki.arrears.models import (
    ContactRecord,
    ConversionStatus,
    PaymentPledge,
    PensionNonDeduction,
    Reminder,
    WriteOffRequest,
    WriteOffStatus,
)
from kouki.assessment.models import InstalmentMethod
from kouki.collection.deferral_selectors import (
    DeferralView,
    deferral_ends,
    deferred_on,
    deferred_person_ids,
)
from kouki.collection.limitation import ClaimRef, expiry_dates
from kouki.collection.selectors import UnpaidInstalment, unpaid_instalments
from kouki.collection.unpaid_query import (  # 特徴YYYYMM, used by kouki.arrears.importers
    PENSION_REFERENCE_PREFIX as PENSION_REFERENCE_PREFIX,
)
from kouki.core.audit_vocabulary import AuditTarget
from kouki.core.config import city_config
from kouki.core.db import AuditRecordSets, chunked, ids_per_key
from kouki.rules import arrears as rules


@dataclass(frozen=True)
class ArrearsRow:
    """One person in arrears on a date: the instalments past due and unpaid, oldest first."""

    person_id: int
    instalments: tuple[UnpaidInstalment, ...]
    last_reminder_on: date | None
    pledge_status: str | None  # the latest pledge's status
    last_contact_on: date | None

    @property
    def oldest_due(self) -> date:
        return self.instalments[0].due_date

    @property
    def total(self) -> int:
        return sum(u.unpaid for u in self.instalments)

    def by_fiscal_year(self) -> dict[int, list[UnpaidInstalment]]:
        out: dict[int, list[UnpaidInstalment]] = defaultdict(list)
        for u in self.instalments:
            out[u.fiscal_year].append(u)
        return dict(out)


def pension_results_awaited(items: Sequence[UnpaidInstalment]) -> set[int]:
    """The pension instalments among `items` whose 特別徴収結果 has not come back: no deduction recorded
    (a pension receipt of that month) and no report of a non-deduction (PensionNonDeduction of that
    month). They are unpaid only because the union's result file is still to come: not arrears."""
    pension = [u for u in items if u.method == InstalmentMethod.PENSION]
    if not pension:
        return set()
    months = instalment_months(u.instalment_id for u in pension)
    person_ids = sorted({u.person_id for u in pension})
    reported: set[tuple[int, int, str]] = set()
    for chunk in chunked(person_ids, 5000):
        reported.update(PensionNonDeduction.objects.filter(person_id__in=chunk).values_list(
            "person_id", "fiscal_year", "pension_month"))  # fmt: skip
    references = {pension_reference(m) for m in months.values()}
    deducted = pension_receipts_recorded(person_ids, references)
    return {
        u.instalment_id for u in pension
        if (u.person_id, u.fiscal_year, months[u.instalment_id]) not in reported
        and (u.person_id, pension_reference(months[u.instalment_id])) not in deducted
    }  # fmt: skip


def pension_reference(month: str) -> str:
    """The reference a pension receipt of month YYYY-MM carries (kouki.arrears.importers.reference_of)."""
    return f"{PENSION_REFERENCE_PREFIX}{month.replace('-', '')}"


def pension_awaiting(on: date, *, person_ids: list[int] | None = None) -> list[UnpaidInstalment]:
    """特別徴収の結果待ち: pension instalments past their payment date whose result has not come back,
    oldest first (kept apart from the arrears list, issue 11 §3)."""
    items = list(unpaid_instalments(due_before=on, method=InstalmentMethod.PENSION, person_ids=person_ids))
    awaited = pension_results_awaited(items)
    return [u for u in items if u.instalment_id in awaited]


def arrears_list(
    on: date, *, person_ids: list[int] | None = None, method: str | None = None
) -> list[ArrearsRow]:
    """Everyone with an instalment due before `on` and unpaid (any method unless `method` is given),
    ordered by their oldest due date, then person. Pension instalments still awaiting their result
    (`pension_results_awaited`) are not arrears and are left out: see `pension_awaiting`."""
    grouped: dict[int, list[UnpaidInstalment]] = defaultdict(list)
    items = list(unpaid_instalments(due_before=on, method=method, person_ids=person_ids))
    awaited = pension_results_awaited(items) | deferred_on(items, on)  # 徴収猶予中: not arrears
    for u in items:
        if u.instalment_id not in awaited:
            grouped[u.person_id].append(u)
    ids = list(grouped)
    reminded: dict[int, date] = {}
    contacted: dict[int, date] = {}
    pledges: dict[int, str] = {}
    for chunk in chunked(ids, 5000):
        reminded.update(
            Reminder.objects.filter(person_id__in=chunk, issued_on__lte=on)
            .values("person_id")
            .annotate(last=Max("issued_on"))
            .values_list("person_id", "last")
        )
        contacted.update(
            ContactRecord.objects.filter(person_id__in=chunk, contacted_on__lte=on)
            .values("person_id")
            .annotate(last=Max("contacted_on"))
            .values_list("person_id", "last")
        )
        for person_id, status in (
            PaymentPledge.objects.filter(person_id__in=chunk, made_on__lte=on)
            .order_by("person_id", "made_on", "pk")
            .values_list("person_id", "status")
        ):
            pledges[person_id] = status  # the latest wins
    rows = [
        ArrearsRow(pid, tuple(items), reminded.get(pid), pledges.get(pid), contacted.get(pid))
        for pid, items in grouped.items()
    ]
    rows.sort(key=lambda r: (r.oldest_due, r.person_id))
    return rows


@dataclass(frozen=True)
class DeferredRow:
    """One person whose collection is deferred on a date (徴収猶予中): the unpaid instalments under a
    徴收猶予 in force, oldest first. Kept apart from the arrears list: no 督促状, not in arrears, no 延滞金
    during the period (issue 12 §2); the arrears list takes them back once the period has ended."""

    person_id: int
    instalments: tuple[UnpaidInstalment, ...]
    deferred_until: date  # the latest end of their deferrals in force
    application_nos: tuple[str, ...]  # the 徴収猶予 applications (受付番号)

    @property
    def total(self) -> int:
        return sum(u.unpaid for u in self.instalments)

    @property
    def past_due(self) -> int:
        """How many of the deferred instalments are past their 納期限 (they would be arrears)."""
        return sum(1 for u in self.instalments if u.due_date < self.on_day)

    on_day: date = date.min


def deferred_list(on: date, *, person_ids: list[int] | None = None) -> list[DeferredRow]:
    """徴収猶予中: everyone (or those of `person_ids`: a person's arrears screen) with an unpaid
    instalment under a 徴収猶予 in force on `on` (due or not yet due), ordered by the end of the
    deferral, then person."""
    person_ids = deferred_person_ids(on, person_ids=person_ids)
    if not person_ids:
        return []
    items = list(unpaid_instalments(due_before=date.max, method=None, person_ids=person_ids))
    ends = deferral_ends(person_ids, on)
    grouped: dict[int, list[tuple[UnpaidInstalment, DeferralView]]] = defaultdict(list)
    for u in items:
        d = ends.get((u.person_id, u.fiscal_year, u.method, u.period))
        if d is not None:
            grouped[u.person_id].append((u, d))
    rows = [
        DeferredRow(pid, tuple(u for u, _ in pairs), max(d.deferred_until for _, d in pairs),
                    tuple(sorted({d.application_no for _, d in pairs})), on_day=on)
        for pid, pairs in grouped.items()
    ]  # fmt: skip
    rows.sort(key=lambda r: (r.deferred_until, r.person_id))
    return rows


def contacts_of(person_id: int) -> list[ContactRecord]:
    return list(ContactRecord.objects.filter(person_id=person_id).order_by("contacted_on", "pk"))


@dataclass(frozen=True)
class PledgeView:
    pledge_id: int
    made_on: date
    status: str
    arrears: int
    schedule: tuple[tuple[date, int], ...]
    named: tuple[tuple[int, str, int], ...] = ()  # (fiscal year, method, period) it acknowledges

    @property
    def pledged(self) -> int:
        return sum(a for _, a in self.schedule)


def pledges_of(person_id: int) -> list[PledgeView]:
    out = []
    for p in (
        PaymentPledge.objects.filter(person_id=person_id)
        .prefetch_related("schedule", "instalments")
        .order_by("made_on", "pk")
    ):
        schedule = tuple((s.due_on, s.amount) for s in sorted(p.schedule.all(), key=lambda s: s.due_on))
        named = tuple(sorted((i.fiscal_year, i.method, i.period) for i in p.instalments.all()))
        out.append(PledgeView(p.pk, p.made_on, p.status, p.arrears, schedule, named))
    return out


@dataclass(frozen=True)
class LimitationRow:
    instalment_id: int
    person_id: int
    fiscal_year: int
    period: int
    method: str
    due_date: date
    unpaid: int
    expired_after: date  # the last day it could be collected
    write_off_requested: bool


def limitation_passed(on: date, *, person_ids: list[int] | None = None) -> list[LimitationRow]:
    """Unpaid instalments whose 2-year limitation (高確法 §160) has run out by `on`: extinguished
    without being invoked (地方自治法 §236 ②), waiting for their 不納欠損. Each instalment is counted
    on its own (issue 10 §5, kouki.collection.limitation): from its due date, renewed by its reminder's
    指定期限, by the person's payments that name it or name no instalment, and by pledges that name it;
    not by pension deductions or set-offs. `person_ids` limits it to those people (a person's arrears
    screen)."""
    latest_due = rules.add_years(on, -rules.LIMITATION_YEARS)  # due on or before this may have expired
    candidates = list(
        unpaid_instalments(due_before=latest_due + timedelta(days=1), method=None, person_ids=person_ids)
    )
    if not candidates:
        return []
    expires = expiry_dates(
        ClaimRef(u.instalment_id, u.person_id, u.fiscal_year, u.method, u.period, u.due_date)
        for u in candidates
    )
    dead = [u for u in candidates if rules.extinguished(expires[u.instalment_id], on)]
    requested: set[int] = set()
    for part in chunked([u.instalment_id for u in dead], 5000):
        requested.update(WriteOffRequest.objects.filter(
            instalment_id__in=part, status__in=[WriteOffStatus.REQUESTED, WriteOffStatus.APPROVED],
        ).values_list("instalment_id", flat=True))  # fmt: skip
    return [
        LimitationRow(
            u.instalment_id, u.person_id, u.fiscal_year, u.period, u.method, u.due_date, u.unpaid,
            expires[u.instalment_id], u.instalment_id in requested,
        )
        for u in dead
    ]  # fmt: skip


def reminders_missed(
    on: date, *, window: int | None = None, person_ids: list[int] | None = None
) -> list[UnpaidInstalment]:
    """督促漏れ: direct instalments past due longer than the reminder window, still unpaid, that never got
    a 督促状 and are not extinguished by limitation. The mayor must still remind them (地方自治法
    §231の3 ①: 「督促しなければならない」; the 20 days are a city rule, not a limit of that duty)."""
    first, _last = rules.reminder_due_window(on, window or city_config().reminder_window_days)
    late = list(unpaid_instalments(due_before=first, method="direct", person_ids=person_ids))
    if not late:
        return []
    done: set[int] = set()
    for part in chunked([u.instalment_id for u in late], 5000):
        done.update(Reminder.objects.filter(instalment_id__in=part).values_list("instalment_id", flat=True))
    deferred = deferred_on(late, on)  # 徴収猶予 on the day: reminded once it has ended (issue 12 §2)
    todo = [u for u in late if u.instalment_id not in done and u.instalment_id not in deferred]
    expires = expiry_dates(
        ClaimRef(u.instalment_id, u.person_id, u.fiscal_year, u.method, u.period, u.due_date)
        for u in todo
    )
    return [u for u in todo if not rules.extinguished(expires[u.instalment_id], on)]


def pension_conversion_worklist(*, include_done: bool = False) -> list[PensionNonDeduction]:
    """Pension instalments reported as not deducted, waiting for the move to direct payment."""
    qs = PensionNonDeduction.objects.all()
    if not include_done:
        qs = qs.filter(status=ConversionStatus.OPEN)
    return list(qs.order_by("recorded_at", "pk"))


def reminders_of(person_id: int) -> list[Reminder]:
    return list(Reminder.objects.filter(person_id=person_id).order_by("issued_on", "pk"))


def write_off_requests_open() -> list[WriteOffRequest]:
    return list(
        WriteOffRequest.objects.filter(status=WriteOffStatus.REQUESTED).order_by("requested_on", "pk")
    )


def write_off_requests_of(person_id: int) -> list[WriteOffRequest]:
    """Every write-off request about the person (open and decided), oldest first."""
    return list(WriteOffRequest.objects.filter(person_id=person_id).order_by("requested_on", "pk"))


def audit_targets_of(person_id: int) -> dict[AuditTarget, list[str]]:
    """The person's arrears records as audit rows name them (for the person's history)."""
    return ids_per_key(audit_record_sets(person_id))


def audit_record_sets(person_id: int) -> AuditRecordSets:
    """The records `audit_targets_of` names, as querysets (gathered with other apps' in one query)."""
    return {
        AuditTarget.ARREARS_REMINDER: Reminder.objects.filter(person_id=person_id),
        AuditTarget.ARREARS_CONTACT_RECORD: ContactRecord.objects.filter(person_id=person_id),
        AuditTarget.ARREARS_PAYMENT_PLEDGE: PaymentPledge.objects.filter(person_id=person_id),
        AuditTarget.ARREARS_WRITE_OFF_REQUEST: WriteOffRequest.objects.filter(person_id=person_id),
        AuditTarget.ARREARS_PENSION_NON_DEDUCTION: PensionNonDeduction.objects.filter(person_id=person_id),
    }
