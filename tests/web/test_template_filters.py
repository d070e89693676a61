"""The 和暦 filters of the staff screens: a moment in local time, a fiscal year as 令和N年度."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kouki.web.templatetags.kouki_web import nendo, wareki, wareki_datetime


def test_wareki_datetime_is_local_time_in_the_era() -> None:
    # 2026-03-31 23:30 UTC is 2026-04-01 08:30 in Tokyo (settings.TIME_ZONE)
    assert wareki_datetime(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == "令和8年4月1日 08:30"
    assert wareki_datetime(None) == ""


def test_nendo_names_the_fiscal_year_by_the_era_on_april_first() -> None:
    assert nendo(2025) == "令和7年度"
    assert nendo(2019) == "平成31年度"
    assert nendo(None) == ""


def test_wareki_date() -> None:
    assert wareki(date(1946, 5, 1)) == "昭和21年5月1日"
