"""時効 (limitation) of instalments: the last day each can still be collected (issue 10 §5, ADR 0011).

Each instalment (期別) is a claim of its own, identified across re-plans by (fiscal year, method,
period). Its two years (高確法 §160 ①) start again on the debtor's own acts (民法 §152 承認,
kouki.rules.arrears.renewal_of):

- payments recorded here: a payment naming an instalment (slip, bank debit) renews that instalment, a
  payment naming none renews every claim of the person (最判令和2年12月15日); pension deductions,
  set-offs and write-offs renew nothing (not the debtor's acts);
- reminders (督促, 高確法 §160 ②) and pledges (納付誓約) live in kouki.arrears, above this app: it
  registers them as a renewal source (`renewal_source_register`, in its AppConfig.ready).

Allocation asks `expiries_for` so that money never lands on an extinguished instalment (地方自治法
§236 ②); the arrears screens ask `expiry_dates`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kouki.assessment.models import InstalmentMethod
from kouki.collection import state
from kouki.collection.models import Channel, Receipt, ReceiptStatus
from kouki.collection.state import Account
from kouki.core.db import chunked
from kouki.rules import arrears as rules

CHUNK = 2000
ClaimKey = tuple[int, str, int]  # (fiscal year, method, period): the same claim after a re-plan

ACT_OF_CHANNEL: dict[str, rules.Act] = {
    Channel.COUNTER: rules.Act.PAYMENT,
    Channel.STORE: rules.Act.PAYMENT,
    Channel.BANK: rules.Act.PAYMENT,
    Channel.DEBIT: rules.Act.PAYMENT,  # the debtor's own instruction to the bank (ADR 0006 §5)
    Channel.PENSION: rules.Act.PENSION_DEDUCTION,
    Channel.SET_OFF: rules.Act.SET_OFF,
    Channel.WRITE_OFF: rules.Act.WRITE_OFF,
}

# person ids → (person id, renewal) for each renewing act the source knows of
RenewalSource = Callable[[Sequence[int]], Iterable[tuple[int, rules.Renewal]]]
_sources: list[RenewalSource] = []


def renewal_source_register(source: RenewalSource) -> None:
    """Add a source of renewals kept by another app (kouki.arrears: reminders and pledges)."""
    if source not in _sources:
        _sources.append(source)


def claim_key(fiscal_year: int, method: str, period: int) -> ClaimKey:
    return (fiscal_year, str(method), period)


@dataclass(frozen=True)
class ClaimRef:
    instalment_id: int
    person_id: int
    fiscal_year: int
    method: str
    period: int
    due_date: date

    @property
    def key(self) -> ClaimKey:
        return claim_key(self.fiscal_year, self.method, self.period)


def receipt_renewal(
    fiscal_year: int, channel: str, paid_on: date, period: int | None
) -> rules.Renewal | None:
    """What a receipt renews: the instalment its slip or debit named, else every claim of the person;
    nothing when it is not the person's own act."""
    named = [claim_key(fiscal_year, InstalmentMethod.DIRECT, period)] if period is not None else None
    return rules.renewal_of(ACT_OF_CHANNEL[channel], paid_on, named)


def payment_renewals(person_ids: Sequence[int]) -> Iterable[tuple[int, rules.Renewal]]:
    """The renewals of the persons' confirmed payments (their own acts only)."""
    for part in chunked(sorted(set(person_ids)), CHUNK):
        rows = Receipt.objects.filter(person_id__in=part, status=ReceiptStatus.CONFIRMED).values_list(
            "person_id", "fiscal_year", "channel", "paid_on", "period"
        )
        for person_id, fy, channel, paid_on, period in rows.iterator(chunk_size=5000):
            renewal = receipt_renewal(fy, channel, paid_on, period)
            if renewal is not None:
                yield person_id, renewal


Extra = Iterable[tuple[int, rules.Renewal]]


def renewals_of(person_ids: Sequence[int], extra: Extra = ()) -> dict[int, list[rules.Renewal]]:
    out: dict[int, list[rules.Renewal]] = defaultdict(list)
    for person_id, renewal in extra:
        out[person_id].append(renewal)
    for source in (payment_renewals, *_sources):
        for person_id, renewal in source(person_ids):
            out[person_id].append(renewal)
    return out


def expiry_dates(claims: Iterable[ClaimRef], extra: Extra = ()) -> dict[int, date]:
    """instalment id → its last collectible day (after it: extinguished, 地方自治法 §236 ②). `extra`:
    renewals not stored yet (the receipts being recorded)."""
    by_person: dict[int, list[ClaimRef]] = defaultdict(list)
    for c in claims:
        by_person[c.person_id].append(c)
    if not by_person:
        return {}
    renewals = renewals_of(list(by_person), extra)
    out: dict[int, date] = {}
    for person_id, refs in by_person.items():
        expires = rules.claim_expiries({c.key: c.due_date for c in refs}, renewals.get(person_id, ()))
        out.update({c.instalment_id: expires[c.key] for c in refs})
    return out


def expiries_for(accounts: Iterable[Account], latest: date, extra: Extra = ()) -> dict[int, date]:
    """The last collectible day of the accounts' instalments that could be extinguished by `latest`
    (due more than two years before it, still owing); the others are left out (not extinguished)."""
    horizon = rules.add_years(latest, -rules.LIMITATION_YEARS)
    refs = [
        ClaimRef(r.id, a.person_id, a.fiscal_year, r.method, r.period, r.due_date)
        for a in accounts
        for r in a.rows
        if r.due_date <= horizon and (r.account is None or r.account.unpaid > 0)
    ]
    return expiry_dates(refs, extra)


def instalment_expiry(person_id: int, fiscal_year: int, instalment_id: int) -> date | None:
    """The last collectible day of one instalment of the plan in force (None: not in it)."""
    account = state.load_accounts([(person_id, fiscal_year)]).get((person_id, fiscal_year))
    row = account.row(instalment_id) if account is not None else None
    if row is None:
        return None
    ref = ClaimRef(row.id, person_id, fiscal_year, row.method, row.period, row.due_date)
    return expiry_dates([ref])[row.id]


def extinguished(person_id: int, fiscal_year: int, instalment_id: int, on: date) -> bool:
    last = instalment_expiry(person_id, fiscal_year, instalment_id)
    return last is not None and rules.extinguished(last, on)
