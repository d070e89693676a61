"""Template filters of the staff screens: 和暦 dates (kouki.rules.wareki) and yen (kouki.rules.formatting)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone

from kouki.rules.formatting import yen as format_yen
from kouki.rules.wareki import DateOutOfEraRange, format_wareki, wareki_year

register = template.Library()


@register.filter
def wareki(value: date | None) -> str:
    """令和8年4月1日; empty for None."""
    if value is None:
        return ""
    try:
        return format_wareki(value)
    except DateOutOfEraRange:
        return value.isoformat()


@register.filter
def seireki(value: date | None) -> str:
    """2026年4月1日; empty for None."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def yen(value: int | str | None) -> str:
    """30,000円 (as letters print it); empty for None or a missing value ("")."""
    if value is None or value == "":
        return ""
    return format_yen(int(value))


@register.filter
def wareki_datetime(value: datetime | None) -> str:
    """令和8年4月1日 10:15 in the local time zone; empty for None."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{wareki(local.date())} {local:%H:%M}"


@register.filter
def nendo(fiscal_year: int | None) -> str:
    """令和7年度 for 2025; empty for None."""
    if fiscal_year is None:
        return ""
    return wareki_year(int(fiscal_year))


@register.filter
def item(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    """mapping[key] in a template (None when missing): `{% with x=by_person|item:r.person_id %}`."""
    if mapping is None:
        return None
    return mapping.get(key)
