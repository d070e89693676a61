"""The GS1-128 convenience-store payment code (domain-facts §5 [S42][S43][S44]; check digit [V-calc]).

The two third-party test vectors behind domain-facts §5 ([S45]) are not reproduced in the notes, so the
table uses hand-computed vectors; each comment shows the sum under the rule "all 43 digits, AI included,
weights 3,1,3,… from the right (CD = position 1, even positions ×3), CD = (10 − sum mod 10) mod 10".
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.gs1 import (
    DEFAULT_FREE_FIELD,
    FreeFieldLayout,
    PaymentCode,
    Segment,
    barcode_allowed,
    check_digit,
    parse,
)


@pytest.mark.parametrize(
    ("digits43", "cd"),
    [
        # "91" then 41 zeros: 9 at position 44 (×3) = 27, 1 at position 43 (×1) = 1; 28 → 2.
        # Without the AI the sum would be 0 → 0: the vector tells the two readings apart.
        ("91" + "0" * 41, "2"),
        # "91" then 41 ones: ones at positions 2–42 give 21×3 + 20×1 = 83, plus 1 + 27 = 111 → 9.
        ("91" + "1" * 41, "9"),
        # kouki's first sample slip: biller 900000, free field 2026|000000000001|01|000, reissue 0,
        # due 260731, stamp 0, amount 012345: weighted sum 137 → 3.
        ("9190000020260000000000010100002607310012345", "3"),
    ],
)
def test_check_digit_vectors(digits43: str, cd: str) -> None:
    assert check_digit(digits43) == cd


def test_encode_lays_out_the_fields_in_order() -> None:
    free = DEFAULT_FREE_FIELD.compose({"fiscal_year": 2026, "slip_no": 1, "period": 1})
    code = PaymentCode("900000", free, 0, date(2026, 7, 31), 0, 12345).encode()
    assert code == "91900000202600000000000101000026073100123453"
    assert len(code) == 44


codes = st.builds(
    PaymentCode,
    biller_code=st.text("0123456789", min_size=6, max_size=6),
    free_field=st.text("0123456789", min_size=21, max_size=21),
    reissue=st.integers(0, 9),
    due_date=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    stamp_flag=st.integers(0, 1),
    amount=st.integers(1, 300_000),
)


@given(codes)
def test_encode_parse_round_trip(code: PaymentCode) -> None:
    text = code.encode()
    assert len(text) == 44 and text.isdigit() and text.startswith("91")
    assert parse(text) == code


@given(codes, st.integers(0, 43), st.integers(1, 9))
def test_any_single_digit_change_breaks_the_check_digit(code: PaymentCode, at: int, delta: int) -> None:
    text = code.encode()
    changed = text[:at] + str((int(text[at]) + delta) % 10) + text[at + 1 :]
    body = changed[:-1]
    assert check_digit(body) != changed[-1]
    with pytest.raises(ValueError, match=r"check digit|application identifier"):
        parse(changed)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("9190000020260000000000010100002607310012345", "44 ASCII digits"),
        ("919000002026000000000001010000260731001234５3", "44 ASCII digits"),
        ("9290000020260000000000010100002607310012345" + "3", "application identifier"),
        ("9190000020260000000000010100002607310012345" + "4", "check digit"),
    ],
)
def test_parse_names_the_reason(code: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse(code)


def test_parse_rejects_an_impossible_date() -> None:
    body = "9190000020260000000000010100002602310012345"
    with pytest.raises(ValueError, match="not a date"):
        parse(body + check_digit(body))


def test_parse_rejects_an_amount_above_the_limit() -> None:
    body = "9190000020260000000000010100002607310300001"
    with pytest.raises(ValueError, match="amount"):
        parse(body + check_digit(body))


@pytest.mark.parametrize(("amount", "allowed"), [(0, False), (1, True), (300_000, True), (300_001, False)])
def test_no_barcode_above_300000_yen(amount: int, allowed: bool) -> None:
    assert barcode_allowed(amount) is allowed


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [("biller_code", "90000", "biller code"), ("reissue", 10, "reissue"), ("stamp_flag", 2, "stamp flag"),
     ("amount", 300_001, "amount"), ("due_date", date(1999, 12, 31), "due date")],
)  # fmt: skip
def test_invalid_fields_are_refused(field: str, value: object, reason: str) -> None:
    kwargs: dict[str, object] = {
        "biller_code": "900000", "free_field": "0" * 21, "reissue": 0, "due_date": date(2026, 7, 31),
        "stamp_flag": 0, "amount": 100,
    }  # fmt: skip
    kwargs[field] = value
    with pytest.raises(ValueError, match=reason):
        PaymentCode(**kwargs)  # type: ignore[arg-type]


def test_default_free_field_layout() -> None:
    free = DEFAULT_FREE_FIELD.compose({"fiscal_year": 2026, "slip_no": 123456789012, "period": 10})
    assert free == "202612345678901210000"
    assert DEFAULT_FREE_FIELD.split(free) == {
        "fiscal_year": "2026", "slip_no": "123456789012", "period": "10", "reserve": "000",
    }  # fmt: skip


def test_layout_from_spec_round_trips_and_checks_the_width() -> None:
    layout = FreeFieldLayout.from_spec("fiscal_year:4,slip_no:12,period:2,reserve:3=000")
    assert layout == DEFAULT_FREE_FIELD
    assert FreeFieldLayout.from_spec(layout.spec()) == layout
    with pytest.raises(ValueError, match="add up to 20"):
        FreeFieldLayout.from_spec("fiscal_year:4,slip_no:12,period:2,reserve:2")
    with pytest.raises(ValueError, match="name:length"):
        FreeFieldLayout.from_spec("fiscal_year:x")


def test_compose_refuses_a_value_that_does_not_fit() -> None:
    layout = FreeFieldLayout((Segment("a", 19), Segment("b", 2)))
    with pytest.raises(ValueError, match="segment b"):
        layout.compose({"a": 1, "b": 100})
    with pytest.raises(ValueError, match="no value for segment b"):
        layout.compose({"a": 1})
