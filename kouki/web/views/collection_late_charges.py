"""延滞金の減免 (waiver) from 収納状況: a supervisor's decision with a reason (Perm.DECIDE_COLLECTION,
事務 6). The service kouki.collection.late_charges.late_charge_waive checks and audits it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.collection import late_charge_selectors
from kouki.collection.late_charges import LateChargeError, late_charge_waive
from kouki.rules.formatting import yen
from kouki.web.access import actor_for, staff_view
from kouki.web.collection_forms import LateChargeWaiverForm
from kouki.web.views.collection import ledger_url


@staff_view(permission=Perm.DECIDE_COLLECTION, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def late_charge_waive_view(request: HttpRequest, late_charge_id: int) -> HttpResponseBase:
    line = late_charge_selectors.late_charge(late_charge_id)
    if line is None:
        raise Http404("延滞金の記録がありません")
    form = LateChargeWaiverForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"延滞金を減免できませんでした: {errors}")
    else:
        try:
            done = late_charge_waive(
                actor=actor_for(request), late_charge_id=line.id, amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"], on=timezone.localdate(),
            )  # fmt: skip
        except LateChargeError as exc:
            messages.error(request, f"延滞金を減免できませんでした: {exc}")
        else:
            messages.success(request, f"第{done.period}期の延滞金 {yen(done.waived_amount)}を減免しました。")
    return redirect(ledger_url(line.person_id, line.fiscal_year) + "#late-charges")
