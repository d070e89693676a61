"""Forms of the 申請 screens: one form per kind, its detail fields built from the kind's pure schema
(kouki.rules.applications.SPECS), so that the screen asks exactly what the service checks. A detail
field is named `d_<name>`; an error of the schema is shown next to its field. The personal number field
exists only for a kind whose 事務 may handle numbers (BF-01) and a member of staff who may register them.
"""

from __future__ import annotations

import copy
from typing import Any, cast

from django import forms

from kouki.applications.models import KIND_CHOICES, Application, Status
from kouki.applications.selectors import InstalmentOption
from kouki.applications.services import ApplicationInput, PaymentAccount
from kouki.rules.applications import (
    APPLICANT_LABELS,
    PREMIUM_KINDS,
    Applicant,
    ApplicationKind,
    DetailField,
    DetailsInvalid,
    FieldType,
    checklist_of,
    clean_details,
    detail_date,
    spec_of,
)
from kouki.rules.wareki import format_wareki, format_wareki_input
from kouki.web.banking_forms import AccountForm
from kouki.web.counter_forms import CounterIdentityFields, NumberField, clean_number
from kouki.web.fields import WarekiDateField

PREFIX = "d_"
ACCOUNT_FIELDS = ("bank_code", "branch_code", "deposit_type", "account_number", "holder_kana")


def _detail_field(f: DetailField) -> forms.Field:
    help_text = f.help
    if f.type == FieldType.DATE:
        field: forms.Field = WarekiDateField(f.label, required=f.required)
        field.help_text = f"{f.help} / {field.help_text}" if f.help else field.help_text
        return field
    if f.type in (FieldType.YEN, FieldType.COUNT):
        return forms.IntegerField(label=f.label, required=f.required, min_value=0, help_text=help_text)
    if f.type == FieldType.CHOICE:
        return forms.ChoiceField(
            label=f.label, required=f.required, choices=[("", "-"), *f.choices], help_text=help_text
        )
    if f.type == FieldType.FLAG:
        return forms.BooleanField(label=f.label, required=False, help_text=help_text)
    return forms.CharField(label=f.label, required=f.required, max_length=f.max_length, help_text=help_text)


class ApplicationForm(CounterIdentityFields):
    received_on = WarekiDateField("受付日")
    applicant = forms.ChoiceField(label="申請者", widget=forms.RadioSelect)
    documents = forms.MultipleChoiceField(
        label="提出された書類", required=False, widget=forms.CheckboxSelectMultiple
    )
    instalments = forms.TypedMultipleChoiceField(
        label="申請の対象とする期別", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label="備考", max_length=200, required=False, help_text="個人番号は書かないでください"
    )
    accept_warnings = forms.BooleanField(
        label="上記の警告を申請者に説明し、確認のうえ受け付ける", required=False
    )

    def __init__(
        self, *args: Any, kind: ApplicationKind, with_number: bool = False,
        instalment_options: list[InstalmentOption] | None = None, with_account: bool = True, **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.kind = kind
        spec = spec_of(kind)
        cast(forms.ChoiceField, self.fields["applicant"]).choices = [
            (a.value, APPLICANT_LABELS[a]) for a in spec.applicants
        ]
        cast(forms.ChoiceField, self.fields["documents"]).choices = [
            (d.code, d.label) for d in checklist_of(kind)
        ]
        if kind in PREMIUM_KINDS:
            cast(forms.ChoiceField, self.fields["instalments"]).choices = [
                (o.instalment_id, f"{o.label}(納期限 {format_wareki(o.due_date)})")
                for o in instalment_options or []
            ]
        else:
            del self.fields["instalments"]
        for f in spec.details:
            self.fields[PREFIX + f.name] = _detail_field(f)
        if (
            spec.registers_account and with_account
        ):  # the same account fields as the 口座 screens (kouki.web.banking_forms)
            for name in ACCOUNT_FIELDS:
                self.fields[name] = copy.deepcopy(AccountForm.base_fields[name])
        if with_number and spec.number_allowed:
            self.fields["number"] = NumberField("個人番号(申請書に記載がある場合)")

    @property
    def account_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ACCOUNT_FIELDS if name in self.fields]

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(PREFIX)]

    def clean_number(self) -> str:
        return clean_number(self.cleaned_data.get("number", ""))

    def details(self) -> dict[str, object]:
        return {name[len(PREFIX) :]: v for name, v in self.cleaned_data.items() if name.startswith(PREFIX)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(name.startswith(PREFIX) and name in self.errors for name in self.fields):
            try:
                clean_details(self.kind, self.details())
            except DetailsInvalid as exc:
                for name, reason in exc.errors.items():
                    self.add_error(PREFIX + name if PREFIX + name in self.fields else None, reason)
        return data

    def to_input(self, person_id: int) -> ApplicationInput:
        d = self.cleaned_data
        return ApplicationInput(
            person_id=person_id,
            kind=self.kind,
            received_on=d["received_on"],
            applicant=Applicant(d["applicant"]),
            details=self.details(),
            documents=frozenset(d["documents"]),
            instalment_ids=tuple(d.get("instalments", ())),
            **self.visit_values(),
            note=d["note"],
            accept_warnings=d["accept_warnings"],
            account=PaymentAccount(*(d[name] for name in ACCOUNT_FIELDS))
            if "bank_code" in self.fields
            else None,
        )


def initial_of(a: Application) -> dict[str, Any]:
    """The form's values of a returned application, for its correction (dates as staff type them)."""
    initial: dict[str, Any] = {
        "received_on": format_wareki_input(a.received_on),
        "applicant": a.applicant,
        "documents": a.documents,
        "instalments": [i["id"] for i in a.instalments],
        "note": a.note,
        "identity_documents": a.identity_documents,
        "notification_card_matches": a.notification_card_matches,
        "resident_network_checked": a.resident_network_checked,
        "agent_kind": a.agent_kind,
        "agent_name": a.agent_name,
        "agent_relationship": a.agent_relationship,
        "agent_documents": a.agent_documents,
        "authority_documents": a.authority_documents,
    }
    for f in spec_of(a.kind).details:
        value = a.details.get(f.name)
        if f.type == FieldType.DATE:
            day = detail_date(a.details, f.name)
            value = format_wareki_input(day) if day else ""
        initial[PREFIX + f.name] = value
    return initial


class ApplicationDecisionForm(forms.Form):
    note = forms.CharField(
        label="判断の根拠",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "例: 申請書・添付書類と照合"}),
    )

    def __init__(self, *args: Any, with_number: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_number:
            self.fields["number"] = NumberField("個人番号(申請書から再入力)")

    def clean_number(self) -> str:
        return clean_number(self.cleaned_data.get("number", ""))


class NoticeDeliveryForm(forms.Form):
    how = forms.ChoiceField(label="交付の方法", choices=[("handed_over", "窓口で交付"), ("mailed", "郵送")],
                            widget=forms.RadioSelect)  # fmt: skip
    on = WarekiDateField("交付・郵送日")


class NoticeUndeliveredForm(forms.Form):
    on = WarekiDateField("返戻日")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="取下げの理由", max_length=200)


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label="状態", required=False, choices=[("", "すべて"), *Status.choices])
    kind = forms.ChoiceField(label="申請の種類", required=False, choices=[("", "すべて"), *KIND_CHOICES])
