"""宛名検索 (kana / birth date / addressee number), 個人番号で検索 (POST only) and 宛名詳細: identity,
household and history, and the sections of kouki.web.views.person_overview (eligibility, certificates,
premium, collection, arrears, notifications, what was done) for the roles that may see them.

Reads go through the apps' selectors only.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.addressees.models import PersonVersion
from kouki.addressees.selectors import (
    household_as_of,
    person_as_of,
    person_current,
    person_history,
    search_current_query,
)
from kouki.eligibility.selectors import with_insured_flag
from kouki.privacy import selectors as privacy_selectors
from kouki.privacy.gate import InvalidPurpose, PersonalNumberAccessDenied, find_person_by_personal_number
from kouki.privacy.reading import ReadingLimitExceeded, person_view_record
from kouki.web.access import forbidden, may_show_personal_numbers, reading_limited, staff_user, staff_view
from kouki.web.forms import AsOfForm, NumberSearchForm, PersonSearchForm
from kouki.web.views.person_overview import overview

SEARCH_LIMIT = 50


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.INCIDENTAL, methods=("GET",))
def person_search_view(request: HttpRequest) -> HttpResponse:
    """Each result with name, kana, birth date (和暦), address and whether insured today (one query)."""
    results: list[PersonVersion] = []
    searched = bool(request.GET)
    form = PersonSearchForm(request.GET or None)
    today = timezone.localdate()
    if searched and form.is_valid():
        found = search_current_query(kana=form.cleaned_data["kana"], birth_date=form.cleaned_data["birth"],
                                     addressee_no=form.cleaned_data["addressee_no"])
        results = list(with_insured_flag(found, today)[:SEARCH_LIMIT + 1])
    user = staff_user(request)
    return render(request, "web/person_search.html", {
        "form": form, "results": results[:SEARCH_LIMIT], "searched": searched and form.is_valid(),
        "today": today,
        "truncated": len(results) > SEARCH_LIMIT,
        "can_search_by_number": user is not None and user.has_kouki_perm(Perm.SEARCH_BY_PERSONAL_NUMBER),
    })


@staff_view(permission=Perm.SEARCH_BY_PERSONAL_NUMBER, business_function=Jimu.INCIDENTAL)
def person_search_by_number_view(request: HttpRequest) -> HttpResponse:
    """The number arrives in a POST body only; it is never echoed back into the page."""
    user = staff_user(request)
    assert user is not None
    form = NumberSearchForm(request.POST or None)
    result: PersonVersion | None = None
    searched = False
    if request.method == "POST":
        if form.is_valid():
            try:
                person_id = find_person_by_personal_number(
                    user=user, number=form.cleaned_data["number"], purpose=form.cleaned_data["purpose"],
                    purpose_note=form.cleaned_data["purpose_note"], screen="web.person_search_by_number",
                    terminal_id=request.kouki_terminal_id,  # type: ignore[attr-defined]
                )
            except PersonalNumberAccessDenied:
                return forbidden(request)
            except InvalidPurpose as exc:
                form.add_error("purpose", str(exc))
            else:
                searched = True
                result = person_current(person_id) if person_id is not None else None
        # never render the typed number back into the page (errors were computed above and stay)
        without_number = request.POST.copy()
        without_number["number"] = ""
        form.data = without_number
    return render(request, "web/person_search_by_number.html",
                  {"form": form, "result": result, "searched": searched})


def _version_or_404(person_id: int) -> PersonVersion:
    current = person_current(person_id)
    if current is not None:
        return current
    history = [v for v in person_history(person_id) if v.superseded_at is None]
    if not history:
        raise Http404("宛名がありません")
    return history[-1]


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.INCIDENTAL, methods=("GET",))
def person_detail_view(request: HttpRequest, person_id: int) -> HttpResponse:
    current = _version_or_404(person_id)
    user = staff_user(request)
    assert user is not None
    try:  # counted against the hourly limit of person views (issue 14 §6)
        person_view_record(user=user, person_id=person_id,
                           terminal_id=request.kouki_terminal_id)  # type: ignore[attr-defined]
    except ReadingLimitExceeded as exc:
        return reading_limited(request, str(exc))
    as_of = AsOfForm(request.GET or None)
    today = timezone.localdate()
    on: date = today
    if request.GET and as_of.is_valid() and as_of.cleaned_data["on"] is not None:
        on = as_of.cleaned_data["on"]
    version_on = person_as_of(person_id, on)
    household = None
    if version_on is not None and version_on.household_id is not None:
        household = household_as_of(version_on.household_id, on)
    show_numbers = may_show_personal_numbers(request)
    context = {
        "person": current.person, "current": current, "on": on, "as_of": as_of, "version_on": version_on,
        "household": household, "history": person_history(person_id), "show_numbers": show_numbers,
        "today": today,
        **overview(person_id, user, on=on, today=today, with_numbers=show_numbers),
    }
    if show_numbers:
        context["has_number"] = privacy_selectors.has_personal_number(person_id)
        context["number_history"] = privacy_selectors.number_history(person_id)
    return render(request, "web/person_detail.html", context)
