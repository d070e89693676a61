"""Check digits of the numbers the work handles (domain-facts §6).

- 個人番号 (personal number): 総務省令第85号 §5.
- 保険者番号: ×2/×1 from the rightmost base digit, digit sums, 10 − last digit (厚生労働省「保険者番号設定
  要領」, domain-facts §6 [S52]).
- 被保険者番号 (8 digits): the same rule is applied by third-party receipt-checking code only ([S55]); no
  official document was found that the 8th digit of a 後期 被保険者番号 is a check digit. The file imports
  therefore check it as the installation says (KOUKI_INSURED_NO_CHECK_DIGIT: warn by default, or reject;
  kouki.interfaces.fixedwidth.layout), and the selectors accept any 8-digit number
  (`is_insured_number_format`).
"""

from __future__ import annotations


class InvalidNumber(ValueError):
    """A number failed its format or check digit. The message never repeats the number."""


def my_number_check_digit(base11: str) -> int:
    """Check digit for the 11 base digits of a personal number (総務省令第85号 §5).

    Pn is the n-th digit counting from the right; Qn = n+1 (1≤n≤6), n−5 (7≤n≤11);
    r = Σ Pn×Qn mod 11; CD = 0 if r ≤ 1 else 11 − r.
    """
    if len(base11) != 11 or not base11.isascii() or not base11.isdigit():
        raise InvalidNumber("personal number base must be 11 ASCII digits")
    total = 0
    for n, ch in enumerate(reversed(base11), start=1):
        q = n + 1 if n <= 6 else n - 5
        total += int(ch) * q
    r = total % 11
    return 0 if r <= 1 else 11 - r


def is_valid_my_number(value: str) -> bool:
    """True when value is 12 ASCII digits whose last digit is the check digit."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    return my_number_check_digit(value[:11]) == int(value[11])


def validate_my_number(value: str) -> str:
    """Return value if it is a valid personal number, else raise InvalidNumber (number not echoed)."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise InvalidNumber("personal number must be 12 ASCII digits")
    if my_number_check_digit(value[:11]) != int(value[11]):
        raise InvalidNumber("personal number check digit does not match")
    return value


def mod10_weight21_check_digit(base: str) -> int:
    """Check digit of 保険者番号 and 被保険者番号 (domain-facts §6, [S52]).

    Multiply digits alternately by 2 and 1 starting from the rightmost, add the digits
    of each product, CD = 10 − (last digit of the sum), or 0 when that is 10.
    """
    if not base or not base.isascii() or not base.isdigit():
        raise InvalidNumber("number base must be ASCII digits")
    total = 0
    for i, ch in enumerate(reversed(base)):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def is_valid_insurer_number(value: str) -> bool:
    """8 digits: 39 + prefecture (2) + serial (3) + check digit."""
    if len(value) != 8 or not value.isascii() or not value.isdigit() or not value.startswith("39"):
        return False
    return mod10_weight21_check_digit(value[:7]) == int(value[7])


def is_insured_number_format(value: str) -> bool:
    """8 ASCII digits (the form of a 被保険者番号; the check digit is not part of it, see the module doc)."""
    return len(value) == 8 and value.isascii() and value.isdigit()


def is_valid_insured_number(value: str) -> bool:
    """8 digits, the 8th a check digit by the same ×2/×1 rule (domain-facts §6, [S55]: not official)."""
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        return False
    return mod10_weight21_check_digit(value[:7]) == int(value[7])
