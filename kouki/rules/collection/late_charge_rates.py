"""The published 延滞金特例基準割合 by calendar year, and the ordinance presets of the 延滞金 rule.

延滞金特例基準割合 = 平均貸付割合 (租税特別措置法 §93②, announced by the 財務大臣 each year) + 1 %. It is the
same for every city; each entry names a public page that states it. A later year is added here (or through
KOUKI_LATE_CHARGE_SPECIAL_RATES, kouki.core.config) once it is published — never guessed.
"""

from __future__ import annotations

from decimal import Decimal

from kouki.rules.collection.late_charge import LateChargeRules, SpecialRate

KODAIRA = "http://www.city.kodaira.tokyo.jp/kurashi/047/047189.html"
YONEZAWA = "http://www.city.yonezawa.yamagata.jp/soshiki/1/1004/2/10389.html"
NANYO = "http://www.city.nanyo.yamagata.jp/hokensiharai/1136"

SPECIAL_RATES: tuple[SpecialRate, ...] = (
    SpecialRate(2020, Decimal("1.6"), KODAIRA),  # 令和2年: 2.6 % / 8.9 %
    SpecialRate(2021, Decimal("1.5"), KODAIRA),  # 令和3年: 2.5 % / 8.8 %
    SpecialRate(2022, Decimal("1.4"), KODAIRA),  # 令和4年: 2.4 % / 8.7 %
    SpecialRate(2023, Decimal("1.4"), KODAIRA),
    SpecialRate(2024, Decimal("1.4"), KODAIRA),
    SpecialRate(2025, Decimal("1.4"), YONEZAWA),  # 令和7年中 2.4 % / 8.7 %
    SpecialRate(2026, Decimal("1.8"), YONEZAWA),  # 令和8年 平均貸付割合 0.8 %: 2.8 % / 9.1 % (NANYO too)
)

# The model ordinance (後期高齢者医療に関する条例 of most cities): the early rate for one month.
# e.g. 小平市 (KODAIRA), 大津市 https://www.city.otsu.lg.jp/soshiki/020/1403/g/koreiiryo/hokenryo/1424320207937.html
MODEL_EARLY_MONTHS = 1
# The Tokyo wards' wording: three months (品川区, 墨田区, 世田谷区 pages).
TOKYO_WARDS_EARLY_MONTHS = 3


def rules_for(early_months: int | None, extra: tuple[SpecialRate, ...] = ()) -> LateChargeRules:
    """The rule's values: the ordinance's early period (None: not configured) and the published rates,
    with `extra` years added or replacing published ones."""
    years = {s.year: s for s in SPECIAL_RATES}
    years.update({s.year: s for s in extra})
    return LateChargeRules(
        early_months=early_months,
        special_rates=tuple(years[y] for y in sorted(years)),
        sources=(KODAIRA, YONEZAWA, NANYO),
    )
