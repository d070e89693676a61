"""不納欠損の決裁 (issue 5 §4, ADR 0011 decision 4): the open write-off requests, each approved or
rejected with a note by a supervisor (Perm.DECIDE_COLLECTION, declared on both views, so the access
matrix covers them). The requester may not decide their own request: the service refuses it and the
screen shows why. An approval writes the 不納欠損 into the ledger (kouki.collection) in the same
transaction, and the person's 収納状況 shows it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.arrears.selectors import write_off_requests_open
from kouki.arrears.services import ArrearsError, write_off_approve, write_off_reject
from kouki.collection import web_selectors
from kouki.collection.selectors import InstalmentStatus, instalment_statuses
from kouki.rules.formatting import yen
from kouki.rules.wareki import wareki_year
from kouki.web.access import actor_for, staff_user, staff_view
from kouki.web.arrears_forms import WriteOffDecisionForm
from kouki.web.views.arrears import screen_message
from kouki.web.views.collection import instalment_label


@staff_view(permission=Perm.DECIDE_COLLECTION, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def write_off_worklist_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    requests = write_off_requests_open()
    people = web_selectors.person_labels(r.person_id for r in requests)
    names = web_selectors.staff_names(r.requested_by for r in requests)
    statuses: dict[tuple[int, int], dict[int, InstalmentStatus]] = {}
    rows = []
    for r in requests:
        key = (r.person_id, r.fiscal_year)
        if key not in statuses:
            statuses[key] = {s.instalment_id: s for s in instalment_statuses(*key)}
        s = statuses[key].get(r.instalment_id)
        rows.append({
            "request": r, "person": people.get(r.person_id), "year": wareki_year(r.fiscal_year),
            "instalment": instalment_label(s) if s else "", "due_date": s.due_date if s else None,
            "unpaid": s.unpaid if s else None, "requester": names.get(r.requested_by, r.requested_by),
            "own": user is not None and r.requested_by == user.username,
        })  # fmt: skip
    return render(request, "arrears/write_offs.html", {"rows": rows})


@staff_view(permission=Perm.DECIDE_COLLECTION, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def write_off_decide_view(request: HttpRequest, request_id: int) -> HttpResponseBase:
    if not any(r.pk == request_id for r in write_off_requests_open()):
        raise Http404("決裁待ちの起案がありません")
    back = redirect(reverse("web:write_off_worklist"))
    form = WriteOffDecisionForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        messages.error(request, "決裁していません: " + " ".join(errors))
        return back
    actor, today, note = actor_for(request), timezone.localdate(), form.cleaned_data["note"]
    try:
        if form.cleaned_data["decision"] == "approve":
            req = write_off_approve(actor=actor, request_id=request_id, on=today, note=note)
            year = wareki_year(req.fiscal_year)
            messages.success(request, f"不納欠損 {yen(req.amount)}を承認しました({year})。"
                                      "収納状況に反映されています。")
        else:
            req = write_off_reject(actor=actor, request_id=request_id, on=today, note=note)
            messages.success(request, f"不納欠損の起案({yen(req.amount)})を却下しました。")
    except ArrearsError as exc:
        messages.error(request, f"決裁できませんでした: {screen_message(exc)}")
    return back
