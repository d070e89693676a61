"""Reading the 徴収猶予 of instalments (kouki.collection.deferrals writes them): which instalments are
deferred on a day (the 督促状 run and the arrears list leave them out), the periods on which no 延滞金
runs (kouki.collection.late_charges), the person's deferrals for the collection screen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from kouki.assessment.models import Instalment
from kouki.collection.models import InstalmentDeferral

Slot = tuple[int, int, str, int]  # (person_id, fiscal_year, method, period)


@dataclass(frozen=True)
class DeferralView:
    fiscal_year: int
    method: str
    period: int
    deferred_from: date
    deferred_until: date
    application_no: str


def waived_periods(
    person_ids: Iterable[int], fiscal_years: Iterable[int]
) -> dict[Slot, list[tuple[date, date]]]:
    """The deferral periods (first, last day) of each instalment slot of these people and years."""
    out: dict[Slot, list[tuple[date, date]]] = defaultdict(list)
    for pid, fy, method, period, first, last in InstalmentDeferral.objects.filter(
        person_id__in=list(person_ids), fiscal_year__in=list(fiscal_years)
    ).values_list("person_id", "fiscal_year", "method", "period", "deferred_from", "deferred_until"):
        out[(pid, fy, method, period)].append((first, last))
    return dict(out)


class _Slotted(Protocol):
    @property
    def instalment_id(self) -> int: ...
    @property
    def person_id(self) -> int: ...
    @property
    def fiscal_year(self) -> int: ...
    @property
    def method(self) -> str: ...
    @property
    def period(self) -> int: ...


def deferred_on(items: Sequence[_Slotted], on: date) -> set[int]:
    """The instalment ids among `items` under a 徴収猶予 on `on`."""
    periods = waived_periods({u.person_id for u in items}, {u.fiscal_year for u in items})
    return {
        u.instalment_id
        for u in items
        if any(
            first <= on <= last
            for first, last in periods.get((u.person_id, u.fiscal_year, u.method, u.period), [])
        )
    }


def deferrals_of(person_id: int) -> list[DeferralView]:
    """The person's deferrals, the latest period last (for the person's collection screen)."""
    return [
        DeferralView(d.fiscal_year, d.method, d.period, d.deferred_from, d.deferred_until, d.application_no)
        for d in InstalmentDeferral.objects.filter(person_id=person_id).order_by(
            "fiscal_year", "method", "period", "deferred_until", "pk"
        )
    ]


def waived_by_instalment(instalment_ids: Iterable[int]) -> dict[int, list[tuple[date, date]]]:
    """The deferral periods of each of these instalments (by id; for the 見込 延滞金)."""
    slots = {
        pk: (pid, fy, method, period)
        for pk, pid, fy, method, period in Instalment.objects.filter(pk__in=list(instalment_ids)).values_list(
            "pk", "plan__person_id", "plan__fiscal_year", "method", "period"
        )
    }
    periods = waived_periods({s[0] for s in slots.values()}, {s[1] for s in slots.values()})
    return {pk: periods[slot] for pk, slot in slots.items() if slot in periods}


def deferred_person_ids(on: date, *, person_ids: list[int] | None = None) -> list[int]:
    """The people (of `person_ids`, when given) with a 徴収猶予 in force on `on` (徴収猶予中; the arrears
    list shows them apart)."""
    qs = InstalmentDeferral.objects.filter(deferred_from__lte=on, deferred_until__gte=on)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    return sorted(set(qs.values_list("person_id", flat=True)))


def deferral_ends(person_ids: Iterable[int], on: date) -> dict[tuple[int, int, str, int], DeferralView]:
    """The deferral in force on `on` of each instalment slot of these people (the latest ending one)."""
    out: dict[tuple[int, int, str, int], DeferralView] = {}
    for d in InstalmentDeferral.objects.filter(
        person_id__in=list(person_ids), deferred_from__lte=on, deferred_until__gte=on
    ).order_by("deferred_until", "pk"):
        out[(d.person_id, d.fiscal_year, d.method, d.period)] = DeferralView(
            d.fiscal_year, d.method, d.period, d.deferred_from, d.deferred_until, d.application_no
        )
    return out
