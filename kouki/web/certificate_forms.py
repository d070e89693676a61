"""Forms of the certificate screens (資格確認書・資格情報のお知らせ)."""

from __future__ import annotations

from django import forms

from kouki.certificates.models import HandoverMethod, IssueStatus, Kind, Reason, Recipient, ReturnReason
from kouki.web.fields import WarekiDateField

COUNTER_REASONS = [(r.value, r.label)
                   for r in (Reason.APPLICATION, Reason.REISSUE, Reason.CHANGE, Reason.NEW)]


class IssueForm(forms.Form):
    kind = forms.ChoiceField(label="種別", choices=Kind.choices, initial=Kind.CERTIFICATE)
    reason = forms.ChoiceField(label="交付事由", choices=COUNTER_REASONS)
    on = WarekiDateField("交付日")
    limit_category = forms.CharField(label="適用区分(併記の申請があるとき)", required=False, max_length=20)


class HandoverForm(forms.Form):
    method = forms.ChoiceField(label="引渡方法", choices=HandoverMethod.choices,
                               initial=HandoverMethod.COUNTER)
    handed_on = WarekiDateField("引渡日")
    recipient = forms.ChoiceField(label="受取人", choices=Recipient.choices, initial=Recipient.SELF)
    agent_name = forms.CharField(label="代理人氏名", required=False, max_length=80)
    identity_checked = forms.BooleanField(label="本人確認を行った", required=False)
    identity_document = forms.CharField(label="確認書類", required=False, max_length=80,
                                        help_text="例: マイナンバーカード、運転免許証")
    note = forms.CharField(label="備考", required=False, max_length=200)


class ReturnForm(forms.Form):
    returned_on = WarekiDateField("返戻日")
    reason = forms.ChoiceField(label="返戻理由", choices=[("", "選択してください"), *ReturnReason.choices],
                               error_messages={"required": "返戻理由を選択してください"})
    note = forms.CharField(label="備考", required=False, max_length=200,
                           help_text="例: 郵便局の付箋の記載、その他の理由")


class ResendForm(forms.Form):
    mailed_on = WarekiDateField("再送付日")
    destination = forms.CharField(label="再送付先", max_length=150,
                                  help_text="例: 住民記録で確認した新住所、家族から申出のあった送付先",
                                  error_messages={"required": "再送付先を入力してください"})
    note = forms.CharField(label="備考", required=False, max_length=40)


class IssueFilterForm(forms.Form):
    status = forms.ChoiceField(label="状態", required=False, choices=[("", "すべて"), *IssueStatus.choices])
    batch = forms.IntegerField(label="一括発行の回", required=False, min_value=1,
                               error_messages={"invalid": "回は数字で入力してください"})


class MailedForm(forms.Form):
    mailed_on = WarekiDateField("発送日")
