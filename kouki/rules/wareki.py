"""和暦 (Japanese era) display and the fiscal year (年度, April–March)."""

from __future__ import annotations

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


def format_wareki(d: date) -> str:
    """令和8年4月1日 style; the first year of an era is written 元年."""
    name, year = era_of(d)
    year_text = "元" if year == 1 else str(year)
    return f"{name}{year_text}年{d.month}月{d.day}日"


def fiscal_year(d: date) -> int:
    """年度: the year in which the fiscal year (April 1 – March 31) starts."""
    return d.year if d.month >= 4 else d.year - 1


def age_on(birth_date: date, on: date) -> int:
    """Age in completed years on a date, by the birthday (a person is 75 from the 75th birthday on)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
