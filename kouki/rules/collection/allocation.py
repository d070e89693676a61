"""Allocation (消込) of credits to the instalments of one person's fiscal year. Pure.

A *due* is one instalment of the plan in force. A *credit* is money (or its equivalent) that pays dues:
a payment from any channel, a set-off (充当) moved in from an overpayment, or a write-off (不納欠損).

Rules (docs/adr/0008-collection-ledger.md):
- effective amounts: when a re-plan after a reduction (減額更正) leaves the instalments summing to more
  than the assessed amount, the excess is taken off the latest instalments first (`effective_amounts`);
  money already paid on them then shows as a surplus, i.e. an overpayment (過誤納金);
- credits are applied in the order they were paid (date, then key); a credit first pays the instalment
  it names (the slip's or the debit's instalment), then the earliest unpaid instalments of the same
  group (pension-deduction results pay pension instalments; every other channel pays the others);
- money left over is a surplus (過納); a write-off pays only the instalment it names and never makes a
  surplus (what it cannot absorb is void);
- an instalment whose limitation has run out (`expires`: its last collectible day) is extinguished
  (地方自治法 §236 ②): no payment or set-off made after that day lands on it; a credit that names it
  is wholly a surplus, to be refunded (issue 10 §5; the dates come from kouki.rules.arrears). A
  write-off still pays it: that is how the extinguished claim leaves the books (不納欠損);
- money already refunded or set off elsewhere (`withdrawn`) is taken off the latest cash credits first,
  so that a re-allocation never spends it twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from kouki.rules.formatting import yen


class CreditKind(StrEnum):
    PAYMENT = "payment"
    SET_OFF_IN = "set_off_in"
    WRITE_OFF = "write_off"

    @property
    def is_cash(self) -> bool:
        return self is not CreditKind.WRITE_OFF


@dataclass(frozen=True)
class Due:
    key: int
    due_date: date
    amount: int
    pension: bool = False


@dataclass(frozen=True)
class Credit:
    key: int
    kind: CreditKind
    amount: int
    on: date
    target: int | None = None  # the instalment the credit names, if any
    pension: bool = False  # a pension-deduction result


@dataclass
class AllocationResult:
    allocations: list[tuple[int, int, int]] = field(default_factory=list)  # (credit, due, amount)
    unpaid: dict[int, int] = field(default_factory=dict)  # due key -> what is still owed
    surplus: dict[int, int] = field(default_factory=dict)  # cash credit key -> left over
    void: dict[int, int] = field(default_factory=dict)  # write-off key -> not absorbed

    @property
    def surplus_total(self) -> int:
        return sum(self.surplus.values())

    @property
    def unpaid_total(self) -> int:
        return sum(self.unpaid.values())


class AllocationError(ValueError):
    pass


def _ordered(dues: Sequence[Due]) -> list[Due]:
    return sorted(dues, key=lambda d: (d.due_date, d.key))


def effective_amounts(dues: Sequence[Due], assessed: int) -> dict[int, int]:
    """What each instalment really charges: the planned amounts, less any excess over `assessed`
    taken off the latest instalments first. Instalments may not sum to less than `assessed`."""
    if assessed < 0:
        raise AllocationError(f"賦課額が負です({yen(assessed)})")
    ordered = _ordered(dues)
    out = {d.key: d.amount for d in ordered}
    excess = sum(out.values()) - assessed
    if excess < 0:
        raise AllocationError(f"期別の合計{yen(assessed + excess)}が賦課額{yen(assessed)}に足りません")
    for d in reversed(ordered):
        if excess == 0:
            break
        cut = min(excess, out[d.key])
        out[d.key] -= cut
        excess -= cut
    return out


def _withdraw(credits: Sequence[Credit], withdrawn: int) -> dict[int, int]:
    amounts = {c.key: c.amount for c in credits}
    if withdrawn < 0:
        raise AllocationError(f"還付・充当の額が負です({yen(withdrawn)})")
    cash = [c for c in credits if c.kind.is_cash]
    if withdrawn > sum(c.amount for c in cash):
        raise AllocationError(
            f"還付・充当の決定額{yen(withdrawn)}が収納額の合計{yen(sum(c.amount for c in cash))}を超えます"
        )
    for c in sorted(cash, key=lambda c: (c.on, c.key), reverse=True):
        if withdrawn == 0:
            break
        take = min(withdrawn, amounts[c.key])
        amounts[c.key] -= take
        withdrawn -= take
    return amounts


def _extinguished(expires: Mapping[int, date] | None, on: date) -> set[int]:
    return {key for key, last in expires.items() if on > last} if expires else set()


def allocate(
    dues: Sequence[Due],
    credits: Sequence[Credit],
    *,
    charged: Mapping[int, int] | None = None,
    withdrawn: int = 0,
    expires: Mapping[int, date] | None = None,
) -> AllocationResult:
    """Apply `credits` to `dues` (see the module rules). `charged` is what each due still charges
    (default: its amount); pass `effective_amounts(...)` for a full re-allocation, or what is left
    unpaid for an incremental one. `expires` gives the last collectible day of the dues that can
    be extinguished by limitation (absent: not yet)."""
    ordered = _ordered(dues)
    owed = {d.key: (charged[d.key] if charged is not None else d.amount) for d in ordered}
    if any(v < 0 for v in owed.values()):
        raise AllocationError("期別の額が負になっています")
    pension = {d.key: d.pension for d in ordered}
    amounts = _withdraw(credits, withdrawn)
    result = AllocationResult()
    for c in sorted(credits, key=lambda c: (c.on, c.key)):
        if c.amount < 0:
            raise AllocationError("収納の金額が負です")
        left = amounts[c.key]
        if c.target is not None and c.target not in owed:
            raise AllocationError("収納の指定した期が現在の期割にありません")
        targets: list[int] = [c.target] if c.target is not None else []
        if c.kind.is_cash:
            dead = _extinguished(expires, c.on)
            if c.target in dead:
                targets = []  # money for an extinguished claim is an overpayment (地方自治法 §236 ②)
            else:
                targets += [
                    d.key for d in ordered
                    if pension[d.key] == c.pension and d.key != c.target and d.key not in dead
                ]  # fmt: skip
        for key in targets:
            if left == 0:
                break
            pay = min(left, owed[key])
            if pay:
                owed[key] -= pay
                left -= pay
                result.allocations.append((c.key, key, pay))
        if left:
            (result.surplus if c.kind.is_cash else result.void)[c.key] = left
    result.unpaid = owed
    return result
