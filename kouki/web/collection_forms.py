"""Forms of the collection screens (収納状況, 窓口収納, 過誤納の還付・充当). Amounts are integer yen; a
typed amount may carry thousands separators or 円. Messages are in Japanese, for the screen."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django import forms

from kouki.rules.wareki import InvalidDateInput, parse_date_input
from kouki.web.fields import DATE_HELP, VersionField

MAX_AMOUNT = 100_000_000  # far above any year's premium: a typo guard, not a rule


def parse_yen(value: str, *, required: bool = True) -> int | None:
    """'30,000' / '３００００円' → 30000. Raises ValidationError unless a whole positive number of yen."""
    text = unicodedata.normalize("NFKC", value).replace(",", "").replace("円", "").replace("¥", "").strip()
    if not text:
        if required:
            raise forms.ValidationError("金額を入力してください")
        return None
    if not (text.isascii() and text.lstrip("-").isdigit()):
        raise forms.ValidationError("金額は円単位の整数で入力してください")
    amount = int(text)
    if amount <= 0:
        raise forms.ValidationError("金額は1円以上で入力してください")
    if amount > MAX_AMOUNT:
        raise forms.ValidationError("金額が大きすぎます。入力を確認してください")
    return amount


def _amount_field(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=20, help_text=help_text,
                           error_messages={"required": "金額を入力してください"},
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "例 10000"}))


def _reason_field(label: str = "理由") -> forms.CharField:
    return forms.CharField(label=label, max_length=200, error_messages={"required": "理由を入力してください"},
                           widget=forms.TextInput(attrs={"size": 40}))


class FiscalYearForm(forms.Form):
    fy = forms.IntegerField(label="年度", required=False, min_value=2008, max_value=2100)


class CounterReceiptForm(forms.Form):
    """窓口収納: the money taken, the day it was paid (default today, never later) and, optionally, the
    instalment the payer named (else the earliest instalments are paid first)."""

    amount = _amount_field("金額(円)")
    paid_on = forms.CharField(label="納付日", max_length=20, help_text=DATE_HELP,
                              error_messages={"required": "納付日を入力してください"})
    instalment = forms.TypedChoiceField(label="期別", required=False, coerce=int, empty_value=None,
                                        error_messages={"invalid_choice": "期別を一覧から選んでください"},
                                        help_text="指定しない場合は納期の早い期から充当します")

    def __init__(self, *args: Any, instalments: list[tuple[int, str]], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["instalment"].choices = [("", "指定なし"), *instalments]  # type: ignore[attr-defined]

    def clean_amount(self) -> int | None:
        return parse_yen(self.cleaned_data["amount"])

    def clean_paid_on(self) -> date:
        try:
            paid_on = parse_date_input(self.cleaned_data["paid_on"].strip())
        except InvalidDateInput as exc:
            raise forms.ValidationError(str(exc)) from None
        if paid_on > self.today:
            raise forms.ValidationError("納付日に未来の日付は指定できません")
        return paid_on


class CancelForm(forms.Form):
    reason = _reason_field("取消理由")
    version = VersionField(required=False)  # from the confirmation page: the receipt's version it showed


class RefundForm(forms.Form):
    amount = _amount_field("還付額(円)")
    reason = _reason_field("還付理由")
    version = VersionField()  # the open overpayment the page showed (kouki.core.versioning)

    def clean_amount(self) -> int | None:
        return parse_yen(self.cleaned_data["amount"])


class SetOffForm(forms.Form):
    instalment = forms.TypedChoiceField(
        label="充当先(未納の期)", coerce=int,
        error_messages={"required": "充当先の期を選んでください",
                        "invalid_choice": "充当先の期を一覧から選んでください"},
    )
    amount = _amount_field("充当額(円)", required=False, help_text="空欄: 過誤納額と未納額の少ない方")
    reason = _reason_field("充当理由")
    version = VersionField()  # the open overpayment the page showed (kouki.core.versioning)

    def __init__(self, *args: Any, targets: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instalment"].choices = [("", "選択してください"), *targets]  # type: ignore[attr-defined]

    def clean_amount(self) -> int | None:
        return parse_yen(self.cleaned_data["amount"], required=False)


class LateChargeWaiverForm(forms.Form):
    """延滞金の減免 (supervisor): the amount (blank = all of it) and the reason."""

    amount = _amount_field("減免額(円)", required=False, help_text="空欄の場合は全額を減免します")
    reason = _reason_field("減免理由")

    def clean_amount(self) -> int | None:
        return parse_yen(self.cleaned_data["amount"], required=False)
