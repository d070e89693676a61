"""The text form of a 団体内統合宛名番号 (integrated addressee number, domain-facts-next §5).

The 番号連携サーバ assigns the number the first time a person's 個人番号 is entered [PIA L366–381].
Its digit count is not public ([NF], domain-facts §6: 「共通機能標準仕様書」 gives it), so the width
is the installation's setting (KOUKI_INTEGRATED_ADDRESSEE_DIGITS); the number itself is a serial kept
as an integer, never derived from the personal number, and written zero-padded to that width. No check
digit is added: none is known.
"""

from __future__ import annotations

MAX_DIGITS = 18  # a serial is a signed 64-bit integer in both databases


class InvalidIntegratedNumber(ValueError):
    """Not an integrated addressee number of the configured width. The message never repeats the text."""


def check_digits(digits: int) -> int:
    if not 1 <= digits <= MAX_DIGITS:
        raise InvalidIntegratedNumber(f"the width of an integrated addressee number must be 1–{MAX_DIGITS}")
    return digits


def integrated_number_text(serial: int, digits: int) -> str:
    """The serial zero-padded to `digits`; refuses a serial that does not fit (or is not positive)."""
    check_digits(digits)
    if serial < 1 or serial >= 10**digits:
        raise InvalidIntegratedNumber(f"serial does not fit in {digits} digits")
    return f"{serial:0{digits}d}"


def integrated_number_serial(text: str, digits: int) -> int:
    """The serial of a text of exactly `digits` ASCII digits (leading zeros as written)."""
    check_digits(digits)
    text = text.strip()
    if len(text) != digits or not text.isascii() or not text.isdigit():
        raise InvalidIntegratedNumber(f"an integrated addressee number has exactly {digits} digits")
    serial = int(text)
    if serial < 1:
        raise InvalidIntegratedNumber("an integrated addressee number is never zero")
    return serial
