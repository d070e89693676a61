"""特別徴収の未徴収 worklist (issue 5 §2, ADR 0011 decision 6): pension instalments the union reported as
not deducted stay unpaid until staff move the person to direct payment (普通徴収への切替). The button does
it all in one action (issue 11 §3, kouki.arrears.pension_conversion.pension_conversion_done): the re-plan,
the re-allocation, the new 納付書 and the closing of the items (audited). Staff with Perm.VIEW_PERSON see
and convert items (事務 6)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.arrears.models import NonDeductionReason
from kouki.arrears.pension_conversion import pension_conversion_done
from kouki.arrears.selectors import pension_conversion_worklist
from kouki.arrears.services import ArrearsError
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
        done = pension_conversion_done(actor=actor_for(request), item_id=item_id, on=timezone.localdate())
    except ArrearsError as exc:
        messages.error(request, f"普通徴収へ切り替えられませんでした: {screen_message(exc)}")
    else:
        messages.success(request, f"普通徴収へ切り替えました。期割を再計算し、納付書 {len(done.slip_ids)}枚を"
                                  "発行しました。収納状況の「納付書(PDF)」から印刷して送付してください。")
    return redirect(reverse("web:pension_worklist"))
