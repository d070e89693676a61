"""Forms of the 届出 screens. The personal number field exists only for staff who may register numbers
and is never rendered back into a page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from kouki.notifications.models import Applicant, NotificationType, Status
from kouki.notifications.services import NotificationInput
from kouki.rules.identity_check import (
    AGENT_KIND_LABELS,
    AUTHORITY_LABELS,
    DOCUMENT_LABELS,
    AgentKind,
    AuthorityDocument,
    IdentityDocument,
)
from kouki.rules.numbers import InvalidNumber, validate_my_number
from kouki.web.fields import WarekiDateField

DOCUMENT_CHOICES = [(d.value, label) for d, label in DOCUMENT_LABELS.items()]


def _clean_number(value: str) -> str:
    value = value.replace(" ", "").replace("-", "")
    if not value:
        return ""
    try:
        return validate_my_number(value)
    except InvalidNumber:
        raise forms.ValidationError("個人番号の桁数または検査用数字が正しくありません") from None


class NumberField(forms.CharField):
    def __init__(self, label: str) -> None:
        super().__init__(
            label=label,
            required=False,
            max_length=14,
            widget=forms.PasswordInput(
                attrs={"autocomplete": "off", "inputmode": "numeric"}, render_value=False
            ),
        )


class NotificationForm(forms.Form):
    notification_type = forms.ChoiceField(label="届出の種類", choices=NotificationType.choices)
    effective_date = WarekiDateField("異動日(効力発生日)")
    received_on = WarekiDateField("受付日")
    stated_kana = forms.CharField(label="届出書記載の氏名カナ", max_length=160)
    stated_birth = WarekiDateField("届出書記載の生年月日")
    accept_mismatch = forms.BooleanField(
        label="届出書の記載が住民記録と異なることを確認のうえ入力する", required=False
    )
    applicant = forms.ChoiceField(
        label="届出人", choices=Applicant.choices, widget=forms.RadioSelect, initial=Applicant.SELF
    )
    identity_documents = forms.MultipleChoiceField(
        label="本人確認書類(代理人の場合は本人の番号確認書類)",
        choices=DOCUMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notification_card_matches = forms.BooleanField(
        label="通知カードの氏名・住所が住民票と一致している", required=False
    )
    resident_network_lookup = forms.TypedChoiceField(
        label="書類の提示がなく、住基ネットで本人確認情報と個人番号を確認した照会",
        required=False, coerce=int, empty_value=None,
        help_text="住基ネット照会の画面で本日行った照会(該当者1人)から選びます",
    )
    agent_kind = forms.ChoiceField(
        label="代理人の区分",
        required=False,
        choices=[("", "-"), *((k.value, v) for k, v in AGENT_KIND_LABELS.items())],
    )
    agent_name = forms.CharField(label="代理人氏名", max_length=80, required=False)
    agent_relationship = forms.CharField(label="本人との関係", max_length=40, required=False)
    agent_documents = forms.MultipleChoiceField(
        label="代理人の本人確認書類",
        choices=DOCUMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    authority_documents = forms.MultipleChoiceField(
        label="代理権の確認書類",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(d.value, label) for d, label in AUTHORITY_LABELS.items()],
    )
    facility_name = forms.CharField(
        label="施設名(住所地特例)", max_length=80, required=False, help_text="全角40文字以内"
    )
    facility_address = forms.CharField(
        label="施設所在地(住所地特例)", max_length=160, required=False, help_text="全角80文字以内"
    )
    note = forms.CharField(
        label="備考", max_length=100, required=False, help_text="全角50文字以内。個人番号は書かないでください"
    )

    def __init__(self, *args: Any, with_number: bool = False,
                 lookups: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["resident_network_lookup"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "照会していない"), *lookups]
        if with_number:
            self.fields["number"] = NumberField("個人番号(届出書に記載がある場合)")

    def clean_number(self) -> str:
        return _clean_number(self.cleaned_data.get("number", ""))

    def to_input(self, person_id: int) -> NotificationInput:
        d = self.cleaned_data
        return NotificationInput(
            person_id=person_id,
            notification_type=NotificationType(d["notification_type"]),
            effective_date=d["effective_date"],
            received_on=d["received_on"],
            stated_kana=d["stated_kana"],
            stated_birth_date=d["stated_birth"],
            applicant=Applicant(d["applicant"]),
            identity_documents=frozenset(IdentityDocument(v) for v in d["identity_documents"]),
            notification_card_matches=d["notification_card_matches"],
            resident_network_lookup_id=d["resident_network_lookup"],
            agent_kind=AgentKind(d["agent_kind"]) if d["agent_kind"] else None,
            agent_name=d["agent_name"],
            agent_relationship=d["agent_relationship"],
            agent_documents=frozenset(IdentityDocument(v) for v in d["agent_documents"]),
            authority_documents=frozenset(AuthorityDocument(v) for v in d["authority_documents"]),
            facility_name=d["facility_name"],
            facility_address=d["facility_address"],
            note=d["note"],
        )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label="判断の根拠",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "例: 届出書・添付書類と照合"}),
    )

    def __init__(self, *args: Any, with_number: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_number:
            self.fields["number"] = NumberField("個人番号(届出書から再入力)")

    def clean_number(self) -> str:
        return _clean_number(self.cleaned_data.get("number", ""))


class ResolveForm(forms.Form):
    note = forms.CharField(label="処理内容", max_length=200)


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label="状態", required=False, choices=[("", "すべて"), *Status.choices])
