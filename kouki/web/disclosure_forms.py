"""Forms of the 開示・訂正・利用停止請求 screens (issue 15 §3)."""

from __future__ import annotations

from typing import Any

from django import forms

from kouki.disclosure.models import Channel, Decision, Requester, RequestKind, RequestState
from kouki.rules.disclosure_fees import METHOD_LABELS
from kouki.rules.identity_check import AUTHORITY_LABELS, DOCUMENT_LABELS
from kouki.web.fields import WarekiDateField, today_typed
from kouki.web.rights_forms import NoNumberTexts


class RequestSearchForm(forms.Form):
    state = forms.ChoiceField(label="状態", choices=[("", "すべて"), *RequestState.choices], required=False)
    kind = forms.ChoiceField(label="請求の種類", choices=[("", "すべて"), *RequestKind.choices],
                             required=False)


class RequestForm(NoNumberTexts):
    number_free = ("content", "requester_name")

    kind = forms.ChoiceField(label="請求の種類", choices=RequestKind.choices)
    addressee_no = forms.CharField(
        label="本人の宛名番号", max_length=10,
        error_messages={"max_length": "宛名番号は10桁以内の数字です(個人番号は入力できません)"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    received_on = WarekiDateField("受付日")
    channel = forms.ChoiceField(label="受付方法", choices=Channel.choices)
    requester = forms.ChoiceField(label="請求者", choices=Requester.choices)
    requester_name = forms.CharField(label="代理人氏名", max_length=100, required=False,
                                     help_text="代理人による請求のとき")
    agent_document_on = WarekiDateField("代理権を証する書類の日付", required=False,
                                        help_text="委任状・戸籍謄本等の作成日(受付日前30日以内)")
    authority_documents = forms.MultipleChoiceField(
        label="代理権を証する書類", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(k.value, v) for k, v in AUTHORITY_LABELS.items()])
    documents = forms.MultipleChoiceField(
        label="本人確認書類(代理人の請求では代理人の書類)", widget=forms.CheckboxSelectMultiple,
        choices=[(k.value, v) for k, v in DOCUMENT_LABELS.items()])
    method = forms.ChoiceField(label="開示の実施方法", required=False, choices=[
        ("", "—(訂正・利用停止)"), *((k.value, v) for k, v in METHOD_LABELS.items())])
    disclosure_no = forms.CharField(label="対象の開示の受付番号", max_length=24, required=False,
                                    help_text="訂正請求・利用停止請求のとき(開示の実施日から90日以内)")
    content = forms.CharField(label="請求の内容", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="個人番号は記入しないでください")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_on", today_typed())

    def clean_addressee_no(self) -> str:
        text = str(self.cleaned_data["addressee_no"]).strip()
        if not (text.isascii() and text.isdigit()):
            raise forms.ValidationError("宛名番号は10桁以内の数字です")
        return text


class PrepareForm(NoNumberTexts):
    number_free = ("reason",)

    decision = forms.ChoiceField(label="決定", choices=Decision.choices)
    reason = forms.CharField(label="理由", max_length=4000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="一部開示・不開示・訂正しない・利用停止しないでは必須")

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from kouki.disclosure.services import DECISIONS

        field = self.fields["decision"]
        if kind and isinstance(field, forms.ChoiceField):
            field.choices = [(d.value, d.label) for d in DECISIONS[RequestKind(kind)]]


class ExtendForm(NoNumberTexts):
    number_free = ("reason",)

    days = forms.IntegerField(label="延長する日数", min_value=1, max_value=30, initial=30)
    reason = forms.CharField(label="延長の理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="請求者に書面(延長通知書)で通知します")


class CarryOutForm(NoNumberTexts):
    number_free = ("reference",)

    carried_out_on = WarekiDateField("実施日")
    reference = forms.CharField(label="実施の記録", max_length=200,
                                help_text="訂正・利用停止を行った異動番号・届出番号・申請番号など")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("carried_out_on", today_typed())
