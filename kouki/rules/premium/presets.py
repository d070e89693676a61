"""Known parameter values: national facts per fiscal year and union presets, with their sources.
Python data (no files read at runtime). A value that was not found is absent, never guessed: the engine
then lists it as missing (kouki.rules.premium.parameters.MissingParameters).

Sources (domain-facts §3 and pages found for issue 4):
- [S25] https://www.saitama-koukikourei.org/seido/hokenryo/hokenryo-saitama/page-6820/
- [S26] https://www.city.soka.saitama.jp/cont/s1505/010/030/010/PAGE000000000000065206.html
- [S27] https://www.city.gyoda.lg.jp/iryo_kenko_fukushi/iryo_kenko/kokikoreishairyo/6283.html
- [S28] https://www.city.kitamoto.lg.jp/kenko/kokikorei/kokikoreishairyohokenryo/1418019833675.html (R6 軽減)
- [S29] (R7) https://www.city.kakogawa.lg.jp/soshikikarasagasu/kenkouiryou/kokuminkenkohokenka/kouki/28429.html
- [S30] https://limo.media/articles/-/82397?page=4 (給与所得者等, 15万)
- [S32] https://www.city.kuwana.lg.jp/hoken/kurashi/hoken/24-10883-228-635.html (R4–5 軽減)
- [S31] https://limo.media/articles/-/107959 and [S64] https://www.psrn.jp/topics/detail.php?id=39581 (R8 cap
  85万, 支援金 cap 21,000円, 令和8年政令第4号 as reported)
- [S33][S67] 被扶養者軽減: http://www.city.yashio.lg.jp/kenko/kenko_hoken/kokikoreisha/R6hokennryou.html ,
  https://www.aichi-kouiki.jp/iryou/hoken/1001529/1001542.html
- transitional cap FY2024 (born ≤ S24.3.31, disability entrants): [S26] and
  https://shizuoka-ki.jp/hokenryo/index2.html (令和6年度の賦課限度額 ※2, also the exclusion: born
  S24.4.1–S25.3.31 and no longer living in the area of the union that made the 障害認定 after turning 75)
- Saitama R4–5 reduced per-capita amounts (13,250 / 22,080 / 35,330 = 10円 truncation):
  https://www.city.fujimino.saitama.jp/soshikiichiran/hoken_nenkinka/hokenzeikakari/koukikoureisyairyou/koukikoureisyairyouhokenryou/2427.html
- Saitama R6 算定例 (annual premium truncated to 100円):
  https://www.saitama-koukikourei.org/seido/hokenryo/hokenryo-saitama/r5santeirei-2/
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kouki.rules.premium.parameters import InvalidParameter, PremiumParameters, merge, parameters_from_values

MAN = 10_000

# The same in every fiscal year covered here.
_NATIONAL_ALWAYS: dict[str, Any] = {
    "former_dependant": {"share_charged": "0.5", "months": 24},  # [S33][S67], since FY2019
    "child_support_from": 2026,  # [S14]: 子ども・子育て支援金 from FY2026
}

_EARNERS_2021_2025 = {
    "base": 43 * MAN,
    "per_earner": 10 * MAN,
    "salary_earner_over": 55 * MAN,
    "pension_earner_over_under_65": 60 * MAN,
    "pension_earner_over_65": 125 * MAN,
    "senior_pension_deduction": 15 * MAN,
}

NATIONAL: dict[int, dict[str, Any]] = {
    2023: {
        "annual_cap": 66 * MAN,  # [S26][S27]
        "reduction": {**_EARNERS_2021_2025, "per_insured_50": 29 * MAN, "per_insured_20": 535_000},
    },  # [S32]
    2024: {
        "annual_cap": 80 * MAN,  # [S26]
        "transitional_cap": {
            "amount": 73 * MAN,
            "born_on_or_before": "1949-03-31",
            "disability_entrants": True,
            "exclusion": {"born_from": "1949-04-01", "born_to": "1950-03-31"},
        },
        "low_income_rate": {"max_income_base": 58 * MAN},  # FY2024 only [S25][S26]
        "reduction": {**_EARNERS_2021_2025, "per_insured_50": 295_000, "per_insured_20": 545_000},
    },  # [S28]
    2025: {
        "annual_cap": 80 * MAN,
        "reduction": {**_EARNERS_2021_2025, "per_insured_50": 305_000, "per_insured_20": 56 * MAN},
    },  # [S29]
    # FY2026: cap 85万 and the child-support cap 21,000円 as reported [S31][S64]; the R8 reduction thresholds
    # (and whether the 給与所得者等 salary threshold follows the 65万 minimum deduction) were not found.
    2026: {"annual_cap": 85 * MAN, "child_support": {"annual_cap": 21_000}},
}

# Union presets: values for every year of the union, then per fiscal year.
UNION_ALWAYS: dict[str, dict[str, Any]] = {
    # Saitama truncates the reduced 均等割 to 10円 [S28][S60] and the annual premium to 100円 [S25][S26];
    # its published 所得割額 figures are shown truncated to 10円, which never changes a total truncated to
    # 100円; the engine keeps the 所得割額 to the yen (as in issue 4's example).
    # 同月得喪: 0 months, the usual 広域連合条例 wording (domain-facts §9). The text of
    # 埼玉県後期高齢者医療広域連合後期高齢者医療に関する条例 (平成19年条例第24号) was not found: to confirm
    # (ADR 0006).
    "saitama": {
        "reduced_per_capita_rounding": 10,
        "income_levy_rounding": 1,
        "premium_rounding": 100,
        "same_month_acquisition_and_loss": "not_charged",
    },
}
UNION_YEARS: dict[str, dict[int, dict[str, Any]]] = {
    "saitama": {
        2023: {"per_capita_levy": 44_170, "income_levy_rate": "0.0838"},  # R4–5 [S25][S27]
        2024: {
            "per_capita_levy": 45_930,
            "income_levy_rate": "0.0903",  # R6–7 [S25][S26]
            "low_income_rate": {"rate": "0.0842"},
        },
        2025: {"per_capita_levy": 45_930, "income_levy_rate": "0.0903"},
        # 2026 (R8): rates, 支援金 rates and roundings not found — configuration.
    },
}
KNOWN_UNIONS = tuple(sorted(UNION_ALWAYS))


def preset_values(fiscal_year: int, union: str | None) -> dict[str, Any]:
    """National facts ⊕ the union's preset for the fiscal year, as plain values."""
    layers: list[Mapping[str, Any]] = [_NATIONAL_ALWAYS, NATIONAL.get(fiscal_year, {})]
    if union is not None:
        if union not in UNION_ALWAYS:
            raise InvalidParameter("union", f"unknown union {union!r} (known: {', '.join(KNOWN_UNIONS)})")
        layers += [UNION_ALWAYS[union], UNION_YEARS[union].get(fiscal_year, {})]
    return merge(*layers)


def resolve_parameters(
    fiscal_year: int, union: str | None = None, overrides: Mapping[str, Any] | None = None
) -> PremiumParameters:
    """The parameters for a fiscal year: preset values overridden key by key by `overrides`."""
    values = merge(preset_values(fiscal_year, union), overrides or {})
    return parameters_from_values(fiscal_year, values, union=union)
