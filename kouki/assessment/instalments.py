"""Stored instalment plans (期割計画): planning from the assessment in force, re-planning after a 更正,
the bulk initial run and the notice data (保険料額決定通知書 / 変更通知) of the plans.

The rules are kouki.rules.instalments (Saitama preset). さいたま市's regular direct-payment months are not
published ([NF]): they come from the `direct_months` argument or KOUKI_DIRECT_MONTHS (kouki.core.config)
(e.g. "7,8,9,10,11,12,1,2,3"); when a plan needs them and neither is given, PlanningError says so.

仮徴収: the previous fiscal year's plan gives the February deduction (the provisional amount) and its
annual amount (for 平準化). Without a previous plan (the person's first year in kouki) the provisional
amount is one sixth of this year's amount, rounded down to 100円 — an assumption until the union's
仮徴収額 is imported (see `provisional_without_history`).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from kouki.addressees.models import Person, PersonVersion
from kouki.assessment.models import Assessment, InstalmentPlan
from kouki.assessment.models import Instalment as InstalmentRow
from kouki.assessment.signals import plan_replanned
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import ConfigError, city_config
from kouki.core.db import chunked, db_datetime, insert_rows, reserve_ids
from kouki.documents.data import default_insurer_name
from kouki.documents.premium_data import (
    DIRECT,
    PENSION,
    STAGE_LABELS,
    Addressee,
    InstalmentLine,
    InvalidNoticeData,
    PremiumBreakdown,
    PremiumChangeNoticeData,
    PremiumNoticeData,
    instalment_lines,
)
from kouki.documents.premium_notice import default_issuer
from kouki.eligibility.models import InsuredPeriod
from kouki.income.models import IncomeRecord
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.rules import instalments as rules
from kouki.rules.business_days import BusinessCalendar, japanese_calendar
from kouki.rules.premium import PremiumParameters, person_income, resolve_parameters
from kouki.rules.premium.engine import income_levy
from kouki.rules.premium.income import resident_tax_basic_deduction

ACQUISITION_REASONS = {"01": "age", "02": "disability", "03": "move_in"}  # others: "other"
CHUNK = 5000
INSTALMENT_FIELDS = ("plan_id", "method", "stage", "period", "month", "due_date", "amount")


class PlanningError(ValueError):
    """A plan cannot be made; the message names the setting, parameter or record."""


# --- configuration -------------------------------------------------------------------------------


def _months_from_setting() -> tuple[int, ...] | None:
    try:
        return city_config().direct_months
    except ConfigError as exc:
        raise PlanningError(str(exc)) from None


def city_rules(direct_months: Sequence[int] | None = None) -> rules.CityInstalmentRules:
    """The Saitama preset with its direct-payment months from the argument or KOUKI_DIRECT_MONTHS."""
    months = tuple(direct_months) if direct_months is not None else _months_from_setting()
    if months is None:
        return rules.SAITAMA
    order = [(m - 4) % 12 for m in months]
    if not months or any(not 1 <= m <= 12 for m in months) or order != sorted(set(order)):
        raise PlanningError(
            f"KOUKI_DIRECT_MONTHS / direct_months: {list(months)} must be distinct months 1–12 in "
            "fiscal-year order (April first)"
        )
    return replace(rules.SAITAMA, direct_months=months)


def _missing_months(exc: rules.MissingParameter) -> PlanningError:
    return PlanningError(
        "さいたま市の普通徴収の納期月が設定されていません: set KOUKI_DIRECT_MONTHS (e.g. "
        f"'7,8,9,10,11,12,1,2,3') or pass direct_months — no public source gives them ({exc})"
    )


@lru_cache(maxsize=16)
def _calendar(fiscal_year: int) -> BusinessCalendar:
    return japanese_calendar([fiscal_year, fiscal_year + 1, fiscal_year + 2])


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk run: the run keeps hundreds of thousands of small
    objects alive to its end (no reference cycles among them), and the collector's repeated passes over
    them cost about 40 % of the notice data's time. Reference counting still frees everything; the
    collector is switched back on afterwards (and forked planning workers start with it off, so they
    do not touch — and copy — the parent's pages)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def provisional_without_history(amount_due: int) -> int:
    """仮徴収 per instalment when no previous plan is stored: amount_due / 6 rounded down to 100円."""
    return amount_due // 6 // 100 * 100


# --- inputs gathered in bulk ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    acquired: dict[int, tuple[date, str]]  # person → (acquired_on, reason code)
    pension: dict[int, tuple[int, int]]  # person → (care-deduction pension, care premium)
    previous: dict[int, tuple[int | None, int]]  # person → (February deduction, amount due) of FY−1


def _gather(
    person_ids: Sequence[int] | QuerySet[Any],
    fiscal_year: int,
    previous: dict[int, tuple[int | None, int]] | None = None,
) -> _Inputs:
    """The planning inputs of the people (ids, or a values("person_id") queryset for a bulk run: one
    query per input with the ids as a subquery, no parameter list)."""
    acquired: dict[int, tuple[date, str]] = {}
    for pid, on, reason in (
        InsuredPeriod.objects.filter(
            person_id__in=person_ids,
            superseded_at__isnull=True,
            acquired_on__lte=date(fiscal_year + 1, 3, 31),
        )
        .order_by("person_id", "acquired_on", "pk")
        .values_list("person_id", "acquired_on", "acquisition_reason")
    ):
        acquired[pid] = (on, reason)
    pension = {
        pid: (amount, care)
        for pid, amount, care in IncomeRecord.objects.filter(
            person_id__in=person_ids, income_year=fiscal_year - 1
        ).values_list("person_id", "care_deduction_pension_annual", "care_premium_annual")
    }
    if previous is None:
        previous = _previous(fiscal_year, person_ids)
    return _Inputs(acquired, pension, previous)


def _previous(
    fiscal_year: int, person_ids: Sequence[int] | QuerySet[Any] | None
) -> dict[int, tuple[int | None, int]]:
    """person → (February pension deduction, amount due) of the plan in force of the year before;
    person_ids None: everyone (one query for a bulk run)."""
    plans = InstalmentPlan.objects.filter(fiscal_year=fiscal_year - 1, superseded_at__isnull=True)
    if person_ids is not None:
        plans = plans.filter(person_id__in=person_ids)
    rows = list(plans.values_list("pk", "person_id", "amount_due"))
    if not rows:
        return {}
    feb: dict[int, int] = dict(
        InstalmentRow.objects.filter(
            plan__in=plans, method="pension", month=f"{fiscal_year:04d}-02"
        ).values_list("plan_id", "amount")
    )
    return {person: (feb.get(pk), amount_due) for pk, person, amount_due in rows}


@dataclass(frozen=True)
class _Due:
    """What planning needs of an assessment."""

    pk: int
    person_id: int
    fiscal_year: int
    amount: int  # annual premium + child-support levy

    @classmethod
    def of(cls, a: Assessment) -> _Due:
        return cls(a.pk, a.person_id, a.fiscal_year, a.annual_premium + a.child_support_levy)


def _request(a: _Due, inputs: _Inputs) -> rules.PlanRequest:
    fy = a.fiscal_year
    amount = a.amount
    insured_from: date | None = None
    reason = "age"
    acq = inputs.acquired.get(a.person_id)
    if acq is not None and acq[0] >= date(fy - 1, 4, 1):
        insured_from = acq[0]
        reason = ACQUISITION_REASONS.get(acq[1], "other")
    pension: rules.PensionInfo | None = None
    income = inputs.pension.get(a.person_id)
    if income is not None and income[0] > 0:
        feb, prev_amount = inputs.previous.get(a.person_id, (None, None))
        pension = rules.PensionInfo(
            annual_amount=income[0],
            care_premium_annual=income[1],
            provisional_amount=feb if feb is not None else provisional_without_history(amount),
            previous_annual_premium=prev_amount,
        )
    return rules.PlanRequest(fy, amount, insured_from, reason, pension)


def _plan(a: _Due, inputs: _Inputs, city: rules.CityInstalmentRules) -> rules.InstalmentPlan:
    try:
        return rules.plan_instalments(_request(a, inputs), city, _calendar(a.fiscal_year))
    except rules.MissingParameter as exc:
        raise _missing_months(exc) from None
    except rules.InstalmentError as exc:
        raise PlanningError(f"assessment {a.pk}: {exc}") from None


def _row_values(plan_id: int, items: Iterable[rules.Instalment]) -> list[tuple[object, ...]]:
    """INSTALMENT_FIELDS tuples in due-date order, 期別 numbered per method from 1."""
    return [(plan_id, *values) for values in _instalment_values(items)]


def _instalment_values(items: Iterable[rules.Instalment]) -> list[tuple[object, ...]]:
    """INSTALMENT_FIELDS tuples without the plan id."""
    direct = pension = 0
    out: list[tuple[object, ...]] = []
    for i in sorted(items, key=_due_order):
        method = str(i.method)  # a StrEnum's str() is its value
        if method == "direct":
            direct += 1
            period = direct
        else:
            pension += 1
            period = pension
        out.append((method, str(i.stage), period, i.month.iso(), i.due_date, i.amount))
    return out


def _due_order(i: rules.Instalment) -> tuple[date, str]:
    return (i.due_date, str(i.method))


def _rows(plan: InstalmentPlan, items: Iterable[rules.Instalment]) -> list[InstalmentRow]:
    return [
        InstalmentRow(**dict(zip(INSTALMENT_FIELDS, values, strict=True)))
        for values in _row_values(plan.pk, items)
    ]


PLAN_FIELDS = (
    "person_id", "fiscal_year", "assessment_id", "amount_due", "pension_deduction_starts", "direct_reason",
    "overpayment", "pension_stopped", "created_at",
)  # fmt: skip


def _stored(plan: InstalmentPlan) -> rules.InstalmentPlan:
    items = tuple(
        rules.Instalment(
            rules.Method(r.method), rules.Stage(r.stage), rules.YearMonth.parse(r.month), r.due_date, r.amount
        )
        for r in plan.instalments.order_by("due_date", "method", "pk")
    )
    starts = rules.YearMonth.parse(plan.pension_deduction_starts) if plan.pension_deduction_starts else None
    reason = rules.DirectReason(plan.direct_reason) if plan.direct_reason else None
    return rules.InstalmentPlan(plan.fiscal_year, plan.amount_due, items, starts, reason, plan.overpayment)


# --- services ------------------------------------------------------------------------------------


def instalment_plan_create(
    *, actor: Actor, assessment_id: int, on: date, direct_months: Sequence[int] | None = None
) -> InstalmentPlan:
    """Plan the instalments of an assessment in force (one plan in force per person and year)."""
    city = city_rules(direct_months)
    a = Assessment.objects.get(pk=assessment_id)
    if a.superseded_at is not None:
        raise PlanningError(f"assessment {assessment_id}: superseded; plan the assessment in force")
    result = _plan(_Due.of(a), _gather([a.person_id], a.fiscal_year), city)
    with transaction.atomic():
        if InstalmentPlan.objects.filter(
            person_id=a.person_id, fiscal_year=a.fiscal_year, superseded_at__isnull=True
        ).exists():
            raise PlanningError(f"person {a.person_id}: a plan for {a.fiscal_year} is already in force")
        plan = InstalmentPlan.objects.create(
            person_id=a.person_id, fiscal_year=a.fiscal_year, assessment=a, amount_due=result.annual_premium,
            pension_deduction_starts=result.pension_deduction_starts.iso() if result.pension_deduction_starts
            else "", direct_reason=result.direct_reason or "", overpayment=result.overpayment,
            created_at=timezone.now(),
        )  # fmt: skip
        InstalmentRow.objects.bulk_create(_rows(plan, result.instalments))
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.INSTALMENT_PLAN_CREATE, AuditTarget.INSTALMENT_PLAN, str(plan.pk),
            {"assessment": a.pk, "fiscal_year": a.fiscal_year, "on": on.isoformat(),
             "instalments": len(result.instalments)},
        )])  # fmt: skip
    return plan


def instalment_plan_replan(
    *, actor: Actor, person_id: int, fiscal_year: int, new_assessment_id: int, on: date,
    direct_months: Sequence[int] | None = None,
) -> InstalmentPlan:  # fmt: skip
    """Re-plan after a 更正: instalments due on or before `on` are kept; the new plan supersedes the old
    one and carries the overpayment (過誤納金) and whether the pension deduction stopped."""
    city = city_rules(direct_months)
    new = Assessment.objects.get(pk=new_assessment_id)
    if new.person_id != person_id or new.fiscal_year != fiscal_year:
        raise PlanningError(f"assessment {new_assessment_id}: not of person {person_id} for {fiscal_year}")
    with transaction.atomic():
        old = (
            InstalmentPlan.objects.select_for_update()
            .filter(person_id=person_id, fiscal_year=fiscal_year, superseded_at__isnull=True)
            .first()
        )
        if old is None:
            raise PlanningError(f"person {person_id}: no plan for {fiscal_year} to re-plan")
        try:
            result = rules.replan_after_reassessment(
                _stored(old), new_annual_premium=new.annual_premium + new.child_support_levy, as_of=on,
                rules=city, cal=_calendar(fiscal_year),
            )  # fmt: skip
        except rules.MissingParameter as exc:
            raise _missing_months(exc) from None
        now = timezone.now()
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
        plan = InstalmentPlan.objects.create(
            person_id=person_id, fiscal_year=fiscal_year, assessment=new,
            amount_due=new.annual_premium + new.child_support_levy,
            pension_deduction_starts="" if result.pension_stopped else old.pension_deduction_starts,
            direct_reason=old.direct_reason, overpayment=result.overpayment,
            pension_stopped=result.pension_stopped, replanned_on=on, replaces=old, created_at=now,
        )  # fmt: skip
        InstalmentRow.objects.bulk_create(_rows(plan, result.instalments))
        audit_record_many(actor=actor, items=[AuditItem(
            AuditAction.INSTALMENT_PLAN_REPLAN, AuditTarget.INSTALMENT_PLAN, str(plan.pk),
            {"replaces": old.pk, "assessment": new.pk, "on": on.isoformat(),
             "overpayment": result.overpayment, "pension_stopped": result.pension_stopped},
        )])  # fmt: skip
        plan_replanned.send(
            sender=InstalmentPlan, actor=actor, person_id=person_id, fiscal_year=fiscal_year, plan_id=plan.pk,
            on=on,
        )  # fmt: skip
    return plan


# A planned chunk: per assessment, (amount due, deduction start 'YYYY-MM' or '', direct reason or '',
# overpayment, instalment rows without the plan id: (method, stage, period, month, due date, amount)).
_Planned = list[tuple[int, str, str, int, list[tuple[object, ...]]]]
_FORK_STATE: tuple[list[_Due], _Inputs, rules.CityInstalmentRules] | None = None


def _planned(batch: Sequence[_Due], inputs: _Inputs, city: rules.CityInstalmentRules) -> _Planned:
    """Plan a chunk (pure: no database access, so it can run in a forked worker)."""
    out: _Planned = []
    for a in batch:
        r = _plan(a, inputs, city)
        starts = r.pension_deduction_starts.iso() if r.pension_deduction_starts else ""
        rows = _instalment_values(r.instalments)
        out.append((r.annual_premium, starts, r.direct_reason or "", r.overpayment, rows))
    return out


def _planned_span(span: tuple[int, int]) -> _Planned:
    """Worker side of `_planned_chunks`: the inputs come from the parent by fork, not by pickling."""
    assert _FORK_STATE is not None
    due, inputs, city = _FORK_STATE
    return _planned(due[span[0] : span[1]], inputs, city)


def _planned_chunks(
    due: list[_Due], inputs: _Inputs, city: rules.CityInstalmentRules, chunk: int, workers: int
) -> Iterable[tuple[Sequence[_Due], _Planned]]:
    """The chunks of `due` with their plans, in order; with workers > 1 planned in that many forked
    processes (the parent only reads the results and writes)."""
    spans = [(start, min(start + chunk, len(due))) for start in range(0, len(due), chunk)]
    if workers <= 1 or len(spans) <= 1:
        for lo, hi in spans:
            yield due[lo:hi], _planned(due[lo:hi], inputs, city)
        return
    global _FORK_STATE
    _FORK_STATE = (due, inputs, city)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for (lo, hi), planned in zip(spans, pool.imap(_planned_span, spans), strict=True):
                yield due[lo:hi], planned
    finally:
        _FORK_STATE = None


def instalment_plans_initial_created(
    *, actor: Actor, fiscal_year: int, on: date, direct_months: Sequence[int] | None = None,
    chunk: int = CHUNK, workers: int = 1,
) -> list[int]:  # fmt: skip
    """Plan every assessment in force for the year that has no plan in force; returns the new plan ids.
    One transaction; bulk inserts and one audit row per chunk.

    Bulk reads: the assessments to plan in one query, each planning input in one query with those people
    as a subquery (no id lists sent to the database); plans and instalments are written with
    insert_rows (COPY on PostgreSQL) on ids reserved up front. workers > 1: the planning itself (pure)
    runs in that many forked processes; reading and writing stay here, in the one transaction."""
    city = city_rules(direct_months)
    created: list[int] = []
    with _gc_paused(), transaction.atomic():
        planned = InstalmentPlan.objects.filter(fiscal_year=fiscal_year, superseded_at__isnull=True)
        todo = Assessment.objects.filter(fiscal_year=fiscal_year, superseded_at__isnull=True).exclude(
            person_id__in=planned.values("person_id")
        )
        due = [
            _Due(pk, person, fy, premium + child)
            for pk, person, fy, premium, child in todo.order_by("pk").values_list(
                "pk", "person_id", "fiscal_year", "annual_premium", "child_support_levy"
            )
        ]
        if not due:
            return created
        inputs = _gather(todo.values("person_id"), fiscal_year, _previous(fiscal_year, None))
        now = db_datetime(timezone.now())
        for batch, made in _planned_chunks(due, inputs, city, chunk, workers):
            ids = reserve_ids(InstalmentPlan, len(batch))
            insert_rows(InstalmentPlan, ("id", *PLAN_FIELDS), [
                (plan_id, a.person_id, fiscal_year, a.pk, amount, starts, reason, overpayment, False, now)
                for plan_id, a, (amount, starts, reason, overpayment, _) in zip(
                    ids, batch, made, strict=True)
            ])  # fmt: skip
            rows: list[tuple[object, ...]] = []
            for plan_id, p in zip(ids, made, strict=True):
                rows.extend((plan_id, *row) for row in p[4])
            insert_rows(InstalmentRow, INSTALMENT_FIELDS, rows)
            audit_record_many(actor=actor, items=[AuditItem(
                AuditAction.INSTALMENT_PLANS_INITIAL, AuditTarget.INSTALMENT_PLAN, f"{min(ids)}-{max(ids)}",
                {"fiscal_year": fiscal_year, "on": on.isoformat(), "plans": len(ids),
                 "instalments": len(rows)},
            )])  # fmt: skip
            created.extend(ids)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics for the notice-data reads that follow
                cursor.execute(f"ANALYZE {InstalmentPlan._meta.db_table}, {InstalmentRow._meta.db_table}")
    return created


def instalment_plans_initial(
    *, actor: Actor, fiscal_year: int, on: date, direct_months: Sequence[int] | None = None
) -> int:
    """How many plans `instalment_plans_initial_created` made (0 on a second run)."""
    return len(
        instalment_plans_initial_created(
            actor=actor, fiscal_year=fiscal_year, on=on, direct_months=direct_months
        )
    )


def instalment_plans_replan_due(
    *, actor: Actor, fiscal_year: int, on: date, direct_months: Sequence[int] | None = None
) -> list[int]:
    """Re-plan every plan in force whose assessment was superseded by a newer one; the new plan ids."""
    stale = list(
        InstalmentPlan.objects.filter(
            fiscal_year=fiscal_year, superseded_at__isnull=True, assessment__superseded_at__isnull=False
        ).values_list("person_id", flat=True)
    )
    current = dict(
        Assessment.objects.filter(
            fiscal_year=fiscal_year, superseded_at__isnull=True, person_id__in=stale
        ).values_list("person_id", "pk")
    )
    out = []
    for person_id in stale:
        if person_id in current:
            plan = instalment_plan_replan(
                actor=actor, person_id=person_id, fiscal_year=fiscal_year,
                new_assessment_id=current[person_id], on=on, direct_months=direct_months,
            )  # fmt: skip
            out.append(plan.pk)
    return out


# --- selectors -----------------------------------------------------------------------------------


def instalment_plan_in_force(person_id: int, fiscal_year: int) -> InstalmentPlan | None:
    return InstalmentPlan.objects.filter(
        person_id=person_id, fiscal_year=fiscal_year, superseded_at__isnull=True
    ).first()


@lru_cache(maxsize=8)
def _parameters(fiscal_year: int) -> PremiumParameters:
    return resolve_parameters(fiscal_year, "saitama")


@dataclass(frozen=True)
class AssessmentFigures:
    """The figures of an assessment that a notice prints."""

    fiscal_year: int
    insured_no: str
    reduction: str
    per_capita_levy: int
    income_levy: int
    income_base: int
    months: int
    annual_premium: int
    child_support_levy: int

    @classmethod
    def of(cls, a: Assessment) -> AssessmentFigures:
        return cls(*(getattr(a, name) for name in FIGURE_FIELDS))


FIGURE_FIELDS = (
    "fiscal_year", "insured_no", "reduction", "per_capita_levy", "income_levy", "income_base", "months",
    "annual_premium", "child_support_levy",
)  # fmt: skip
Revenue = tuple[int, int, int]  # public pension, salary, other income (the year before)


@lru_cache(maxsize=65536)
def _rate(fiscal_year: int, base: int) -> Decimal:
    params = _parameters(fiscal_year)
    return income_levy(base, params.medical, params, medical=True)[1]


def breakdown_from_assessment(
    a: AssessmentFigures, params: PremiumParameters, revenue: Revenue | None, birth_date: date
) -> PremiumBreakdown:
    """The printed breakdown of a received assessment (rate and cap from the union's parameters)."""
    total = 0
    if revenue is not None:
        total = person_income(
            birth_date=birth_date, income_year=a.fiscal_year - 1, public_pension_revenue=revenue[0],
            salary_revenue=revenue[1], other_income=revenue[2],
        ).total  # fmt: skip
    rate = None if a.reduction == "former_dependant" else _rate(a.fiscal_year, a.income_base)
    return PremiumBreakdown(
        per_capita_levy_full=params.medical.per_capita_levy, reduction=a.reduction,
        per_capita_levy=a.per_capita_levy, total_income=total,
        basic_deduction=resident_tax_basic_deduction(total),
        income_base=a.income_base, income_levy_rate=rate, income_levy=a.income_levy,
        annual_cap=params.medical.annual_cap, months=a.months, annual_premium=a.annual_premium,
        child_support_levy=a.child_support_levy if params.child_support is not None else None,
    )  # fmt: skip


@dataclass(frozen=True)
class _People:
    addressee: dict[int, Addressee]
    birth: dict[int, date]
    income: dict[int, Revenue]


def _people(person_ids: Sequence[int] | QuerySet[Any], fiscal_year: int) -> _People:
    """Addressee, birth date and revenues of the people (ids, or a values("person_id") subquery)."""
    numbers = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "addressee_no"))
    addressee: dict[int, Addressee] = {}
    birth: dict[int, date] = {}
    for pid, fam, given, postal, address, born in PersonVersion.objects.filter(
        person_id__in=person_ids, is_current=True
    ).values_list("person_id", "family_name", "given_name", "postal_code", "address", "birth_date"):
        addressee[pid] = Addressee(numbers[pid], fam, given, postal, address)
        birth[pid] = born
    income = {
        pid: (pension, salary, other)
        for pid, pension, salary, other in IncomeRecord.objects.filter(
            person_id__in=person_ids, income_year=fiscal_year - 1
        ).values_list("person_id", "public_pension_revenue", "salary_revenue", "other_income")
    }
    return _People(addressee, birth, income)


