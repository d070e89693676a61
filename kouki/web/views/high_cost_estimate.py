"""高額療養費の試算 at the counter: "how much comes back?" for one household and one month.

A calculator, like 負担割合の判定: the month, the household's 所得区分 and each member's medical costs (10割)
come in a POST body, go to the 高額療養費 rules (kouki.rules.benefits.high_cost_request.calculate, the same
code as `kouki calc high-cost`) and are shown back; nothing is read from or written to the database, and
no audit row is written because no personal data is stored or looked up. No personal number is asked for.
Gate: Perm.VIEW_PERSON, 事務 4 (医療給付に関する申請及び届出の受付: 高額療養費 questions and applications).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.core.config import high_cost_tables
from kouki.rules.benefits.high_cost import (
    CLASS_LABELS,
    COPAY_PERCENT,
    COST_UNIT,
    IncomeClass,
    table_for,
)
from kouki.rules.benefits.high_cost_request import calculate
from kouki.rules.formatting import wari
from kouki.rules.json_request import InvalidRequest
from kouki.rules.wareki import wareki_month
from kouki.web.access import staff_view
from kouki.web.views.calculator_fields import rule_refusal, yen_field

MEMBER_ROWS = 4
CLASS_HINTS: dict[IncomeClass, str] = {
    IncomeClass.ACTIVE_3: "課税所得690万円以上",
    IncomeClass.ACTIVE_2: "課税所得380万円以上",
    IncomeClass.ACTIVE_1: "課税所得145万円以上",
    IncomeClass.GENERAL_2: "2割負担の方",
    IncomeClass.GENERAL_1: "1割負担の方",
    IncomeClass.LOW_2: "住民税非課税世帯",
    IncomeClass.LOW_1: "住民税非課税世帯で所得が0円",
}
NO_MANY_TIMES = frozenset({IncomeClass.LOW_2, IncomeClass.LOW_1})


def month_choices() -> list[tuple[str, str]]:
    """Every month of the limit tables in force (built-in and KOUKI_HIGH_COST_PARAMETERS), newest first, in
    和暦 (令和7年7月); a table configured without end is offered up to 12 months after today."""
    today = timezone.localdate()
    horizon = date(today.year + 1, today.month, 1)
    months = []
    for table in high_cost_tables():
        y, m = table.first.year, table.first.month
        while date(y, m, 1) <= min(table.last, horizon):
            months.append((f"{y}-{m:02d}", wareki_month(y, m)))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return sorted(months, reverse=True)


def class_label(income_class: IncomeClass) -> str:
    return f"{CLASS_LABELS[income_class]}({CLASS_HINTS[income_class]}・{wari(COPAY_PERCENT[income_class])})"


class EstimateForm(forms.Form):
    month = forms.ChoiceField(
        label="診療月",
        choices=month_choices,
        error_messages={"required": "選んでください", "invalid_choice": "対応している月から選んでください"},
    )
    income_class = forms.ChoiceField(
        label="所得区分",
        choices=[("", "選んでください")] + [(c.value, class_label(c)) for c in IncomeClass],
        error_messages={"required": "選んでください", "invalid_choice": "一覧から選んでください"},
    )
    many_times = forms.BooleanField(
        label="多数回該当",
        required=False,
        help_text="過去12か月に3回以上、世帯の限度額を超えて支給を受けている(4回目から)",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("income_class")
        if data.get("many_times") and chosen and IncomeClass(chosen) in NO_MANY_TIMES:
            self.add_error("many_times", "区分Ⅱ・区分Ⅰには多数回該当の限度額はありません")
        return data


class MemberForm(forms.Form):
    label = forms.CharField(
        label="呼び名",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "本人", "style": "width:6rem"}),
    )
    outpatient_cost = yen_field("外来の医療費(10割)")  # 10円 units: checked in clean (Japanese error)
    inpatient_cost = yen_field("入院の医療費(10割)")

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(name) for name in ("label", "outpatient_cost", "inpatient_cost"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("outpatient_cost", "inpatient_cost"):
            value = data.get(name)
            if value is not None and value % COST_UNIT:
                self.add_error(name, "医療費(点数×10円)を10円単位で入力してください")
        return data


def member_name(index: int, data: dict[str, Any]) -> str:
    return str(data.get("label") or f"{index + 1}人目")


class BaseMemberFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(form.errors for form in self.forms):
            return
        names = [member_name(i, f.cleaned_data) for i, f in enumerate(self.forms) if not f.is_blank()]
        if not names:
            raise forms.ValidationError("被保険者の方を1人以上入力してください")
        if len(set(names)) != len(names):
            raise forms.ValidationError("呼び名が重なっています(世帯の中で別々の呼び名にしてください)")


MemberFormSet = formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=MEMBER_ROWS, max_num=MEMBER_ROWS, validate_max=True
)


def request_json(form: dict[str, Any], members: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The rules' request (the `kouki calc high-cost` format) from the cleaned forms."""
    return {
        "month": form["month"],
        "income_class": form["income_class"],
        "many_times": bool(form["many_times"]),
        "members": [
            {
                "id": mid,
                "outpatient_cost": m["outpatient_cost"] or 0,
                "inpatient_cost": m["inpatient_cost"] or 0,
            }
            for mid, m in members
        ],
        "explain": True,
    }


def _result(form: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    income_class = IncomeClass(form["income_class"])
    year, month = (int(part) for part in form["month"].split("-"))
    measure = table_for(date(year, month, 1), high_cost_tables()).care_measure
    return {
        "month": wareki_month(year, month),
        "care_measure_until": (
            wareki_month(measure.last.year, measure.last.month)
            if income_class is IncomeClass.GENERAL_2
            and measure is not None
            and measure.applies(date(year, month, 1))
            else ""
        ),
        "class_label": CLASS_LABELS[income_class],
        "rate": wari(COPAY_PERCENT[income_class]),
        "many_times": bool(form["many_times"]),
        "household_limit": response["household_limit"],
        "copayment_total": response["copayment_total"],
        "refund_total": response["refund_total"],
        "borne_total": response["copayment_total"] - response["refund_total"],
        "members": [
            {
                **m,
                "refund": m["outpatient_refund"] + m["household_refund"],
                "borne": m["copayment"] - m["outpatient_refund"] - m["household_refund"],
            }
            for m in response["members"]
        ],
    }


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.BENEFIT_APPLICATIONS)
def high_cost_estimate_view(request: HttpRequest) -> HttpResponse:
    """GET: the empty form; POST: the estimate (or the field errors). Nothing is stored (see module)."""
    posted = request.method == "POST"
    form = EstimateForm(request.POST if posted else None)
    members = MemberFormSet(request.POST if posted else None, prefix="m")
    result: dict[str, Any] | None = None
    rule_error = ""
    if posted and form.is_valid() and members.is_valid():
        rows = [
            (member_name(i, f.cleaned_data), f.cleaned_data)
            for i, f in enumerate(members.forms)
            if not f.is_blank()
        ]
        try:
            response = calculate(request_json(form.cleaned_data, rows), high_cost_tables())
        except InvalidRequest as exc:
            rule_error = f"この条件では試算できません: {rule_refusal(exc)}"
        else:
            result = _result(form.cleaned_data, response)
    return render(
        request,
        "web/high_cost_estimate.html",
        {"form": form, "members": members, "result": result, "rule_error": rule_error, "posted": posted},
    )
