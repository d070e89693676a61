"""Forms of the owner's own screens (password change, enrolment) and of account requests (issue 14 §3–§4)."""

from __future__ import annotations

from typing import Any

from django import forms

from kouki.accounts.permissions import ROLE_LABELS

ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]
CHOOSING_HELP = (
    "12文字以上。長い語句(パスフレーズ)がおすすめです。職員ID・氏名・よく使われる語・"
    "連続した文字・最近使ったパスワードは使えません。記号や数字を必ず入れる必要はありません"
)


def _password(label: str, autocomplete: str = "new-password") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"required": f"{label}を入力してください"},
    )


class _NewPasswordMixin(forms.Form):
    new_field = "password"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get(self.new_field), data.get(f"{self.new_field}2")
        if first and second and first != second:
            self.add_error(f"{self.new_field}2", "確認のため入力したパスワードが一致しません")
        return data


class PasswordChangeForm(_NewPasswordMixin):
    new_field = "new"
    current = _password("現在のパスワード", "current-password")
    new = _password("新しいパスワード")
    new2 = _password("新しいパスワード(確認)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new"].help_text = CHOOSING_HELP


class EnrolCodeForm(forms.Form):
    username = forms.CharField(
        label="職員ID",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
        error_messages={"required": "職員IDを入力してください"},
    )
    code = forms.CharField(
        label="登録コード",
        max_length=40,
        help_text="管理者から受け取った用紙の16文字",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "登録コードを入力してください"},
    )


class EnrolSetupForm(_NewPasswordMixin):
    """Password and second factor(s) at enrolment. Under KOUKI_SECOND_FACTORS: totp only → the TOTP code is
    required; webauthn only → the TOTP code is not asked and this terminal's authenticator is required
    (the service checks); both → either or both (the service checks that one is there)."""

    password = _password("パスワード")
    password2 = _password("パスワード(確認)")
    totp_code = forms.CharField(
        label="確認コード(6桁)",
        max_length=8,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
        error_messages={"required": "認証アプリに表示された確認コードを入力してください"},
    )
    key_name = forms.CharField(label="端末名", max_length=40, required=False,
                               help_text="どの端末か分かる名前(例: 浦和区 窓口3番)")
    webauthn_challenge = forms.IntegerField(required=False, widget=forms.HiddenInput)
    webauthn = forms.CharField(required=False, max_length=64_000,
                               widget=forms.HiddenInput(attrs={"id": "webauthn-credential"}))

    def __init__(self, *args: Any, totp: bool = True, webauthn: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = CHOOSING_HELP
        if not totp:
            del self.fields["totp_code"]
        elif not webauthn:
            self.fields["totp_code"].required = True
        if not webauthn:
            for name in ("key_name", "webauthn_challenge", "webauthn"):
                del self.fields[name]


class NewAccountRequestForm(forms.Form):
    username = forms.CharField(
        label="職員ID",
        max_length=32,
        help_text="英小文字で始まる3〜32文字(例: sato.hanako)",
        error_messages={"required": "職員IDを入力してください"},
    )
    staff_name = forms.CharField(
        label="職員氏名", max_length=80, error_messages={"required": "職員氏名を入力してください"}
    )
    staff_no = forms.CharField(label="職員番号", max_length=20, required=False)
    role = forms.ChoiceField(label="役割", choices=ROLE_CHOICES)
    reason = forms.CharField(
        label="申請理由",
        max_length=200,
        help_text="例: 4月1日付 転入のため",
        error_messages={"required": "申請理由を入力してください"},
    )


class RoleChangeRequestForm(forms.Form):
    username = forms.ChoiceField(label="対象の職員", choices=())
    role = forms.ChoiceField(label="変更後の役割", choices=ROLE_CHOICES)
    reason = forms.CharField(
        label="申請理由",
        max_length=200,
        help_text="例: 係の変更(4月1日付)",
        error_messages={"required": "申請理由を入力してください"},
    )

    def __init__(self, *args: Any, accounts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].choices = accounts  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=(("approve", "承認"), ("reject", "却下")), widget=forms.HiddenInput)
    kessai_ref = forms.CharField(
        label="決裁番号", max_length=50, required=False, help_text="承認するときは必須(例: 浦和区保第123号)"
    )
    reason = forms.CharField(label="却下の理由", max_length=200, required=False)
    confirm = forms.BooleanField(
        label="申請の内容を確認しました", error_messages={"required": "確認欄にチェックしてください"}
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "approve" and not (data.get("kessai_ref") or "").strip():
            self.add_error("kessai_ref", "決裁番号を入力してください")
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "却下の理由を入力してください")
        return data
