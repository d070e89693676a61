"""Reads of 延滞金 for the screens, documents and files: the charges determined (with their waivers) and
the charge still accruing on instalments past due and unpaid (見込, if paid on a given day)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.db.models import F, Sum

from kouki.collection.deferral_selectors import waived_by_instalment
from kouki.collection.late_charges import compute
from kouki.collection.models import Allocation, Channel, LateCharge
from kouki.core.config import city_config
from kouki.core.db import chunked


def late_charges_configured() -> bool:
    """Whether the city's ordinance value is set (nothing is computed before; ADR 0006 §4)."""
    return city_config().late_charge_early_months is not None


@dataclass(frozen=True)
class LateChargeLine:
    id: int
    person_id: int
    fiscal_year: int
    method: str
    period: int
    due_date: date
    principal: int
    paid_off_on: date
    days: int
    amount: int
    waived_amount: int
    waived_on: date | None
    waived_by: str
    waive_reason: str
    problem: str
    detail: list[dict[str, object]]

    @property
    def outstanding(self) -> int:
        return max(self.amount - self.waived_amount, 0)


def _line(lc: LateCharge) -> LateChargeLine:
    return LateChargeLine(
        lc.pk, lc.person_id, lc.fiscal_year, lc.method, lc.period, lc.due_date, lc.principal, lc.paid_off_on,
        lc.days, lc.amount, lc.waived_amount, lc.waived_on, lc.waived_by, lc.waive_reason, lc.problem,
        list(lc.detail),
    )  # fmt: skip


def late_charges_of(person_id: int, fiscal_year: int | None = None) -> list[LateChargeLine]:
    """The person's determined late charges (one year, or all), by year and due date."""
    qs = LateCharge.objects.filter(person_id=person_id)
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    return [_line(lc) for lc in qs.order_by("fiscal_year", "due_date", "method", "period")]


def late_charge(late_charge_id: int) -> LateChargeLine | None:
    lc = LateCharge.objects.filter(pk=late_charge_id).first()
    return _line(lc) if lc is not None else None


def late_charges_paid_off_between(start: date, end: date) -> list[LateChargeLine]:
    """Late charges whose instalment was fully paid in [start, end] (the 納付確認書's calendar year)."""
    qs = LateCharge.objects.filter(paid_off_on__gte=start, paid_off_on__lte=end)
    return [_line(lc) for lc in qs.order_by("paid_off_on", "pk")]


def outstanding_by_person(person_ids: Iterable[int]) -> dict[int, int]:
    """Determined late charges less waivers, per person (only those with something outstanding)."""
    out: dict[int, int] = {}
    for part in chunked(sorted(set(person_ids)), 2000):
        for pid, total in (
            LateCharge.objects.filter(person_id__in=part, amount__gt=F("waived_amount"))
            .values("person_id")
            .annotate(t=Sum(F("amount") - F("waived_amount")))
            .values_list("person_id", "t")
        ):
            out[pid] = int(total or 0)
    return out


@dataclass(frozen=True)
class Accruing:
    """The charge on an instalment past due and unpaid, if the rest were paid on `on` (見込)."""

    instalment_id: int
    amount: int
    days: int
    problem: str


class UnpaidLike(Protocol):
    """What `accruing` needs of an unpaid instalment (UnpaidInstalment and InstalmentStatus have it)."""

    @property
    def instalment_id(self) -> int: ...
    @property
    def due_date(self) -> date: ...
    @property
    def charged(self) -> int: ...


def accruing(instalments: Sequence[UnpaidLike], on: date) -> dict[int, Accruing]:
    """見込 late charge of each instalment (due before `on`), counting the parts already paid; empty
    while the ordinance value is not set."""
    rules = city_config().late_charge_rules
    if rules.early_months is None:
        return {}
    wanted = [u for u in instalments if u.due_date < on]
    paid: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for part in chunked([u.instalment_id for u in wanted], 2000):
        for i, amount, paid_on, channel in Allocation.objects.filter(instalment_id__in=part).values_list(
            "instalment_id", "amount", "receipt__paid_on", "receipt__channel"
        ):
            if channel != Channel.WRITE_OFF and paid_on <= on:
                paid[i].append((paid_on, amount))
    waived = waived_by_instalment(u.instalment_id for u in wanted)  # 徴収猶予: no charge on its days
    out: dict[int, Accruing] = {}
    for u in wanted:
        days, _, amount, _, problem = compute(
            u.charged, u.due_date, sorted(paid[u.instalment_id]), on, rules, waived.get(u.instalment_id, ())
        )
        out[u.instalment_id] = Accruing(u.instalment_id, amount, days, problem)
    return out
