"""Forms of the administrator's account screen: unlock, stop (利用停止) and re-enable (利用再開)."""

from __future__ import annotations

from django import forms

from kouki.web.fields import VersionField

ACTIONS = (
    ("unlock", "ロック解除"),
    ("disable", "利用停止"),
    ("enable", "利用再開"),
    ("reissue", "登録コードの再発行"),
)


class AccountActionForm(forms.Form):
    """One action on one account: a reason (kept in the audit row) and an explicit confirmation."""

    action = forms.ChoiceField(label="操作", choices=ACTIONS, widget=forms.HiddenInput)
    reason = forms.CharField(label="理由", max_length=200,
                             help_text="例: 本人からの申出(パスワード失念)、異動、退職、誤って停止したため",
                             error_messages={"required": "理由を入力してください"})
    request_ref = forms.CharField(label="申請番号(あれば)", required=False, max_length=50)
    version = VersionField()  # the account's version the page showed (kouki.core.versioning)
    confirm = forms.BooleanField(label="対象の職員と操作を確認しました",
                                 error_messages={"required": "確認欄にチェックしてください"})
