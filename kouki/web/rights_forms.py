"""Forms of the 受付票 screens (SEC-38; issue 15 §4)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from kouki.privacy.redaction import contains_personal_number
from kouki.rights.models import Channel, InquiryKind, InquiryStatus, Relation
from kouki.rights.services import NUMBER_REFUSED
from kouki.web.fields import WarekiDateField, today_typed
from kouki.web.forms import AddresseeNoField

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class NoNumberTexts(forms.Form):
    """Free-text fields that must never hold a personal number: refused on the field, and the typed text
    is not rendered back into the page (issue 14 §2)."""

    number_free: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        refused = [name for name in self.number_free
                   if contains_personal_number(str(self.data.get(name, "")))]
        if refused:
            typed = dict(self.data.items())
            for name in refused:
                self.add_error(name, NUMBER_REFUSED)
                typed[name] = ""
            self.data = typed
        return data


def _choices(enum: Any) -> list[tuple[str, str]]:
    return [("", "すべて"), *enum.choices]


class InquirySearchForm(forms.Form):
    received_from = WarekiDateField("受付日(から)", required=False)
    received_to = WarekiDateField("受付日(まで)", required=False)
    status = forms.ChoiceField(label="状態", choices=_choices(InquiryStatus), required=False)
    channel = forms.ChoiceField(label="受付方法", choices=_choices(Channel), required=False)
    kind = forms.ChoiceField(label="種別", choices=_choices(InquiryKind), required=False)
    text = forms.CharField(label="語句", max_length=50, required=False,
                           help_text="受付番号・件名・内容・回答・申出者氏名のいずれかに含む語句")
    page = forms.IntegerField(min_value=1, max_value=100000, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("received_from"), data.get("received_to")
        if isinstance(first, date) and isinstance(last, date) and first > last:
            raise forms.ValidationError(
                "受付日の範囲が逆です（「から」が「まで」より後になっています）。入れ替えて検索してください")
        return data


class InquiryForm(NoNumberTexts):
    number_free = ("requester_name", "contact", "subject", "content")

    received_on = WarekiDateField("受付日")
    received_time = forms.CharField(label="受付時刻", max_length=5, help_text="例: 9:30",
                                    widget=forms.TextInput(attrs={"placeholder": "9:30"}))
    channel = forms.ChoiceField(label="受付方法", choices=Channel.choices)
    kind = forms.ChoiceField(label="種別", choices=InquiryKind.choices)
    relation = forms.ChoiceField(label="本人との関係", choices=Relation.choices)
    requester_name = forms.CharField(label="申出者氏名", max_length=100, required=False,
                                     help_text="匿名の申出では空欄")
    contact = forms.CharField(label="連絡先", max_length=100, required=False, help_text="電話番号など(任意)")
    addressee_no = AddresseeNoField()
    subject = forms.CharField(label="件名", max_length=100)
    content = forms.CharField(label="内容", max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="個人番号は記入しないでください")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addressee_no"].label = "対象の宛名番号"
        self.fields["addressee_no"].help_text = "問合せが登録済みの方に関するときのみ"
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("received_on", today_typed())
            self.initial.setdefault("received_time", f"{now.hour}:{now.minute:02d}")

    def clean_received_time(self) -> time:
        text = str(self.cleaned_data["received_time"]).strip()
        m = _TIME.match(text)
        if m is None:
            raise forms.ValidationError("時刻は 9:30 のように 時:分 で入力してください")
        return time(int(m.group(1)), int(m.group(2)))

    def clean_addressee_no(self) -> str:
        text = str(self.cleaned_data["addressee_no"]).strip()
        if text and not (text.isascii() and text.isdigit()):
            raise forms.ValidationError("宛名番号は10桁以内の数字です")
        return text

    def received_at(self) -> datetime:
        d: date = self.cleaned_data["received_on"]
        t: time = self.cleaned_data["received_time"]
        return timezone.make_aware(datetime.combine(d, t))


class AnswerForm(NoNumberTexts):
    number_free = ("answer", "follow_up")

    answer = forms.CharField(label="回答", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    follow_up = forms.CharField(label="対応・経過", max_length=4000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="調査・関係課への連絡・再連絡の予定など")
    close = forms.BooleanField(label="この受付票を完了にする(以後変更できません)", required=False)
