"""Japanese names of the union's premium parameters (kouki.rules.premium.parameters keys), for screens that
say which values are not configured yet: a clerk reads 「均等割額」, never ``per_capita_levy``."""

from __future__ import annotations

CHILD_SUPPORT_PREFIX = "child_support."

PARAMETER_LABELS: dict[str, str] = {
    "per_capita_levy": "均等割額",
    "income_levy_rate": "所得割率",
    "annual_cap": "賦課限度額",
    "reduced_per_capita_rounding": "軽減後の均等割額の端数処理",
    "income_levy_rounding": "所得割額の端数処理",
    "premium_rounding": "保険料額の端数処理",
    "reduction.base": "均等割軽減の判定基準額(基礎額)",
    "reduction.per_earner": "均等割軽減の判定基準額(給与所得者等1人当たりの加算額)",
    "reduction.per_insured_50": "5割軽減の判定基準額(被保険者1人当たりの加算額)",
    "reduction.per_insured_20": "2割軽減の判定基準額(被保険者1人当たりの加算額)",
    "reduction.salary_earner_over": "給与所得者等とする給与収入の額",
    "reduction.pension_earner_over_under_65": "給与所得者等とする公的年金等収入の額(65歳未満)",
    "reduction.pension_earner_over_65": "給与所得者等とする公的年金等収入の額(65歳以上)",
    "reduction.senior_pension_deduction": "均等割軽減の判定で65歳以上の年金所得から控除する額",
    "former_dependant.share_charged": "被扶養者軽減の賦課割合",
    "former_dependant.months": "被扶養者軽減の期間(月数)",
    "low_income_rate.rate": "所得の低い方の所得割率",
    "low_income_rate.max_income_base": "所得の低い方の所得割率の対象となる所得の上限",
    "child_support_from": "子ども・子育て支援金の開始年度",
}


def parameter_label(key: str) -> str:
    """均等割額 for ``per_capita_levy``, 子ども・子育て支援金の所得割率 for
    ``child_support.income_levy_rate``; an unknown key as 「その他の設定値」 (never the key itself)."""
    if key.startswith(CHILD_SUPPORT_PREFIX):
        inner = PARAMETER_LABELS.get(key.removeprefix(CHILD_SUPPORT_PREFIX))
        return f"子ども・子育て支援金の{inner}" if inner else "子ども・子育て支援金のその他の設定値"
    return PARAMETER_LABELS.get(key, "その他の設定値")
