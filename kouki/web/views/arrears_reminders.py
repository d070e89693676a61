"""督促漏れ (issue 10 §7): direct instalments past due longer than the reminder window (20 days, a city
rule) that never got a 督促状. The mayor must still remind them (地方自治法 §231の3 ①), so they are
listed here; a supervisor (Perm.DECIDE_COLLECTION) issues the late reminders, chosen one by one
(kouki.arrears.services.reminders_issue_missed, audited as reminder_issue_late) and gets the PDF.
Instalments extinguished by limitation (地方自治法 §236 ②) are not listed. The list is counted, summed
and paged in the database (kouki.arrears.missed_pages, issue 16 §5)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.arrears.missed_pages import missed_page
from kouki.arrears.services import ArrearsError, reminders_issue_missed
from kouki.collection import web_selectors
from kouki.documents.premium_data import METHOD_LABELS
from kouki.rules.wareki import wareki_year
from kouki.web.access import actor_for, staff_user, staff_view
from kouki.web.views.arrears import screen_message

PAGE_SIZE = 100


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def missed_reminders_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    found = missed_page(today, number=request.GET.get("page", 1), per_page=PAGE_SIZE)
    rows = found.rows
    people = web_selectors.person_labels(u.person_id for u in rows)
    user = staff_user(request)
    return render(request, "arrears/reminders_missed.html", {
        "today": today, "total": found.total, "count": found.count, "page": found.page,
        "rows": [(u, people.get(u.person_id), wareki_year(u.fiscal_year),
                  METHOD_LABELS.get(u.method, u.method)) for u in rows],
        "may_issue": user is not None and user.has_kouki_perm(Perm.DECIDE_COLLECTION),
    })  # fmt: skip


@staff_view(permission=Perm.DECIDE_COLLECTION, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def missed_reminders_issue_view(request: HttpRequest) -> HttpResponseBase:
    """Issue the late reminders of the chosen instalments; the answer is the 督促状 PDF."""
    back = reverse("web:missed_reminders")
    try:
        ids = sorted({int(v) for v in request.POST.getlist("instalment")})
    except ValueError:
        ids = []
    if not ids:
        messages.error(request, "督促状を発行する期を選んでください。")
        return redirect(back)
    try:
        run = reminders_issue_missed(actor=actor_for(request), on=timezone.localdate(), instalment_ids=ids)
    except ArrearsError as exc:
        messages.error(request, f"督促状を発行できませんでした: {screen_message(exc)}")
        return redirect(back)
    response = HttpResponse(run.pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tokusokujo-late-{run.on:%Y%m%d}.pdf"'
    return response
