"""Form pieces shared by the counter's calculators (保険料試算, 負担割合の判定): typed dates and yen amounts
with Japanese error messages. Nothing here reads or writes the database."""

from __future__ import annotations

from datetime import date

from django import forms

from kouki.rules.wareki import InvalidDateInput, parse_date_input

DATE_HELP = "1946-05-01 または S21.5.1"


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
