"""Forms of the arrears screens (滞納者一覧, 納付折衝, 分納誓約, 不納欠損の起案・決裁, 納付確認書).

Dates are typed as staff type them (2026-04-01 or R8.4.1, kouki.rules.wareki.parse_date_input); amounts
are integer yen (kouki.web.collection_forms.parse_yen). Messages are in Japanese, for the screen.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from kouki.arrears.models import ContactChannel, WriteOffGround
from kouki.rules.wareki import InvalidDateInput, parse_date_input
from kouki.web.collection_forms import parse_yen
from kouki.web.fields import DATE_HELP

MAX_PLEDGE_LINES = 60  # five years of monthly amounts: a typo guard, not a rule

SORTS = (
    ("oldest", "納期限の古い順"),
    ("newest", "納期限の新しい順"),
    ("total", "未納額の多い順"),
    ("recent_contact", "折衝日の新しい順"),
)
METHODS = (("", "すべて"), ("direct", "普通徴収"), ("pension", "特別徴収"))


def parse_day(text: str, *, today: date | None = None, future: bool = True) -> date:
    try:
        day = parse_date_input(text.strip())
    except InvalidDateInput as exc:
        raise forms.ValidationError(str(exc)) from None
    if not future and today is not None and day > today:
        raise forms.ValidationError("未来の日付は指定できません")
    return day


def _date_field(label: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=20, help_text=DATE_HELP,
                           error_messages={"required": f"{label}を入力してください"})


class ArrearsListForm(forms.Form):
    sort = forms.ChoiceField(label="並び順", choices=SORTS, required=False)
    method = forms.ChoiceField(label="徴収方法", choices=METHODS, required=False)
    page = forms.IntegerField(label="ページ", min_value=1, required=False)


class ContactForm(forms.Form):
    """納付折衝の記録: when, how (電話・訪問・文書) and what was said."""

    contacted_on = _date_field("折衝日")
    channel = forms.ChoiceField(label="方法", choices=ContactChannel.choices,
                                error_messages={"required": "方法を選んでください",
                                                "invalid_choice": "方法を一覧から選んでください"})
    note = forms.CharField(label="内容", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_contact_%s")  # several forms on one page
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_contacted_on(self) -> date:
        return parse_day(self.cleaned_data["contacted_on"], today=self.today, future=False)


def parse_schedule(text: str) -> list[tuple[date, int]]:
    """One pledged amount per line, '納付予定日 金額' (e.g. 'R8.12.25 10,000' or '2026-12-25 10000円').
    Every bad line is reported with its number."""
    schedule: list[tuple[date, int]] = []
    errors: list[str] = []
    seen: dict[date, int] = {}
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise forms.ValidationError("分納の予定を1行以上入力してください")
    if len(lines) > MAX_PLEDGE_LINES:
        raise forms.ValidationError(f"分納の予定は{MAX_PLEDGE_LINES}行までです")
    for n, line in lines:
        parts = line.replace("\u3000", " ").replace("\t", " ").split()
        if len(parts) != 2:
            errors.append(f"{n}行目: 「納付予定日 金額」の形で入力してください({line})")
            continue
        try:
            day = parse_day(parts[0])
            amount = parse_yen(parts[1])
        except forms.ValidationError as exc:
            errors.append(f"{n}行目: {' '.join(exc.messages)}({line})")
            continue
        if day in seen:
            errors.append(f"{n}行目: {seen[day]}行目と同じ日付です(1日に1回)")
            continue
        seen[day] = n
        assert amount is not None
        schedule.append((day, amount))
    if errors:
        raise forms.ValidationError(errors)
    return sorted(schedule)


class PledgeForm(forms.Form):
    """分納誓約: the day it was made and the schedule of pledged amounts."""

    made_on = _date_field("誓約日")
    schedule = forms.CharField(
        label="分納の予定", error_messages={"required": "分納の予定を1行以上入力してください"},
        help_text="1行に1回分: 納付予定日と金額を空白で区切ります(例: R8.12.25 10,000)",
        widget=forms.Textarea(attrs={"rows": 6, "cols": 40,
                                     "placeholder": "R8.12.25 10,000\nR9.1.25 10,000"}),
    )
    note = forms.CharField(label="備考", max_length=500, required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_pledge_%s")  # several forms on one page
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_made_on(self) -> date:
        return parse_day(self.cleaned_data["made_on"], today=self.today, future=False)

    def clean_schedule(self) -> list[tuple[date, int]]:
        return parse_schedule(self.cleaned_data["schedule"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        made_on, schedule = data.get("made_on"), data.get("schedule")
        if made_on is not None and schedule:
            early = [d for d, _ in schedule if d < made_on]
            if early:
                self.add_error("schedule", "納付予定日は誓約日以降にしてください")
        return data


class WriteOffRequestForm(forms.Form):
    """不納欠損の起案: which unpaid instalment, how much (default: all that is unpaid) and why."""

    instalment = forms.TypedChoiceField(
        label="欠損する期", coerce=int,
        error_messages={"required": "期を選んでください", "invalid_choice": "期を一覧から選んでください"},
    )
    amount = forms.CharField(label="欠損額(円)", required=False, max_length=20,
                             help_text="空欄: その期の未納額のすべて",
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    ground = forms.ChoiceField(
        label="欠損の根拠", choices=[("", "選択してください"), *WriteOffGround.choices],
        error_messages={"required": "欠損の根拠を選んでください",
                        "invalid_choice": "欠損の根拠を一覧から選んでください"},
        help_text="時効は、その期の時効の完成後(督促・納付・誓約による更新を含む)に限り起案できます",
    )
    reason = forms.CharField(label="欠損事由", max_length=200,
                             error_messages={"required": "欠損事由を入力してください"},
                             help_text="例: 令和5年度第3期の時効完成、執行停止から3年経過 など",
                             widget=forms.TextInput(attrs={"size": 50}))

    def __init__(self, *args: Any, instalments: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_write_off_%s")
        super().__init__(*args, **kwargs)
        self.fields["instalment"].choices = [("", "選択してください"), *instalments]  # type: ignore[attr-defined]

    def clean_amount(self) -> int | None:
        return parse_yen(self.cleaned_data["amount"], required=False)


class WriteOffDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=(("approve", "承認"), ("reject", "却下")),
                                 error_messages={"required": "承認か却下を選んでください"})
    note = forms.CharField(label="決裁意見", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", "却下するときは理由(決裁意見)を入力してください")
        return data


class CertificateYearForm(forms.Form):
    """保険料納付確認書: a calendar year (1月〜12月)."""

    year = forms.IntegerField(label="対象年(暦年)", min_value=2008, max_value=2100,
                              error_messages={"required": "対象年を選んでください",
                                              "invalid": "対象年を選んでください"})

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_year(self) -> int:
        year = int(self.cleaned_data["year"])
        if year > self.today.year:
            raise forms.ValidationError("今年より後の年は指定できません")
        return year
