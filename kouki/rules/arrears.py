"""Pure rules of arrears work: the reminder window, the specified deadline, pledge status and the
limitation (時効) of a premium claim. No Django, no I/O (ADR 0011 gives the sources and the choices).

- 督促: the mayor must remind anyone who did not pay by the due date, naming a deadline
  (地方自治法 §231-3 ①). The law gives no delay; city rules do — e.g. 朝来市後期高齢者医療に関する
  条例施行規則 §6 「納期限後20日以内」. さいたま市's own rule was not found: 20 days is the default of
  `REMINDER_WINDOW_DAYS` (configuration), and the deadline (指定期限) is the issue date + 10 days (also
  configuration), moved to the next business day when the office is closed.
- 時効: premiums can no longer be collected once two years have passed from when they could be
  collected (高齢者の医療の確保に関する法律 §160 ①); a reminder renews the period (§160 ②), as does
  an acknowledgement of the debt (民法 §152: a payment or a 分納誓約). Periods are counted from the next
  day (民法 §140) and end on the day that corresponds to the start (民法 §143 ②), so a due date D
  expires at the end of D + 2 years (Feb 29 → Feb 28).
- Each instalment (期別) is a claim of its own with its own period. Renewal by 承認 (民法 §152) needs
  the debtor's own act: a payment naming no instalment acknowledges every claim the debtor still owes
  (最判令和2年12月15日: a payment that does not say which of several debts it pays
  acknowledges all of them); a payment of one instalment's slip acknowledges that instalment; a pledge
  (納付誓約) acknowledges what it names. A pension deduction (特別徴収), a set-off (充当) and a
  write-off are not the debtor's acts and renew nothing. A 督促 renews the instalment it reminds
  (高確法 §160 ②).
- Once the period has run out the claim is extinguished without being invoked (地方自治法 §236 ②):
  money received later cannot pay it (kouki.rules.collection.allocation: it is an overpayment).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

REMINDER_WINDOW_DAYS = 20
REMINDER_DEADLINE_DAYS = 10
LIMITATION_YEARS = 2


def reminder_due_window(on: date, window_days: int = REMINDER_WINDOW_DAYS) -> tuple[date, date]:
    """(first, last) due dates a reminder issued on `on` may cover: missed (before `on`) at most
    `window_days` days ago."""
    if window_days < 1:
        raise ValueError("the reminder window is at least one day")
    return on - timedelta(days=window_days), on - timedelta(days=1)


def add_years(d: date, years: int) -> date:
    """The corresponding day `years` later; 29 February becomes 28 February (民法 §143 ②)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return date(d.year + years, 2, 28)


def limitation_expires(due_date: date, renewals: Iterable[date] = ()) -> date:
    """The last day on which the instalment can still be collected: two years after the due date or
    after the latest renewal (督促の指定期限, payment, pledge) that came before the period ran out."""
    start = due_date
    for r in sorted(renewals):
        if start < r <= add_years(start, LIMITATION_YEARS):
            start = r
    return add_years(start, LIMITATION_YEARS)


def limitation_passed(due_date: date, renewals: Iterable[date], on: date) -> bool:
    return on > limitation_expires(due_date, renewals)


class Act(StrEnum):
    """What happened to a claim, as far as its limitation is concerned."""

    PAYMENT = "payment"  # the debtor paid: at the counter, with a slip at a bank or store, by bank debit
    PENSION_DEDUCTION = "pension_deduction"  # 特別徴収: the pension payer deducts by law
    SET_OFF = "set_off"  # 充当: the office applies an overpayment
    WRITE_OFF = "write_off"  # 不納欠損
    PLEDGE = "pledge"  # 納付誓約: the debtor acknowledges in writing
    REMINDER = "reminder"  # 督促

    @property
    def renews(self) -> bool:
        """承認 (民法 §152) is the debtor's own act; a 督促 renews by law (高確法 §160 ②)."""
        return self in (Act.PAYMENT, Act.PLEDGE, Act.REMINDER)


@dataclass(frozen=True)
class Renewal:
    """The period of `claims` starts again on `on` (None: every claim the debtor owes)."""

    on: date
    claims: frozenset[Hashable] | None


def renewal_of(act: Act, on: date, named: Iterable[Hashable] | None) -> Renewal | None:
    """The renewal an act causes: a payment or pledge naming claims renews those; one naming none
    renews all of the debtor's claims (最判令和2年12月15日); a 督促 renews the claim it reminds;
    a pension deduction, a set-off or a write-off renews nothing (not the debtor's act)."""
    if not act.renews:
        return None
    claims = frozenset(named) if named is not None else None
    if act is Act.REMINDER and not claims:
        raise ValueError("a reminder names the instalments it reminds")
    return Renewal(on, claims)


def claim_expiries(due_dates: Mapping[K, date], renewals: Iterable[Renewal]) -> dict[K, date]:
    """Each claim's last collectible day: two years after its due date or its latest renewal that came
    before the period ran out (`limitation_expires`); a renewal counts only for the claims it names."""
    acts = list(renewals)
    return {
        key: limitation_expires(due, [r.on for r in acts if r.claims is None or key in r.claims])
        for key, due in due_dates.items()
    }


def extinguished(expires: date, on: date) -> bool:
    """The claim no longer exists on `on` (地方自治法 §236 ②: no invocation needed)."""
    return on > expires


class PledgeState(StrEnum):
    ACTIVE = "active"
    KEPT = "kept"
    BROKEN = "broken"


def pledge_state(
    schedule: Sequence[tuple[date, int]], paid: Sequence[tuple[date, int]], on: date
) -> PledgeState:
    """A pledge is broken as soon as a pledged date has passed (is before `on`) with less paid by that
    date than pledged up to it; kept once everything pledged has been paid; otherwise active."""
    if not schedule:
        raise ValueError("a pledge needs at least one pledged amount")
    total = sum(a for _, a in schedule)
    if sum(a for d, a in paid if d < on) >= total:
        return PledgeState.KEPT
    pledged = 0
    for due, amount in sorted(schedule):
        pledged += amount
        if due >= on:
            break
        if sum(a for d, a in paid if d <= due) < pledged:
            return PledgeState.BROKEN
    return PledgeState.ACTIVE
