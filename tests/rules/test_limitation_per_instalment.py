"""時効 per instalment (issue 10 §5), pure: each 期別 is a claim of its own (高確法 §160 ①: two years);
renewal by 承認 (民法 §152) only from the debtor's own acts — a payment naming no instalment
acknowledges every claim (最判令和2年12月15日), a slip's payment its instalment, a pledge what it names,
a pension deduction or a set-off nothing; a 督促 renews its instalment (高確法 §160 ②); once run, the
claim is extinguished without invocation (地方自治法 §236 ②) and no money lands on it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules import arrears as rules
from kouki.rules.arrears import Act, Renewal
from kouki.rules.collection import Credit, CreditKind, Due, allocate

JULY, AUGUST, SEPTEMBER = date(2023, 7, 31), date(2023, 8, 31), date(2023, 10, 2)
DUES = {1: JULY, 2: AUGUST, 3: SEPTEMBER}
PLAIN = {k: rules.add_years(d, 2) for k, d in DUES.items()}  # 高確法 §160 ①, 民法 §140/§143


@pytest.mark.parametrize(
    ("act", "named", "on", "expected"),
    [
        # 最判令和2年12月15日: a payment that names no debt acknowledges all of them
        (Act.PAYMENT, None, date(2024, 6, 1), dict.fromkeys(DUES, date(2026, 6, 1))),
        # 民法 §152: paying one instalment's slip acknowledges that instalment only
        (Act.PAYMENT, [2], date(2024, 6, 1), {**PLAIN, 2: date(2026, 6, 1)}),
        # 納付誓約 (民法 §152 承認): what it names
        (Act.PLEDGE, [1, 3], date(2024, 6, 1), {**PLAIN, 1: date(2026, 6, 1), 3: date(2026, 6, 1)}),
        # 高確法 §160 ②: a 督促 renews the instalment it reminds
        (Act.REMINDER, [1], date(2023, 8, 14), {**PLAIN, 1: date(2025, 8, 14)}),
        # not the debtor's act: a pension deduction (特別徴収), a set-off (充当), a write-off
        (Act.PENSION_DEDUCTION, None, date(2024, 6, 1), PLAIN),
        (Act.PENSION_DEDUCTION, [1], date(2024, 6, 1), PLAIN),
        (Act.SET_OFF, [1], date(2024, 6, 1), PLAIN),
        (Act.WRITE_OFF, [1], date(2024, 6, 1), PLAIN),
        # too late: instalment 1 ran out on 2025-07-31 and is not revived (地方自治法 §236 ②)
        (Act.PAYMENT, None, date(2025, 8, 15), {1: PLAIN[1], 2: date(2027, 8, 15), 3: date(2027, 8, 15)}),
        # before the due dates of 2 and 3: renews only what was already due
        (Act.PAYMENT, None, date(2023, 8, 10), {**PLAIN, 1: date(2025, 8, 10)}),
    ],
)
def test_renewal_by_act_table(act: Act, named: list[int] | None, on: date, expected: dict[int, date]) -> None:
    renewal = rules.renewal_of(act, on, named)
    assert (renewal is not None) == act.renews
    assert rules.claim_expiries(DUES, [renewal] if renewal else []) == expected


def test_a_reminder_names_its_instalment() -> None:
    with pytest.raises(ValueError, match="names the instalments"):
        rules.renewal_of(Act.REMINDER, date(2023, 8, 14), None)


@pytest.mark.parametrize(
    ("expires", "on", "gone"),
    [  # 地方自治法 §236 ②: extinguished the day after the last collectible day, without invocation
        (date(2025, 7, 31), date(2025, 7, 31), False),
        (date(2025, 7, 31), date(2025, 8, 1), True),
    ],
)
def test_extinguished_table(expires: date, on: date, gone: bool) -> None:
    assert rules.extinguished(expires, on) is gone


def test_money_for_an_extinguished_instalment_is_an_overpayment() -> None:
    """地方自治法 §236 ②: a slip for instalment 1 paid after its limitation ran out is refunded, never applied
    — not even to the other instalments it did not name; money naming none skips it."""
    dues = [Due(k, d, 10_000) for k, d in DUES.items()]
    late = PLAIN[1] + timedelta(days=1)
    slip = Credit(10, CreditKind.PAYMENT, 10_000, late, target=1)
    unnamed = Credit(11, CreditKind.PAYMENT, 15_000, late)
    result = allocate(dues, [slip, unnamed], expires=PLAIN)
    assert result.surplus == {10: 10_000}
    assert result.allocations == [(11, 2, 10_000), (11, 3, 5_000)]
    assert result.unpaid == {1: 10_000, 2: 0, 3: 5_000}
    # the day before, the same money pays it
    on_time = allocate(dues, [Credit(10, CreditKind.PAYMENT, 10_000, PLAIN[1], target=1)], expires=PLAIN)
    assert on_time.allocations == [(10, 1, 10_000)] and on_time.surplus == {}


def test_a_write_off_still_takes_an_extinguished_instalment_off_the_books() -> None:
    """不納欠損 of an extinguished claim (地方自治法 §236 ②) pays it; a set-off (充当) cannot."""
    dues = [Due(1, JULY, 10_000)]
    late = PLAIN[1] + timedelta(days=30)
    result = allocate(dues, [Credit(1, CreditKind.WRITE_OFF, 10_000, late, target=1)], expires=PLAIN)
    assert result.allocations == [(1, 1, 10_000)] and result.unpaid == {1: 0}
    set_off = allocate(dues, [Credit(2, CreditKind.SET_OFF_IN, 10_000, late, target=1)], expires=PLAIN)
    assert set_off.allocations == [] and set_off.surplus == {2: 10_000}


days = st.dates(min_value=date(2023, 1, 1), max_value=date(2030, 12, 31))
acts = st.sampled_from(list(Act))


@st.composite
def renewals(draw: st.DrawFn) -> list[tuple[Act, Renewal]]:
    out = []
    for _ in range(draw(st.integers(0, 6))):
        act = draw(acts)
        named = draw(st.one_of(st.none(), st.lists(st.sampled_from(list(DUES)), min_size=1, max_size=3)))
        if act is Act.REMINDER and not named:
            named = [1]
        renewal = rules.renewal_of(act, draw(days), named)
        if renewal is not None:
            out.append((act, renewal))
    return out


@given(renewals(), st.lists(days, max_size=4))
def test_renewal_only_from_the_debtors_acts_and_reminders(
    events: list[tuple[Act, Renewal]], others: list[date]
) -> None:
    """Only payments, pledges and reminders renew; pension deductions, set-offs and write-offs add nothing
    whatever their dates; a renewal never shortens a period and never touches a claim it does not name."""
    assert all(act.renews for act, _ in events)
    for day in others:
        for act in (Act.PENSION_DEDUCTION, Act.SET_OFF, Act.WRITE_OFF):
            assert rules.renewal_of(act, day, None) is None and rules.renewal_of(act, day, [1]) is None
    expires = rules.claim_expiries(DUES, [r for _, r in events])
    for key, due in DUES.items():
        own = [r for _, r in events if r.claims is None or key in r.claims]
        assert expires[key] == rules.limitation_expires(due, [r.on for r in own]) >= PLAIN[key]


@given(
    st.lists(st.integers(1, 30_000), min_size=3, max_size=3),
    st.lists(
        st.tuples(st.sampled_from(list(CreditKind)), st.integers(1, 40_000), days,
                  st.one_of(st.none(), st.sampled_from(list(DUES)))),
        max_size=8,
    ),
    renewals(),
)
def test_money_never_lands_on_an_extinguished_instalment(
    amounts: list[int], raw: list[tuple[CreditKind, int, date, int | None]], events: list[tuple[Act, Renewal]]
) -> None:
    dues = [Due(k, DUES[k], a) for k, a in zip(DUES, amounts, strict=True)]
    credits = [
        Credit(100 + n, kind, amount, on, target if target or kind is not CreditKind.WRITE_OFF else 1)
        for n, (kind, amount, on, target) in enumerate(raw)
    ]
    expires = rules.claim_expiries(DUES, [r for _, r in events])
    result = allocate(dues, credits, expires=expires)
    by_key = {c.key: c for c in credits}
    for credit, due, amount in result.allocations:
        c = by_key[credit]
        assert amount > 0
        if c.kind.is_cash:
            assert not rules.extinguished(expires[due], c.on)
    for c in credits:  # a cash credit naming an extinguished instalment pays nothing at all
        if c.kind.is_cash and c.target is not None and rules.extinguished(expires[c.target], c.on):
            assert all(credit != c.key for credit, _, _ in result.allocations)
            assert result.surplus.get(c.key) == c.amount
    # nothing is lost: every credit is allocated, surplus or void
    for c in credits:
        placed = sum(a for k, _, a in result.allocations if k == c.key)
        assert placed + result.surplus.get(c.key, 0) + result.void.get(c.key, 0) == c.amount
