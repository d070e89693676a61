"""Form of 住登外者の登録: every rule of kouki.addressees.nonresident checked here first, in Japanese,
next to its field (so the service's own checks never reach the screen)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from kouki.addressees.models import Sex
from kouki.rules.kana import is_kana_name, to_katakana
from kouki.web.fields import WarekiDateField


def _digits(value: str, count: int, label: str) -> str:
    text = value.strip().replace("-", "").replace("ー", "")
    if not (len(text) == count and text.isascii() and text.isdigit()):
        raise forms.ValidationError(f"{label}は{count}桁の数字で入力してください")
    return text


class NonResidentForm(forms.Form):
    family_name = forms.CharField(label="氏", max_length=40)
    given_name = forms.CharField(label="名", max_length=40, required=False)
    family_name_kana = forms.CharField(label="氏(カナ)", max_length=80, help_text="ひらがなでも入力できます")
    given_name_kana = forms.CharField(label="名(カナ)", max_length=80, required=False)
    sex = forms.ChoiceField(label="性別", choices=[("", "選択してください"), *Sex.choices])
    birth_date = WarekiDateField("生年月日", help_text="S21.5.1 または 1946-05-01",
                                 placeholder="S21.5.1")
    postal_code = forms.CharField(label="郵便番号", max_length=8, help_text="7桁(ハイフン可)")
    municipality_code = forms.CharField(label="住所地の市町村コード", max_length=6,
                                        help_text="5桁(例: 11100 さいたま市)")
    address = forms.CharField(label="住所", max_length=200)
    phone = forms.CharField(label="電話番号", max_length=20, required=False)
    registered_on = WarekiDateField("登録日")

    def clean_family_name(self) -> str:
        value: str = self.cleaned_data["family_name"].strip()
        if not value:
            raise forms.ValidationError("氏を入力してください")
        return value

    def _kana(self, name: str, *, required: bool) -> str:
        value = to_katakana(str(self.cleaned_data.get(name, "")).strip())
        if value and not is_kana_name(value):
            raise forms.ValidationError("カナ(ひらがな可)で入力してください")
        if required and not value:
            raise forms.ValidationError("カナを入力してください")
        return value

    def clean_family_name_kana(self) -> str:
        return self._kana("family_name_kana", required=True)

    def clean_given_name_kana(self) -> str:
        return self._kana("given_name_kana", required=False)

    def clean_postal_code(self) -> str:
        return _digits(self.cleaned_data["postal_code"], 7, "郵便番号")

    def clean_municipality_code(self) -> str:
        return _digits(self.cleaned_data["municipality_code"], 5, "市町村コード")

    def clean_address(self) -> str:
        value: str = self.cleaned_data["address"].strip()
        if not value:
            raise forms.ValidationError("住所を入力してください")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born, registered = data.get("birth_date"), data.get("registered_on")
        if isinstance(born, date) and isinstance(registered, date) and born > registered:
            self.add_error("birth_date", "生年月日が登録日より後になっています")
        return data
