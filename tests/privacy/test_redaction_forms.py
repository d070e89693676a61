"""Issue 14 §2: a personal number is recognised and masked in every form it is written — contiguous,
grouped 4-4-4 with spaces or hyphens (half- or full-width), full-width digits, URL-encoded spaces — and a
note holding one in any of those forms is refused; twelve digits grouped otherwise are left alone."""

from __future__ import annotations

import logging
from datetime import date
from io import StringIO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.privacy.redaction import MASK, RedactPersonalNumbers, contains_personal_number, redact
from kouki.rules.numbers import my_number_check_digit

FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def number_from(base: int) -> str:
    digits = f"{base:011d}"
    return digits + str(my_number_check_digit(digits))


def forms(n: str) -> list[str]:
    a, b, c = n[:4], n[4:8], n[8:]
    spaced = f"{a} {b} {c}"
    return [n, spaced, f"{a}-{b}-{c}", f"{a}　{b}　{c}", f"{a}－{b}－{c}", f"{a}ー{b}ー{c}",
            n.translate(FULL), spaced.translate(FULL), f"{a}+{b}+{c}", f"{a}%20{b}%20{c}"]  # fmt: skip


@given(st.integers(min_value=0, max_value=10**11 - 1), st.sampled_from(range(10)))
def test_every_written_form_is_found_and_masked(base: int, which: int) -> None:
    written = forms(number_from(base))[which]
    text = f"備考: 本人の番号は{written}です"
    assert contains_personal_number(text)
    assert redact(text) == f"備考: 本人の番号は{MASK}です"


@pytest.mark.parametrize("grouping", [
    "{0}{1}{2}{3}-{4}{5}-{6}{7} {8}{9}{10}{11}",  # like a date and a time
    "{0}{1}{2} {3}{4}{5} {6}{7}{8} {9}{10}{11}",  # like a slip number printed in groups of three
    "{0}{1}{2}{3} {4}{5}{6}{7}-{8}{9}{10}{11}",  # mixed separators are not one written number
])  # fmt: skip
def test_twelve_valid_digits_grouped_otherwise_are_left_alone(grouping: str) -> None:
    n = number_from(31_415_926_535)
    assert contains_personal_number(n)  # the digits are a valid number …
    text = grouping.format(*n)
    assert redact(text) == text  # … but not written as one


def test_a_number_in_a_longer_run_of_digits_is_not_a_number() -> None:
    n = number_from(12_345_678_901)
    assert not contains_personal_number("9" + n) and not contains_personal_number(n + "9")


def test_the_log_filter_masks_grouped_and_full_width_numbers() -> None:
    n = number_from(98_765_432_109)
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPersonalNumbers())
    log = logging.getLogger("kouki.test.redaction")
    log.addHandler(handler)
    try:
        log.warning("GET /persons/?addressee_no=%s", f"{n[:4]}+{n[4:8]}+{n[8:]}")
        log.warning("memo %s", n.translate(FULL))
    finally:
        log.removeHandler(handler)
    out = stream.getvalue()
    assert not contains_personal_number(out) and out.count(MASK) == 2


@pytest.mark.django_db
def test_a_note_with_a_grouped_number_is_refused_and_nothing_is_stored() -> None:
    from factories import make_person

    from kouki.arrears.models import ContactChannel, ContactRecord
    from kouki.arrears.services import ArrearsError, contact_record
    from kouki.privacy.context import Actor

    person = make_person()
    n = number_from(27_182_818_284)
    for written in (f"{n[:4]} {n[4:8]} {n[8:]}", n.translate(FULL)):
        with pytest.raises(ArrearsError, match="個人番号は入力できません") as refused:
            contact_record(actor=Actor(username="clerk"), person_id=person.pk, contacted_on=date(2025, 7, 1),
                           channel=ContactChannel.PHONE, note=f"番号 {written} を聞き取り")  # fmt: skip
        assert not contains_personal_number(str(refused.value))
    assert not ContactRecord.objects.exists()
