"""参照記録 (SEC-11/SEC-12): the personal-number reference log, for auditors. No numbers, only tokens.
The log grows with the city: it is counted and paged in the database (kouki.core.paging)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kouki.accounts.permissions import Perm
from kouki.addressees.selectors import person_by_addressee_no
from kouki.core.paging import page_of
from kouki.privacy.selectors import references
from kouki.web.access import staff_view
from kouki.web.forms import ReferenceFilterForm

PAGE_SIZE = 200


@staff_view(permission=Perm.VIEW_AUDIT, business_function=None, methods=("GET",))
def reference_log_view(request: HttpRequest) -> HttpResponse:
    form = ReferenceFilterForm(request.GET or None)
    listed = None
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
        listed = page_of(request, references(username=data.get("username", ""), person_id=person_id,
                                             since=since, until=until).select_related("person"),
                         per_page=PAGE_SIZE)  # fmt: skip
    return render(request, "web/reference_log.html", {
        "form": form, "rows": listed.rows if listed else [], "page": listed.page if listed else None,
        "page_query": listed.query if listed else "", "unknown_person": unknown_person,
    })  # fmt: skip
