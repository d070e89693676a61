"""Forms of the 口座振替・還付口座 screens and of the convenience-store worklist.

The form checks only what a form can (present, dates readable); the account rules (bank and branch exist
in the Zengin data, 7-digit number, holder in Zengin kana within 30 bytes) are kouki.banking.accounts'
and its AccountError problems are put next to the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms

from kouki.banking.models import DepositType
from kouki.web.fields import WarekiDateField

# AccountError field → the form field that shows it (others go above the form).
ACCOUNT_FIELDS = {
    "bank_code": "bank_code", "branch_code": "branch_code", "deposit_type": "deposit_type",
    "account_number": "account_number", "holder_kana": "holder_kana", "valid_from": "valid_from",
    "valid_to": "valid_to", "applied_on": "applied_on", "end_reason": "reason",
}  # fmt: skip


def _text(label: str, max_length: int, help_text: str = "", **attrs: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, help_text=help_text,
                           error_messages={"required": f"{label}を入力してください",
                                           "max_length": f"{label}は{max_length}文字以内です"},
                           widget=forms.TextInput(attrs=attrs))  # fmt: skip


class AccountForm(forms.Form):
    """口座振替依頼書 (or 還付金振込口座の届出) as received: the account and from when it is used."""

    bank_code = _text("銀行コード", 4, "4桁(例: 0001)", inputmode="numeric", autocomplete="off")
    branch_code = _text("支店コード", 3, "3桁(例: 001)", inputmode="numeric", autocomplete="off")
    deposit_type = forms.TypedChoiceField(
        label="預金種目", choices=DepositType.choices, coerce=int, initial=DepositType.ORDINARY,
        error_messages={"required": "預金種目を選んでください",
                        "invalid_choice": "預金種目を一覧から選んでください"},
    )  # fmt: skip
    account_number = _text("口座番号", 7, "7桁以内の数字", inputmode="numeric", autocomplete="off")
    holder_kana = _text("口座名義(カナ)", 60, "カナで入力(半角に変換して登録します)", autocomplete="off")
    applied_on = WarekiDateField("申請日(依頼書の受付日)")
    valid_from = WarekiDateField("開始日")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("applied_on", "valid_from"):
            self.fields[name].error_messages["required"] = f"{self.fields[name].label}を入力してください"


class AccountEndForm(forms.Form):
    """口座の終了(廃止届・死亡・解約など): the last valid day and why."""

    valid_to = WarekiDateField("終了日(最終有効日)")
    reason = forms.CharField(label="終了理由", max_length=200,
                             error_messages={"required": "終了理由を入力してください",
                                             "max_length": "終了理由は200文字以内です"})  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_to"].error_messages["required"] = "終了日を入力してください"

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError("終了理由を入力してください")
        return reason


class WorkItemResolveForm(forms.Form):
    """What was done for a convenience-store work item (the note is kept with the item and audited)."""

    note = forms.CharField(label="処理内容", max_length=200,
                           error_messages={"required": "処理内容を入力してください",
                                           "max_length": "処理内容は200文字以内です"})  # fmt: skip

    def clean_note(self) -> str:
        note = str(self.cleaned_data["note"]).strip()
        if not note:
            raise forms.ValidationError("処理内容を入力してください")
        return note

