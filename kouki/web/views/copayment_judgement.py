"""負担割合の判定 (co-payment rate) at the counter: enter a household, see the rate and why, step by step.

Staff are asked "why am I 3割?" every August. A calculator, like 保険料試算: the members' birth dates and
incomes come in a POST body, go to the co-payment rule (kouki.rules.copayment_request.calculate, the same
code as `kouki calc copayment` and the simulated union) and are shown back; nothing is read from or written
to the database, and no audit row is written because no personal data is stored or looked up. No personal
number is asked for.
Gate: Perm.VIEW_PERSON, 事務 4 (医療給付に関する申請及び届出の受付: the 基準収入額適用申請 and questions on
the 一部負担割合 at the counter).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kouki.accounts.permissions import Jimu, Perm
from kouki.rules.copayment_request import FIRST_AS_OF, calculate
from kouki.rules.formatting import yen
from kouki.rules.json_request import InvalidRequest
from kouki.rules.wareki import format_wareki, wareki_calendar_year
from kouki.web.access import staff_view
from kouki.web.views.calculator_fields import (
    HouseholdMemberFields,
    date_input,
    rule_refusal,
    yen_field,
)

MEMBER_ROWS = 6
RATE_LABELS = {"10%": "1割", "20%": "2割", "30%": "3割"}


def _count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=20,
        error_messages={
            "invalid": "人数を整数で入力してください",
            "min_value": "0以上で入力してください",
            "max_value": "人数が多すぎます",
        },
        widget=forms.NumberInput(attrs={"step": 1, "min": 0, "style": "width:4rem"}),
    )


def member_name(index: int, data: dict[str, Any]) -> str:
    """The name the rule's sentences use for a member: what staff typed, else 「n人目」."""
    return str(data.get("label") or f"{index + 1}人目")


class JudgementForm(forms.Form):
    as_of = forms.CharField(
        label="判定する日",
        max_length=20,
        help_text="8月1日〜翌年7月31日の負担割合を、その前年の所得で判定します",
        widget=forms.TextInput(attrs={"placeholder": "R8.8.1", "style": "width:8rem"}),
    )

    def clean_as_of(self) -> date | None:
        as_of = date_input(self.cleaned_data["as_of"], required=True)
        if as_of is not None and as_of < FIRST_AS_OF:
            raise forms.ValidationError(
                f"{format_wareki(FIRST_AS_OF)}より前の日の判定には対応していません"
                f"({wareki_calendar_year(FIRST_AS_OF.year - 1)}分より前の所得)"
            )
        return as_of


class MemberForm(HouseholdMemberFields):
    taxable_income = yen_field("課税所得(課税標準額)")
    dependants_under_16 = _count_field("16歳未満の扶養")
    dependants_16_18 = _count_field("16〜18歳の扶養")

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(
            data.get(name)
            for name in (
                "birth_date",
                "insured",
                "taxable_income",
                "public_pension_revenue",
                "salary_revenue",
                "other_income",
                "dependants_under_16",
                "dependants_16_18",
            )
        )

    def clean_birth_date(self) -> date | None:
        return date_input(self.cleaned_data["birth_date"], required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or self.is_blank():
            return data
        if data.get("birth_date") is None:
            self.add_error("birth_date", "生年月日を入力してください")
        return data


class BaseMemberFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(form.errors for form in self.forms):
            return
        members = [f for f in self.forms if not f.is_blank()]
        if not members:
            raise forms.ValidationError("世帯の方を1人以上入力してください")
        if not any(f.cleaned_data.get("insured") for f in members):
            raise forms.ValidationError("被保険者の方が1人もいません(「被保険者」に印を付けてください)")
        names = [member_name(i, f.cleaned_data) for i, f in enumerate(self.forms) if not f.is_blank()]
        if len(set(names)) != len(names):
            raise forms.ValidationError("呼び名が重なっています(世帯の中で別々の呼び名にしてください)")


MemberFormSet = formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=MEMBER_ROWS, max_num=MEMBER_ROWS, validate_max=True
)


def request_json(as_of: date, members: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The rule's request (the `kouki calc copayment` format) from the cleaned forms."""
    household = []
    for mid, m in members:
        birth: date = m["birth_date"]
        household.append(
            {
                "id": mid,
                "insured": bool(m["insured"]),
                "birth_date": birth.isoformat(),
                **{
                    key: m[key] or 0
                    for key in (
                        "taxable_income",
                        "public_pension_revenue",
                        "salary_revenue",
                        "other_income",
                        "dependants_under_16",
                        "dependants_16_18",
                    )
                },
            }
        )
    return {"as_of": as_of.isoformat(), "household": household, "explain": True}


def _result(response: dict[str, Any]) -> dict[str, Any]:
    """The household's rate, reasons and steps (the same for every insured member)."""
    members = response["members"]
    first = members[0]
    steps = [
        {
            "who": s["member"] or "世帯",
            "step": s["step"],
            "detail": s["detail"],
            "amount_text": "" if s["amount"] is None else yen(s["amount"]),
        }
        for s in first["explain"]
    ]
    return {
        "rate": first["rate"],
        "rate_label": RATE_LABELS[first["rate"]],
        "members": [m["id"] for m in members],
        "reasons": first["reasons"],
        "steps": steps,
    }


def _born_by(as_of: date, members: Any) -> bool:
    """Every member was born on or before the day judged; else the error is shown at their 生年月日."""
    ok = True
    for f in members.forms:
        born = f.cleaned_data.get("birth_date")
        if born is not None and born > as_of:
            f.add_error("birth_date", "生年月日が判定する日より後になっています")
            ok = False
    return ok


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.BENEFIT_APPLICATIONS)
def copayment_judgement_view(request: HttpRequest) -> HttpResponse:
    """GET: the empty form; POST: the judgement (or the field errors). Nothing is stored (see module)."""
    posted = request.method == "POST"
    form = JudgementForm(request.POST if posted else None)
    members = MemberFormSet(request.POST if posted else None, prefix="m")
    result: dict[str, Any] | None = None
    rule_error = ""
    if posted and form.is_valid() and members.is_valid() and _born_by(form.cleaned_data["as_of"], members):
        rows = [
            (member_name(i, f.cleaned_data), f.cleaned_data)
            for i, f in enumerate(members.forms)
            if not f.is_blank()
        ]
        try:
            response = calculate(request_json(form.cleaned_data["as_of"], rows))
        except InvalidRequest as exc:
            rule_error = f"この条件では判定できません: {rule_refusal(exc)}"
        else:
            result = _result(response)
    return render(
        request,
        "web/copayment_judgement.html",
        {"form": form, "members": members, "result": result, "rule_error": rule_error, "posted": posted},
    )
