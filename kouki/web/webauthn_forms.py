"""Forms of the WebAuthn screens (issue 14 §5): the browser's answer comes back in a hidden field as JSON,
with the id of the challenge the page was given."""

from __future__ import annotations

from django import forms

NAME_HELP = "どの端末か分かる名前(例: 浦和区 窓口3番、事務室 2)。個人番号などは入れないでください"


def _hidden_credential() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput(attrs={"id": "webauthn-credential"}), max_length=64_000,
                           error_messages={"required": "生体認証を行ってください"})


class WebAuthnLoginForm(forms.Form):
    challenge_id = forms.IntegerField(widget=forms.HiddenInput)
    credential = _hidden_credential()


class KeyRegisterForm(forms.Form):
    name = forms.CharField(label="端末名", max_length=40, help_text=NAME_HELP,
                           error_messages={"required": "端末名を入力してください"})
    challenge_id = forms.IntegerField(widget=forms.HiddenInput)
    credential = _hidden_credential()


class KeyRevokeForm(forms.Form):
    key = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="理由", max_length=200, help_text="例: 端末の交換、端末の紛失、異動",
                             error_messages={"required": "理由を入力してください"})
    confirm = forms.BooleanField(label="この端末の登録を失効させます。確認しました",
                                 error_messages={"required": "確認欄にチェックしてください"})
