"""Password rules (NIST SP 800-63B §5.1.1.2: no user-name or service derivatives, no repetition or
sequences, dictionary words dressed with digits; issue 14 §3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouki.rules.passwords import core, derived_from, identifier_words, normalise, repetitive


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("aaaaaaaaaaaa", True),
        ("abcabcabcabc", True),
        ("abcdefghijkl", True),
        ("123456789012", True),
        ("987654321098", True),
        ("qwertyuiopqw", True),
        ("ｑｗｅｒｔｙｕｉｏｐ", True),
        ("1qaz2wsx3edc", True),
        ("correct-horse-battery-7507", False),
        ("夏の海と青い空のうた", False),
    ],
)
def test_repetition_and_sequences(password: str, expected: bool) -> None:
    assert repetitive(password) is expected


def test_identifiers_forwards_reversed_and_full_width() -> None:
    words = identifier_words("sato.hanako", "佐藤 花子", "A1234")
    assert {"sato.hanako", "sato", "hanako", "佐藤", "花子", "a1234"} <= set(words)
    assert derived_from("Hanako-loves-tea-2026", words) == "hanako"
    assert derived_from("okanah-backwards-x", words) == "hanako"
    assert derived_from("ＳＡＴＯ　ＨＡＮＡＫＯ　ｔｅａ", words) is not None
    assert derived_from("わたしは佐藤ではありません", words) == "佐藤"
    assert derived_from("correct-horse-battery-7507", words) is None
    assert identifier_words("ab", "x.y") == ()  # too short to look for


def test_core_strips_digits_and_symbols_from_the_ends() -> None:
    assert core("Dragon2026!!") == "dragon"
    assert core("!!1234password5678") == "password"
    assert core("correct-horse-battery-7507") == "correct-horse-battery"


# Combining marks and modifier symbols (¨ becomes a combining diaeresis under NFKC) fuse with the letter
# next to them: 'tanaka' + '¨' is 'tanakä', another word. Anything else around the name leaves it found.
AROUND = st.text(st.characters(exclude_categories=("Mn", "Mc", "Me", "Sk", "Cs")), min_size=1, max_size=40)


@given(AROUND)
def test_a_password_containing_an_identifier_is_derived(extra: str) -> None:
    words = identifier_words("tanaka.ichiro")
    assert derived_from(extra + "Tanaka" + extra, words) is not None


@given(st.text(min_size=1, max_size=4), st.integers(3, 8))
def test_a_repeated_unit_is_repetitive(unit: str, times: int) -> None:
    # unless NFKC fuses the copies into something else (a combining mark, Hangul jamo: see above)
    whole = normalise(unit * times)
    if normalise(unit) and whole == normalise(unit) * times:
        assert repetitive(unit * times)


@given(st.text(max_size=30))
def test_core_is_normalised_and_idempotent(password: str) -> None:
    assert core(core(password)) == core(password)
    assert core(password) == normalise(core(password))
