"""The 納付書番号 as printed on a slip can never be read as a personal number (SEC-07): not a bare run of 12
digits, and not the card's 4-4-4 grouping — whatever the serial. (A 4-4-4 print made the privacy sweep of
the slip PDFs fail for about one serial in ten: those whose 12 digits carry a valid My Number check digit.)"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kouki.documents.payment_slip_data import slip_number_text
from kouki.privacy.redaction import contains_personal_number
from kouki.rules.numbers import is_valid_my_number

CARD_GROUPING = re.compile(r"(?<!\d)(\d{4})[ \-](\d{4})[ \-](\d{4})(?!\d)")


@given(st.integers(min_value=0, max_value=10**12 - 1), st.integers(min_value=0, max_value=9))
def test_a_printed_slip_number_is_never_a_personal_number(slip_no: int, reissue: int) -> None:
    printed = f"{slip_number_text(slip_no)}-{reissue}"
    assert not contains_personal_number(printed)
    assert CARD_GROUPING.search(printed) is None
    assert printed.replace(" ", "").startswith(f"{slip_no:012d}")


def test_a_serial_with_a_valid_check_digit_is_printed_in_threes() -> None:
    serial = next(n for n in range(10**11, 10**11 + 20) if is_valid_my_number(f"{n:012d}"))
    assert slip_number_text(serial) == " ".join(re.findall(r"\d{3}", f"{serial:012d}"))
