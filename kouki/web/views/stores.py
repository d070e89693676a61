"""コンビニ収納 要確認一覧 (issue 11 §2; ADR 0010): the lines of the payment agent's 速報・確報 that were not
simply booked — 二重納付, unknown or old slips, amount mismatches, 速報 without 確報, cancellations without
a payment or refused because a refund was decided. Each row says what to do and links to the person's
収納状況 or 過誤納金 screen where that is known; once done, staff close it with a note of what was done
(kouki.stores.services.work_item_resolve, audited). Staff with Perm.VIEW_PERSON, 事務 6."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from kouki.accounts.permissions import Jimu, Perm
from kouki.collection import web_selectors
from kouki.rules.wareki import wareki_year
from kouki.stores.models import WorkKind
from kouki.stores.selectors import WorkItemRow, open_work_items
from kouki.stores.services import WorkItemError, work_item_resolve
from kouki.web.access import actor_for, staff_view
from kouki.web.banking_forms import WorkItemResolveForm

# What staff do for each kind before closing the item (guidance on the screen, ADR 0010).
TODO: dict[str, str] = {
    WorkKind.DUPLICATE: (
        "二重に納付された分は過誤納金です。"
        "過誤納金の処理で還付または充当を決定してください。"
    ),
    WorkKind.UNKNOWN_SLIP: (
        "該当する納付書がありません。"
        "収納代行業者に照会し、納付者と納付書を特定して窓口収納で記録してください。"
    ),
    WorkKind.AMOUNT_MISMATCH: (
        "納付書の金額と収納額が異なります。"
        "収納状況で差額を確認し、収納の記録または還付を行ってください。"
    ),
    WorkKind.SUPERSEDED_SLIP: (
        "再発行前の納付書で納付されました。"
        "収納状況で期別への充当を確認してください。"
    ),
    WorkKind.NEVER_CONFIRMED: (
        "速報のみで確報が届いていません。"
        "収納代行業者に確報の有無を照会してください。"
    ),
    WorkKind.UNMATCHED_CANCELLATION: (
        "取消の対象となる収納がありません。"
        "収納代行業者に取消の内容を照会してください。"
    ),
    WorkKind.CANCELLATION_REFUSED: (
        "還付・充当の決定済みの収納が取り消されました。"
        "決定の取消または納付者への連絡を検討してください。"
    ),
}  # fmt: skip


def _row(w: WorkItemRow, people: dict[int, object]) -> dict[str, object]:
    return {
        "item": w, "person": people.get(w.person_id) if w.person_id else None, "todo": TODO.get(w.kind, ""),
        "year": wareki_year(w.fiscal_year) if w.fiscal_year else "",
        "refund": w.kind in {WorkKind.DUPLICATE, WorkKind.AMOUNT_MISMATCH, WorkKind.CANCELLATION_REFUSED},
    }  # fmt: skip


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def store_worklist_view(request: HttpRequest) -> HttpResponse:
    items = open_work_items()
    people: dict[int, object] = dict(web_selectors.person_labels(w.person_id for w in items if w.person_id))
    return render(request, "stores/worklist.html", {"rows": [_row(w, people) for w in items],
                                                    "form": WorkItemResolveForm(), "error_item": None})


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def store_work_item_resolve_view(request: HttpRequest, item_id: int) -> HttpResponseBase:
    items = open_work_items()
    if not any(w.item_id == item_id for w in items):
        raise Http404("未処理の要確認項目がありません")
    form = WorkItemResolveForm(request.POST)
    if form.is_valid():
        try:
            work_item_resolve(actor=actor_for(request), item_id=item_id, note=form.cleaned_data["note"])
        except WorkItemError as exc:
            form.add_error("note", str(exc))
        else:
            messages.success(request, "処理済にしました。")
            return redirect("web:store_worklist")
    people: dict[int, object] = dict(web_selectors.person_labels(w.person_id for w in items if w.person_id))
    return render(request, "stores/worklist.html", {"rows": [_row(w, people) for w in items],
                                                    "form": form, "error_item": item_id})
