"""The 情報照会 form (issue 13 §2): the person by 宛名番号, the item, the provider, the purpose."""

from __future__ import annotations

from django import forms

from kouki.inquiries.catalogue import KINDS, PENSION_PROVIDERS, UNION_PROVIDERS
from kouki.inquiries.services import PURPOSES


class InquiryForm(forms.Form):
    addressee_no = forms.CharField(label="宛名番号", max_length=20)
    kind = forms.ChoiceField(
        label="照会する情報",
        choices=[(k.value, spec.label) for k, spec in KINDS.items()],
        widget=forms.RadioSelect,
    )
    provider = forms.ChoiceField(
        label="情報提供者",
        required=False,
        choices=[
            ("", "既定(年金給付関係情報は日本年金機構。広域連合は選択が必要)"),
            ("年金保険者", [(p, p) for p in PENSION_PROVIDERS]),
            ("他の広域連合", [(p, p) for p in UNION_PROVIDERS]),
        ],
        help_text="他の広域連合の保険料徴収情報は、転入前の住所地の広域連合を選択してください",
    )
    purpose = forms.ChoiceField(label="照会理由", choices=[("", "選択してください"), *PURPOSES])
    purpose_note = forms.CharField(
        label="理由の補足", required=False, max_length=150, help_text="「その他」の場合は必須"
    )
