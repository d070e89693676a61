"""保険料試算 (premium estimate) at the counter: enter a household, see each member's premium and how.

A calculator, nothing more: the members' birth dates and incomes come in a POST body, go to the premium
engine (kouki.rules.premium.request.calculate, the same code as `kouki calc premium` and the simulated
union) and are shown back; nothing is read from or written to the database, and no audit row is written
because no personal data is stored or looked up (a pure calculation). No personal number is asked for.
Gate: Perm.VIEW_PERSON, 事務 5 (保険料に関する申請の受付: premium questions at the counter).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kouki.accounts.permissions import Jimu, Perm
from kouki.rules.formatting import yen
from kouki.rules.premium import KNOWN_UNIONS, MissingParameters
from kouki.rules.premium.parameter_labels import parameter_label
from kouki.rules.premium.request import InvalidRequest, calculate
from kouki.rules.wareki import wareki_year
from kouki.web.access import staff_view
from kouki.web.views.calculator_fields import HouseholdMemberFields, rule_refusal
from kouki.web.views.calculator_fields import date_input as _date

MEMBER_ROWS = 6
FISCAL_YEARS = (2023, 2024, 2025, 2026)
UNION_LABELS = {"saitama": "埼玉県後期高齢者医療広域連合"}
REDUCTION_LABELS = {
    "70%": "7割軽減",
    "50%": "5割軽減",
    "20%": "2割軽減",
    "former_dependant": "被扶養者軽減",
    "none": "軽減なし",
}


class EstimateForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(
        label="年度", coerce=int, initial=2025, choices=[(y, wareki_year(y)) for y in FISCAL_YEARS]
    )
    union = forms.ChoiceField(
        label="広域連合(設定値)",
        initial="saitama",
        choices=[(u, UNION_LABELS.get(u, u)) for u in KNOWN_UNIONS],
    )


class MemberForm(HouseholdMemberFields):
    householder = forms.BooleanField(label="世帯主", required=False)
    former_dependant = forms.BooleanField(label="旧被扶養者", required=False)
    insured_from = forms.CharField(
        label="資格取得日",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"style": "width:8rem"}),
    )
    insured_until = forms.CharField(
        label="資格喪失日",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"style": "width:8rem"}),
    )
    first_insured_from = forms.CharField(
        label="最初の資格取得日(他県を含む)",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"style": "width:8rem"}),
    )
    disability_entry = forms.BooleanField(label="障害認定", required=False)
    left_certifying_area_after_75 = forms.BooleanField(
        label="75歳に達した後、障害認定をした広域連合の区域外へ転出", required=False
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (
            data.get("birth_date")
            or data.get("insured")
            or data.get("householder")
            or data.get("public_pension_revenue")
            or data.get("salary_revenue")
            or data.get("other_income")
        )

    def clean_birth_date(self) -> date | None:
        return _date(self.cleaned_data["birth_date"], required=False)

    def clean_insured_from(self) -> date | None:
        return _date(self.cleaned_data["insured_from"], required=False)

    def clean_insured_until(self) -> date | None:
        return _date(self.cleaned_data["insured_until"], required=False)

    def clean_first_insured_from(self) -> date | None:
        return _date(self.cleaned_data["first_insured_from"], required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or self.is_blank():
            return data
        if data.get("birth_date") is None:
            self.add_error("birth_date", "生年月日を入力してください")
        start, end = data.get("insured_from"), data.get("insured_until")
        if start and end and end <= start:
            self.add_error("insured_until", "資格喪失日は資格取得日より後の日付にしてください")
        if data.get("former_dependant") and not data.get("insured"):
            self.add_error("former_dependant", "旧被扶養者は被保険者の方だけに指定できます")
        first = data.get("first_insured_from")
        if data.get("former_dependant") and start is None and first is None:
            self.add_error(
                "insured_from",
                "旧被扶養者の軽減期間(2年)を数えるため、資格取得日を入力してください"
                "(他の都道府県で最初に加入した方は最初の資格取得日)",
            )
        if first and start and first > start:
            self.add_error("first_insured_from", "最初の資格取得日は資格取得日以前の日付にしてください")
        if data.get("left_certifying_area_after_75") and not data.get("disability_entry"):
            self.add_error("left_certifying_area_after_75", "障害認定の方だけに指定できます")
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
        if sum(1 for f in members if f.cleaned_data.get("householder")) > 1:
            raise forms.ValidationError("世帯主は1人だけ選んでください")


MemberFormSet = formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=MEMBER_ROWS, max_num=MEMBER_ROWS, validate_max=True
)


def request_json(fiscal_year: int, union: str, members: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The engine request (the `kouki calc premium` format) from the cleaned forms."""

    def iso(d: date | None) -> str | None:
        return d.isoformat() if d else None

    household = []
    for mid, m in members:
        household.append(
            {
                "id": mid,
                "insured": bool(m["insured"]),
                "householder": bool(m["householder"]),
                "birth_date": iso(m["birth_date"]),
                "public_pension_revenue": m["public_pension_revenue"] or 0,
                "salary_revenue": m["salary_revenue"] or 0,
                "other_income": m["other_income"] or 0,
                "former_dependant": bool(m["former_dependant"]),
                "insured_from": iso(m["insured_from"]),
                "insured_until": iso(m["insured_until"]),
                "first_insured_from": iso(m["first_insured_from"]),
                "disability_entry": bool(m["disability_entry"]),
                "left_certifying_area_after_75": bool(m["left_certifying_area_after_75"]),
            }
        )
    return {"fiscal_year": fiscal_year, "union": union, "household": household, "explain": True}


