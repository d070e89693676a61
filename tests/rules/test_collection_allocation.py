"""Allocation (消込) and the ledger identity, pure (issue 5 §3, §6; docs/adr/0008-collection-ledger.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.collection import Credit, CreditKind, Due, allocate, effective_amounts
from kouki.rules.collection.allocation import AllocationError

START = date(2025, 7, 31)


@st.composite
def dues(draw: st.DrawFn) -> list[Due]:
    n = draw(st.integers(1, 10))
    return [
        Due(i + 1, START + timedelta(days=31 * i), draw(st.integers(0, 50_000)), draw(st.booleans()))
        for i in range(n)
    ]


@st.composite
def credits(draw: st.DrawFn, due_keys: list[int]) -> list[Credit]:
    n = draw(st.integers(0, 12))
    out = []
    for k in range(n):
        kind = draw(st.sampled_from(list(CreditKind)))
        target = draw(st.one_of(st.none(), st.sampled_from(due_keys)))
        if kind is CreditKind.WRITE_OFF and target is None:
            target = due_keys[0]
        on = START + timedelta(days=draw(st.integers(0, 300)))
        out.append(Credit(100 + k, kind, draw(st.integers(1, 80_000)), on, target, draw(st.booleans())))
    return out


@given(st.data())
def test_allocation_never_exceeds_a_due_nor_a_credit_and_conserves_money(data: st.DataObject) -> None:
    ds = data.draw(dues())
    cs = data.draw(credits([d.key for d in ds]))
    assessed = data.draw(st.integers(0, sum(d.amount for d in ds)))
    charged = effective_amounts(ds, assessed)
    result = allocate(ds, cs, charged=charged)
    paid_to: dict[int, int] = {}
    used: dict[int, int] = {}
    for c, d, a in result.allocations:
        assert a > 0
        paid_to[d] = paid_to.get(d, 0) + a
        used[c] = used.get(c, 0) + a
    for d in ds:
        assert paid_to.get(d.key, 0) + result.unpaid[d.key] == charged[d.key]
        assert result.unpaid[d.key] >= 0
    for c in cs:
        assert used.get(c.key, 0) + result.surplus.get(c.key, 0) + result.void.get(c.key, 0) == c.amount
        assert c.kind.is_cash or c.key not in result.surplus  # a write-off is never money back
    # the ledger identity: assessed = cash − surplus + written off + unpaid
    cash = sum(c.amount for c in cs if c.kind.is_cash)
    written = sum(
        a for c, _, a in result.allocations if next(x for x in cs if x.key == c).kind is CreditKind.WRITE_OFF
    )
    assert assessed == cash - result.surplus_total + written + result.unpaid_total


@given(st.data())
def test_effective_amounts_take_the_excess_off_the_latest_instalments(data: st.DataObject) -> None:
    ds = data.draw(dues())
    assessed = data.draw(st.integers(0, sum(d.amount for d in ds)))
    eff = effective_amounts(ds, assessed)
    assert sum(eff.values()) == assessed
    cut = [d.amount - eff[d.key] for d in ds]
    assert all(c >= 0 for c in cut)
    first_cut = next((i for i, c in enumerate(cut) if c), len(cut))
    assert all(eff[d.key] == 0 for d in ds[first_cut + 1 :])  # everything after the first cut is gone


@given(st.data())
def test_withdrawn_money_is_never_allocated_again(data: st.DataObject) -> None:
    ds = data.draw(dues())
    cs = data.draw(credits([d.key for d in ds]))
    cash = sum(c.amount for c in cs if c.kind.is_cash)
    withdrawn = data.draw(st.integers(0, cash))
    result = allocate(ds, cs, withdrawn=withdrawn)
    cash_allocated = sum(
        a for c, _, a in result.allocations if next(x for x in cs if x.key == c).kind.is_cash
    )
    assert cash_allocated + result.surplus_total == cash - withdrawn


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        # named instalment first, then the earliest unpaid of the same group, then surplus
        (Credit(1, CreditKind.PAYMENT, 25_000, START, target=2), [(1, 2, 10_000), (1, 1, 10_000)]),
        # a pension-deduction result pays pension instalments only
        (Credit(1, CreditKind.PAYMENT, 5_000, START, pension=True), [(1, 3, 5_000)]),
        # a write-off pays only its instalment; what it cannot absorb is void, not surplus
        (Credit(1, CreditKind.WRITE_OFF, 12_000, START, target=1), [(1, 1, 10_000)]),
    ],
)
def test_allocation_order(credit: Credit, expected: list[tuple[int, int, int]]) -> None:
    ds = [
        Due(1, START, 10_000),
        Due(2, START + timedelta(days=31), 10_000),
        Due(3, START, 8_000, pension=True),
    ]
    result = allocate(ds, [credit])
    assert result.allocations == expected
    left = credit.amount - sum(a for _, _, a in expected)
    assert (result.surplus if credit.kind.is_cash else result.void).get(1, 0) == left


def test_refused_inputs() -> None:
    ds = [Due(1, START, 10_000)]
    with pytest.raises(AllocationError, match="賦課額10,001円に足りません"):
        effective_amounts(ds, 10_001)
    with pytest.raises(AllocationError, match="現在の期割にありません"):
        allocate(ds, [Credit(1, CreditKind.PAYMENT, 1, START, target=9)])
    with pytest.raises(AllocationError, match="決定額2円が収納額の合計1円を超えます"):
        allocate(ds, [Credit(1, CreditKind.PAYMENT, 1, START)], withdrawn=2)
