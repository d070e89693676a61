"""Keep personal numbers out of logs, exception texts and audit details.

A 12-digit run whose check digit is valid is treated as a personal number wherever it appears.
"""

from __future__ import annotations

import logging
import re

from kouki.rules.numbers import is_valid_my_number

_TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")
MASK = "************"


def contains_personal_number(text: str) -> bool:
    return any(is_valid_my_number(m.group(0)) for m in _TWELVE_DIGITS.finditer(text))


def redact(text: str) -> str:
    return _TWELVE_DIGITS.sub(lambda m: MASK if is_valid_my_number(m.group(0)) else m.group(0), text)


def assert_no_personal_number(text: str) -> None:
    if contains_personal_number(text):
        raise ValueError("refusing to store text that contains a personal number")


class RedactPersonalNumbers(logging.Filter):
    """Logging filter: masks personal numbers in the formatted message and exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if contains_personal_number(message):
            record.msg = redact(message)
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            text = str(record.exc_info[1])
            if contains_personal_number(text):
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return True