def _id_filter(field: str, ids: Sequence[int]) -> dict[str, object]:
    """A range for (nearly) contiguous ids, such as a bulk run's plans (an index range scan); else IN."""
    lo, hi = min(ids), max(ids)
    if hi - lo < 2 * len(ids):
        return {f"{field}__gte": lo, f"{field}__lte": hi}
    return {f"{field}__in": list(ids)}


NOTICE_CHUNK = 20_000


def premium_notice_data(plan_ids: Sequence[int], *, issued_on: date) -> list[PremiumNoticeData]:
    """保険料額決定通知書 data of the plans, in the given order.

    Per chunk of plans: one query for the plans with their assessments, one for their instalments
    and one each for the people's numbers, current versions and incomes (a bulk run's plan ids are
    contiguous: id ranges, the people as a subquery). The instalment table is built from the stored
    rows as `instalment_lines` builds it (tests/assessment/test_instalment_plans.py compares them)."""
    with _gc_paused():
        return _notice_data(plan_ids, issued_on)


def _notice_data(plan_ids: Sequence[int], issued_on: date) -> list[PremiumNoticeData]:
    issuer, insurer = default_issuer(), default_insurer_name()
    out: list[PremiumNoticeData] = []
    for ids in chunked(plan_ids, NOTICE_CHUNK):
        chosen = InstalmentPlan.objects.filter(**_id_filter("pk", ids))
        plans = {
            row[0]: row
            for row in chosen.values_list(
                "pk", "person_id", "overpayment", *(f"assessment__{name}" for name in FIGURE_FIELDS)
            )
        }
        lines = _NoticeLines()
        for row in (
            InstalmentRow.objects.filter(**_id_filter("plan_id", ids))
            .order_by("plan_id", "due_date", "method")  # instalment_lines' order: due date, then method
            .values_list("plan_id", "method", "stage", "month", "due_date", "amount")
        ):
            lines.add(*row)
        first = plans[ids[0]]
        people = _people(chosen.values("person_id"), first[3])
        params = _parameters(first[3])
        for pid in ids:
            _pk, person_id, overpayment, *figures = plans[pid]
            a = AssessmentFigures(*figures)
            out.append(PremiumNoticeData(
                addressee=people.addressee[person_id], insured_no=a.insured_no, fiscal_year=a.fiscal_year,
                issued_on=issued_on, issuer=issuer, insurer_name=insurer,
                breakdown=breakdown_from_assessment(
                    a, params, people.income.get(person_id), people.birth[person_id]),
                instalments=lines.of(pid), overpayment=overpayment,
            ))  # fmt: skip
    return out


