"""Forms of the certificate screens (資格確認書・資格情報のお知らせ)."""

from __future__ import annotations

from django import forms

from kouki.certificates.models import HandoverMethod, Kind, Reason, Recipient
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
    note = forms.CharField(label="返戻理由", required=False, max_length=200,
                           help_text="例: あて所に尋ねあたりません")


class MailedForm(forms.Form):
    mailed_on = WarekiDateField("発送日")
