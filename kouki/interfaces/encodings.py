"""Name a file's wrong encoding before reading its records (issue 16 §4).

Counterparts send CP932 fixed-width files or UTF-8 CSV. A file in another encoding used to be reported
by its symptom ("wrong record length" on every line); these checks name the cause instead, once, for the
file as a whole. They look only at bytes, never print the file's content (a personal number could be in
it), and are conservative: they speak only when the bytes cannot be what was expected.
"""

from __future__ import annotations

import codecs
from typing import Literal

Expected = Literal["cp932", "utf-8"]

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_SAMPLE = 64 * 1024
_TEXT_CONTROLS = frozenset(b"\r\n\t\x0c\x1a")  # line ends, tab, form feed, the DOS end-of-file mark
EXPECTED_NAMES = {"cp932": "CP932（シフトJIS）の固定長", "utf-8": "UTF-8 の CSV"}


def _looks_utf16(sample: bytes) -> bool:
    """Every other byte NUL over the ASCII parts: UTF-16 without a BOM."""
    if len(sample) < 4:
        return False
    evens, odds = sample[0::2], sample[1::2]
    return max(evens.count(0), odds.count(0)) >= len(sample) // 4


def _is_strict_utf8_with_multibyte(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_strict_cp932_not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return False
    try:
        data.decode("cp932")
    except UnicodeDecodeError:
        return False
    return True


def encoding_problem(data: bytes, expected: Expected) -> str | None:
    """Why these bytes are not a text file in the expected encoding, or None when they may be."""
    sample = data[:_SAMPLE]
    wanted = EXPECTED_NAMES[expected]
    if sample.startswith(_UTF32_BOMS):
        return f"文字コードが UTF-32 です（{wanted}で作成してください）"
    if sample.startswith(_UTF16_BOMS) or _looks_utf16(sample):
        return f"文字コードが UTF-16 です（{wanted}で作成してください）"
    controls = sum(1 for b in sample if b < 0x20 and b not in _TEXT_CONTROLS) + sample.count(0x7F)
    if controls:
        return f"テキストファイルではありません（制御文字・バイナリが {controls} バイトあります）"
    if expected == "cp932" and (sample.startswith(codecs.BOM_UTF8) or _is_strict_utf8_with_multibyte(data)):
        return f"文字コードが UTF-8 です（{wanted}で作成してください）"
    if expected == "utf-8" and _is_strict_cp932_not_utf8(data):
        return f"文字コードが CP932（シフトJIS）です（{wanted}で作成してください）"
    return None
