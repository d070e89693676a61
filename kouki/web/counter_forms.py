"""Form pieces every counter intake shares (届出 and 申請): who came and what they showed (IN-07…IN-09,
the agent case), and the personal number field that exists only where the screen may handle numbers and
is never rendered back into a page."""

from __future__ import annotations

from typing import Any

from django import forms

from kouki.rules.identity_check import (
    AGENT_KIND_LABELS,
    AUTHORITY_LABELS,
    DOCUMENT_LABELS,
    AgentKind,
    AuthorityDocument,
    IdentityDocument,
)
from kouki.rules.numbers import InvalidNumber, validate_my_number

DOCUMENT_CHOICES = [(d.value, label) for d, label in DOCUMENT_LABELS.items()]


def clean_number(value: str) -> str:
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


class CounterIdentityFields(forms.Form):
    """The identity part of a counter form; `visit_values()` gives it to the service's input."""

    identity_documents = forms.MultipleChoiceField(
        label="本人確認書類(代理人の場合は本人の番号確認書類)",
        choices=DOCUMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notification_card_matches = forms.BooleanField(
        label="通知カードの氏名・住所が住民票と一致している", required=False
    )
    resident_network_checked = forms.BooleanField(
        label="書類の提示がなく、住基ネット(CS端末)で本人確認情報と個人番号を確認した", required=False
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

    def visit_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "identity_documents": frozenset(IdentityDocument(v) for v in d["identity_documents"]),
            "notification_card_matches": d["notification_card_matches"],
            **({"resident_network_checked": d["resident_network_checked"]}
               if "resident_network_checked" in d else {}),  # a 届出 cites its lookup instead
            "agent_kind": AgentKind(d["agent_kind"]) if d["agent_kind"] else None,
            "agent_name": d["agent_name"],
            "agent_relationship": d["agent_relationship"],
            "agent_documents": frozenset(IdentityDocument(v) for v in d["agent_documents"]),
            "authority_documents": frozenset(AuthorityDocument(v) for v in d["authority_documents"]),
        }
