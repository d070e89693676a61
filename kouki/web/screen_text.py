"""Messages from services and rules, made fit for a clerk's screen: a message written for developers (in
English, naming parameter keys) is replaced by a Japanese one, never shown as it stands."""

from __future__ import annotations

import re

FALLBACK = "入力内容を確認してください"
_ENGLISH_WORD = re.compile(r"[A-Za-z_]{3,}")


def japanese_or(text: str, fallback: str) -> str:
    """`text` if it is written for a clerk (no English words or keys), else `fallback`."""
    return fallback if _ENGLISH_WORD.search(text) else text
