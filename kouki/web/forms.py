"""Forms of the staff screens. Personal numbers are only ever accepted by POST forms (never GET)."""

from __future__ import annotations

from typing import Any

from django import forms

from kouki.privacy.gate import PURPOSES
from kouki.rules.kana import is_kana_name
from kouki.rules.numbers import InvalidNumber, validate_my_number
from kouki.web.fields import DATE_HELP, WarekiDateField


class LoginForm(forms.Form):
    username = forms.CharField(label="職員ID", max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label="パスワード", max_length=256, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TotpForm(forms.Form):
    code = forms.CharField(
        label="確認コード(6桁)", max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True, "pattern": "[0-9 ]*"}),
    )


def _date_field(label: str) -> WarekiDateField:
    return WarekiDateField(label, required=False, help_text=DATE_HELP + " / S21.5.1", placeholder="S21.5.1")


class AddresseeNoField(forms.CharField):
    """宛名番号 in a search form sent by GET: at most 10 digits, so that a personal number (12 digits) typed
    into it by mistake cannot be sent — the browser stops at 10 characters, and the server refuses more
    without echoing them (issue 14 §2: a number never goes into a URL)."""

    def __init__(self) -> None:
        super().__init__(
            label="宛名番号", required=False, max_length=10,
            error_messages={"max_length": "宛名番号は10桁以内の数字です(個人番号は入力できません)"},
            widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{1,10}",
                                          "autocomplete": "off", "title": "宛名番号(10桁以内の数字)"}),
        )  # fmt: skip

    def bound_data(self, data: Any, initial: Any) -> Any:
        """A value longer than a 宛名番号 is never rendered back into the page."""
        return "" if isinstance(data, str) and len(data.strip()) > 10 else super().bound_data(data, initial)


class PersonSearchForm(forms.Form):
    kana = forms.CharField(label="氏名カナ", required=False, max_length=80,
                           help_text="前方一致。ひらがな・半角カナ・濁点の有無は区別しません")
    birth = _date_field("生年月日")
    addressee_no = AddresseeNoField()

    def clean_kana(self) -> str:
        value: str = self.cleaned_data["kana"].strip()
        if value and not is_kana_name(value):
            raise forms.ValidationError("カナ(ひらがな可)で入力してください")
        return value

    def clean_addressee_no(self) -> str:
        value: str = self.cleaned_data["addressee_no"].strip()
        if value and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError("宛名番号は数字で入力してください")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(k) for k in ("kana", "birth", "addressee_no")):
            raise forms.ValidationError("氏名カナ・生年月日・宛名番号のいずれかを入力してください")
        return data


class AsOfForm(forms.Form):
    on = _date_field("基準日")


class PurposeForm(forms.Form):
    """参照理由 (SEC-11): asked before any number is shown or searched."""

    purpose = forms.ChoiceField(label="参照理由", choices=[("", "選択してください"), *PURPOSES])
    purpose_note = forms.CharField(label="理由の補足", required=False, max_length=150,
                                   help_text="「その他」の場合は必須")


class NumberSearchForm(PurposeForm):
    number = forms.CharField(
        label="個人番号(12桁)", max_length=14,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_number(self) -> str:
        value: str = self.cleaned_data["number"].replace(" ", "").replace("-", "")
        try:
            return validate_my_number(value)
        except InvalidNumber:
            raise forms.ValidationError("個人番号の桁数または検査用数字が正しくありません") from None


class PendingDecisionForm(forms.Form):
    note = forms.CharField(label="判断理由", max_length=200,
                           widget=forms.TextInput(attrs={"placeholder": "例: 本人確認書類で確認"}))


class ReferenceFilterForm(forms.Form):
    username = forms.CharField(label="職員ID", required=False, max_length=150)
    addressee_no = AddresseeNoField()
    since = _date_field("期間(開始日)")
    until = _date_field("期間(終了日)")
