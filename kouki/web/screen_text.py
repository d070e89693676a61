"""Messages from services and rules, made fit for a clerk's screen: a message written for developers (in
English, naming parameter keys) is replaced by a Japanese one, never shown as it stands."""

from __future__ import annotations

import re

FALLBACK = "入力内容を確認してください"
_LETTERS = re.compile(r"[A-Za-z_]+")
_ABBREVIATION_MAX = 4  # PDF, CSV, ATM, TOTP: capital abbreviations offices write in Japanese text


def _is_english(word: str) -> bool:
    """An English word or a key (amount, as_of, KOUKI_DIRECT_MONTHS); not R8 nor a short abbreviation."""
    if len(word) < 3:
        return False
    return "_" in word or not word.isupper() or len(word) > _ABBREVIATION_MAX


def japanese_or(text: str, fallback: str) -> str:
    """`text` if it is written for a clerk (no English words or keys), else `fallback`. A Japanese message
    keeps its 和暦 letters and figures (R8, 令和8年度, 5,000円) and short capital abbreviations (PDF)."""
    return fallback if any(_is_english(w) for w in _LETTERS.findall(text)) else text
