"""Form pieces shared by the counter's calculators (保険料試算, 負担割合の判定): typed dates and yen amounts
with Japanese error messages. Nothing here reads or writes the database."""

from __future__ import annotations

from datetime import date

from django import forms

from kouki.rules.json_request import InvalidRequest
from kouki.rules.premium.income import SALARY_TABLES, IncomeRuleUnknown
from kouki.rules.wareki import InvalidDateInput, parse_date_input, wareki_calendar_year
from kouki.web.screen_text import FALLBACK, japanese_or

DATE_HELP = "S21.5.1 または 1946-05-01(和暦・西暦のどちらでも)"


def date_input(value: str, *, required: bool) -> date | None:
    """A date typed as 1946-05-01 or S21.5.1; blank → None (or an error when required)."""
    value = value.strip()
    if not value:
        if required:
            raise forms.ValidationError("入力してください")
        return None
    try:
        return parse_date_input(value)
    except InvalidDateInput as exc:
        raise forms.ValidationError(str(exc)) from None


def yen_field(label: str) -> forms.IntegerField:
    """An optional amount in whole yen, 0 or more."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10_000_000_000,
        error_messages={
            "invalid": "円単位の整数で入力してください",
            "min_value": "0以上で入力してください",
            "max_value": "金額が大きすぎます",
        },
        widget=forms.NumberInput(attrs={"step": 1, "min": 0, "style": "width:9rem"}),
    )


def rule_refusal(exc: InvalidRequest) -> str:
    """Why the rules refused what the form let through, for the counter: an income year whose 給与所得控除
    is not implemented is named in 和暦 with what to do; any other refusal as `japanese_or` lets it."""
    cause = exc.__cause__
    if isinstance(cause, IncomeRuleUnknown) and cause.income_year is not None:
        first = min(t.first_year for t in SALARY_TABLES)
        last = max(t.last_year for t in SALARY_TABLES)
        return (
            f"{wareki_calendar_year(cause.income_year)}分の所得の給与所得控除にはまだ対応していません"
            f"(対応: {wareki_calendar_year(first)}分〜{wareki_calendar_year(last)}分)。"
            "給与所得を計算して「その他の所得」に入力してください"
        )
    return japanese_or(str(exc), FALLBACK)


class HouseholdMemberFields(forms.Form):
    """The fields every calculator asks of a household member: a name to tell them apart, birth date,
    insured or not, and the income year's revenues (each calculator's form adds its own)."""

    label = forms.CharField(
        label="呼び名",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "本人", "style": "width:6rem"}),
    )
    birth_date = forms.CharField(
        label="生年月日",
        required=False,
        max_length=20,
        help_text=DATE_HELP,
        widget=forms.TextInput(attrs={"placeholder": "S21.5.1", "style": "width:8rem"}),
    )
    insured = forms.BooleanField(label="被保険者", required=False)
    public_pension_revenue = yen_field("公的年金等収入")
    salary_revenue = yen_field("給与収入")
    other_income = yen_field("その他の所得")
