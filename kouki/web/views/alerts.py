"""監査警告 (issue 14 §6): the alerts raised for the auditors, newest first, and their acknowledgement.

Listing needs VIEW_AUDIT; acknowledging (a note is required) needs ACKNOWLEDGE_ALERTS — both the
auditor's. Alerts hold no personal number; the reference log (参照記録) shows what was looked at.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from kouki.accounts.permissions import Perm
from kouki.core.paging import page_of
from kouki.privacy.alerts import ALERT_RULES, AlertError, alert_acknowledge, alerts
from kouki.web.access import actor_for, staff_user, staff_view

PAGE_SIZE = 100


class AlertFilterForm(forms.Form):
    state = forms.ChoiceField(label="状態", required=False,
                              choices=[("open", "未確認"), ("all", "すべて")], initial="open")
    kind = forms.ChoiceField(label="種別", required=False)
    username = forms.CharField(label="職員ID", required=False, max_length=150)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "すべて"), *((k, r.label) for k, r in sorted(ALERT_RULES.items()))]


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label="確認メモ", max_length=400, widget=forms.Textarea(attrs={"rows": 2}))


@staff_view(permission=Perm.VIEW_AUDIT, business_function=None, methods=("GET",))
def alert_list_view(request: HttpRequest) -> HttpResponse:
    form = AlertFilterForm(request.GET or None)
    data = form.cleaned_data if request.GET and form.is_valid() else {"state": "open"}
    listed = page_of(request, alerts(open_only=data.get("state", "open") != "all", kind=data.get("kind", ""),
                                     username=data.get("username", "")), per_page=PAGE_SIZE)  # fmt: skip
    rows = listed.rows
    user = staff_user(request)
    return render(request, "web/alert_list.html", {
        "form": form, "rows": [(a, ALERT_RULES.get(a.kind)) for a in rows],
        "page": listed.page, "page_query": listed.query,
        "ack_form": AcknowledgeForm(),
        "may_acknowledge": user is not None and user.has_kouki_perm(Perm.ACKNOWLEDGE_ALERTS),
    })


@staff_view(permission=Perm.ACKNOWLEDGE_ALERTS, business_function=None, methods=("POST",))
def alert_acknowledge_view(request: HttpRequest, alert_id: int) -> HttpResponseBase:
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "確認メモを入力してください")
        return redirect("web:alert_list")
    try:
        alert_acknowledge(actor=actor_for(request), alert_id=alert_id, note=form.cleaned_data["note"])
    except AlertError as exc:
        messages.error(request, f"確認できませんでした: {exc}")
    else:
        messages.success(request, f"警告 #{alert_id} を確認済みにしました")
    return redirect("web:alert_list")
