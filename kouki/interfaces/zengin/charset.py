"""The Zengin character set (全銀協 文字セット) of C fields: half-width katakana, upper-case letters, digits,
space and the symbols ( ) . - / — one byte each in CP932 (JIS X 0201). Pure functions, no Django.

`to_zengin` turns what staff type (full-width katakana or hiragana, full-width letters and digits, lower
case, small kana, the long-vowel mark) into that set; `bad_characters` lists what still does not belong.
"""

from __future__ import annotations

import re
import unicodedata

SYMBOLS = "().-/"
_KANA = {chr(c) for c in range(0xFF71, 0xFF9E)}  # ｱ … ﾝ
_MARKS = {"\uff9e", "\uff9f"}  # ﾞ ﾟ
ALLOWED = frozenset(_KANA | _MARKS | set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ") | set(SYMBOLS))

# full-width katakana (one code point, no voicing mark) → half-width; built from NFKC of half-width
_HALF: dict[str, str] = {}
for _code in range(0xFF66, 0xFF9E):
    _half = chr(_code)
    _HALF.setdefault(unicodedata.normalize("NFKC", _half), _half)
_SMALL = str.maketrans("ァィゥェォッャュョヮヵヶｧｨｩｪｫｯｬｭｮ", "アイウエオツヤユヨワカケｱｲｳｴｵﾂﾔﾕﾖ")
_SPECIAL = {
    "ヲ": "ｵ",
    "ｦ": "ｵ",
    "ヰ": "ｲ",
    "ヱ": "ｴ",
    "ー": "-",
    "ｰ": "-",
    "－": "-",
    "‐": "-",
    "―": "-",
    "−": "-",
    "\u3000": " ",
    "・": ".",
    "･": ".",
    "（": "(",
    "）": ")",
    "．": ".",
    "／": "/",
    "\u3099": "\uff9e",
    "\u309a": "\uff9f",
    "゛": "\uff9e",
    "゜": "\uff9f",
}


def _hira_to_kata(ch: str) -> str:
    code = ord(ch)
    return chr(code + 0x60) if 0x3041 <= code <= 0x3096 else ch


def to_zengin(text: str) -> str:
    """Best-effort conversion into the Zengin set (characters without a counterpart are kept as they
    are, so that `bad_characters` can name them)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text.strip()):
        ch = _hira_to_kata(ch).translate(_SMALL)
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
            continue
        if ch in _HALF and ch not in ALLOWED:
            out.append(_HALF[ch].translate(_SMALL))
            continue
        if "\uff01" <= ch <= "\uff5e":  # full-width ASCII
            ch = chr(ord(ch) - 0xFEE0)
        if ch.isascii() and ch.isalpha():
            ch = ch.upper()
        out.append(ch)
    return "".join(out)


def bad_characters(text: str) -> list[str]:
    """The distinct characters of text outside the Zengin set, in order of appearance."""
    return list(dict.fromkeys(ch for ch in text if ch not in ALLOWED))


_VALID = re.compile(r"[\uff71-\uff9fA-Z0-9 ().\-/]*")


def is_zengin(text: str) -> bool:
    return _VALID.fullmatch(text) is not None


def encode(text: str) -> bytes:
    """CP932 bytes of a Zengin string (one byte per character)."""
    return text.encode("cp932")
