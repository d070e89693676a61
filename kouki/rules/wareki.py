"""和暦 (Japanese era) display and the fiscal year (年度, April–March).

One rule for every 和暦 text that kouki prints (screens, letters, slips): the era is the one in force on
the day in question, and the first year of an era is written 元年 (令和元年, not 令和1年).

- `format_wareki(d)`: 令和8年4月1日 (a date)
- `wareki_year(fy)`: 令和7年度 (a fiscal year, April–March, named by the era on its 1 April)
- `wareki_calendar_year(y)`: 令和6年 (a calendar year, e.g. an income year, named by the era on 31 December)
- `wareki_month(y, m)`: 令和6年4月 (a month, named by the era on its first day)
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# (first day, era name, one-letter code used on forms)
ERAS: tuple[tuple[date, str, str], ...] = (
    (date(2019, 5, 1), "令和", "R"),
    (date(1989, 1, 8), "平成", "H"),
    (date(1926, 12, 25), "昭和", "S"),
    (date(1912, 7, 30), "大正", "T"),
    (date(1868, 1, 25), "明治", "M"),
)


class DateOutOfEraRange(ValueError):
    pass


def era_of(d: date) -> tuple[str, int]:
    """Era name and year within the era (元年 = 1)."""
    for start, name, _code in ERAS:
        if d >= start:
            return name, d.year - start.year + 1
    raise DateOutOfEraRange("date before the Meiji era")


def era_year(d: date) -> str:
    """令和8年: the era and its year on a date, the first year of an era written 元年."""
    name, year = era_of(d)
    return f"{name}{'元' if year == 1 else year}年"


def format_wareki(d: date) -> str:
    """令和8年4月1日 style; the first year of an era is written 元年."""
    return f"{era_year(d)}{d.month}月{d.day}日"


def format_wareki_input(d: date) -> str:
    """R8.4.1: a date as staff type it (the one-letter era code; the first year of an era is 1), for the
    initial value of a date input (parse_date_input reads it back)."""
    for start, _name, code in ERAS:
        if d >= start:
            return f"{code}{d.year - start.year + 1}.{d.month}.{d.day}"
    raise DateOutOfEraRange("date before the Meiji era")


def wareki_year(fiscal_year: int) -> str:
    """令和7年度: the fiscal year starting on 1 April of `fiscal_year`, named by the era on that day
    (FY2019 is 平成31年度: 令和 began on 1 May 2019)."""
    return f"{era_year(date(fiscal_year, 4, 1))}度"


def wareki_calendar_year(year: int) -> str:
    """令和6年: a calendar year (1 January – 31 December), named by the era on 31 December."""
    return era_year(date(year, 12, 31))


def wareki_month(year: int, month: int) -> str:
    """令和6年4月: a month, named by the era on its first day."""
    return f"{era_year(date(year, month, 1))}{month}月"


def fiscal_year(d: date) -> int:
    """年度: the year in which the fiscal year (April 1 – March 31) starts."""
    return d.year if d.month >= 4 else d.year - 1


def age_on(birth_date: date, on: date) -> int:
    """Age in completed years on a date, by the birthday (a person is 75 from the 75th birthday on)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class InvalidDateInput(ValueError):
    """A typed date could not be read; the message says why (in Japanese, for the screen)."""


_ERA_BY_KEY: dict[str, tuple[date, str]] = {}
for _start, _name, _code in ERAS:
    _ERA_BY_KEY[_code] = (_start, _name)
    _ERA_BY_KEY[_name] = (_start, _name)


def _era_end(start: date) -> date | None:
    """The first day of the next era, or None for the current era."""
    later = [s for s, _n, _c in ERAS if s > start]
    return min(later) if later else None


_WAREKI_INPUT = re.compile(
    r"(令和|平成|昭和|大正|明治|[RHSTM])\s*(元|\d{1,2})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?"
)


def parse_date_input(text: str) -> date:
    """Read a date as staff type it.

    西暦 2026-04-01 / 2026/4/1 / 2026年4月1日, or 和暦 R8.4.1, S21.5.1, 令和8年4月1日, R元.5.1.

    Full-width characters are accepted. A 和暦 date must fall inside its era (H31.5.1 is refused:
    令和 began on 2019-05-01).
    """
    raw = unicodedata.normalize("NFKC", text).strip().upper()
    if not raw:
        raise InvalidDateInput("日付が空です")
    western = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", raw) or re.fullmatch(
        r"(\d{4})年(\d{1,2})月(\d{1,2})日", raw
    )
    if western:
        y, m, d = (int(g) for g in western.groups())
        try:
            return date(y, m, d)
        except ValueError as exc:
            raise InvalidDateInput("存在しない日付です") from exc
    era_match = _WAREKI_INPUT.fullmatch(raw)
    if not era_match:
        raise InvalidDateInput("日付は R8.4.1(和暦)または 2026-04-01(西暦)の形で入力してください")
    key, year_text, month_text, day_text = era_match.groups()
    start, _name = _ERA_BY_KEY[key]
    era_year = 1 if year_text == "元" else int(year_text)
    if era_year < 1:
        raise InvalidDateInput("元号の年は1以上です")
    try:
        result = date(start.year + era_year - 1, int(month_text), int(day_text))
    except ValueError as exc:
        raise InvalidDateInput("存在しない日付です") from exc
    end = _era_end(start)
    if result < start or (end is not None and result >= end):
        raise InvalidDateInput("その元号の期間に含まれない日付です")
    return result
