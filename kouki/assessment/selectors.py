"""Reads of assessments and instalment plans for other apps (instalments, notices, screens)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Max, Q, QuerySet

from kouki.assessment.models import Assessment, Instalment, InstalmentPlan
from kouki.core.audit_vocabulary import AuditTarget
from kouki.core.db import AuditRecordSets, chunked, ids_per_key
from kouki.rules.numbers import is_insured_number_format


def assessment_in_force(person_id: int, fiscal_year: int) -> Assessment | None:
    """The latest assessment not superseded for the person and fiscal year, or None."""
    return Assessment.objects.filter(
        person_id=person_id, fiscal_year=fiscal_year, superseded_at__isnull=True
    ).first()


def assessments_of(person_id: int) -> QuerySet[Assessment]:
    """Every assessment received for the person (history included), oldest first per fiscal year."""
    return Assessment.objects.filter(person_id=person_id).order_by("fiscal_year", "recorded_at", "pk")


def instalment_plan_in_force(person_id: int, fiscal_year: int) -> InstalmentPlan | None:
    return InstalmentPlan.objects.filter(
        person_id=person_id, fiscal_year=fiscal_year, superseded_at__isnull=True
    ).first()


def replans_due(fiscal_year: int) -> list[tuple[int, int]]:
    """(person, assessment in force) of every plan in force whose assessment was superseded by a newer
    one: the re-plans a batch makes."""
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
    return [(person_id, current[person_id]) for person_id in stale if person_id in current]


_BULK_CHUNK = 5000


def pension_instalments(
    keys: Iterable[tuple[int, int]], months: Iterable[str]
) -> dict[tuple[int, int, str], int]:
    """(person, fiscal year, YYYY-MM) → the pension instalment of the plan in force, for the given
    (person, fiscal year) pairs and months, in bulk."""
    pairs = set(keys)
    wanted_months = set(months)
    out: dict[tuple[int, int, str], int] = {}
    for chunk in chunked(sorted({p for p, _ in pairs}), _BULK_CHUNK):
        rows = Instalment.objects.filter(
            plan__person_id__in=chunk, plan__superseded_at__isnull=True, method="pension",
            month__in=wanted_months,
        ).values_list("plan__person_id", "plan__fiscal_year", "month", "pk")  # fmt: skip
        for person_id, fy, month, pk in rows:
            if (person_id, fy) in pairs:
                out[(person_id, fy, month)] = pk
    return out


def instalment_months(instalment_ids: Iterable[int]) -> dict[int, str]:
    """instalment id → its month (YYYY-MM; for a pension instalment, the pension payment month)."""
    out: dict[int, str] = {}
    for chunk in chunked(sorted(set(instalment_ids)), _BULK_CHUNK):
        out.update(Instalment.objects.filter(pk__in=chunk).values_list("pk", "month"))
    return out


def assessed_insured_numbers(person_ids: Iterable[int]) -> tuple[dict[tuple[int, int], str], dict[int, str]]:
    """The insured numbers the union's assessments name: (person, fiscal year) → number of the
    assessment in force, and person → number of the latest assessment. 8-digit numbers only."""
    in_force: dict[tuple[int, int], str] = {}
    latest: dict[int, str] = {}
    for chunk in chunked(sorted(set(person_ids)), _BULK_CHUNK):
        for person_id, fy, number, superseded in (
            Assessment.objects.filter(person_id__in=chunk)
            .order_by("person_id", "fiscal_year", "recorded_at", "pk")
            .values_list("person_id", "fiscal_year", "insured_no", "superseded_at")
        ):
            if is_insured_number_format(number):
                latest[person_id] = number
                if superseded is None:
                    in_force[(person_id, fy)] = number
    return in_force, latest


def instalments_in_force(instalment_ids: Iterable[int]) -> set[int]:
    """Those of the given instalments whose plan is still in force (not replaced by a re-plan)."""
    out: set[int] = set()
    for chunk in chunked(sorted(set(instalment_ids)), _BULK_CHUNK):
        in_force = Instalment.objects.filter(pk__in=chunk, plan__superseded_at__isnull=True)
        out.update(in_force.values_list("pk", flat=True))
    return out


def instalment_plans_of(person_id: int) -> list[InstalmentPlan]:
    """Every instalment plan of the person (re-planned ones included), oldest first per fiscal year."""
    plans = InstalmentPlan.objects.filter(person_id=person_id)
    return list(plans.order_by("fiscal_year", "created_at", "pk"))


def audit_targets_of(person_id: int) -> dict[AuditTarget, list[str]]:
    """The person's instalment plans as audit rows name them (for the person's history)."""
    return ids_per_key(audit_record_sets(person_id))


def audit_record_sets(person_id: int) -> AuditRecordSets:
    """The records `audit_targets_of` names, as querysets (gathered with other apps' in one query)."""
    return {AuditTarget.INSTALMENT_PLAN: InstalmentPlan.objects.filter(person_id=person_id)}


@dataclass(frozen=True)
class PlanInstalment:
    method: str  # InstalmentMethod
    period: int
    month: str  # YYYY-MM
    due_date: date
    amount: int


@dataclass(frozen=True)
class PlanState:
    """The instalments in force of one (person, fiscal year); `plan_id` None: no plan in force any more."""

    person_id: int
    fiscal_year: int
    plan_id: int | None
    last_plan_id: int  # the plan in force, else the latest superseded one
    amount_due: int
    instalments: tuple[PlanInstalment, ...]


def plans_changed_since(after_plan_id: int, superseded_after: datetime | None) -> tuple[list[PlanState], int]:
    """Every (person, fiscal year) with a plan made after plan id `after_plan_id` or superseded after
    `superseded_after`, with the instalments of its plan in force (the 期割情報 file); and the highest
    plan id.
    Ordered by person and fiscal year."""
    touched = Q(pk__gt=after_plan_id)
    if superseded_after is not None:
        touched |= Q(superseded_at__gt=superseded_after)
    keys = set(InstalmentPlan.objects.filter(touched).values_list("person_id", "fiscal_year"))
    highest = InstalmentPlan.objects.aggregate(m=Max("pk"))["m"] or 0
    people = sorted({p for p, _ in keys})
    plans: dict[tuple[int, int], list[InstalmentPlan]] = {}
    for chunk in chunked(people, 2000):
        for plan in InstalmentPlan.objects.filter(person_id__in=chunk).prefetch_related("instalments"):
            if (plan.person_id, plan.fiscal_year) in keys:
                plans.setdefault((plan.person_id, plan.fiscal_year), []).append(plan)
    out: list[PlanState] = []
    for key in sorted(plans):
        rows = sorted(plans[key], key=lambda p: p.pk)
        in_force = next((p for p in rows if p.superseded_at is None), None)
        if in_force is None:
            out.append(PlanState(key[0], key[1], None, rows[-1].pk, 0, ()))
            continue
        instalments = tuple(
            PlanInstalment(i.method, i.period, i.month, i.due_date, i.amount)
            for i in sorted(in_force.instalments.all(), key=lambda i: (i.method, i.period))
        )
        out.append(PlanState(key[0], key[1], in_force.pk, in_force.pk, in_force.amount_due, instalments))
    return out, highest
