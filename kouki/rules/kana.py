"""Kana normalisation for name search.

Staff type names as they hear them: half-width or full-width, hiragana or katakana, with or without
voiced marks and small kana, with spaces. Both the stored key and the query are reduced to one form:
full-width katakana, no voiced or semi-voiced marks (ガ→カ, パ→ハ, ヴ→ウ), small kana made large
(ァ→ア, ッ→ツ, ャ→ヤ), no spaces or middle dots; the long-vowel mark ー is kept.
"""

from __future__ import annotations

import unicodedata

_SMALL_TO_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_DROP = {ord(c): None for c in " 　・･.,"}
_VOICED_MARKS = {"\u3099", "\u309a"}


def to_katakana(text: str) -> str:
    """NFKC (half-width → full-width) then hiragana → katakana."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def kana_search_key(text: str) -> str:
    """The comparison form of a kana name; idempotent (the key of a key is the key)."""
    katakana = to_katakana(text).translate(_DROP)
    decomposed = unicodedata.normalize("NFD", katakana)
    stripped = "".join(c for c in decomposed if c not in _VOICED_MARKS)
    return unicodedata.normalize("NFC", stripped).translate(_SMALL_TO_LARGE)


def is_kana_name(text: str) -> bool:
    """True if text (after NFKC) has only katakana/hiragana, the long-vowel mark and spaces."""
    for c in to_katakana(text):
        if c in " 　・ー":
            continue
        if not ("ァ" <= c <= "ヺ"):
            return False
    return bool(text.strip())
