"""過誤納 worklist and decisions (issue 5 §3): each fiscal year with an open overpayment is refunded
(還付) or set off (充当) against an unpaid instalment of the same person, always with a reason.

Counter clerks see the list and the detail; only a supervisor decides (kouki.web.views.collection_access).
After a decision the screen goes to the person's 収納状況, which shows who decided and why.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.collection import web_selectors
from kouki.collection.decisions import refund_decide, set_off_decide
from kouki.collection.selectors import UnpaidInstalment, ledger, open_overpayment, overpayments_open
from kouki.collection.state import CollectionError
from kouki.core.versioning import StaleEdit
from kouki.documents.premium_data import METHOD_LABELS
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki, wareki_year
from kouki.web.access import actor_for, staff_user, staff_view
from kouki.web.collection_forms import RefundForm, SetOffForm
from kouki.web.screen_text import FALLBACK, japanese_or
from kouki.web.views.collection import ledger_url
from kouki.web.views.collection_access import may_decide
from kouki.web.views.person_lookup import person_or_404

WORKLIST_LIMIT = 500


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def overpayment_list_view(request: HttpRequest) -> HttpResponse:
    items = overpayments_open(WORKLIST_LIMIT)
    people = web_selectors.person_labels(o.person_id for o in items)
    rows = [(o, wareki_year(o.fiscal_year), people.get(o.person_id)) for o in items]
    return render(request, "collection/overpayments.html", {
        "rows": rows, "limit": WORKLIST_LIMIT, "may_decide": may_decide(staff_user(request)),
    })


def target_label(u: UnpaidInstalment) -> str:
    return (f"{wareki_year(u.fiscal_year)} {METHOD_LABELS.get(u.method, u.method)} 第{u.period}期 "
            f"納期限 {format_wareki(u.due_date)} 未納 {yen(u.unpaid)}")


def _targets(person_id: int) -> list[UnpaidInstalment]:
    """Instalments an overpayment may be set off to: not those extinguished by limitation."""
    return web_selectors.live_set_off_targets(person_id, timezone.localdate())


def _detail_context(
    request: HttpRequest, person_id: int, fiscal_year: int, *,
    refund_form: RefundForm | None = None, set_off_form: SetOffForm | None = None,
) -> dict[str, Any]:  # fmt: skip
    current = person_or_404(person_id)
    open_amount = open_overpayment(person_id, fiscal_year)
    targets = _targets(person_id)
    choices = [(t.instalment_id, target_label(t)) for t in targets]
    return {
        "person": current.person, "current": current, "fiscal_year": fiscal_year,
        "fiscal_year_label": wareki_year(fiscal_year), "open_amount": open_amount,
        "book": ledger(person_id, fiscal_year), "targets": [(target_label(t), t) for t in targets],
        "refund_form": refund_form or RefundForm(initial={"amount": open_amount or "",
                                                          "version": open_amount}),
        "set_off_form": set_off_form or SetOffForm(targets=choices, initial={"version": open_amount}),
        "decisions": web_selectors.decisions_of(person_id, fiscal_year),
        "may_decide": may_decide(staff_user(request)),
    }  # fmt: skip


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def overpayment_detail_view(request: HttpRequest, person_id: int, fiscal_year: int) -> HttpResponse:
    context = _detail_context(request, person_id, fiscal_year)
    return render(request, "collection/overpayment_detail.html", context)


@staff_view(permission=Perm.DECIDE_COLLECTION, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def refund_decide_view(request: HttpRequest, person_id: int, fiscal_year: int) -> HttpResponseBase:
    person_or_404(person_id)
    form = RefundForm(request.POST)
    if form.is_valid():
        amount: int = form.cleaned_data["amount"]
        available = open_overpayment(person_id, fiscal_year)
        if amount > available:
            form.add_error("amount", f"還付できるのは過誤納額 {yen(available)}までです")
        else:
            try:
                refund_decide(actor=actor_for(request), person_id=person_id, fiscal_year=fiscal_year,
                              amount=amount, reason=form.cleaned_data["reason"], on=timezone.localdate(),
                              seen_open=form.cleaned_data["version"])
            except StaleEdit as exc:
                form.add_error(None, str(exc))
            except CollectionError as exc:
                form.add_error(None, f"還付を決定できませんでした: {japanese_or(str(exc), FALLBACK)}")
            else:
                messages.success(request,
                                 f"{wareki_year(fiscal_year)}の過誤納金 {yen(amount)}の還付を決定しました。")
                return redirect(ledger_url(person_id, fiscal_year))
    return render(request, "collection/overpayment_detail.html",
                  _detail_context(request, person_id, fiscal_year, refund_form=form))


@staff_view(permission=Perm.DECIDE_COLLECTION, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def set_off_decide_view(request: HttpRequest, person_id: int, fiscal_year: int) -> HttpResponseBase:
    person_or_404(person_id)
    targets = {t.instalment_id: t for t in _targets(person_id)}
    form = SetOffForm(request.POST, targets=[(pk, target_label(t)) for pk, t in targets.items()])
    if form.is_valid():
        target = targets[form.cleaned_data["instalment"]]
        available = open_overpayment(person_id, fiscal_year)
        amount: int = form.cleaned_data["amount"] or min(available, target.unpaid)
        if amount <= 0:
            form.add_error(None, "充当できる過誤納金がありません")
        elif amount > available:
            form.add_error("amount", f"充当できるのは過誤納額 {yen(available)}までです")
        elif amount > target.unpaid:
            form.add_error("amount", f"この期の未納額は {yen(target.unpaid)}です")
        else:
            try:
                set_off_decide(actor=actor_for(request), person_id=person_id, from_fiscal_year=fiscal_year,
                               instalment_id=target.instalment_id, amount=amount,
                               reason=form.cleaned_data["reason"], on=timezone.localdate(),
                               seen_open=form.cleaned_data["version"])
            except StaleEdit as exc:
                form.add_error(None, str(exc))
            except CollectionError as exc:
                form.add_error(None, f"充当を決定できませんでした: {japanese_or(str(exc), FALLBACK)}")
            else:
                to = f"{wareki_year(target.fiscal_year)} 第{target.period}期"
                messages.success(request,
                                 f"{wareki_year(fiscal_year)}の過誤納金 {yen(amount)}を{to}へ充当しました。")
                return redirect(ledger_url(person_id, fiscal_year))
    return render(request, "collection/overpayment_detail.html",
                  _detail_context(request, person_id, fiscal_year, set_off_form=form))
