"""Table tests of two premium corrections of issue 10 §7, each citing its source.

1. 被扶養者軽減: the 24 months count from the first entry into 後期高齢者医療 in any union, not from the
   acquisition in this union (domain-facts §9). The union moved to takes over the running period: the
   municipality moved from issues a 「被扶養者だったことを証する証明書」 to people "後期高齢者医療に加入して
   から2年を経過していない方" (小野市, 兵庫県: ONO_CITY_PAGE below); the period is "加入した月から24か月"
   (小田原市 https://www.city.odawara.kanagawa.jp/faq/p06999.html ).
2. FY2024 transitional cap 73万 (静岡県後期高齢者医療広域連合 https://shizuoka-ki.jp/hokenryo/index2.html ,
   令和6年度の賦課限度額 ※2): 昭和24年3月31日以前に生まれた人, and people insured by the 障害認定 of 高確法
   §50(2) on or before 令和7年3月31日 — "ただし、昭和24年4月1日から昭和25年3月31日までに生まれた人で75歳に
   達した後に、当該認定を受けた広域連合の区域内に住所を有しなくなった人を除きます".
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kouki.rules.premium import HouseholdMember, InvalidHousehold, assess_household, resolve_parameters
from kouki.rules.premium.request import InvalidRequest, calculate

ONO_CITY_PAGE = (
    "https://www.city.ono.hyogo.jp/oftenuse_menu/yokuarugoshitsumon/"
    "kenkohoken_iryohijoseinikansuruyokuarugoshitsumon/"
    "kokikoreishairyoseidonoshikaku_hokenryonikansurushitsumon/6358.html"
)
P24 = resolve_parameters(2024, "saitama")
P25 = resolve_parameters(2025, "saitama")
HIGH_PENSION = 10_740_000  # 所得割 + 均等割 above every cap (Saitama R6 算定例 例7)


def former_dependant(**kw: Any) -> list[HouseholdMember]:
    """A former dependant alone, pension 300万 (no household reduction), FY2025 Saitama."""
    return [
        HouseholdMember(
            "A", True, date(1948, 12, 1), householder=True, public_pension_revenue=3_000_000,
            former_dependant=True, **kw,
        )
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("first_insured_from", "insured_from", "regimes", "premium"),
    [
        # first entry in Tokyo 2024-01 → the window ends 2025-12 (24 months); moved to Saitama 2025-06-10:
        # 7 months at half (22,965 → 22,960, 10円 truncation), then 3 months in full; no 所得割.
        # (22,960 × 7 + 45,930 × 3) / 12 = 24,875 → 24,800
        (
            date(2024, 1, 15),
            date(2025, 6, 10),
            [("2025-06", "former_dependant", 22_960, 7), ("2026-01", "none", 45_930, 3)],
            24_800,
        ),
        # first entry not known (or here): counted from the acquisition here, 2025-06 → all 10 months half
        (None, date(2025, 6, 10), [("2025-06", "former_dependant", 22_960, 10)], 19_100),
        (date(2025, 6, 10), date(2025, 6, 10), [("2025-06", "former_dependant", 22_960, 10)], 19_100),
        # first entry 2023-03 → the window ended 2025-02: nothing left in FY2025 (still no 所得割)
        (date(2023, 3, 20), date(2025, 6, 10), [("2025-06", "none", 45_930, 10)], 38_200),
        # insured here since before FY2025, first entry 2023-10 → window to 2025-09: 6 + 6 months
        (
            date(2023, 10, 1),
            None,
            [("2025-04", "former_dependant", 22_960, 6), ("2025-10", "none", 45_930, 6)],
            34_400,
        ),
    ],
)
def test_former_dependant_24_months_from_the_first_entry_anywhere(
    first_insured_from: date | None, insured_from: date | None, regimes: list[tuple[Any, ...]], premium: int
) -> None:
    [r] = assess_household(
        former_dependant(first_insured_from=first_insured_from, insured_from=insured_from), P25
    )
    assert [(g.from_month, g.reduction, g.per_capita_levy, g.months) for g in r.regimes] == regimes
    assert (r.income_levy, r.annual_premium) == (0, premium)


def test_first_entry_must_not_follow_the_acquisition_here() -> None:
    with pytest.raises(InvalidHousehold, match="first_insured_from must not be after insured_from"):
        assess_household(
            former_dependant(first_insured_from=date(2025, 7, 1), insured_from=date(2025, 6, 1)), P25
        )


def test_first_entry_alone_is_enough_for_a_member_insured_before_the_year() -> None:
    [r] = assess_household(former_dependant(first_insured_from=date(2024, 10, 1)), P25)
    assert [(g.reduction, g.months) for g in r.regimes] == [("former_dependant", 12)]  # window to 2026-09
    steps = [s.detail for s in r.steps]
    assert any("最初の資格取得日 2024-10-01" in d and "2026-09 まで" in d for d in steps)


def test_calc_premium_request_carries_the_first_entry() -> None:
    request = {
        "fiscal_year": 2025, "union": "saitama",
        "household": [{"id": "A", "insured": True, "householder": True, "birth_date": "1948-12-01",
                       "public_pension_revenue": 3_000_000, "former_dependant": True,
                       "insured_from": "2025-06-10", "first_insured_from": "2024-01-15"}],
    }  # fmt: skip
    [m] = calculate(request)["members"]
    assert (m["reduction"], m["annual_premium"]) == ("former_dependant", 24_800)
    assert m["per_capita_levy_later"] == [
        {"from_month": "2026-01", "reduction": "none", "per_capita_levy": 45_930}
    ]
    request["household"][0]["first_insured_from"] = "2024-13-01"  # type: ignore[index]
    with pytest.raises(InvalidRequest, match=r"household\[0\]\.first_insured_from"):
        calculate(request)


def capped(born: date, params: Any = P24, **kw: Any) -> tuple[int, int]:
    [r] = assess_household(
        [HouseholdMember("A", True, born, householder=True, public_pension_revenue=HIGH_PENSION, **kw)],
        params,
    )
    return r.cap, r.annual_premium


@pytest.mark.parametrize(
    ("born", "kw", "cap", "premium"),
    [
        # 昭和24年3月31日以前に生まれた人: 73万, also after a move (the exclusion is of the disability route)
        (date(1949, 3, 31), {}, 730_000, 730_000),
        (date(1949, 3, 31), {"left_certifying_area_after_75": True}, 730_000, 730_000),
        # a FY2024 entrant by age (born S24.4.1 or later, not disability): 80万 (Saitama R6 例7)
        (date(1949, 4, 1), {"insured_from": date(2024, 4, 1)}, 800_000, 800_000),
        # disability entrant born S24.4.1–S25.3.31 still in the certifying union's area: 73万
        (date(1949, 4, 1), {"disability_entry": True}, 730_000, 730_000),
        (date(1950, 3, 31), {"disability_entry": True}, 730_000, 730_000),
        # … who left that area after turning 75 (75 on 1949-08-01 + 75 = 2024-08-01, moved 2024-10-15):
        # excluded, 80万 — in the certifying union (April–September) …
        (
            date(1949, 8, 1),
            {
                "disability_entry": True,
                "left_certifying_area_after_75": True,
                "insured_until": date(2024, 10, 16),
            },
            800_000,
            400_000,
        ),
        # … and in the union moved to (October–March)
        (
            date(1949, 8, 1),
            {
                "disability_entry": True,
                "left_certifying_area_after_75": True,
                "insured_from": date(2024, 10, 15),
            },
            800_000,
            400_000,
        ),
        # born after S25.3.31 (under 75 all year): the exclusion does not reach them
        (
            date(1950, 4, 1),
            {"disability_entry": True, "left_certifying_area_after_75": True},
            730_000,
            730_000,
        ),
        # the boundary the other side: born S24.3.31 is in the birth route, born S25.3.31 in the exclusion
        (
            date(1950, 3, 31),
            {"disability_entry": True, "left_certifying_area_after_75": True},
            800_000,
            800_000,
        ),
    ],
)
def test_fy2024_transitional_cap_and_its_exclusion(
    born: date, kw: dict[str, Any], cap: int, premium: int
) -> None:
    assert capped(born, **kw) == (cap, premium)


def test_no_transitional_cap_in_fy2025() -> None:
    assert capped(date(1949, 3, 31), P25, disability_entry=True) == (800_000, 800_000)


def test_the_exclusion_is_configuration() -> None:
    """Without the exclusion (a union whose source says otherwise) the disability route keeps 73万."""
    p = resolve_parameters(2024, "saitama", {"transitional_cap": {"exclusion": None}})
    assert (
        capped(date(1949, 8, 1), p, disability_entry=True, left_certifying_area_after_75=True)[0] == 730_000
    )
    with pytest.raises(ValueError, match=r"transitional_cap\.exclusion\.born_to"):
        resolve_parameters(
            2024,
            "saitama",
            {"transitional_cap": {"exclusion": {"born_from": "1950-03-31", "born_to": "1949-04-01"}}},
        )


def test_calc_premium_request_carries_the_move_after_75() -> None:
    member = {"id": "A", "insured": True, "householder": True, "birth_date": "1949-08-01",
              "public_pension_revenue": HIGH_PENSION, "disability_entry": True}  # fmt: skip
    stay = calculate({"fiscal_year": 2024, "union": "saitama", "household": [member]})
    moved = calculate(
        {
            "fiscal_year": 2024,
            "union": "saitama",
            "household": [{**member, "left_certifying_area_after_75": True}],
        }
    )
    assert (stay["members"][0]["annual_premium"], moved["members"][0]["annual_premium"]) == (730_000, 800_000)
