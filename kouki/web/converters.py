"""Path converters shared by every staff URL: an id or a fiscal year out of range is a 404, not a 500.

Django's `int` converter accepts any run of digits; an overlong id (/persons/99999999999999999999999/)
then overflows the database integer (SQLite: OverflowError) and a fiscal year like 1 cannot be named in
和暦. Every pattern in kouki.web.urls uses `<id:...>` or `<fy:...>` instead (tests/web/test_url_ids.py
walks the patterns and refuses a plain `int`). A `ValueError` from `to_python` makes Django try the next
pattern and, with none left, answer 404.
"""

from __future__ import annotations

from datetime import date

from kouki.rules.eligibility import DEFAULT_RULES

MAX_ID = 2**63 - 1  # the largest BigAutoField / bigint value (PostgreSQL and SQLite alike)
FIRST_FISCAL_YEAR = DEFAULT_RULES.scheme_start.year  # 後期高齢者医療制度 began on 2008-04-01
LAST_FISCAL_YEAR = 2100  # the upper bound kouki's year forms accept (kouki.web.collection_forms)


class IdConverter:
    """A database id: 1 … 2⁶³−1, digits only."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("id out of range")
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


class FiscalYearConverter:
    """A fiscal year (年度) of the scheme: 2008 … 2100, four digits."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
            raise ValueError("fiscal year out of range")
        return year

    def to_url(self, value: int) -> str:
        return str(int(value))


class MonthConverter:
    """A month as YYYY-MM (the monthly review, /audit/reviews/2026-11/): the first day of it."""

    regex = "[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        year, month = (int(part) for part in value.split("-"))
        if not 1 <= month <= 12 or not FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
            raise ValueError("month out of range")
        return date(year, month, 1)

    def to_url(self, value: date | str) -> str:
        return value if isinstance(value, str) else f"{value:%Y-%m}"
