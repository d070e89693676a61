"""分納誓約の履行確認 (the monthly pledge review) as a worklist (事務 6 保険料の徴収).

The list shows, for today, every active pledge with a pledged date passed and every broken pledge not
yet followed by a new one: pledged, paid, shortfall and what the review finds. 「履行確認を実行」 runs
kouki.arrears.services.pledges_review as the signed-in member of staff (audited); each row links to the
person's arrears page, where a contact (納付折衝) or a new pledge is recorded. The same review runs as
`kouki collect pledges`. Staff with Perm.VIEW_PERSON, as for every arrears screen.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.arrears.models import PledgeStatus
from kouki.arrears.pledge_worklist import pledges_for_review
from kouki.arrears.services import pledges_review
from kouki.collection import web_selectors
from kouki.web.access import actor_for, staff_view


def _label(status: str) -> str:
    return PledgeStatus(status).label if status in PledgeStatus.values else status


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def pledge_review_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = pledges_for_review(today)
    people = web_selectors.person_labels(r.person_id for r in rows)
    return render(request, "arrears/pledges.html", {
        "today": today,
        "rows": [(r, people.get(r.person_id), _label(r.status), _label(r.state)) for r in rows],
        "changes": sum(1 for r in rows if r.changes),
    })


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def pledge_review_run_view(request: HttpRequest) -> HttpResponseBase:
    if request.POST.get("confirm") != "yes":
        messages.error(request, "確認欄にチェックしてから実行してください。")
        return redirect(reverse("web:pledge_review"))
    counts = pledges_review(actor=actor_for(request), on=timezone.localdate())
    messages.success(request, f"履行確認を行いました: 完了 {counts[PledgeStatus.KEPT]}件、"
                              f"不履行 {counts[PledgeStatus.BROKEN]}件。")
    return redirect(reverse("web:pledge_review"))
