"""Per-city instalment parameters and the shipped presets, each value with its source.

Where no public source gave a city's value (domain-facts: [NF]) the preset holds None and the engine
raises MissingParameter naming it when a case needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kouki.rules.business_days import YEAR_END_CLOSURE
from kouki.rules.instalments.start_table import SAITAMA_START_TABLE, StartRow

PENSION_MONTHS: tuple[int, ...] = (4, 6, 8, 10, 12, 2)  # 年金支払月 (even months, April first)
PROVISIONAL_MONTHS: tuple[int, ...] = (4, 6, 8)  # 仮徴収 [S37]
FINAL_MONTHS: tuple[int, ...] = (10, 12, 2)  # 本徴収 [S37][S38]


@dataclass(frozen=True)
class CityInstalmentRules:
    city: str
    # 普通徴収: calendar months of the instalments in fiscal-year order; None = not known ([NF]).
    direct_months: tuple[int, ...] | None
    # due day of the month; None = the month's last day; then moved to the next business day.
    direct_due_day: int | None = None
    direct_due_day_overrides: tuple[tuple[int, int], ...] = ()  # (month, day) exceptions, e.g. December
    # Each instalment after the first is rounded down to this unit; the first takes the rest [S59].
    direct_rounding_unit: int = 100
    closure_days: frozenset[tuple[int, int]] = YEAR_END_CLOSURE
    # 特別徴収
    pension_minimum_annual: int = 180_000  # the pension must be ≥ 18万/year [S34]
    pension_half_test: bool = True  # care + LSEMC > ½ of the pension → no deduction [S34]
    pension_payment_day: int = 15  # 年金支払日; a closed day moves to the previous business day
    final_rounding_unit: int = 100  # December/February 本徴収 are round 100円; October takes the rest [S38]
    smoothing: bool = True  # 平準化 of June/August [S37]
    # 普通徴収 months of a year whose deduction starts in October without 仮徴収 (no February deduction,
    # 介護保険法 §140① via 高確法 §110); None = the regular direct months before October.
    pre_october_direct_months: tuple[int, ...] | None = None
    # Stopping 特別徴収 (介護保険法 §138 via 高確法 §110): a stop notified in calendar month m reaches the
    # pension payer (through the 経由機関) for the payments from month m + this on. None = not known ([NF]):
    # a re-plan that stops a deduction raises MissingParameter naming it.
    pension_stop_lead_months: int | None = None
    start_table: tuple[StartRow, ...] | None = None
    start_table_reasons: frozenset[str] = field(default_factory=lambda: frozenset({"age"}))
    sources: tuple[str, ...] = ()

    def due_day_for(self, month: int) -> int | None:
        for m, day in self.direct_due_day_overrides:
            if m == month:
                return day
        return self.direct_due_day


# 飯能市 (Saitama): 8期 July–February at month end; FY2021 dates 8/2, 8/31, 9/30, 11/1, 11/30, 12/27, 1/31,
# 2/28 [S39]. December's 12/27 (a Monday) is consistent with the 25th moved off Saturday 12/25.
HANNO = CityInstalmentRules(
    city="hanno",
    direct_months=(7, 8, 9, 10, 11, 12, 1, 2),
    direct_due_day_overrides=((12, 25),),
    sources=(
        "https://www.city.hanno.lg.jp/article/detail/5574",
        "https://www.city.seto.aichi.jp/docs/2020/06/29/00108/",
    ),
)

# 上田市 (Nagano): 9期 July–March at month end [S58]; 愛川町 the same [S40].
UEDA = CityInstalmentRules(
    city="ueda",
    direct_months=(7, 8, 9, 10, 11, 12, 1, 2, 3),
    sources=("https://www.city.ueda.nagano.jp/soshiki/kokuhonenkin/2433.html",),
)

# さいたま市: its own 期数 and dates are not published ([NF], domain-facts §4 and open item 4): the
# regular direct months must be configured. Mid-year age entrants follow the city's start table [S34],
# which names their direct months. Due at month end as in the example and the three sourced
# cities; the rounding unit of the later instalments is S59's 100円 (Saitama City's own is [NF]).
#
# A deduction that starts in October is preceded by July–September paid directly: the start table's rows
# 4/1–6/30 and 2/3– (S34); kouki applies the same months to a year without 仮徴収 (no February deduction).
SAITAMA = CityInstalmentRules(
    city="saitama",
    direct_months=None,
    pre_october_direct_months=(7, 8, 9),
    start_table=SAITAMA_START_TABLE,
    sources=("https://www.city.saitama.jp/001/017/004/p092647.html",),
)

PRESETS: dict[str, CityInstalmentRules] = {r.city: r for r in (SAITAMA, HANNO, UEDA)}