class _NoticeLines:
    """`instalment_lines` of stored rows given in (plan, due date, method) order: 普通徴収 numbered
    第1期 …, 特別徴収 labelled by stage. Equal lines (same method, 期別, month, due date and amount: the
    100円-rounded instalments of many people) are one shared, immutable InstalmentLine."""

    def __init__(self) -> None:
        self._lines: dict[int, list[InstalmentLine]] = {}
        self._shared: dict[tuple[str, str, str, date, int], InstalmentLine] = {}
        self._plan = -1
        self._direct_no = 0

    def add(self, plan_id: int, method: str, stage: str, month: str, due: date, amount: int) -> None:
        if plan_id != self._plan:
            self._plan, self._direct_no = plan_id, 0
            self._lines[plan_id] = []
        if method == DIRECT:
            self._direct_no += 1
            period = f"第{self._direct_no}期"
        elif method == PENSION:
            period = STAGE_LABELS.get(stage, "")
        else:
            raise InvalidNoticeData(f"instalment method {method!r}: must be direct or pension")
        key = (method, period, month, due, amount)
        line = self._shared.get(key)
        if line is None:
            ym = rules.YearMonth.parse(month)
            line = self._shared[key] = InstalmentLine(method, period, ym.year, ym.month, due, amount, False)
        self._lines[plan_id].append(line)

    def of(self, plan_id: int) -> tuple[InstalmentLine, ...]:
        return tuple(self._lines.get(plan_id, ()))


