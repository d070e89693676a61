"""Yen and percent as kouki prints them (kouki.rules.formatting): one format on screens and letters."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.formatting import percent, signed_yen, yen, yen_figure


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "0円"), (999, "999円"), (1000, "1,000円"), (30000, "30,000円"), (1234567, "1,234,567円"),
     (-1200, "-1,200円")],
)  # fmt: skip
def test_yen(amount: int, text: str) -> None:
    assert yen(amount) == text


@pytest.mark.parametrize(("amount", "text"), [(0, "0円"), (1200, "+1,200円"), (-51230, "−51,230円")])
def test_signed_yen(amount: int, text: str) -> None:
    assert signed_yen(amount) == text


def test_yen_figure() -> None:
    assert yen_figure(30000) == "￥30,000－"


@pytest.mark.parametrize(
    ("rate", "text"),
    [(Decimal("0.0967"), "9.67%"), (Decimal("0.1"), "10%"), (Decimal("0.08770"), "8.77%"),
     (Decimal("0"), "0%"), (Decimal("1"), "100%")],
)  # fmt: skip
def test_percent(rate: Decimal, text: str) -> None:
    assert percent(rate) == text


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_yen_reads_back(amount: int) -> None:
    text = yen(amount)
    assert text.endswith("円")
    assert int(text[:-1].replace(",", "")) == amount
    assert all(len(group) == 3 for group in text[:-1].lstrip("-").split(",")[1:])


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_signed_yen_is_yen_with_a_sign(amount: int) -> None:
    text = signed_yen(amount)
    if amount == 0:
        assert text == "0円"
    else:
        assert text[0] == ("+" if amount > 0 else "−")
        assert text[1:] == yen(abs(amount))


@given(st.decimals(min_value=0, max_value=1, places=6))
def test_percent_reads_back(rate: Decimal) -> None:
    text = percent(rate)
    assert text.endswith("%")
    assert Decimal(text[:-1]) == rate * 100
    assert "E" not in text
