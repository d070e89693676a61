"""Check digits (domain-facts §6). Vectors: 123456789018 [S50]; 33120015, 39282256 [S52]."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.numbers import (
    InvalidNumber,
    is_valid_insured_number,
    is_valid_insurer_number,
    is_valid_my_number,
    mod10_weight21_check_digit,
    my_number_check_digit,
    validate_my_number,
)


@pytest.mark.parametrize(
    ("number", "valid"),
    [("123456789018", True), ("123456789012", False), ("12345678901", False), ("1234567890１8", False)],
)
def test_my_number_vectors(number: str, valid: bool) -> None:
    assert is_valid_my_number(number) is valid


@pytest.mark.parametrize(("number", "valid"), [("33120015", False), ("39282256", True), ("39282255", False)])
def test_insurer_numbers(number: str, valid: bool) -> None:
    # 33120015 has a correct check digit but is not a 後期 (法別 39) insurer number.
    assert is_valid_insurer_number(number) is valid
    assert mod10_weight21_check_digit(number[:7]) == (5 if number.startswith("331") else 6)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_every_base_has_exactly_one_valid_check_digit(base: str) -> None:
    valid = [d for d in range(10) if is_valid_my_number(base + str(d))]
    assert valid == [my_number_check_digit(base)]


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(1, 9))
def test_a_wrong_check_digit_is_rejected(base: str, delta: int) -> None:
    wrong = base + str((my_number_check_digit(base) + delta) % 10)
    assert not is_valid_my_number(wrong)


def test_validation_message_does_not_echo_the_number() -> None:
    with pytest.raises(InvalidNumber) as info:
        validate_my_number("123456789012")
    assert "123456789012" not in str(info.value)


@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_insured_number_check_digit_roundtrip(base: str) -> None:
    assert is_valid_insured_number(base + str(mod10_weight21_check_digit(base)))
