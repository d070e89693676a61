"""振替不能 worklist (issue 11 §2): instalments whose 口座振替 failed stay unpaid and need a payment slip
(納付書). The result import issues them at once; those it could not (the slips app refused, …) wait here
until staff issue them — one row or all — through kouki.banking.failures.issue_slips (audited), then
print the 納付書 PDF of each (listed for RECENT_DAYS after issue, and on the person's 口座 page). A failure
whose instalment was replaced by a re-plan cannot get a slip here: the new plan's slips cover it.
Staff with Perm.VIEW_PERSON, 事務 6 (保険料の徴収)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.banking.failures import issue_slips
from kouki.banking.selectors import FailedDebitRow, failed_debit_row, failed_debit_rows
from kouki.collection import web_selectors
from kouki.rules.wareki import wareki_year
from kouki.slips.documents import slips_pdf
from kouki.web.access import actor_for, staff_view
from kouki.web.converters import MAX_ID

RECENT_DAYS = 30  # slips issued from the worklist stay listed (for printing) this long


def _labelled(rows: list[FailedDebitRow]) -> list[tuple[FailedDebitRow, object, str]]:
    people = web_selectors.person_labels(f.person_id for f in rows)
    return [(f, people.get(f.person_id), wareki_year(f.fiscal_year)) for f in rows]


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def failed_debit_worklist_view(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    return render(request, "banking/failed_debits.html", {
        "rows": _labelled(failed_debit_rows(pending_only=True)),
        "issued": _labelled(failed_debit_rows(slips_since=since)), "recent_days": RECENT_DAYS,
    })  # fmt: skip


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def failed_debit_issue_view(request: HttpRequest) -> HttpResponseBase:
    """Issue the slips of one failure (`line` posted) or of all still waiting."""
    pending = failed_debit_rows(pending_only=True)
    line = request.POST.get("line", "").strip()
    if line:
        if not any(str(f.line_id) == line for f in pending):
            raise Http404("納付書待ちの振替不能がありません")
        wanted = [f for f in pending if str(f.line_id) == line]
    else:
        wanted = pending
    if not wanted:
        messages.error(request, "納付書待ちの振替不能はありません。")
        return redirect("web:failed_debit_worklist")
    issued = issue_slips(actor=actor_for(request), on=timezone.localdate(),
                         line_ids=[f.line_id for f in wanted])  # fmt: skip
    if issued == len(wanted):
        messages.success(request, f"{issued}件の納付書を発行しました。下の「発行済」から印刷してください。")
    else:
        messages.error(request, f"{len(wanted)}件のうち{issued}件の納付書を発行しました。残りは期割が"
                                "変更されたか納付書を発行できないため一覧に残っています(収納状況で確認してください)。")
    return redirect("web:failed_debit_worklist")


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def failed_debit_slip_pdf_view(request: HttpRequest, failure_id: int) -> HttpResponse:
    """The 納付書 PDF issued for a failed debit (dated today, as printed)."""
    row = failed_debit_row(failure_id) if 0 < failure_id <= MAX_ID else None
    if row is None or row.slip_id is None:
        raise Http404("納付書を発行した振替不能がありません")
    response = HttpResponse(slips_pdf([row.slip_id], issued_on=timezone.localdate()),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="nofusho-{row.slip_id}.pdf"'
    return response
