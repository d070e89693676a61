"""The 住基ネット照会 form: purpose first, then a search by 個人番号 or by the 4 items (IN-09)."""

from __future__ import annotations

from django import forms

from kouki.jukinet.models import SearchKind
from kouki.jukinet.services import PURPOSES, SEXES
from kouki.web.fields import WarekiDateField


class JukinetLookupForm(forms.Form):
    purpose = forms.ChoiceField(label="照会理由", choices=[("", "選択してください"), *PURPOSES])
    purpose_note = forms.CharField(
        label="理由の補足", required=False, max_length=150, help_text="「その他」の場合は必須"
    )
    search_kind = forms.ChoiceField(
        label="照会方法",
        choices=SearchKind.choices,
        widget=forms.RadioSelect,
        initial=SearchKind.PERSONAL_NUMBER,
    )
    personal_number = forms.CharField(
        label="個人番号(12桁)",
        required=False,
        max_length=14,
        help_text="個人番号で照会する場合",
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}, render_value=False),
    )
    name = forms.CharField(
        label="氏名(漢字またはカナ)",
        required=False,
        max_length=80,
        help_text="4情報で照会する場合。姓と名の間の空白は問いません",
    )
    birth_date = WarekiDateField("生年月日", required=False)
    sex = forms.ChoiceField(label="性別", required=False, choices=[("", "-"), *SEXES.items()])
    address = forms.CharField(
        label="住所", required=False, max_length=200, help_text="都道府県から。先頭の一部でも照会できます"
    )

    def clean_personal_number(self) -> str:
        value: str = self.cleaned_data.get("personal_number", "")
        return value.replace(" ", "").replace("-", "")
