"""Password rules without storage (NIST SP 800-63B §5.1.1.2; issue 14 §3, ADR 0006): what makes a chosen
password unacceptable.

NIST asks verifiers to refuse passwords found in breach corpuses and dictionaries, repetitive or sequential
characters, and context-specific words such as the user name or the name of the service; and NOT to impose
composition rules (at least one digit, one symbol …) or periodic expiry. The functions here decide the parts
that need no data: a password derived from the user's own identifiers, a password made of repetition or a
sequence, and the "core" of a password (the word left when digits and symbols are stripped from its ends),
which the caller looks up in its common-password list.

Every function is pure (no Django, no I/O); kouki.accounts.passwords wraps them as Django validators.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Context words of this service (NIST 800-63B §5.1.1.2 "context-specific words").
SERVICE_WORDS: tuple[str, ...] = ("kouki", "koukikourei", "saitama", "password", "passwd")
MIN_WORD = 4  # ASCII identifier parts shorter than this are not looked for (too many false matches)
MIN_WIDE_WORD = 2  # a word with other characters (a surname in kanji or kana: 佐藤, サトウ)
# Sequences that a password may not consist of (forwards or backwards): alphabet, digits, keyboard rows.
SEQUENCES: tuple[str, ...] = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
_EDGE = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SPLIT = re.compile(r"[\s._\-@]+")


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, no spaces: the form in which passwords are compared."""
    out = text
    for _ in range(4):  # NFKC may bring back a space ('¨' → ' ̈') and lower() may undo NFKC: to a fixed point
        again = "".join(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", out).lower()).split())
        if again == out:
            break
        out = again
    return out


def long_enough(word: str) -> bool:
    return len(word) >= (MIN_WORD if word.isascii() else MIN_WIDE_WORD)


def identifier_words(*identifiers: str) -> tuple[str, ...]:
    """The words of a user's identifiers worth looking for: the whole of each, and each part of it
    (split at spaces, dots, hyphens, underscores, @), normalised, long enough to be worth looking for."""
    words: set[str] = set()
    for identifier in identifiers:
        whole = normalise(identifier)
        if long_enough(whole):
            words.add(whole)
        for part in _SPLIT.split(unicodedata.normalize("NFKC", identifier).lower()):
            part = part.strip()
            if long_enough(part):
                words.add(part)
    return tuple(sorted(words))


def derived_from(password: str, words: Iterable[str]) -> str | None:
    """The word (of `words`) that the password contains, forwards or reversed, else None."""
    pw = normalise(password)
    reverse = pw[::-1]
    for word in words:
        w = normalise(word)
        if long_enough(w) and (w in pw or w in reverse):
            return word
    return None


def _is_repeated_unit(pw: str) -> bool:
    """'abcabcabc', 'aaaaaaaa': the password is one short unit (up to a third of it) repeated."""
    n = len(pw)
    return any(n % size == 0 and pw == pw[:size] * (n // size) for size in range(1, n // 3 + 1))


def _is_sequence_run(pw: str) -> bool:
    """The password is one run (forwards or backwards, possibly wrapping round) of a known sequence."""
    if len(pw) < 4:
        return False
    for seq in SEQUENCES:
        for line in (seq, seq[::-1]):
            looped = line * (len(pw) // len(line) + 2)
            if pw in looped:
                return True
    return False


def repetitive(password: str) -> bool:
    """Made of repetition or a sequence: at most 3 distinct characters, a repeated unit, or one run of
    the alphabet, the digits or a keyboard row."""
    pw = normalise(password)
    if not pw:
        return True
    return len(set(pw)) <= 3 or _is_repeated_unit(pw) or _is_sequence_run(pw)


def core(password: str) -> str:
    """The password with digits, symbols and spaces stripped from both ends, normalised: 'Dragon2026!!'
    → 'dragon'. A common word dressed up with a year or '!' is still the common word."""
    return _EDGE.sub("", normalise(password))
