"""The text form of a 団体内統合宛名番号: a serial zero-padded to the configured width (domain-facts §6: the
width is [NF], so it is the installation's setting), read back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.integrated_number import (
    InvalidIntegratedNumber,
    integrated_number_serial,
    integrated_number_text,
)


@given(serial=st.integers(min_value=1, max_value=10**18 - 1), extra=st.integers(min_value=0, max_value=4))
def test_text_form_round_trips(serial: int, extra: int) -> None:
    width = min(18, len(str(serial)) + extra)
    text = integrated_number_text(serial, width)
    assert len(text) == width and integrated_number_serial(text, width) == serial


@pytest.mark.parametrize(("serial", "width"), [(0, 5), (100000, 5), (1, 0), (1, 19)])
def test_text_form_refuses_what_does_not_fit(serial: int, width: int) -> None:
    with pytest.raises(InvalidIntegratedNumber):
        integrated_number_text(serial, width)


@pytest.mark.parametrize("text", ["", "1234", "123456", "00000", "１２３４５", "12a45"])
def test_reading_refuses_other_widths_zero_and_non_ascii(text: str) -> None:
    with pytest.raises(InvalidIntegratedNumber):
        integrated_number_serial(text, 5)