def premium_change_notice_data(plan_ids: Sequence[int], *, issued_on: date) -> list[PremiumChangeNoticeData]:
    """変更通知 data of re-planned plans (each replaces an earlier plan), in the given order."""
    issuer, insurer = default_issuer(), default_insurer_name()
    out: dict[int, PremiumChangeNoticeData] = {}
    for p in InstalmentPlan.objects.filter(pk__in=plan_ids).select_related(
        "assessment", "replaces__assessment"
    ):
        if p.replaces is None or p.replanned_on is None:
            raise PlanningError(f"plan {p.pk}: not a re-plan")
        people = _people([p.person_id], p.fiscal_year)
        params = _parameters(p.fiscal_year)
        income, born = people.income.get(p.person_id), people.birth[p.person_id]
        new = p.assessment
        out[p.pk] = PremiumChangeNoticeData(
            addressee=people.addressee[p.person_id], insured_no=new.insured_no, fiscal_year=p.fiscal_year,
            issued_on=issued_on, issuer=issuer, insurer_name=insurer,
            reason=new.get_reason_display() if new.reason else "保険料の更正", changed_on=p.replanned_on,
            old=breakdown_from_assessment(AssessmentFigures.of(p.replaces.assessment), params, income, born),
            new=breakdown_from_assessment(AssessmentFigures.of(new), params, income, born),
            instalments=instalment_lines(_stored(p).instalments, settled_on_or_before=p.replanned_on),
            overpayment=p.overpayment, pension_stopped=p.pension_stopped,
        )  # fmt: skip
    return [out[pid] for pid in plan_ids]


