"""参照記録 (SEC-11/SEC-12): the personal-number reference log, for auditors. No numbers, only tokens."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kouki.accounts.permissions import Perm
from kouki.addressees.selectors import person_by_addressee_no
from kouki.privacy.selectors import references
from kouki.web.access import staff_view
from kouki.web.forms import ReferenceFilterForm

LIMIT = 500


@staff_view(permission=Perm.VIEW_AUDIT, business_function=None, methods=("GET",))
def reference_log_view(request: HttpRequest) -> HttpResponse:
    form = ReferenceFilterForm(request.GET or None)
    rows = []
    unknown_person = False
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        person_id = None
        if data.get("addressee_no"):
            person = person_by_addressee_no(data["addressee_no"])
            unknown_person = person is None
            person_id = person.pk if person else -1
        tz = timezone.get_current_timezone()
        since = datetime.combine(data["since"], time.min, tzinfo=tz) if data.get("since") else None
        until = (datetime.combine(data["until"] + timedelta(days=1), time.min, tzinfo=tz)
                 if data.get("until") else None)
        rows = list(references(username=data.get("username", ""), person_id=person_id, since=since,
                               until=until).select_related("person")[:LIMIT])
    return render(request, "web/reference_log.html",
                  {"form": form, "rows": rows, "limit": LIMIT, "unknown_person": unknown_person})
