"""特別徴収の未徴収 worklist (issue 5 §2, ADR 0011 decision 6): pension instalments the union reported as
not deducted stay unpaid until staff move the person to direct payment (普通徴収への切替, a re-plan done
elsewhere); the item is then closed here with kouki.arrears.services.pension_conversion_done (audited).
Staff with Perm.VIEW_PERSON see and close items (事務 6)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.arrears.models import NonDeductionReason
from kouki.arrears.selectors import pension_conversion_worklist
from kouki.arrears.services import ArrearsError, pension_conversion_done
from kouki.collection import web_selectors
from kouki.rules.wareki import wareki_month, wareki_year
from kouki.web.access import actor_for, staff_view
from kouki.web.views.arrears import screen_message


def _reason(code: str) -> str:
    return NonDeductionReason(code).label if code in NonDeductionReason.values else code


def _month(pension_month: str) -> str:
    """令和7年10月 for the stored "2025-10" (as it was, if it is not a year and month)."""
    year, _sep, month = pension_month.partition("-")
    if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        return pension_month
    return wareki_month(int(year), int(month))


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def pension_worklist_view(request: HttpRequest) -> HttpResponse:
    items = pension_conversion_worklist()
    people = web_selectors.person_labels(i.person_id for i in items)
    rows = [(i, people.get(i.person_id), wareki_year(i.fiscal_year), _reason(i.reason),
             _month(i.pension_month)) for i in items]  # fmt: skip
    return render(request, "arrears/pension.html", {"rows": rows})


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def pension_done_view(request: HttpRequest, item_id: int) -> HttpResponseBase:
    if not any(i.pk == item_id for i in pension_conversion_worklist()):
        raise Http404("未処理の項目がありません")
    try:
        pension_conversion_done(actor=actor_for(request), item_id=item_id, on=timezone.localdate())
    except ArrearsError as exc:
        messages.error(request, f"処理済にできませんでした: {screen_message(exc)}")
    else:
        messages.success(request, "普通徴収への切替済として処理しました。")
    return redirect(reverse("web:pension_worklist"))