def _results(response: dict[str, Any], labels: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for member in response["members"]:
        total = member["annual_premium"] + member["child_support_levy"]
        amounts = {
            k: member[k] for k in ("per_capita_levy", "income_levy", "annual_premium", "child_support_levy")
        }
        steps = [
            {**s, "amount_text": "" if s["amount"] is None else yen(s["amount"])}
            for s in member["explain"]
        ]
        out.append(
            {
                **member,
                "label": labels[member["id"]],
                "explain": steps,
                "total": total,
                "reduction_label": REDUCTION_LABELS.get(member["reduction"], member["reduction"]),
                "yen": {k: yen(v) for k, v in {**amounts, "total": total}.items()},
            }
        )
    return out


def engine_message(exc: InvalidRequest) -> str:
    """The engine's refusal for the screen; missing union parameters are listed by name."""
    cause = exc.__cause__
    if isinstance(cause, MissingParameters):
        missing = "、".join(parameter_label(k) for k in cause.missing)
        return (
            f"この条件では計算できません: {wareki_year(cause.fiscal_year)}の設定値が"
            f"公表されていない(未設定の)ため試算できません。未設定の項目: {missing}"
        )
    return f"この条件では計算できません: {rule_refusal(exc)}"


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_APPLICATIONS)
def premium_estimate_view(request: HttpRequest) -> HttpResponse:
    """GET: the empty form; POST: the estimate (or the field errors). Nothing is stored (see module)."""
    posted = request.method == "POST"
    form = EstimateForm(request.POST if posted else None)
    members = MemberFormSet(request.POST if posted else None, prefix="m")
    results: list[dict[str, Any]] = []
    engine_error = ""
    fiscal_year: int | None = None
    if posted and form.is_valid() and members.is_valid():
        rows = [(str(i + 1), f.cleaned_data) for i, f in enumerate(members.forms) if not f.is_blank()]
        labels = {mid: (data["label"] or f"{mid}人目") for mid, data in rows}
        fiscal_year = form.cleaned_data["fiscal_year"]
        try:
            response = calculate(request_json(fiscal_year, form.cleaned_data["union"], rows))
        except InvalidRequest as exc:
            engine_error = engine_message(exc)
        else:
            results = _results(response, labels)
    return render(
        request,
        "web/premium_estimate.html",
        {
            "form": form,
            "members": members,
            "results": results,
            "engine_error": engine_error,
            "fiscal_year": fiscal_year,
            "posted": posted,
        },
    )