# --- batch ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstalmentBatchResult:
    planned: int
    replanned: int
    files: tuple[Path, ...]


def instalment_batch(
    *, actor: Actor, fiscal_year: int, on: date, out_dir: Path, direct_months: Sequence[int] | None = None,
    workers: int = 2,
) -> InstalmentBatchResult:  # fmt: skip
    """`kouki batch instalments`: initial plans + 保険料額決定通知書, re-plans + 変更通知, PDFs in out_dir.
    The initial planning runs in `workers` forked processes when there is more than one chunk."""
    from kouki.documents.premium_notice import render_premium_batch

    city = city_rules(direct_months)
    months = city.direct_months
    fy = fiscal_year
    created = instalment_plans_initial_created(
        actor=actor, fiscal_year=fy, on=on, direct_months=months, workers=workers
    )
    replanned = instalment_plans_replan_due(actor=actor, fiscal_year=fy, on=on, direct_months=months)
    files: list[Path] = []
    if created:
        notices = premium_notice_data(created, issued_on=on)
        files += [f.path for f in render_premium_batch("notice", notices, out_dir)]
    if replanned:
        changes = premium_change_notice_data(replanned, issued_on=on)
        files += [f.path for f in render_premium_batch("change", changes, out_dir)]
    return InstalmentBatchResult(len(created), len(replanned), tuple(files))
