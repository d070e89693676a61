"""Property tests of the Zengin codec: any valid data record survives dump → parse unchanged, every
record is 120 bytes, and the character conversion yields Zengin characters or names what it cannot."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kouki.banking.config import bank_settings
from kouki.interfaces.zengin.charset import ALLOWED, bad_characters, is_zengin, to_zengin
from kouki.interfaces.zengin.debit import DebitLine, dump_debit_file, parse_debit_file

ZENGIN = st.text(alphabet=sorted(ALLOWED - {" "}), min_size=1, max_size=15)
LINE = st.builds(
    DebitLine,
    bank_code=st.from_regex(r"[0-9]{4}", fullmatch=True),
    bank_name=ZENGIN,
    branch_code=st.from_regex(r"[0-9]{3}", fullmatch=True),
    branch_name=ZENGIN,
    deposit_type=st.sampled_from([1, 2, 4, 9]),
    account_number=st.from_regex(r"[0-9]{7}", fullmatch=True),
    holder=ZENGIN,
    amount=st.integers(1, 9_999_999_999),
    new_code=st.sampled_from([0, 1, 2]),
    customer_no=st.from_regex(r"[0-9]{20}", fullmatch=True),
    result_code=st.sampled_from([0, 1, 2, 3, 4, 8, 9]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=5, unique_by=lambda ln: ln.customer_no), st.booleans())
def test_dump_then_parse_gives_the_lines_back(lines: list[DebitLine], crlf: bool) -> None:
    bank = bank_settings("sandbox-blank" if crlf else "sandbox")
    data = dump_debit_file(bank, date(2026, 2, 27), lines)
    stride = 122 if crlf else 120
    assert len(data) == stride * (len(lines) + 3)
    parsed = parse_debit_file(data, "p", results=True)
    assert parsed.errors == []
    got = [DebitLine(*(getattr(r, f) for f in DebitLine.__dataclass_fields__)) for r in parsed.records]
    assert got == lines


@given(st.text(max_size=30))
def test_conversion_gives_zengin_characters_or_names_the_rest(text: str) -> None:
    converted = to_zengin(text)
    bad = bad_characters(converted)
    assert is_zengin(converted) == (not bad)
    if not bad:
        assert len(converted.encode("cp932")) == len(converted)  # one byte per character
