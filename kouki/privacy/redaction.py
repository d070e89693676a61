"""Keep personal numbers out of logs, exception texts, notes and audit details.

A personal number is recognised in every form a person or a program writes it (issue 14 §2): twelve
digits with a valid check digit, contiguous or in three groups of four separated by the same single
separator — a space, a hyphen, their full-width forms, 「ー」, or the URL encodings of a space (`+`,
`%20`) — with ASCII or full-width digits. Twelve digits grouped otherwise (a date followed by a time, a
phone number) are not a personal number's written form and are left alone.
"""

from __future__ import annotations

import logging
import re

from kouki.rules.numbers import is_valid_my_number

_DIGIT = "[0-9０-９]"
_SEPARATOR = "(?:%20|[ \\-+\u3000\u2010\u2011\u2012\u2013\u2212\uff0d\u30fc])?"
_WRITTEN = re.compile(
    rf"(?<![0-9０-９])({_DIGIT}{{4}})({_SEPARATOR})({_DIGIT}{{4}})\2({_DIGIT}{{4}})(?![0-9０-９])"
)
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
MASK = "************"


def _number_of(match: re.Match[str]) -> str:
    return (match.group(1) + match.group(3) + match.group(4)).translate(_FULL_WIDTH)


def contains_personal_number(text: str) -> bool:
    return any(is_valid_my_number(_number_of(m)) for m in _WRITTEN.finditer(text))


def redact(text: str) -> str:
    return _WRITTEN.sub(lambda m: MASK if is_valid_my_number(_number_of(m)) else m.group(0), text)


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
