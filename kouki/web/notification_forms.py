"""Forms of the 届出 screens. The personal number field exists only for staff who may register numbers
and is never rendered back into a page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from kouki.notifications.models import Applicant, NotificationType, Status
from kouki.notifications.services import NotificationInput
from kouki.web.counter_forms import CounterIdentityFields, NumberField
from kouki.web.counter_forms import clean_number as _clean_number
from kouki.web.fields import VersionField, WarekiDateField


class NotificationForm(CounterIdentityFields):
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
    # IN-09 on a 届出: not a checkbox but the 住基ネット lookup that verified the identity (kouki.jukinet)
    resident_network_checked = None  # type: ignore[assignment]  # (the shared checkbox, removed here)
    resident_network_lookup = forms.TypedChoiceField(
        label="書類の提示がなく、住基ネットで本人確認情報と個人番号を確認した照会",
        required=False, coerce=int, empty_value=None,
        help_text="住基ネット照会の画面で本日行った照会(該当者1人)から選びます",
    )  # fmt: skip
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
            **self.visit_values(),
            resident_network_lookup_id=d["resident_network_lookup"],
            facility_name=d["facility_name"],
            facility_address=d["facility_address"],
            note=d["note"],
        )


class DecisionForm(forms.Form):
    version = VersionField()  # the notification's version the detail page showed (kouki.core.versioning)
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
